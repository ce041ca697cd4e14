from odoo import fields
from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    clienteling_warehouse_ids = fields.Many2many(
        "stock.warehouse",
        "luxury_clienteling_user_warehouse_rel",
        "user_id",
        "warehouse_id",
        string="Boutique Teams",
        help="Boutiques whose team this user belongs to: the user sees the personal notes "
        "of the clients whose home boutique is one of them.",
    )
