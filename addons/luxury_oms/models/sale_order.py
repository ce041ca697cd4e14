from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    oms_channel_id = fields.Many2one(
        "luxury.oms.channel",
        string="Channel",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="Where the order came from; its sites and rules apply to the order.",
    )
    oms_client_tier_id = fields.Many2one(related="partner_id.oms_tier_id", string="Client Tier")
