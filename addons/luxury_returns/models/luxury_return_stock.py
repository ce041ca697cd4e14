from odoo import Command
from odoo import models


class LuxuryReturn(models.Model):
    """The stock transfers of a concluded return: the genuine piece back to stock (or to
    repair), a suspected one to quarantine. Each is booked done at once: the piece is
    already in the return site's hands."""

    _inherit = "luxury.return"

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
        picking = self._picking_to_complete()
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
