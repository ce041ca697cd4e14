from odoo import fields
from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    clienteling_detaxe_minimum = fields.Monetary(
        string="Tax-free Minimum",
        default=100.01,
        help="Smallest purchase, taxes included and in the company currency, that gives a "
        "visitor a tax-free export form.",
    )
