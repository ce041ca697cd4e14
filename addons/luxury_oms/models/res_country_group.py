from odoo import models


class ResCountryGroup(models.Model):
    """Sourcing rules match regions (country groups), cached per country: a change of a
    group clears them."""

    _name = "res.country.group"
    _inherit = ["res.country.group", "luxury.oms.config.cache"]
