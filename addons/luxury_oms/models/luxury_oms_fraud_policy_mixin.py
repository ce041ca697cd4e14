from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from ..engine.fraud import VIP_EXEMPT
from ..engine.fraud import VIP_FACTOR
from ..engine.fraud import TierPolicy


class LuxuryOmsFraudPolicyMixin(models.AbstractModel):
    """Hold threshold and top-tier policy, set per channel with a company default
    for orders that come from no channel."""

    _name = "luxury.oms.fraud.policy.mixin"
    _description = "Fraud Screening Policy"

    oms_fraud_threshold = fields.Float(
        string="Fraud Hold Score",
        default=100.0,
        help="Orders whose fraud score reaches this value are held for the fraud team.",
    )
    oms_fraud_vip_tier_id = fields.Many2one(
        "luxury.oms.tier",
        string="Trusted From Tier",
        ondelete="restrict",
        help="Clients of this tier or a higher one are exempt from screening or have "
        "their score reduced. Leave empty to screen every client alike.",
    )
    oms_fraud_vip_policy = fields.Selection(
        [(VIP_EXEMPT, "Exempt"), (VIP_FACTOR, "Reduce score")],
        string="Trusted Clients",
        default=VIP_EXEMPT,
        # Not required: the company inherits it, and a column of Odoo's own table must not
        # refuse companies created by code that knows nothing of the OMS (empty: exempt).
    )
    oms_fraud_vip_factor = fields.Float(
        string="Score Factor",
        default=0.5,
        help="Trusted clients' score is multiplied by this factor (between 0 and 1).",
    )
    oms_fraud_reviewer_id = fields.Many2one(
        "res.users",
        string="Fraud Reviewer",
        domain=lambda self: [
            ("all_group_ids", "in", self.env.ref("luxury_oms.group_oms_fraud").ids)
        ],
        help="Who gets the approval activity of held orders. Empty: the default user of "
        "the 'Fraud Review' activity type, else the first fraud reviewer.",
    )

    @api.constrains("oms_fraud_threshold")
    def _check_oms_fraud_threshold(self):
        for record in self:
            if record.oms_fraud_threshold <= 0:
                raise ValidationError(
                    self.env._(
                        "Fraud Hold Score of %(record)s must be greater than 0 (got %(value)s).",
                        record=record.display_name,
                        value=record.oms_fraud_threshold,
                    )
                )

    @api.constrains("oms_fraud_vip_factor")
    def _check_oms_fraud_vip_factor(self):
        for record in self:
            if not 0 <= record.oms_fraud_vip_factor <= 1:
                raise ValidationError(
                    self.env._(
                        "Score Factor of %(record)s must be between 0 and 1 (got %(value)s).",
                        record=record.display_name,
                        value=record.oms_fraud_vip_factor,
                    )
                )

    def _oms_fraud_tier_policy(self):
        """The engine's view of the top-tier policy."""
        self.ensure_one()
        tier = self.oms_fraud_vip_tier_id
        return TierPolicy(
            min_rank=tier.rank if tier else None,
            mode=self.oms_fraud_vip_policy or VIP_EXEMPT,
            factor=self.oms_fraud_vip_factor,
        )
