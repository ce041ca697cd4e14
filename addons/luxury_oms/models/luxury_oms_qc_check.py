from odoo import fields
from odoo import models


class LuxuryOmsQcCheck(models.Model):
    """The result of one checklist item on one piece."""

    _name = "luxury.oms.qc.check"
    _description = "Quality Control Check"
    _order = "task_id, sequence, id"

    task_id = fields.Many2one(
        "luxury.oms.fulfilment.task", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True)
    description = fields.Text()
    result = fields.Selection(
        [("pending", "To Check"), ("pass", "Pass"), ("fail", "Fail")],
        default="pending",
        required=True,
    )
    note = fields.Char()
