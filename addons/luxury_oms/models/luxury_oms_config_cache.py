from odoo import api
from odoo import models


class LuxuryOmsConfigCache(models.AbstractModel):
    """Configuration every order reads (sourcing and fraud rules with their criteria, tiers,
    currency rates), kept by each worker as engine data in ``tools.ormcache``. Any change
    clears those caches: ``registry.clear_cache`` clears this worker's at once, and at
    commit bumps the registry's cache sequence, which every other worker checks at the
    start of its next request before clearing its own. The channels' selling sites are
    cleared the same way by the writes they follow (stock.warehouse, the channel's sites,
    a site's or company's address time zone: res.partner)."""

    _name = "luxury.oms.config.cache"
    _description = "OMS Configuration Cache"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
