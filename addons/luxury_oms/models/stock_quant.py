from odoo import models

# The quant fields availability reads: what is on hand, of what, where.
AVAILABILITY_FIELDS = frozenset({"quantity", "product_id", "location_id"})


class StockQuant(models.Model):
    """Every change of on hand passes here (receipts, deliveries, counts, POS, legs)."""

    _name = "stock.quant"
    _inherit = ["stock.quant", "luxury.oms.availability.tracked"]

    _oms_availability_fields = AVAILABILITY_FIELDS
    _oms_availability_place_fields = AVAILABILITY_FIELDS

    def _oms_availability_pairs(self):
        return ((quant.product_id.id, quant.location_id.id) for quant in self)
