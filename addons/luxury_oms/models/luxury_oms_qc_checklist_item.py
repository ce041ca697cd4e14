from odoo import fields
from odoo import models


class LuxuryOmsQcChecklistItem(models.Model):
    _name = "luxury.oms.qc.checklist.item"
    _description = "Quality Control Checklist Item"
    _order = "checklist_id, sequence, id"

    checklist_id = fields.Many2one(
        "luxury.oms.qc.checklist", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True, translate=True)
    description = fields.Text(translate=True, help="How to perform the check.")
