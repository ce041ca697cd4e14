from odoo import models


class SaleOrderLine(models.Model):
    """The "sold line" adapter of a sale order line; see ``pos.order.line`` for the other."""

    _inherit = "sale.order.line"

    def _luxury_delivered_moves(self):
        """Done moves that delivered this line to the client (returns excluded)."""
        self.ensure_one()
        outgoing, _incoming = self._get_outgoing_incoming_moves()
        return outgoing.filtered(lambda move: move.state == "done")

    def _luxury_delivery_date(self):
        """When the line reached the client: the last of its done deliveries."""
        dates = self._luxury_delivered_moves().mapped("date")
        return max(dates).date() if dates else None

    def _luxury_delivered_qty(self):
        return sum(self._luxury_delivered_moves().mapped("quantity"))

    def _luxury_delivered_lots(self):
        """Serials delivered to the client on this line."""
        return self._luxury_delivered_moves().move_line_ids.lot_id
