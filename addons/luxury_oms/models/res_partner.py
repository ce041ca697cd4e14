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
    oms_preferred_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Preferred Boutique",
        tracking=True,
        ondelete="set null",
        help="Boutique where the client likes to collect, return or be served.",
    )
