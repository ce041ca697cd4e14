from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from ..engine.returns import VERDICT_AUTHENTIC
from ..engine.returns import VERDICT_SUSPECTED
from ..engine.returns import authenticity_verdict

RETURN_STATES = [
    ("draft", "Draft"),
    ("requested", "Requested"),
    ("received", "Received"),
    ("checking", "Checking"),
    ("authentic", "Authentic"),
    ("suspected", "Suspected Counterfeit"),
    ("refunded", "Refunded"),
    ("exchanged", "Exchanged"),
    ("quarantined", "Quarantined"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]


class LuxuryReturn(models.Model):
    """A return request (RMA): what comes back, where, why, and what the maison decides.

    This file holds the return and its state machine. Around it: the request path
    (``luxury.return.request``), the channels' view (``luxury_return_channel.py``), the
    stock transfers (``luxury_return_stock.py``), the credit note and exchange order
    (``luxury_return_refund.py``) and the white-glove pickup (``luxury_return_pickup.py``).
    """

    _name = "luxury.return"
    _description = "Return Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index=True
    )
    # The sold order's company, whichever company the user has active: the company rules
    # then show the return to that company.
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        precompute=True,
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        RETURN_STATES, required=True, default="draft", tracking=True, copy=False, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, tracking=True, index=True
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sale Order",
        tracking=True,
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id), ('state', '=', 'sale')]",
    )
    pos_order_id = fields.Many2one(
        "pos.order",
        string="Boutique Sale",
        tracking=True,
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id), ('state', 'in', ('paid', 'done'))]",
        help="The boutique (POS) order the items were bought on, instead of a sale order.",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    channel_id = fields.Many2one(
        "luxury.oms.channel",
        string="Requested Through",
        compute="_compute_channel_id",
        store=True,
        precompute=True,
        readonly=False,
        tracking=True,
        help="Channel the client asked through. The return window is the one of the channel "
        "the order was sold on.",
    )
    origin = fields.Selection(
        [("backoffice", "Back office"), ("api", "Channel API"), ("pos", "Boutique POS")],
        required=True,
        default="backoffice",
        readonly=True,
    )
    return_mode = fields.Selection(
        [("boutique", "At a boutique"), ("pickup", "White-glove pickup")],
        required=True,
        default="boutique",
        tracking=True,
    )
    site_id = fields.Many2one(
        "stock.warehouse",
        string="Return Site",
        compute="_compute_site_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        tracking=True,
        check_company=True,
        help="Where the item is received and checked: the client's preferred boutique unless "
        "changed.",
    )
    reason_id = fields.Many2one(
        "luxury.return.reason", string="Reason", required=True, tracking=True
    )
    description = fields.Text(string="Client's Words")
    line_ids = fields.One2many("luxury.return.line", "return_id", string="Items", copy=True)
    check_ids = fields.One2many("luxury.return.check", "return_id", string="Authenticity Steps")
    verdict = fields.Selection(
        [("pending", "Pending"), ("authentic", "Authentic"), ("suspected", "Suspected")],
        compute="_compute_verdict",
    )
    suspicion_cleared_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        tracking=True,
        help="Member of the authenticity team who overruled failed checks.",
    )
    received_date = fields.Datetime(readonly=True, copy=False)
    received_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    restock_to_repair = fields.Boolean(
        string="Send to Repair",
        help="Authentic items go to the site's repair location instead of sellable stock.",
    )
    exchange_product_id = fields.Many2one(
        "product.product",
        string="Exchange For",
        domain="[('sale_ok', '=', True)]",
        help="Product the client receives in exchange.",
    )
    picking_ids = fields.One2many("stock.picking", "luxury_return_id", string="Transfers")
    credit_note_id = fields.Many2one("account.move", readonly=True, copy=False)
    refund_currency_id = fields.Many2one(
        related="credit_note_id.currency_id", string="Refund Currency"
    )
    refund_amount = fields.Monetary(
        related="credit_note_id.amount_total",
        string="Refunded",
        currency_field="refund_currency_id",
        help="The credit note's total, in the currency the client paid in.",
    )
    exchange_order_id = fields.Many2one("sale.order", readonly=True, copy=False)
    evidence_note = fields.Html(
        string="Evidence", help="What the authenticity team saw; kept with the case."
    )
    amount_total = fields.Monetary(compute="_compute_amount_total", currency_field="currency_id")
    can_request = fields.Boolean(compute="_compute_can")
    can_receive = fields.Boolean(compute="_compute_can")
    can_conclude = fields.Boolean(compute="_compute_can")
    can_refund = fields.Boolean(compute="_compute_can")
    can_quarantine = fields.Boolean(compute="_compute_can")
    can_clear_suspicion = fields.Boolean(compute="_compute_can")
    can_close = fields.Boolean(compute="_compute_can")
    can_cancel = fields.Boolean(compute="_compute_can")

    _one_source_order = models.Constraint(
        "CHECK ((sale_order_id IS NULL) != (pos_order_id IS NULL))",
        "A return comes from exactly one sale order or boutique sale.",
    )

    @api.depends("sale_order_id", "pos_order_id")
    def _compute_company_id(self):
        for rma in self:
            rma.company_id = rma._source_order().company_id or rma.company_id or self.env.company

    @api.depends("sale_order_id.currency_id", "pos_order_id.currency_id")
    def _compute_currency_id(self):
        for rma in self:
            rma.currency_id = rma._source_order().currency_id or rma.company_id.currency_id

    @api.depends("sale_order_id", "pos_order_id")
    def _compute_channel_id(self):
        for rma in self:
            if not rma.channel_id:
                rma.channel_id = rma._source_order()._luxury_sold_channel()

    @api.depends("partner_id", "sale_order_id", "pos_order_id")
    def _compute_site_id(self):
        for rma in self:
            if not rma.site_id:
                rma.site_id = (
                    rma.partner_id.oms_preferred_warehouse_id
                    or rma._source_order()._luxury_return_site()
                )

    @api.depends("check_ids.result")
    def _compute_verdict(self):
        for rma in self:
            rma.verdict = authenticity_verdict(rma.check_ids.mapped("result"))

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_total(self):
        for rma in self:
            rma.amount_total = sum(rma.line_ids.mapped("price_subtotal"))

    @api.depends("state", "verdict", "line_ids")
    def _compute_can(self):
        is_authenticity_team = self.env.user.has_group("luxury_returns.group_returns_authenticity")
        for rma in self:
            state = rma.state
            rma.can_request = state == "draft" and bool(rma.line_ids)
            rma.can_receive = state == "requested"
            rma.can_conclude = state in ("received", "checking") and rma.verdict != "pending"
            rma.can_refund = state == "authentic"
            rma.can_quarantine = state == "suspected"
            rma.can_clear_suspicion = state == "suspected" and is_authenticity_team
            rma.can_close = state in ("refunded", "exchanged", "quarantined")
            rma.can_cancel = state in ("draft", "requested") and bool(rma.id)

    @api.constrains("partner_id", "sale_order_id", "pos_order_id")
    def _check_source_order_partner(self):
        for rma in self:
            order = rma._source_order()
            if order and (
                order.partner_id.commercial_partner_id != rma.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "Return %(name)s: order %(order)s was not sold to %(client)s.",
                        name=rma.name,
                        order=order.name,
                        client=rma.partner_id.display_name,
                    )
                )

    def _source_order(self):
        """The sale order or boutique (POS) order the returned items were bought on."""
        self.ensure_one()
        return self.sale_order_id or self.pos_order_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("luxury.return") or "/"
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        """Only drafts and cancelled requests can go: a processed case is evidence."""
        kept = self.filtered(lambda rma: rma.state not in ("draft", "cancel"))
        if kept:
            raise UserError(
                self.env._(
                    "Return %(name)s has been processed and is kept as evidence; cancel or "
                    "close it instead of deleting it.",
                    name=kept[0].name,
                )
            )

    def write(self, vals):
        if "suspicion_cleared_by_id" in vals and not self.env.user.has_group(
            "luxury_returns.group_returns_authenticity"
        ):
            raise AccessError(
                self.env._("Only the authenticity team can clear a suspected counterfeit.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_request(self):
        for rma in self:
            rma._check_requestable()
        self.state = "requested"
        return True

    def action_receive(self):
        for rma in self:
            rma._check_state("can_receive")
            rma._receive()
        return True

    def action_conclude(self):
        for rma in self:
            rma._check_state("can_conclude")
            rma._conclude()
        return True

    def action_refund(self):
        for rma in self:
            rma._check_refund_allowed()
            rma._refund()
            rma.state = "refunded"
        return True

    def action_exchange(self):
        for rma in self:
            rma._check_refund_allowed()
            rma._check_exchange_product()
            rma._refund()
            rma.exchange_order_id = rma._create_exchange_order()
            rma.state = "exchanged"
        return True

    def action_quarantine(self):
        for rma in self:
            rma._check_state("can_quarantine")
            rma._quarantine()
            rma.state = "quarantined"
        return True

    def action_clear_suspicion(self):
        """The authenticity team overrules the checks: the piece is genuine after all."""
        for rma in self:
            rma._check_state("can_clear_suspicion")
            rma.activity_feedback(
                ["mail.mail_activity_data_todo"],
                feedback=self.env._("Cleared by the authenticity team."),
            )
        self.write({"state": "authentic", "suspicion_cleared_by_id": self.env.uid})
        return True

    def action_close(self):
        for rma in self:
            rma._check_state("can_close")
        self.state = "closed"
        return True

    def action_cancel(self):
        for rma in self:
            rma._check_state("can_cancel")
        self.state = "cancel"
        return True

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------

    def _check_state(self, flag):
        """Raise unless the computed ``can_*`` ``flag`` allows the action in this state."""
        self.ensure_one()
        if not self[flag]:
            raise UserError(
                self.env._(
                    "Return %(name)s cannot do this while it is %(state)s.",
                    name=self.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[self.state],
                )
            )

    def _check_requestable(self):
        """A draft with items that the order delivered, within their return windows."""
        self.ensure_one()
        self._check_state("can_request")
        self.env["luxury.return.request"]._check_return(self)

    def _check_refund_allowed(self):
        """Refunds and exchanges need an authentic verdict: never pay for a suspected fake.

        Called by ``action_refund`` and ``action_exchange``; the buttons are hidden too,
        this guard also stops RPC callers.
        """
        self.ensure_one()
        suspected = self.verdict == VERDICT_SUSPECTED and not self.suspicion_cleared_by_id
        if self.state in ("suspected", "quarantined") or suspected:
            raise UserError(
                self.env._(
                    "Return %(name)s is a suspected counterfeit: refund and exchange are "
                    "blocked until the authenticity team clears it.",
                    name=self.name,
                )
            )
        self._check_state("can_refund")

    def _check_exchange_product(self):
        self.ensure_one()
        if not self.exchange_product_id:
            raise UserError(
                self.env._(
                    "Return %(name)s: choose the product to give in exchange first.",
                    name=self.name,
                )
            )

    # ------------------------------------------------------------------
    # Reception and checks
    # ------------------------------------------------------------------

    def _receive(self):
        """Record the reception and lay out the authenticity steps of each item."""
        self.ensure_one()
        self.write(
            {
                "state": "received",
                "received_date": fields.Datetime.now(),
                "received_by_id": self.env.uid,
            }
        )
        self.line_ids._create_checks()

    def _conclude(self):
        """Turn the check results into a verdict; a suspicion alerts the security team."""
        self.ensure_one()
        if self.verdict == VERDICT_AUTHENTIC:
            self.state = "authentic"
            return
        self.state = "suspected"
        self._alert_authenticity_team()

    def _alert_authenticity_team(self):
        failed = self.check_ids.filtered(lambda check: check.result == "fail")
        note = self.env._(
            "Failed steps: %(steps)s",
            steps=", ".join(f"{c.line_id.product_id.display_name}: {c.name}" for c in failed),
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self._authenticity_officer().id,
            summary=self.env._("Suspected counterfeit return %(name)s", name=self.name),
            note=note,
        )

    def _authenticity_officer(self):
        """The member of the authenticity team who gets the alert (first by id)."""
        team = self.env.ref("luxury_returns.group_returns_authenticity").sudo().user_ids
        officers = team.filtered(
            lambda user: user.active and not user.share and not user._is_superuser()
        )
        return officers.sorted("id")[:1] or self.env.user

    # ------------------------------------------------------------------
    # Outcomes
    # ------------------------------------------------------------------

    def _refund(self):
        """Take the authentic pieces back into stock and credit them."""
        self.ensure_one()
        self._restock()
        self.credit_note_id = self._create_credit_note()

    def _picking_to_complete(self):
        """An open transfer of this return to book the outcome's moves on instead of a new
        receipt (see ``_create_done_picking``); none here, the white-glove pickup's."""
        return self.env["stock.picking"]
