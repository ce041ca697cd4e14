from odoo import models


class ResCurrencyRate(models.Model):
    """Rule amounts (sourcing order values, fraud thresholds) are cached converted at the
    day's rate: a new or corrected rate clears them."""

    _name = "res.currency.rate"
    _inherit = ["res.currency.rate", "luxury.oms.config.cache"]
