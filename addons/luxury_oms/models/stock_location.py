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

    def write(self, vals):
        sellable_change = SELLABLE_FIELDS & vals.keys()
        sites = self.warehouse_id
        result = super().write(vals)
        if sellable_change:
            sites |= self.warehouse_id
            self.env["luxury.oms.stock.slot"].sudo()._oms_track_sites(sites.ids)
        return result
