from odoo import fields
from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    luxury_return_id = fields.Many2one(
        "luxury.return", string="Return Request", index="btree_not_null", readonly=True
    )
