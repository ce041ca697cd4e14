from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

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
