from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

SPECIAL_ORDER_STATES = [
    ("request", "Request"),
    ("quoted", "Quoted"),
    ("deposit_paid", "Deposit paid"),
    ("in_production", "In production"),
    ("ready", "Ready"),
    ("delivered", "Delivered"),
    ("cancel", "Cancelled"),
]


class LuxuryClientSpecialOrder(models.Model):
    """A made-to-order piece: request, specifications, quote, deposit, production, delivery."""

    _name = "luxury.client.special.order"
    _description = "Special Order"
    _inherit = ["luxury.client.service.mixin"]
    _sequence_code = "luxury.client.special.order"

    state = fields.Selection(
        SPECIAL_ORDER_STATES, required=True, default="request", tracking=True, copy=False
    )
    request = fields.Text(required=True, help="What the client asked for, in their words.")
    product_id = fields.Many2one(
        "product.product", string="Base Model", help="Catalogue model the piece derives from."
    )
    specifications = fields.Html(help="Sizes, materials, colours, engraving, finishing.")
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        tracking=True,
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Currency the client is quoted and pays in: by default the boutique's, as at "
        "its till.",
    )
    quote_amount = fields.Monetary(string="Quote", tracking=True)
    quote_amount_company = fields.Monetary(
        string="Quote (Company Currency)",
        compute="_compute_quote_amount_company",
        currency_field="company_currency_id",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    deposit_amount = fields.Monetary(string="Deposit", tracking=True)
    deposit_date = fields.Date(readonly=True, copy=False)
    expected_date = fields.Date(string="Expected Delivery", tracking=True)
    delivery_date = fields.Date(readonly=True, copy=False)
    step_ids = fields.One2many(
        "luxury.client.special.order.step", "special_order_id", string="Production Steps"
    )
    progress = fields.Float(compute="_compute_progress", help="Share of production steps done.")
    can_send_quote = fields.Boolean(compute="_compute_can")
    can_register_deposit = fields.Boolean(compute="_compute_can")
    can_start_production = fields.Boolean(compute="_compute_can")
    can_mark_ready = fields.Boolean(compute="_compute_can")
    can_deliver = fields.Boolean(compute="_compute_can")
    can_cancel = fields.Boolean(compute="_compute_can")

    @api.depends("warehouse_id")
    def _compute_currency_id(self):
        for order in self:
            if order.state != "request" and order.currency_id:
                # Quoted: the client's currency no longer follows the boutique.
                order.currency_id = order.currency_id
                continue
            site = order.warehouse_id.sudo()
            tills = site.oms_channel_ids.filtered(lambda channel: channel.channel_type == "pos")
            order.currency_id = (
                tills[:1].currency_id or site.company_id.currency_id or self.env.company.currency_id
            )

    @api.depends("quote_amount", "currency_id", "company_id")
    def _compute_quote_amount_company(self):
        today = fields.Date.context_today(self)
        for order in self:
            order.quote_amount_company = order.currency_id._convert(
                order.quote_amount, order.company_currency_id, order.company_id, today
            )

    @api.depends("step_ids.is_done")
    def _compute_progress(self):
        for order in self:
            steps = order.step_ids
            order.progress = 100.0 * len(steps.filtered("is_done")) / len(steps) if steps else 0.0

    @api.depends("state")
    def _compute_can(self):
        for order in self:
            state = order.state
            order.can_send_quote = state == "request"
            order.can_register_deposit = state == "quoted"
            order.can_start_production = state == "deposit_paid"
            order.can_mark_ready = state == "in_production"
            order.can_deliver = state == "ready"
            order.can_cancel = state not in ("delivered", "cancel") and bool(order.id)

    def _client_status_text(self):
        boutique = self.warehouse_id.name
        return {
            "request": self.env._("We are studying your request with our ateliers."),
            "quoted": self.env._("Your quote is ready for your approval."),
            "deposit_paid": self.env._("Thank you for your deposit: production is scheduled."),
            "in_production": self.env._("Your piece is being crafted."),
            "ready": self.env._("Your piece awaits you at %(boutique)s.", boutique=boutique),
            "delivered": self.env._("Your piece has been delivered."),
            "cancel": self.env._("This special order was cancelled."),
        }[self.state]

    def action_send_quote(self):
        self._ensure_state(["request"], self.env._("quote"))
        for order in self:
            if order.currency_id.compare_amounts(order.quote_amount, 0) <= 0:
                raise UserError(
                    self.env._("Quote: enter the price of %(ref)s before quoting.", ref=order.name)
                )
        self.state = "quoted"
        return True

    def action_register_deposit(self):
        self._ensure_state(["quoted"], self.env._("register a deposit on"))
        for order in self:
            order._check_deposit()
        self.write({"state": "deposit_paid", "deposit_date": fields.Date.context_today(self)})
        return True

    def action_start_production(self):
        self._ensure_state(["deposit_paid"], self.env._("start production of"))
        for order in self.filtered(lambda o: not o.step_ids):
            raise UserError(
                self.env._("Production steps: plan the steps of %(ref)s first.", ref=order.name)
            )
        self.state = "in_production"
        return True

    def action_mark_ready(self):
        self._ensure_state(["in_production"], self.env._("mark as ready"))
        for order in self:
            pending = order.step_ids.filtered(lambda step: not step.is_done)
            if pending:
                raise UserError(
                    self.env._(
                        "Production steps: %(ref)s still has steps to do: %(steps)s.",
                        ref=order.name,
                        steps=", ".join(pending.mapped("name")),
                    )
                )
        self.state = "ready"
        return True

    def action_deliver(self):
        self._ensure_state(["ready"], self.env._("deliver"))
        self.write({"state": "delivered", "delivery_date": fields.Date.context_today(self)})
        return True

    def action_cancel(self):
        self._ensure_state(
            ["request", "quoted", "deposit_paid", "in_production", "ready"], self.env._("cancel")
        )
        self.state = "cancel"
        return True

    def _check_deposit(self):
        self.ensure_one()
        currency = self.currency_id
        if currency.compare_amounts(self.deposit_amount, 0) <= 0:
            raise UserError(
                self.env._("Deposit: enter the deposit received for %(ref)s.", ref=self.name)
            )
        if currency.compare_amounts(self.deposit_amount, self.quote_amount) > 0:
            raise UserError(
                self.env._(
                    "Deposit: %(deposit)s is more than the quote of %(ref)s (%(quote)s).",
                    deposit=self.deposit_amount,
                    ref=self.name,
                    quote=self.quote_amount,
                )
            )
