from odoo import fields
from odoo import models


class ResPartner(models.Model):
    """The client facts OMS rules need; luxury_clienteling builds the 360 on top."""

    _inherit = "res.partner"

    oms_tier_id = fields.Many2one(
        "luxury.oms.tier",
        string="Client Tier",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
    )
    oms_tier_rank = fields.Integer(related="oms_tier_id.rank", string="Tier Rank")
    oms_source_channel_id = fields.Many2one(
        "luxury.oms.channel",
        string="Created by Channel",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The channel whose first order created this client.",
    )
    oms_preferred_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Preferred Boutique",
        tracking=True,
        ondelete="set null",
        help="Boutique where the client likes to collect, return or be served.",
    )

    # A client created by a channel is unique per email: two first orders of one new client
    # racing on two servers cannot create two clients (the loser's insert waits for the
    # winner, fails on this index and its request is replayed, finding the winner's client).
    _oms_channel_client_email_unique = models.UniqueIndex(
        "(email_normalized) WHERE oms_source_channel_id IS NOT NULL AND active "
        "AND parent_id IS NULL AND type = 'contact'"
    )

    def write(self, vals):
        result = super().write(vals)
        if "tz" in vals and self._oms_is_site_address():
            # A site's day (its capacity, its courier cut-off) follows its address's time
            # zone, else its company's; each worker keeps the channels' selling sites with it.
            self.env.registry.clear_cache()
        return result

    def _oms_is_site_address(self):
        """Whether one of these partners is a site's address or a company's (whose time zone
        a site without its own follows)."""
        domain = [("partner_id", "in", self.ids)]
        return bool(
            self.env["stock.warehouse"]
            .sudo()
            .with_context(active_test=False)
            .search_count(domain, limit=1)
            or self.env["res.company"].sudo().search_count(domain, limit=1)
        )
