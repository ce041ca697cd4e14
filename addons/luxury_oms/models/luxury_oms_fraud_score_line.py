from odoo import fields
from odoo import models


class LuxuryOmsFraudScoreLine(models.Model):
    """One reason in an order's fraud score: the rule that matched and its points."""

    _name = "luxury.oms.fraud.score.line"
    _description = "Fraud Score Line"
    _order = "order_id, id"

    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade")
    rule_id = fields.Many2one("luxury.oms.fraud.rule", ondelete="set null")
    name = fields.Char(string="Rule Name", required=True)
    reason = fields.Char(required=True)
    points = fields.Float()
