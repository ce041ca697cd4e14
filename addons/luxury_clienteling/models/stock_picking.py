from odoo import Command
from odoo import api
from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.model
    def _clienteling_create_serial_transfer(self, quants, destination, picking_type, **values):
        """A confirmed transfer of the serials of ``quants`` to ``destination``.

        Each serial is pinned on its move line, so the transfer reserves exactly
        those pieces (and not whichever serial Odoo would pick). Used by press
        loans and unique-piece transfers; callers validate it when the piece moves.
        """
        # the move lines name each serial's own location; the moves need a common parent
        if len(quants.location_id) == 1:
            source = quants.location_id
        else:
            source = picking_type.warehouse_id.view_location_id
        quants_by_product = quants.grouped("product_id")
        picking = self.sudo().create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                **values,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": len(product_quants),
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                    for product, product_quants in quants_by_product.items()
                ],
            }
        )
        picking.action_confirm()
        # release whatever Odoo reserved on confirmation, then pin the very serials asked for
        picking.move_line_ids.unlink()
        for move in picking.move_ids:
            move.move_line_ids = [
                Command.create(
                    {
                        "product_id": quant.product_id.id,
                        "lot_id": quant.lot_id.id,
                        "quantity": 1,
                        "location_id": quant.location_id.id,
                        "location_dest_id": destination.id,
                        "picking_id": picking.id,
                    }
                )
                for quant in quants_by_product[move.product_id]
            ]
        return picking

    def _clienteling_validate(self):
        """Validate transfers whose serials are all pinned: every reserved unit moves."""
        self.move_ids.picked = True
        self._action_done()
