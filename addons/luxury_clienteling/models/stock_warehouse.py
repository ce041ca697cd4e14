from odoo import fields
from odoo import models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    clienteling_user_ids = fields.Many2many(
        "res.users",
        "luxury_clienteling_user_warehouse_rel",
        "warehouse_id",
        "user_id",
        string="Boutique Team",
    )
