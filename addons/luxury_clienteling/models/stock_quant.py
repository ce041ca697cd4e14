from collections import Counter

from odoo import models
from odoo.exceptions import UserError


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
                        "%(count)s piece(s) of %(product)s cannot leave %(site)s: its stock "
                        "there is promised (held for clients: %(held)s, buffer: %(buffer)s, "
                        "available to sell: %(ats)s).",
                        count=count,
                        product=self.env["product.product"].browse(product_id).display_name,
                        site=self.env["stock.warehouse"].browse(site_id).name,
                        held=site_availability.held,
                        buffer=site_availability.buffer,
                        ats=site_availability.available_to_sell,
                    )
                )
