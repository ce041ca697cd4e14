from odoo import fields
from odoo import models


class StockLocation(models.Model):
    _inherit = "stock.location"

    clienteling_press_loan = fields.Boolean(
        string="Press Loans",
        help="Pieces lent for press shoots are kept here while out; never sellable.",
    )
