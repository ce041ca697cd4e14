from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from ..engine.boutique import explain_shortage
from .luxury_oms_availability import Demand


class PosOrder(models.Model):
    _inherit = "pos.order"

    oms_override_ids = fields.One2many(
        "luxury.oms.pos.override",
        "pos_order_id",
        string="Stock Overrides",
        readonly=True,
        groups="luxury_oms.group_oms_user,luxury_oms.group_oms_boutique",
    )

    def _process_saved_order(self, draft):
        """A paid boutique order takes its stock under the OMS lock before its picking is
        created, in the same transaction (the POS itself never refuses a paid sale)."""
        if not draft and self.state != "cancel" and self.config_id.oms_channel_id:
            self._oms_take_stock()
        result = super()._process_saved_order(draft)
        if not draft and self.config_id.oms_channel_id:
            self.lines._oms_refresh_availability()
        return result

    def _create_order_picking(self):
        """The POS links its picking to the order only after validating it: the pieces are
        certified once the sale (the buyer) is known."""
        result = super()._create_order_picking()
        self.picking_ids.move_ids._passport_update_certificates()
        return result

    def _oms_take_stock(self):
        """Take the order's units at its boutique; never lose a paid sale.

        Policy when the units are not available to sell any more at sync (the POS was
        offline, or a web order won the race after the POS check): the sale stands, its
        picking is created as usual, and each short product is either covered by the
        manager override granted in the POS for this order, or recorded as an exception
        to review, with an activity for the boutique manager.
        """
        self.ensure_one()
        demands = self.lines._oms_stock_demands()
        if not demands:
            return
        channel = self.config_id.oms_channel_id
        partner = self.partner_id or None
        try:
            self.env["luxury.oms.availability"].sudo()._take(demands, channel, partner)
        except UserError:
            # _take locked the slot rows before refusing: the lock stays held until commit,
            # so the figures read below are the ones concurrent takers will see next.
            self._oms_record_shortages(demands)

    def _oms_record_shortages(self, demands):
        config = self.config_id
        needed = {}
        for demand in demands:
            needed[demand.product] = needed.get(demand.product, 0.0) + demand.qty
        shortages, availability = config.sudo()._oms_shortages_at_site(
            needed, self.partner_id or None
        )
        Override = self.env["luxury.oms.pos.override"].sudo()
        granted = Override.search(
            [
                ("pos_order_uuid", "=", self.uuid),
                ("kind", "=", "override"),
                ("pos_order_id", "=", False),
            ]
        )
        exceptions = Override
        for shortage in shortages:
            product = self.env["product.product"].browse(shortage.product_id)
            covered = granted.filtered(lambda override, p=product: override.product_id == p)
            if covered:
                covered.pos_order_id = self
                continue
            figures = availability[shortage.product_id, shortage.warehouse_id]
            reasons = explain_shortage(figures, shortage.requested)
            exceptions |= Override.create(
                {
                    "kind": "exception",
                    "state": "to_review",
                    "config_id": config.id,
                    "session_id": self.session_id.id,
                    "warehouse_id": shortage.warehouse_id,
                    "pos_order_uuid": self.uuid,
                    "pos_order_id": self.id,
                    "partner_id": self.partner_id.id,
                    "product_id": product.id,
                    "quantity": shortage.requested,
                    "available_qty": shortage.available,
                    "shortage_reason": config._oms_format_reasons(product, reasons),
                    "user_id": self.env.uid,
                }
            )
        exceptions._schedule_review()
        if exceptions:
            self.message_post(
                body=self.env._(
                    "Sold while short of available stock: %(products)s. The boutique manager "
                    "has been asked to review it.",
                    products=", ".join(exceptions.product_id.mapped("display_name")),
                )
            )


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    def _oms_stock_demands(self):
        """Units sold (refund lines give stock back and take nothing)."""
        site = self.order_id.config_id.oms_warehouse_id
        return [
            Demand(line.product_id, site, line.qty, line)
            for line in self
            if line.product_id.is_storable and line.qty > 0 and site
        ]

    def _oms_refresh_availability(self):
        site = self.order_id.config_id.oms_warehouse_id
        keys = {(line.product_id.id, site.id) for line in self if line.product_id.is_storable}
        self.env["luxury.oms.stock.slot"].sudo()._oms_refresh_keys(keys)
