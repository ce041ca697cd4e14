from odoo import Command
from odoo import models
from odoo.exceptions import UserError


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

    def _luxury_posted_invoice_lines(self):
        """The posted customer invoice line of each of these lines; raise if one is missing."""
        invoice_lines = self.env["account.move.line"]
        for line in self:
            invoice_line = line.invoice_lines.filtered(
                lambda aml: aml.move_id.move_type == "out_invoice" and aml.move_id.state == "posted"
            )[:1]
            if not invoice_line:
                raise UserError(
                    self.env._(
                        "%(product)s on order %(order)s has no posted invoice: there is "
                        "nothing to refund.",
                        product=line.product_id.display_name,
                        order=line.order_id.name,
                    )
                )
            invoice_lines |= invoice_line
        return invoice_lines

    def _luxury_credit_note_line_vals(self, qty):
        """Credit ``qty`` of this line as it was invoiced (price, discount, taxes)."""
        invoice_line = self._luxury_posted_invoice_lines()
        return {
            "product_id": self.product_id.id,
            "name": invoice_line.name,
            "quantity": qty,
            "price_unit": invoice_line.price_unit,
            "discount": invoice_line.discount,
            "tax_ids": [Command.set(invoice_line.tax_ids.ids)],
            "sale_line_ids": [Command.link(self.id)],
        }
