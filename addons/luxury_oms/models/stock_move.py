from odoo import models

# The move fields availability reads: open moves leaving a site's sellable stock reserve
# it, those entering it are incoming; chained moves are fed or promised.
AVAILABILITY_FIELDS = frozenset(
    {
        "state",
        "product_id",
        "product_uom_qty",
        "product_uom",
        "location_id",
        "location_dest_id",
        "date",
        "move_orig_ids",
        "move_dest_ids",
    }
)


class StockMove(models.Model):
    _name = "stock.move"
    _inherit = ["stock.move", "luxury.oms.availability.tracked"]

    # Reservations and incoming stock follow the moves' states, at both ends of a move.
    _oms_availability_fields = AVAILABILITY_FIELDS
    _oms_availability_place_fields = frozenset({"location_id", "location_dest_id", "product_id"})

    def _oms_availability_pairs(self):
        return (
            (move.product_id.id, location.id)
            for move in self
            for location in (move.location_id, move.location_dest_id)
        )

    def _action_assign(self, force_qty=False):
        """A parcel gets its floor tasks the moment it is fully reserved."""
        result = super()._action_assign(force_qty=force_qty)
        self.picking_id._oms_floor()._oms_generate_tasks()
        return result

    def _do_unreserve(self):
        """A parcel losing reserved pieces no longer matches its floor tasks: the open ones
        are cancelled, and planned again on the new lines once it is reserved in full.
        Picked lines stay reserved (Odoo keeps them), and so do the tasks done on them."""
        pickings = self.picking_id._oms_floor()
        planned = {picking.id: picking.oms_planned_move_line_ids for picking in pickings}
        result = super()._do_unreserve()
        kept = self.env["stock.move.line"].concat(*planned.values()).exists()
        pickings.filtered(lambda picking: planned[picking.id] - kept)._oms_cancel_open_tasks(
            self.env._("the transfer's pieces were unreserved.")
        )
        return result

    def _action_done(self, cancel_backorder=False):
        # The last gate: whatever validates the moves (picking, barcode, script),
        # a held or rejected order's goods never leave their shelf.
        self._oms_sale_orders()._oms_check_fraud_released()
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._passport_update_certificates()
        return moves

    def _passport_update_certificates(self):
        """A serial delivered to a client from an OMS site or on a channel's order is
        certified for them (a resale revokes the previous owner's certificate); one coming
        back from a client loses its certificate. Pieces the seller cannot certify (no
        client, quarantined) are certified later from the serial's form. Run as superuser
        for whoever validates the delivery (docs/compatibility.md)."""
        lines = self.sudo().move_line_ids.filtered(
            lambda line: line.lot_id and line.product_id.tracking == "serial"
        )
        returned = lines.filtered(lambda line: line.location_id.usage == "customer")
        self.env["luxury.oms.certificate"].sudo().search(
            [("lot_id", "in", returned.lot_id.ids), ("state", "=", "valid")]
        )._revoke("returned")
        delivered = lines.filtered(
            lambda line: line.location_dest_id.usage == "customer"
            and (
                line.location_id.warehouse_id._oms_sites()
                or line.move_id.sale_line_id.order_id.oms_channel_id
            )
        )
        for lot in delivered.lot_id.filtered(lambda lot: not lot.passport_quarantined):
            if lot._passport_owner():
                lot._passport_issue_certificate()

    def _oms_sale_orders(self):
        """Sale orders whose goods these moves take out of stock (every step of a
        multi-step delivery); receipts and returns are not concerned. Read as
        superuser: warehouse staff may have no access to sales."""
        outgoing = self.sudo().filtered(lambda move: move.location_id.usage == "internal")
        return outgoing.sale_line_id.order_id | outgoing.reference_ids.sale_ids

    def _oms_split_off(self, quantity):
        """Detach ``quantity`` of this open move into a move of its own (or hand over the
        whole move), unreserved, so it can wait for an inter-site transfer instead."""
        self.ensure_one()
        self._do_unreserve()
        if self.product_uom.compare(quantity, self.product_uom_qty) >= 0:
            return self
        part = self.create(self._split(quantity))
        part._action_confirm(merge=False)
        # Confirming may reserve the hub's stock for the part: it belongs to the rest.
        part._do_unreserve()
        self._action_assign()
        return part
