from odoo import api
from odoo import models

# The quant fields availability reads: what is on hand, of what, where.
AVAILABILITY_FIELDS = frozenset({"quantity", "product_id", "location_id"})


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model_create_multi
    def create(self, vals_list):
        quants = super().create(vals_list)
        quants._oms_track_availability()
        return quants

    def write(self, vals):
        moving = AVAILABILITY_FIELDS & vals.keys()
        if moving:
            self._oms_track_availability()  # where it was
        result = super().write(vals)
        if moving:
            self._oms_track_availability()
        return result

    def unlink(self):
        self._oms_track_availability()
        return super().unlink()

    def _oms_track_availability(self):
        """Every change of on hand passes here (receipts, deliveries, counts, POS, legs):
        the snapshot rows of its (product, site) are made exact at commit."""
        self.env["luxury.oms.stock.slot"]._oms_track_located(
            (quant.product_id.id, quant.location_id.id) for quant in self
        )
