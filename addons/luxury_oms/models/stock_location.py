from odoo import api
from odoo import fields
from odoo import models

# What makes a location's stock sellable or not: its place in the tree and its flags.
SELLABLE_FIELDS = frozenset({"oms_unsellable_reason", "active", "location_id", "usage"})


class StockLocation(models.Model):
    _inherit = "stock.location"

    # Every availability read resolves the sellable locations of its sites by warehouse.
    warehouse_id = fields.Many2one(index=True)
    oms_unsellable_reason = fields.Selection(
        [
            ("quarantine", "Quarantine"),
            ("quality", "Quality control"),
            ("repair", "Repair"),
            ("display", "Display only"),
        ],
        string="Not Sellable Because",
        help="Stock in this location and its children never counts as available to sell, "
        "even when it sits under a sellable location of the site.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        locations = super().create(vals_list)
        # A new location under a sellable one is sellable too.
        locations._oms_sellable_changed(locations.warehouse_id)
        return locations

    def write(self, vals):
        sellable_change = SELLABLE_FIELDS & vals.keys()
        sites = self.warehouse_id
        result = super().write(vals)
        if sellable_change:
            self._oms_sellable_changed(sites | self.warehouse_id)
        return result

    def unlink(self):
        sites = self.warehouse_id
        result = super().unlink()
        self._oms_sellable_changed(sites)
        return result

    def _oms_sellable_changed(self, sites):
        """What sells at ``sites`` may have changed: forget the sellable locations kept for
        availability reads, and bring the sites' snapshot rows up to date."""
        self.env.registry.clear_cache()
        self.env["luxury.oms.stock.slot"].sudo()._oms_track_sites(sites.ids)
