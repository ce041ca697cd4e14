from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class LuxuryOmsFraudReviewWizard(models.TransientModel):
    """Approve or reject held orders, saying why: the chatter keeps who and why."""

    _name = "luxury.oms.fraud.review.wizard"
    _description = "Fraud Review Decision"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve"
    )
    reason = fields.Text(
        help="Why: e.g. 'Client called back, card holder verified' or 'Card reported stolen'.",
    )

    def action_confirm(self):
        self.ensure_one()
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Reason is required to approve or reject an order for fraud.")
            )
        if self.decision == "approve":
            self.order_ids._oms_fraud_approve(reason)
        else:
            self.order_ids._oms_fraud_reject(reason)
        return {"type": "ir.actions.act_window_close"}
