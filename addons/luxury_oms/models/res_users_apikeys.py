from odoo import models


class ResUsersApikeys(models.Model):
    _inherit = "res.users.apikeys"

    def unlink(self):
        """A revoked key stops working at once. Odoo caches the check of a login and its
        key (``res.users._check_uid_passwd``) and does not forget it when the key is
        removed: a channel's revoked key kept selling over XML-RPC until the next cache
        clear. Clearing it is signalled to every worker."""
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
