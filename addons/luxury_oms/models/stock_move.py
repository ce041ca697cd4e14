from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_assign(self, force_qty=False):
        """A parcel gets its floor tasks the moment it is fully reserved."""
        result = super()._action_assign(force_qty=force_qty)
        self.picking_id._oms_generate_tasks()
        return result
