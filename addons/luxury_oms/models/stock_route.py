from odoo import models


class StockRoute(models.Model):
    """Whether a line takes its site's stock follows the routes of its product, family
    and site (kept per worker, see ``sale.order.line._oms_takes_site_stock``): a change of
    a route, or of what it applies to, clears it."""

    _name = "stock.route"
    _inherit = ["stock.route", "luxury.oms.config.cache"]
