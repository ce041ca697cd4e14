from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools.safe_eval import safe_eval


class LuxuryOmsQueue(models.Model):
    """A card of the OMS overview: one queue of work (orders to review, tasks of a floor
    step, parcels late...), its count for whoever looks, and one click to its list."""

    _name = "luxury.oms.queue"
    _description = "OMS Overview Queue"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Char(translate=True)
    res_model = fields.Char(string="Model", required=True)
    domain = fields.Char(
        default="[]",
        required=True,
        help="The records of the queue; may use now (a datetime) and relativedelta.",
    )
    context = fields.Char(default="{}", required=True, help="Context of the list opened.")
    action_id = fields.Many2one(
        "ir.actions.act_window", string="List", required=True, help="Its views open the queue."
    )
    group_ids = fields.Many2many(
        "res.groups", string="Shown To", help="Empty: whoever may read the queue's records."
    )
    alert = fields.Boolean(help="A non-empty queue is shown as needing attention.")
    count = fields.Integer(compute="_compute_count")

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_count(self):
        for queue in self:
            model = self.env[queue.res_model]
            queue.count = (
                model.search_count(queue._evaluated_domain()) if model.has_access("read") else 0
            )

    def _evaluated_domain(self):
        return safe_eval(
            self.domain, {"now": fields.Datetime.now(), "relativedelta": relativedelta}
        )

    def action_open(self):
        self.ensure_one()
        action = self.action_id.sudo().read()[0]
        action.update(
            {
                "name": self.name,
                "domain": self._evaluated_domain(),
                "context": safe_eval(self.context),
                "target": "current",
            }
        )
        return action
