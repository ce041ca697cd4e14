from odoo import Command
from odoo import models


class PosOrderLine(models.Model):
    """The "sold line" adapter of a boutique sale, mirroring ``sale.order.line``'s.

    The POS groups its stock moves by product, so a line's deliveries are the done moves of
    its product to the client in the order's pickings, and its serials are those the
    cashier scanned on the line and that left the boutique.
    """

    _inherit = "pos.order.line"

    def _luxury_delivered_moves(self):
        self.ensure_one()
        return self.order_id.picking_ids.move_ids.filtered(
            lambda move: move.state == "done"
            and move.product_id == self.product_id
            and move.location_dest_id.usage == "customer"
        )

    def _luxury_delivery_date(self):
        dates = self._luxury_delivered_moves().mapped("date")
        return max(dates).date() if dates else None

    def _luxury_delivered_qty(self):
        delivered = sum(self._luxury_delivered_moves().mapped("quantity"))
        return min(self.qty, delivered)

    def _luxury_delivered_lots(self):
        scanned = set(self.pack_lot_ids.mapped("lot_name"))
        lots = self._luxury_delivered_moves().move_line_ids.lot_id
        return lots.filtered(lambda lot: lot.name in scanned)

    def _luxury_credit_note_line_vals(self, qty):
        """Credit ``qty`` of this line at the price and taxes the client paid at the till."""
        return {
            "product_id": self.product_id.id,
            "name": self.full_product_name or self.product_id.display_name,
            "quantity": qty,
            "price_unit": self.price_unit,
            "discount": self.discount,
            "tax_ids": [Command.set(self.tax_ids_after_fiscal_position.ids)],
        }
