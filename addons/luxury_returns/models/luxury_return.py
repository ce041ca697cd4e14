from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.luxury_oms.engine.api_payload import PayloadError
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..engine.return_payload import validate_return_request
from ..engine.returns import VERDICT_AUTHENTIC
from ..engine.returns import VERDICT_SUSPECTED
from ..engine.returns import RequestedLine
from ..engine.returns import SoldLine
from ..engine.returns import allocate_return
from ..engine.returns import authenticity_verdict
from ..engine.returns import is_within_window
from ..engine.returns import window_deadline

# Changing one of these on a requested return reschedules its white-glove pickup.
PICKUP_FIELDS = {"return_mode", "pickup_date", "pickup_address_id", "pickup_carrier_id", "site_id"}

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

# What a channel (and so the client) is told. A suspected counterfeit is never announced
# as such: the client only learns that the item is under review.
CHANNEL_STATES = {
    "draft": "requested",
    "requested": "requested",
    "received": "received",
    "checking": "inspecting",
    "authentic": "inspecting",
    "suspected": "under_review",
    "quarantined": "under_review",
    "refunded": "refunded",
    "exchanged": "exchanged",
    "closed": "closed",
    "cancel": "cancelled",
}

# A return's source document: the order field of the return and the line field of its items.
SOURCE_FIELDS = {
    "sale.order": ("sale_order_id", "sale_line_id"),
    "pos.order": ("pos_order_id", "pos_line_id"),
}


class LuxuryReturn(models.Model):
    """A return request (RMA): what comes back, where, why, and what the maison decides."""

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
    pickup_address_id = fields.Many2one(
        "res.partner",
        string="Pickup Address",
        compute="_compute_pickup_address_id",
        store=True,
        precompute=True,
        readonly=False,
    )
    pickup_date = fields.Datetime(string="Pickup Appointment")
    pickup_carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Courier",
        check_company=True,
        help="White-glove courier collecting the piece at the client's address.",
    )
    pickup_picking_id = fields.Many2one(
        "stock.picking",
        string="Pickup Transfer",
        readonly=True,
        copy=False,
        help="Incoming transfer scheduled at the pickup appointment; it becomes the "
        "restock or quarantine transfer once the checks conclude.",
    )
    pickup_tracking_ref = fields.Char(
        related="pickup_picking_id.carrier_tracking_ref", readonly=False, string="Pickup Tracking"
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

    @api.depends("partner_id", "return_mode")
    def _compute_pickup_address_id(self):
        for rma in self:
            if rma.return_mode == "pickup" and not rma.pickup_address_id:
                rma.pickup_address_id = rma.sale_order_id.partner_shipping_id or rma.partner_id

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
            rma.can_cancel = state in ("draft", "requested")

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

    @api.model
    def _source_fields(self, order):
        """``(order field, line field)`` of a return coming from ``order``."""
        if order._name not in SOURCE_FIELDS:
            raise ValidationError(
                self.env._("%(model)s cannot be the source of a return.", model=order._name)
            )
        return SOURCE_FIELDS[order._name]

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
        res = super().write(vals)
        if PICKUP_FIELDS & vals.keys():
            # Rescheduled as soon as the appointment is complete (the form requires it).
            for rma in self.filtered(lambda rma: rma.state == "requested"):
                if rma.return_mode != "pickup" or (rma.pickup_date and rma.pickup_address_id):
                    rma._schedule_pickup()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_request(self):
        for rma in self:
            rma._check_state("can_request")
            rma._validate_lines()
            rma._check_pickup_details()
        self.state = "requested"
        for rma in self:
            rma._schedule_pickup()
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
        self._cancel_pickup()
        return True

    def action_view_credit_note(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "form",
            "res_id": self.credit_note_id.id,
        }

    def action_view_pickup(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "view_mode": "form",
            "res_id": self.pickup_picking_id.id,
        }

    def action_view_exchange_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "view_mode": "form",
            "res_id": self.exchange_order_id.id,
        }

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
    # Request validation
    # ------------------------------------------------------------------

    def _validate_lines(self):
        """Check the lines against what the order delivered and the return windows."""
        self.ensure_one()
        requested = [
            RequestedLine(line._sku_key(), line.qty, line.lot_id.name or None)
            for line in self.line_ids
        ]
        order = self._source_order()
        self._check_requested_lines(order, requested, exclude=self)
        mismatched = self.line_ids.filtered(lambda line: line._sold_line().order_id != order)
        if mismatched:
            raise ValidationError(
                self.env._(
                    "Return %(name)s: %(product)s does not come from order %(order)s.",
                    name=self.name,
                    product=mismatched[0].product_id.display_name,
                    order=order.name,
                )
            )
        _order_field, line_field = self._source_fields(order)
        self._check_windows(order, self.line_ids.mapped(line_field))

    @api.model
    def _check_requested_lines(self, order, requested, exclude=None):
        """Match ``requested`` lines to the order's deliveries; raise naming every problem.

        ``order`` is a sale order or a boutique (POS) order. Returns the engine's
        allocations (sold line id, qty, serial).
        """
        self._lock_order(order)
        sold_lines = self._sold_lines(order, exclude=exclude)
        pairs = {(req.sku, req.serial) for req in requested if req.serial}
        known = self._known_serials(order, pairs)
        known_skus = self._known_skus({req.sku for req in requested})
        result = allocate_return(sold_lines, requested, known, known_skus)
        if result.errors:
            raise ValidationError("\n".join(self._error_message(err) for err in result.errors))
        return result.allocations

    @api.model
    def _lock_order(self, order):
        """Serialise concurrent return requests on one order, so two requests cannot both
        claim the last returnable unit: the loser gets a serialization failure and is
        retried by the RPC layer against the committed first request."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id = %s FOR NO KEY UPDATE",
                SQL.identifier(order._table),
                order.id,
            )
        )

    @api.model
    def _sold_lines(self, order, exclude=None):
        """Describe what each storable line of ``order`` delivered and what is claimed.

        Works on any source document through the "sold line" adapter that
        ``sale.order.line`` and ``pos.order.line`` both implement.
        """
        _order_field, line_field = self._source_fields(order)
        claimed = self.env["luxury.return.line"].search_fetch(
            [
                (f"{line_field}.order_id", "=", order.id),
                ("return_id.state", "!=", "cancel"),
                ("return_id", "not in", (exclude or self).ids),
            ],
            [line_field, "qty", "lot_id"],
        )
        line_model = self.env["luxury.return.line"]
        sold_lines = []
        for sold_line in order._luxury_returnable_lines():
            line_claims = claimed.filtered(lambda c, sl=sold_line: c[line_field] == sl)
            sold_lines.append(
                SoldLine(
                    line_id=sold_line.id,
                    sku=line_model._sku_key_for(sold_line.product_id),
                    delivered_qty=sold_line._luxury_delivered_qty(),
                    already_returned_qty=sum(line_claims.mapped("qty")),
                    serials=tuple(sold_line._luxury_delivered_lots().mapped("name")),
                    tracked=sold_line.product_id.tracking == "serial",
                    returned_serials=tuple(line_claims.lot_id.mapped("name")),
                )
            )
        return sold_lines

    @api.model
    def _known_serials(self, order, pairs):
        names = {serial for _sku, serial in pairs}
        if not names:
            return set()
        lots = self.env["stock.lot"].search_fetch(
            [("name", "in", list(names)), ("company_id", "in", [False, order.company_id.id])],
            ["name", "product_id"],
        )
        line_model = self.env["luxury.return.line"]
        return {(line_model._sku_key_for(lot.product_id), lot.name) for lot in lots}

    @api.model
    def _known_skus(self, skus):
        products = (
            self.env["product.product"]
            .with_context(active_test=False)
            .search_fetch([("default_code", "in", list(skus))], ["default_code"])
        )
        line_model = self.env["luxury.return.line"]
        return {line_model._sku_key_for(product) for product in products}

    def _error_message(self, error):
        messages = {  # built lazily: only the matching message is translated
            "unknown_sku": lambda: self.env._(
                "lines[%(index)s].sku: unknown SKU %(sku)r.", index=error.index, sku=error.sku
            ),
            "not_sold": lambda: self.env._(
                "lines[%(index)s].sku: %(sku)r was never sold to this client on this order.",
                index=error.index,
                sku=error.sku,
            ),
            "serial_required": lambda: self.env._(
                "lines[%(index)s].serial: is required for %(sku)r.",
                index=error.index,
                sku=error.sku,
            ),
            "serial_qty": lambda: self.env._(
                "lines[%(index)s].qty: a serial-numbered item is returned one unit per line, "
                "got qty %(qty)s.",
                index=error.index,
                qty=error.qty,
            ),
            "unknown_serial": lambda: self.env._(
                "lines[%(index)s].serial: unknown serial %(serial)r for %(sku)r.",
                index=error.index,
                serial=error.serial,
                sku=error.sku,
            ),
            "serial_not_sold": lambda: self.env._(
                "lines[%(index)s].serial: %(serial)r was never sold to this client on this "
                "order.",
                index=error.index,
                serial=error.serial,
            ),
            "serial_already_returned": lambda: self.env._(
                "lines[%(index)s].serial: %(serial)r is already being returned.",
                index=error.index,
                serial=error.serial,
            ),
            "qty_not_positive": lambda: self.env._(
                "lines[%(index)s].qty: must be a positive number, not %(qty)s.",
                index=error.index,
                qty=error.qty,
            ),
            "qty_exceeds": lambda: self.env._(
                "lines[%(index)s].qty: cannot return %(qty)s x %(sku)r, only %(available)s "
                "delivered and not yet returned.",
                index=error.index,
                qty=error.qty,
                sku=error.sku,
                available=error.available,
            ),
        }
        return messages[error.kind]()

    @api.model
    def _check_windows(self, order, sold_lines):
        """Refuse lines delivered longer ago than their return window allows."""
        today = fields.Date.context_today(self)
        for sold_line in sold_lines:
            window, delivered_on, deadline = self._window_of(order, sold_line)
            if window and not is_within_window(delivered_on, window, today):
                raise ValidationError(
                    self.env._(
                        "%(product)s was delivered on %(date)s: its %(days)s-day return "
                        "window closed on %(deadline)s.",
                        product=sold_line.product_id.display_name,
                        date=delivered_on,
                        days=window.days,
                        deadline=deadline,
                    )
                )

    @api.model
    def _window_of(self, order, sold_line):
        """``(window, delivery date, last day to return)`` of a line sold on ``order``; the
        window is the one of the channel it was sold on."""
        window = self.env["luxury.return.window"]._find_for(
            order._luxury_sold_channel(), sold_line.product_id, order.company_id
        )
        delivered_on = sold_line._luxury_delivery_date()
        return window, delivered_on, window_deadline(delivered_on, window or None)

    # ------------------------------------------------------------------
    # Channel entry points
    # ------------------------------------------------------------------

    @api.model
    def _create_from_channel(self, channel, sale_order, lines, reason, origin="api"):
        """Open a return requested through ``channel`` for ``sale_order``.

        ``lines`` is a list of ``{"sku", "qty", "serial"}``; ``reason`` a return reason code.
        Everything is validated before anything is written: an unknown SKU or serial, a
        quantity above what was delivered, an item never sold to this client or a closed
        return window raise a ValidationError naming the line, and nothing is created.
        Called by the channel API's ``request_return``.
        """
        return self._create_from_request(channel, sale_order, lines, reason, origin=origin)

    @api.model
    def _create_from_request(self, channel, order, lines, reason, origin, site=None):
        """Open a requested return on ``order`` (a sale order or a boutique POS order).

        Same contract as ``_create_from_channel``; ``site`` overrides the return site (the
        boutique where the client hands the piece over).
        """
        payload = self._validate_request_payload(lines, reason)
        order_field, line_field = self._source_fields(order)
        reason_record = self._reason_from_code(payload["reason"])
        allocations = self._check_requested_lines(order, payload["lines"])
        sold_lines = order._luxury_returnable_lines().browse([a.line_id for a in allocations])
        self._check_windows(order, sold_lines)
        lots = self._lots_by_serial(sold_lines, allocations)
        rma = self.create(
            {
                "partner_id": order.partner_id.id,
                order_field: order.id,
                "channel_id": channel.id,
                "origin": origin,
                "reason_id": reason_record.id,
                **({"site_id": site.id} if site else {}),
                "line_ids": [
                    Command.create(
                        {
                            line_field: allocation.line_id,
                            "qty": allocation.qty,
                            "lot_id": lots.get((allocation.line_id, allocation.serial), False),
                        }
                    )
                    for allocation in allocations
                ],
            }
        )
        rma.state = "requested"
        return rma

    @api.model
    def _returnable_lines_summary(self, order):
        """What the client may still return from ``order``, for a front end to choose from.

        Lines fully returned (or claimed by open returns) or past their window are left out.
        """
        today = fields.Date.context_today(self)
        sold_lines = {line.id: line for line in order._luxury_returnable_lines()}
        summary = []
        for sold in self._sold_lines(order):
            sold_line = sold_lines[sold.line_id]
            returnable_qty = sold.delivered_qty - sold.already_returned_qty
            window, delivered_on, deadline = self._window_of(order, sold_line)
            if returnable_qty <= 0 or (
                window and not is_within_window(delivered_on, window, today)
            ):
                continue
            summary.append(
                {
                    "line_id": sold.line_id,
                    "sku": sold.sku,
                    "product": sold_line.product_id.display_name,
                    "qty": returnable_qty,
                    "tracked": sold.tracked,
                    "serials": [s for s in sold.serials if s not in sold.returned_serials],
                    "deadline": fields.Date.to_string(deadline) if deadline else False,
                }
            )
        return summary

    @api.model
    def _validate_request_payload(self, lines, reason):
        """The request's lines and reason code, refused when malformed or hostile (NaN,
        nesting, NUL, unknown fields...) before anything is looked up or written."""
        digits = self.env["decimal.precision"].precision_get("Product Unit")
        try:
            return validate_return_request(lines, reason, qty_digits=digits)
        except PayloadError as error:
            raise ValidationError(str(error)) from None

    @api.model
    def _reason_from_code(self, code):
        reason_model = self.env["luxury.return.reason"]
        reason = reason_model.search([("code", "=", code)], limit=1)
        if not reason:
            known = reason_model.search([]).mapped("code")
            raise ValidationError(
                self.env._(
                    "reason: unknown return reason %(code)r; expected one of %(known)s.",
                    code=code,
                    known=", ".join(known),
                )
            )
        return reason

    @api.model
    def _lots_by_serial(self, sale_lines, allocations):
        """Map (sale line id, serial) to the lot of that serial for the line's product."""
        serials = [a.serial for a in allocations if a.serial]
        if not serials:
            return {}
        lots = self.env["stock.lot"].search_fetch(
            [("name", "in", serials), ("product_id", "in", sale_lines.product_id.ids)],
            ["name", "product_id"],
        )
        lot_ids = {(lot.product_id.id, lot.name): lot.id for lot in lots}
        return {
            (line.id, serial): lot_ids.get((line.product_id.id, serial))
            for line in sale_lines
            for serial in serials
        }

    @api.model
    def _oms_return_status_for_order(self, order):
        """Returns of ``order`` as a channel may see them, for ``get_order_status``.

        Never exposes the authenticity verdict itself: a suspected counterfeit reads
        ``under_review``.
        """
        returns = self.sudo().search([("sale_order_id", "=", order.id)], order="id")
        return [
            {
                "ref": rma.name,
                "state": CHANNEL_STATES[rma.state],
                "lines": [
                    {
                        "sku": line.product_id.default_code or "",
                        "qty": line.qty,
                        "serial": line.lot_id.name or None,
                    }
                    for line in rma.line_ids
                ],
            }
            for rma in returns
        ]

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

    def _restock(self):
        """Bring authentic items back into the return site, sellable or to repair."""
        destination = (
            self.site_id._luxury_unsellable_location("repair")
            if self.restock_to_repair
            else self.site_id.lot_stock_id
        )
        customer = self.env.ref("stock.stock_location_customers")
        move_vals = [
            line._prepare_restock_move_vals(customer, destination) for line in self.line_ids
        ]
        return self._create_done_picking(destination, move_vals)

    def _quarantine(self):
        """Move the suspected pieces to the site's quarantine, kept as evidence.

        A suspected fake never takes the genuine serial back into stock: it gets its own
        "suspect" serial so the books never show two pieces under one serial.
        """
        destination = self.site_id._luxury_unsellable_location("quarantine")
        customer = self.env.ref("stock.stock_location_customers")
        move_vals = [
            line._prepare_quarantine_move_vals(customer, destination) for line in self.line_ids
        ]
        return self._create_done_picking(destination, move_vals)

    def _create_done_picking(self, destination, move_vals):
        """Book the decided moves; a white-glove return books them on its pickup transfer,
        which keeps the courier and tracking of the collection."""
        picking = self._open_pickup_picking()
        if picking:
            picking.move_ids._action_cancel()
            picking.move_ids.unlink()
            picking.write(
                {
                    "location_dest_id": destination.id,
                    "move_ids": [Command.create(vals) for vals in move_vals],
                }
            )
            # Written onto an existing transfer, the operations do not inherit it by themselves.
            picking.move_ids.move_line_ids.picking_id = picking
        else:
            customer = self.env.ref("stock.stock_location_customers")
            picking = self.env["stock.picking"].create(
                {
                    "picking_type_id": self.site_id.in_type_id.id,
                    "partner_id": self.partner_id.id,
                    "location_id": customer.id,
                    "location_dest_id": destination.id,
                    "origin": self.name,
                    "luxury_return_id": self.id,
                    "move_ids": [Command.create(vals) for vals in move_vals],
                }
            )
        picking.action_confirm()
        picking._action_done()
        return picking

    # ------------------------------------------------------------------
    # White-glove pickup
    # ------------------------------------------------------------------

    def _open_pickup_picking(self):
        self.ensure_one()
        return self.pickup_picking_id.filtered(
            lambda picking: picking.state not in ("done", "cancel")
        )

    def _schedule_pickup(self):
        """Keep the courier collection of a requested white-glove return in the books.

        The collection is an incoming transfer from the client's address to the return
        site's quality-control location, scheduled at the appointment with the courier, so
        the site's logistics see it with their receipts. The piece reaches sellable stock
        or quarantine only when the checks conclude (see ``_create_done_picking``).
        """
        self.ensure_one()
        if self.return_mode != "pickup":
            self._cancel_pickup()
            return
        self._check_pickup_details()
        picking = self._open_pickup_picking()
        if picking and picking.picking_type_id != self.site_id.in_type_id:
            self._cancel_pickup()
            picking = self.env["stock.picking"]
        if picking:
            picking.write(self._prepare_pickup_picking_vals(with_moves=False))
            return
        picking = self.env["stock.picking"].create(self._prepare_pickup_picking_vals())
        picking.action_confirm()
        self.pickup_picking_id = picking
        self.message_post(
            body=self.env._(
                "White-glove pickup %(picking)s scheduled on %(date)s.",
                picking=picking.name,
                date=fields.Datetime.to_string(self.pickup_date),
            )
        )

    def _check_pickup_details(self):
        self.ensure_one()
        if self.return_mode == "pickup" and not (self.pickup_date and self.pickup_address_id):
            raise UserError(
                self.env._(
                    "Return %(name)s: a white-glove pickup needs an address and an "
                    "appointment date.",
                    name=self.name,
                )
            )

    def _prepare_pickup_picking_vals(self, with_moves=True):
        vals = {
            "partner_id": self.pickup_address_id.id,
            "scheduled_date": self.pickup_date,
            "carrier_id": self.pickup_carrier_id.id,
        }
        if not with_moves:
            return vals
        customer = self.env.ref("stock.stock_location_customers")
        desk = self.site_id._luxury_unsellable_location("quality")
        return {
            **vals,
            "picking_type_id": self.site_id.in_type_id.id,
            "location_id": customer.id,
            "location_dest_id": desk.id,
            "origin": self.name,
            "luxury_return_id": self.id,
            "move_ids": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.qty,
                        "product_uom": line.product_id.uom_id.id,
                        "location_id": customer.id,
                        "location_dest_id": desk.id,
                        "partner_id": self.pickup_address_id.id,
                        "origin": self.name,
                    }
                )
                for line in self.line_ids
            ],
        }

    def _cancel_pickup(self):
        for rma in self:
            picking = rma._open_pickup_picking()
            if picking:
                picking.action_cancel()
                rma.message_post(
                    body=self.env._(
                        "White-glove pickup %(picking)s cancelled.", picking=picking.name
                    )
                )

    def _create_credit_note(self):
        """Credit the returned lines in the currency they were invoiced in.

        Runs in sudo: a returns clerk refunds a return the checks found authentic without
        holding invoicing rights; the guards of ``action_refund`` already ran, and the
        clerk is recorded as the credit note's salesperson.
        """
        lines = self.line_ids.sudo()
        if self.pos_order_id:
            vals = self._prepare_pos_credit_note_vals(self.pos_order_id.sudo())
        else:
            invoice = lines._posted_invoice_lines().move_id[:1]
            vals = self._prepare_credit_note_vals(invoice, self.sale_order_id)
        credit_note = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    **vals,
                    "invoice_user_id": self.env.uid,
                    "move_type": "out_refund",
                    "ref": self.env._("Return %(name)s", name=self.name),
                    "invoice_line_ids": [
                        Command.create(line._prepare_credit_note_line_vals()) for line in lines
                    ],
                }
            )
        )
        credit_note.action_post()
        return credit_note.sudo(False)

    def _prepare_credit_note_vals(self, invoice, order):
        return {
            "partner_id": invoice.partner_id.id,
            "currency_id": invoice.currency_id.id,
            "journal_id": invoice.journal_id.id,
            "fiscal_position_id": invoice.fiscal_position_id.id,
            "invoice_origin": order.name,
            "reversed_entry_id": invoice.id,
        }

    def _prepare_pos_credit_note_vals(self, pos_order):
        """A boutique sale is credited in its own currency; it reverses the order's invoice
        when the client asked for one at the till."""
        if pos_order.account_move.state == "posted":
            return self._prepare_credit_note_vals(pos_order.account_move, pos_order)
        journal = pos_order.config_id.invoice_journal_id or self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(pos_order.company_id),
             ("type", "=", "sale")],
            limit=1,
        )  # fmt: skip
        return {
            "partner_id": pos_order.partner_id.id,
            "currency_id": pos_order.currency_id.id,
            "journal_id": journal.id,
            "fiscal_position_id": pos_order.fiscal_position_id.id,
            "invoice_origin": pos_order.name,
        }

    def _create_exchange_order(self):
        """Open a quotation for the replacement piece, in the same currency and channel.

        Left as a quotation: confirming it takes stock through the OMS like any order.
        """
        return self.env["sale.order"].create(
            {
                **self._source_order()._luxury_exchange_order_vals(),
                "origin": self.name,
                "order_line": [
                    Command.create(
                        {"product_id": self.exchange_product_id.id, "product_uom_qty": 1}
                    )
                ],
            }
        )
