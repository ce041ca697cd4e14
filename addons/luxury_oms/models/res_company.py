from odoo import models


class ResCompany(models.Model):
    """Fraud screening defaults for orders that come from no channel."""

    _name = "res.company"
    _inherit = ["res.company", "luxury.oms.fraud.policy.mixin"]
