from odoo import fields
from odoo import models

from .luxury_return_check_template import CHECK_TYPES


class LuxuryReturnCheckTemplateItem(models.Model):
    _name = "luxury.return.check.template.item"
    _description = "Authenticity Checklist Step"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "luxury.return.check.template", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    check_type = fields.Selection(CHECK_TYPES, required=True, default="other")
    instructions = fields.Text(
        translate=True, help="What staff look at, shown next to the step during the check."
    )
