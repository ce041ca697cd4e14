from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.exceptions import ValidationError

from ..engine import fraud as fraud_engine


class LuxuryOmsFraudRule(models.Model):
    """One payment-fraud rule: a condition and the points it adds to an order's score."""

    _name = "luxury.oms.fraud.rule"
    _description = "Fraud Rule"
    _inherit = ["mail.thread", "luxury.oms.config.cache"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    condition = fields.Selection(
        [
            (fraud_engine.NEW_CLIENT, "New client"),
            (fraud_engine.AMOUNT_OVER, "Amount reaches"),
            (fraud_engine.COUNTRY_MISMATCH, "Country mismatch"),
            (fraud_engine.NEW_ADDRESS, "New shipping address"),
            (fraud_engine.VELOCITY_ORDERS, "Orders in a time window"),
            (fraud_engine.VELOCITY_AMOUNT, "Amount in a time window"),
            (fraud_engine.TIER, "Client tier up to"),
        ],
        tracking=True,
        help="What the rule checks. New client: no previous confirmed order. New "
        "shipping address: a returning client ships to an address never used before.",
    )
    points = fields.Float(
        required=True,
        tracking=True,
        help="Added to the score when the condition matches. Negative points lower the "
        "score of reassuring orders; the score never goes below 0.",
    )
    amount = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        help="Threshold, converted at the order date into the company currency.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    currency_strict = fields.Boolean(
        string="Only Orders in This Currency",
        help="Apply the amount threshold only to orders in the rule's currency, to "
        "set a different threshold per currency.",
    )
    mismatch = fields.Selection(
        [
            ("billing_shipping", "Billing vs shipping country"),
            ("billing_card", "Billing vs card-issuer country"),
            ("shipping_card", "Shipping vs card-issuer country"),
        ],
        default="billing_shipping",
    )
    velocity_scope = fields.Selection(
        [("client", "Per client"), ("card", "Per card")],
        string="Count",
        default="client",
    )
    velocity_count = fields.Integer(
        string="Orders",
        help="Matches when the client (or card) reaches this many orders in the window, "
        "this order included.",
    )
    velocity_hours = fields.Float(string="Window (hours)")
    tier_id = fields.Many2one(
        "luxury.oms.tier",
        string="Up to Tier",
        ondelete="restrict",
        help="Matches clients of this tier or a lower one, and clients without a tier.",
    )
    channel_ids = fields.Many2many(
        "luxury.oms.channel",
        string="Channels",
        help="Channels whose orders this rule screens. Empty: every channel and orders "
        "without a channel.",
    )

    @api.depends("company_id")
    def _compute_currency_id(self):
        """Amounts are in the rule's company's currency unless chosen otherwise: data
        loaded by another company's user (an import, the demo) gets the right one."""
        for rule in self:
            rule.currency_id = rule.company_id.currency_id or self.env.company.currency_id

    @api.constrains(
        "condition",
        "points",
        "amount",
        "currency_id",
        "velocity_count",
        "velocity_hours",
        "tier_id",
        "mismatch",
    )
    def _check_condition(self):
        for rule in self:
            error = rule._condition_error()
            if error:
                raise ValidationError(
                    self.env._("Fraud rule %(rule)s: %(error)s", rule=rule.name, error=error)
                )

    def _condition_error(self):
        """Why this rule's condition cannot be evaluated, or False."""
        self.ensure_one()
        if not self.condition:
            return self.env._("it has no condition; choose what the rule checks.")
        if not self.points:
            return self.env._("Points cannot be 0; a rule that adds nothing is useless.")
        return next((message for failed, message in self._parameter_checks() if failed), False)

    def _parameter_checks(self):
        """``(failed, message)`` for each parameter the rule's condition needs."""
        _ = self.env._
        condition = self.condition
        uses_amount = condition in (fraud_engine.AMOUNT_OVER, fraud_engine.VELOCITY_AMOUNT)
        uses_window = condition in (fraud_engine.VELOCITY_ORDERS, fraud_engine.VELOCITY_AMOUNT)
        return [
            (
                uses_amount and not (self.currency_id and self.currency_id.active),
                _(
                    "Currency %(currency)s is unknown or inactive; activate it first.",
                    currency=self.currency_id.name or "?",
                ),
            ),
            (uses_amount and self.amount <= 0, _("Amount must be greater than 0.")),
            (uses_window and self.velocity_hours <= 0, _("Window (hours) must be greater than 0.")),
            (
                condition == fraud_engine.VELOCITY_ORDERS and self.velocity_count < 2,
                _("Orders must be at least 2 (this order counts as one)."),
            ),
            (condition == fraud_engine.TIER and not self.tier_id, _("Up to Tier is required.")),
            (
                condition == fraud_engine.COUNTRY_MISMATCH and not self.mismatch,
                _("choose which countries to compare."),
            ),
        ]

    @api.model
    @tools.ormcache("company_id", "day", "self.env.lang")
    def _oms_cached_engine_rules(self, company_id, day):
        """``((channel ids, engine rule), ...)`` of the company's active rules, amounts
        converted at ``day``'s rate. Read by every confirmed order: kept per worker until a
        rule, tier or currency rate changes (luxury.oms.config.cache)."""
        company = self.env["res.company"].browse(company_id)
        rules = self.sudo().search([("company_id", "=", company_id)])
        return tuple(
            (frozenset(rule.channel_ids.ids), rule._to_engine_rule(company, day)) for rule in rules
        )

    def _to_engine_rule(self, company, date):
        """The engine's view of this rule; amounts in ``company``'s currency at ``date``."""
        self.ensure_one()
        amount = self.amount
        if self.currency_id and self.currency_id != company.currency_id:
            amount = self.currency_id._convert(amount, company.currency_id, company, date)
        return fraud_engine.FraudRule(
            rule_id=self.id,
            name=self.name,
            condition=self.condition,
            points=self.points,
            amount=amount,
            currency_id=self.currency_id.id,
            currency_strict=self.currency_strict,
            rule_amount=self.amount,
            rule_currency=(self.currency_id or company.currency_id).name,
            mismatch=self.mismatch or "billing_shipping",
            velocity_scope=self.velocity_scope or "client",
            count=self.velocity_count,
            hours=self.velocity_hours,
            max_rank=self.tier_id.rank,
        )
