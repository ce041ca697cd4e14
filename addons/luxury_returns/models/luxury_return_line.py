from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from ..engine.returns import authenticity_verdict
from .luxury_return_check import SYSTEM_CHECKED_TYPES


class LuxuryReturnLine(models.Model):
    """One returned item (or quantity of an unserialised product) and its checks."""

    _name = "luxury.return.line"
    _description = "Returned Item"
    _order = "return_id, id"

    return_id = fields.Many2one("luxury.return", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="return_id.company_id", store=True)
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sold Line",
        index="btree_not_null",
        domain="[('order_id', '=', parent.sale_order_id), ('product_id.is_storable', '=', True)]",
    )
    pos_line_id = fields.Many2one(
        "pos.order.line",
        string="Boutique Sale Line",
        index="btree_not_null",
        domain="[('order_id', '=', parent.pos_order_id), ('product_id.is_storable', '=', True)]",
    )
    product_id = fields.Many2one(
        "product.product", compute="_compute_product_id", store=True, precompute=True
    )
    tracking = fields.Selection(related="product_id.tracking")
    qty = fields.Float(string="Quantity", digits="Product Unit", required=True, default=1)
    currency_id = fields.Many2one(related="return_id.currency_id")
    price_subtotal = fields.Monetary(
        compute="_compute_price_subtotal", currency_field="currency_id"
    )
    sold_lot_ids = fields.Many2many(
        "stock.lot",
        compute="_compute_sold_lot_ids",
        string="Serials Sold",
        help="Serials delivered to the client on this order line.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Declared Serial",
        domain="[('id', 'in', sold_lot_ids)]",
        help="Serial the client says they return; it must be one sold to them.",
    )
    received_serial = fields.Char(
        help="Serial read on the piece at reception. Typed, not chosen: a fake may carry a "
        "serial the maison never issued."
    )
    matched_lot_id = fields.Many2one(
        "stock.lot",
        compute="_compute_matched_lot_id",
        store=True,
        help="The sold serial the received piece matches, if any.",
    )
    check_ids = fields.One2many("luxury.return.check", "line_id", string="Steps")
    verdict = fields.Selection(
        [("pending", "Pending"), ("authentic", "Authentic"), ("suspected", "Suspected")],
        compute="_compute_verdict",
        store=True,
    )

    _one_sold_line = models.Constraint(
        "CHECK ((sale_line_id IS NULL) != (pos_line_id IS NULL))",
        "A returned item comes from exactly one sale order line or boutique sale line.",
    )

    @api.depends("sale_line_id.product_id", "pos_line_id.product_id")
    def _compute_product_id(self):
        for line in self:
            line.product_id = line._sold_line().product_id

    @api.depends(
        "qty",
        "sale_line_id.price_unit",
        "sale_line_id.discount",
        "pos_line_id.price_unit",
        "pos_line_id.discount",
    )
    def _compute_price_subtotal(self):
        for line in self:
            sold_line = line._sold_line()
            line.price_subtotal = line.qty * sold_line.price_unit * (1 - sold_line.discount / 100)

    @api.depends("sale_line_id", "pos_line_id")
    def _compute_sold_lot_ids(self):
        for line in self:
            sold_line = line._sold_line()
            line.sold_lot_ids = sold_line._luxury_delivered_lots() if sold_line else False

    @api.depends("received_serial", "lot_id", "sale_line_id", "pos_line_id")
    def _compute_matched_lot_id(self):
        for line in self:
            serial = (line.received_serial or "").strip()
            candidates = line.lot_id or line.sold_lot_ids
            line.matched_lot_id = candidates.filtered(lambda lot, s=serial: lot.name == s)[:1]

    @api.depends("check_ids.result")
    def _compute_verdict(self):
        for line in self:
            line.verdict = authenticity_verdict(line.check_ids.mapped("result"))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_requested(self):
        """Items leave a return only while it is a draft: afterwards they are evidence."""
        if any(line.return_id.state not in ("draft", "cancel") for line in self):
            raise UserError(
                self.env._("Items of a submitted return cannot be removed; cancel the return.")
            )

    def write(self, vals):
        if "received_serial" in vals:
            self._check_being_checked()
        res = super().write(vals)
        if "received_serial" in vals:
            self.check_ids.filtered(lambda check: check.check_type == "serial")._apply_serial()
        return res

    def _check_being_checked(self):
        """The serial read on a piece is evidence: it can change only during the checks."""
        closed = self.filtered(lambda line: line.return_id.state not in ("received", "checking"))
        if closed:
            raise UserError(
                self.env._(
                    "Return %(name)s is not being checked: the serial read on the piece can "
                    "no longer change.",
                    name=closed[0].return_id.name,
                )
            )

    @api.model
    def _sku_key_for(self, product):
        """How channels name a product: its SKU, else its name for back-office products."""
        return product.default_code or product.display_name

    def _sku_key(self):
        return self._sku_key_for(self.product_id)

    def _sold_line(self):
        """The line the item was sold on: a ``sale.order.line`` or a ``pos.order.line``.

        Both implement the same small "sold line" adapter (``_luxury_delivered_moves``,
        ``_luxury_delivered_qty``, ``_luxury_delivered_lots``, ``_luxury_delivery_date``),
        so the return logic does not care where the piece was bought.
        """
        self.ensure_one()
        return self.sale_line_id or self.pos_line_id

    def _create_checks(self):
        """Instantiate the product's authenticity checklist for each item."""
        vals_list = []
        for line in self:
            template = self.env["luxury.return.check.template"]._find_for(
                line.product_id, line.company_id
            )
            items = line._applicable_items(template)
            if not items:
                raise UserError(
                    self.env._(
                        "No authenticity checklist applies to %(product)s: configure one for "
                        "its category or a fallback checklist.",
                        product=line.product_id.display_name,
                    )
                )
            vals_list += [line._prepare_check_vals(item) for item in items]
        checks = self.env["luxury.return.check"].create(vals_list)
        checks.filtered(lambda check: check.check_type == "serial")._apply_serial()
        return checks

    def _applicable_items(self, template):
        """Serial and hidden identifier steps only make sense for serial-numbered pieces."""
        if self.tracking == "serial":
            return template.item_ids
        return template.item_ids.filtered(lambda item: item.check_type not in SYSTEM_CHECKED_TYPES)

    def _prepare_check_vals(self, item):
        return {
            "line_id": self.id,
            "sequence": item.sequence,
            "name": item.name,
            "check_type": item.check_type,
            "instructions": item.instructions,
        }

    def _prepare_restock_move_vals(self, source, destination):
        """A move giving the genuine piece back to stock and to the sale line's books."""
        delivered = self._sold_line()._luxury_delivered_moves()
        vals = {
            **self._prepare_move_vals(source, destination, self.matched_lot_id or self.lot_id),
            "origin_returned_move_id": delivered[:1].id,
        }
        if self.sale_line_id:
            vals.update(sale_line_id=self.sale_line_id.id, to_refund=True)
        return vals

    def _prepare_quarantine_move_vals(self, source, destination):
        """A move of the suspected piece into quarantine, outside the sale's books."""
        lot = self.env["stock.lot"]
        if self.tracking == "serial":
            lot = lot.create(
                {
                    "name": f"SUSPECT-{self.return_id.name}-{self.id}",
                    "product_id": self.product_id.id,
                    "company_id": self.company_id.id,
                    "ref": self.received_serial,
                }
            )
        return self._prepare_move_vals(source, destination, lot)

    def _prepare_move_vals(self, source, destination, lot):
        product = self.product_id
        return {
            "product_id": product.id,
            "product_uom_qty": self.qty,
            "product_uom": product.uom_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": self.return_id.partner_id.id,
            "origin": self.return_id.name,
            "picked": True,
            "move_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": self.qty,
                        "product_uom_id": product.uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "lot_id": lot.id,
                    }
                )
            ],
        }
