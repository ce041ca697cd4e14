from odoo import fields
from odoo import models


class ResCompany(models.Model):
    """Fraud screening defaults for orders that come from no channel; the availability
    screen's "short" threshold."""

    _name = "res.company"
    _inherit = ["res.company", "luxury.oms.fraud.policy.mixin"]

    oms_short_threshold = fields.Float(
        string="Short At",
        default=1.0,
        digits="Product Unit",
        help="A product is short at a site when its available to sell is at or under this.",
    )
