from odoo import models


class StockRule(models.Model):
    """Whether a line takes its site's stock follows the rules (kept per worker, see
    ``sale.order.line._oms_takes_site_stock``): a change of a rule clears it."""

    _name = "stock.rule"
    _inherit = ["stock.rule", "luxury.oms.config.cache"]
