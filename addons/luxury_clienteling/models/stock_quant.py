from collections import Counter

from odoo import models
from odoo.exceptions import UserError


def _whole(quantity):
    """A quantity of unique pieces as people count them: 2, not 2.0."""
    return int(quantity) if float(quantity).is_integer() else quantity


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _clienteling_check_not_promised(self):
        """Refuse taking these serials out of their sites when the sites' stock is promised:
        VIP holds (and buffer stock) count on every sellable unit.

        Takes the OMS lock of each (product, site) pair, like any taker, so that a sale
        confirmed at the same moment cannot count on the same units.
        """
        sellable_by_site = self.location_id.warehouse_id._oms_sellable_locations_by_site()
        leaving = Counter(
            (quant.product_id.id, quant.location_id.warehouse_id.id)
            for quant in self
            # a piece in a display or repair location is promised to nobody
            if quant.location_id.id in sellable_by_site[quant.location_id.warehouse_id.id]
        )
        if not leaving:
            return
        self.env["luxury.oms.stock.slot"].sudo()._oms_lock(leaving.keys())
        availability = (
            self.env["luxury.oms.availability"]
            .sudo()
            ._compute_availability(self.product_id, self.location_id.warehouse_id)
        )
        for (product_id, site_id), count in leaving.items():
            site_availability = availability[product_id, site_id]
            if site_availability.available_to_sell < count:
                raise UserError(
                    self.env._(
                        "%(pieces)s of %(product)s cannot leave %(site)s: its stock "
                        "there is promised (held for clients: %(held)s, buffer: %(buffer)s, "
                        "available to sell: %(ats)s).",
                        pieces=self._clienteling_pieces(count),
                        product=self.env["product.product"].browse(product_id).display_name,
                        site=self.env["stock.warehouse"].browse(site_id).name,
                        held=_whole(site_availability.held),
                        buffer=_whole(site_availability.buffer),
                        ats=_whole(site_availability.available_to_sell),
                    )
                )

    def _clienteling_pieces(self, count):
        """ "1 piece", "3 pieces": counts of unique pieces read as whole numbers."""
        if count == 1:
            return self.env._("1 piece")
        return self.env._("%s pieces", _whole(count))
