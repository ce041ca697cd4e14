from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..engine.return_payload import validate_return_request
from ..engine.returns import RequestedLine
from ..engine.returns import SoldLine
from ..engine.returns import allocate_return
from ..engine.returns import is_within_window
from ..engine.returns import window_deadline

# A return's source document: the order field of the return and the line field of its items.
SOURCE_FIELDS = {
    "sale.order": ("sale_order_id", "sale_line_id"),
    "pos.order": ("pos_order_id", "pos_line_id"),
}


class LuxuryReturnRequest(models.AbstractModel):
    """The request of a return, from a channel, the till or the back office.

    One path for all: the payload is validated by the engine before anything is read, then
    the lines are matched against what the order really delivered (quantities, serials sold
    to this client, return windows) before anything is written. Every refusal names the
    field as the caller sent it, ``lines[0].qty: <problem>``, as the channel API does.
    """

    _name = "luxury.return.request"
    _description = "Return Request Service"

    @api.model
    def _create_from_request(self, channel, order, lines, reason, origin, site=None):
        """Open a requested return on ``order`` (a sale order or a boutique POS order).

        ``lines``: ``[{"sku", "qty", "serial"}]``; ``reason``: a return reason code;
        ``site`` overrides the return site (the boutique where the client hands the piece
        over). Called by ``luxury.return._create_from_channel`` and the till.
        """
        payload = self._validate_payload(lines, reason)
        reason_record = self._reason_from_code(payload["reason"])
        allocations = self._check_requested_lines(order, payload["lines"])
        sold_lines = order._luxury_returnable_lines()
        self._check_windows(order, [(a.index, sold_lines.browse(a.line_id)) for a in allocations])
        rma = self.env["luxury.return"].create(
            self._prepare_return_vals(channel, order, allocations, reason_record, origin, site)
        )
        rma.state = "requested"
        return rma

    @api.model
    def _prepare_return_vals(self, channel, order, allocations, reason, origin, site):
        order_field, line_field = self._source_fields(order)
        sold_lines = order._luxury_returnable_lines().browse([a.line_id for a in allocations])
        lots = self._lots_by_serial(sold_lines, allocations)
        return {
            "partner_id": order.partner_id.id,
            order_field: order.id,
            "channel_id": channel.id,
            "origin": origin,
            "reason_id": reason.id,
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

    @api.model
    def _check_return(self, rma):
        """Check a back-office return's lines against what its order delivered and the
        return windows, as a channel's request is checked. Called by ``action_request``."""
        requested = [
            RequestedLine(line._sku_key(), line.qty, line.lot_id.name or None)
            for line in rma.line_ids
        ]
        order = rma._source_order()
        self._check_requested_lines(order, requested, exclude=rma)
        for index, line in enumerate(rma.line_ids):
            if line._sold_line().order_id != order:
                raise ValidationError(
                    self.env._(
                        "lines[%(index)s]: %(product)s does not come from order %(order)s.",
                        index=index,
                        product=line.product_id.display_name,
                        order=order.name,
                    )
                )
        self._check_windows(order, list(enumerate(line._sold_line() for line in rma.line_ids)))

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

    # ------------------------------------------------------------------
    # Payload and reason
    # ------------------------------------------------------------------

    @api.model
    def _validate_payload(self, lines, reason):
        """The request's lines and reason code, refused when malformed or hostile (NaN,
        nesting, NUL, unknown fields...) before anything is looked up or written."""
        api = self.env["luxury.oms.api"]
        return api._api_validate(validate_return_request, lines, reason, api._api_qty_digits())

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
    def _source_fields(self, order):
        """``(order field, line field)`` of a return coming from ``order``."""
        if order._name not in SOURCE_FIELDS:
            raise ValidationError(
                self.env._("%(model)s cannot be the source of a return.", model=order._name)
            )
        return SOURCE_FIELDS[order._name]

    # ------------------------------------------------------------------
    # What the order delivered
    # ------------------------------------------------------------------

    @api.model
    def _check_requested_lines(self, order, requested, exclude=None):
        """Match ``requested`` lines to the order's deliveries; raise naming every problem.

        ``order`` is a sale order or a boutique (POS) order. Returns the engine's
        allocations (sold line id, qty, serial, requested line index).
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
        ``sale.order.line`` and ``pos.order.line`` both implement. ``exclude``: a return
        whose own claims do not count (the one being checked).
        """
        _order_field, line_field = self._source_fields(order)
        line_model = self.env["luxury.return.line"]
        claimed = line_model.search_fetch(
            [
                (f"{line_field}.order_id", "=", order.id),
                ("return_id.state", "!=", "cancel"),
                ("return_id", "not in", exclude.ids if exclude else []),
            ],
            [line_field, "qty", "lot_id"],
        )
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

    @api.model
    def _lots_by_serial(self, sold_lines, allocations):
        """Map (sold line id, serial) to the lot of that serial for the line's product."""
        serials = [a.serial for a in allocations if a.serial]
        if not serials:
            return {}
        lots = self.env["stock.lot"].search_fetch(
            [("name", "in", serials), ("product_id", "in", sold_lines.product_id.ids)],
            ["name", "product_id"],
        )
        lot_ids = {(lot.product_id.id, lot.name): lot.id for lot in lots}
        return {
            (line.id, serial): lot_ids.get((line.product_id.id, serial))
            for line in sold_lines
            for serial in serials
        }

    # ------------------------------------------------------------------
    # Return windows
    # ------------------------------------------------------------------

    @api.model
    def _check_windows(self, order, indexed_sold_lines):
        """Refuse lines delivered longer ago than their return window allows.

        ``indexed_sold_lines``: ``[(requested line index, sold line)]``.
        """
        today = fields.Date.context_today(self)
        for index, sold_line in indexed_sold_lines:
            window, delivered_on, deadline = self._window_of(order, sold_line)
            if window and not is_within_window(delivered_on, window, today):
                raise ValidationError(
                    self.env._(
                        "lines[%(index)s]: %(product)s was delivered on %(date)s: its "
                        "%(days)s-day return window closed on %(deadline)s.",
                        index=index,
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
    # Messages
    # ------------------------------------------------------------------

    def _error_message(self, error):
        """The engine's ``ReturnError`` worded as ``lines[i].field: problem``."""
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
