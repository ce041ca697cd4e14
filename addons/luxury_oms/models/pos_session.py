from odoo import api
from odoo import models


class PosSession(models.Model):
    _inherit = "pos.session"

    @api.model_create_multi
    def create(self, vals_list):
        """A boutique moves its stock at each sale, never at closing: the web must see a
        boutique sale the moment it is paid, whatever the company's POS setting."""
        sessions = super().create(vals_list)
        sessions.filtered(
            lambda session: session.config_id.oms_channel_id and session.update_stock_at_closing
        ).write({"update_stock_at_closing": False})
        return sessions
