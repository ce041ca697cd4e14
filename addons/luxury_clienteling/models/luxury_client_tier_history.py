from odoo import fields
from odoo import models


class LuxuryClientTierHistory(models.Model):
    """One change of a client's tier: written by res.partner, never by hand."""

    _name = "luxury.client.tier.history"
    _description = "Client Tier Change"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, ondelete="cascade"
    )
    old_tier_id = fields.Many2one("luxury.oms.tier", string="From Tier", ondelete="set null")
    new_tier_id = fields.Many2one("luxury.oms.tier", string="To Tier", ondelete="set null")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", string="Changed By", default=lambda self: self.env.user)
