from odoo import fields
from odoo import models


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
