from odoo import api
from odoo import fields
from odoo import models
from odoo.tools.misc import formatLang

from ..engine import fraud as fraud_engine


class LuxuryOmsFraudScoreLine(models.Model):
    """One reason in an order's fraud score: the rule that matched and its points.

    The engine says why as a code and plain arguments (``reason_code``, ``reason_args``),
    rendered here in the language of whoever reads the line, amounts with their currency
    symbols; ``reason`` keeps the engine's English sentence (and is what lines scored
    before the codes show)."""

    _name = "luxury.oms.fraud.score.line"
    _description = "Fraud Score Line"
    _order = "order_id, id"

    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade")
    rule_id = fields.Many2one("luxury.oms.fraud.rule", string="Fraud Rule", ondelete="set null")
    name = fields.Char(string="Rule Name", required=True)
    reason = fields.Char(string="Reason (English)", required=True)
    reason_code = fields.Char(readonly=True)
    reason_args = fields.Json(readonly=True)
    label = fields.Char(string="Rule", compute="_compute_reading")
    reason_display = fields.Char(string="Reason", compute="_compute_reading")
    points = fields.Float()

    @api.depends("name", "rule_id.name", "reason", "reason_code", "reason_args")
    @api.depends_context("lang")
    def _compute_reading(self):
        currencies = {}
        for line in self:
            # The rule's name as the reader's language has it (the stored name is the
            # scoring user's); read as superuser: a reviewer may not read the rules.
            line.label = line._oms_system_label() or line.rule_id.sudo().name or line.name
            line.reason_display = (
                line._oms_render_reason(currencies) if line.reason_code else line.reason
            )

    def _oms_system_label(self):
        """The name of a line the policy adds (no rule), in the reader's language."""
        return {
            fraud_engine.VIP_EXEMPT_REASON: self.env._("VIP exempt"),
            fraud_engine.VIP_WEIGHTING_REASON: self.env._("VIP weighting"),
        }.get(self.reason_code)

    def _oms_render_reason(self, currencies):
        """The engine's reason (``engine.fraud.ENGLISH``), in the reader's language: each
        code has its ``_oms_reason_<code>`` sentence."""
        self.ensure_one()
        render = getattr(self, f"_oms_reason_{self.reason_code}", None)
        return render(self.reason_args or {}, currencies) if render else self.reason

    def _oms_reason_new_client(self, args, currencies):
        return self.env._("New client: no previous order")

    def _oms_reason_new_address(self, args, currencies):
        return self.env._("First order to this shipping address")

    def _oms_reason_tier_none(self, args, currencies):
        return self.env._("Client without tier")

    def _oms_reason_vip_exempt(self, args, currencies):
        return self.env._("VIP exempt")

    def _oms_reason_amount_over(self, args, currencies):
        return self.env._(
            "Amount %(order)s reaches %(rule)s",
            order=self._oms_money(args["order"], currencies),
            rule=self._oms_money(args["rule"], currencies),
        )

    def _oms_reason_country_mismatch(self, args, currencies):
        return {
            "billing_shipping": self.env._("Billing and shipping countries differ"),
            "billing_card": self.env._("Billing country differs from the card issuer's"),
            "shipping_card": self.env._("Shipping country differs from the card issuer's"),
        }[args["mismatch"]]

    def _oms_reason_velocity_orders(self, args, currencies):
        values = {"count": args["count"], "hours": f"{args['hours']:g}"}
        if args["scope"] == "card":
            return self.env._("%(count)s orders with this card within %(hours)s h", **values)
        return self.env._("%(count)s orders by this client within %(hours)s h", **values)

    def _oms_reason_velocity_amount(self, args, currencies):
        total = self._oms_money(args["total"], currencies)
        if args["in_company_currency"]:
            total = self.env._("%(amount)s (in company currency)", amount=total)
        values = {"amount": total, "hours": f"{args['hours']:g}"}
        if args["scope"] == "card":
            return self.env._("%(amount)s ordered with this card within %(hours)s h", **values)
        return self.env._("%(amount)s ordered by this client within %(hours)s h", **values)

    def _oms_reason_tier(self, args, currencies):
        return self.env._(
            "Client tier ranked %(rank)s, at most %(max_rank)s",
            rank=args["rank"],
            max_rank=args["max_rank"],
        )

    def _oms_reason_vip_weighting(self, args, currencies):
        return self.env._("VIP tier: score multiplied by %(factor)s", factor=f"{args['factor']:g}")

    def _oms_money(self, phrase, currencies):
        """An engine ``money`` phrase with the reader's number format and the currencies'
        symbols: "€18,500.00 (£14,414.84 in company currency)"."""
        amount = self._oms_format_amount(phrase["amount"], phrase["currency"], currencies)
        if phrase.get("reference") is None:
            return amount
        return self.env._(
            "%(amount)s (%(reference)s in company currency)",
            amount=amount,
            reference=self._oms_format_amount(
                phrase["reference"], phrase["reference_currency"], currencies
            ),
        )

    def _oms_format_amount(self, amount, code, currencies):
        if code not in currencies:
            currencies[code] = (
                self.env["res.currency"]
                .sudo()
                .with_context(active_test=False)
                .search([("name", "=", code)], limit=1)
            )
        currency = currencies[code]
        if not currency:
            return f"{formatLang(self.env, amount)} {code}".rstrip()
        return formatLang(self.env, amount, currency_obj=currency)
