from odoo import fields
from odoo import models


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
    oms_external_ref = fields.Char(
        string="External Reference",
        copy=False,
        readonly=True,
        help="The order's reference in its channel (web shop, app): unique per channel.",
    )
    oms_pickup_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Pickup Boutique",
        copy=False,
        check_company=True,
        help="Click & collect: the boutique where the client collects the order.",
    )

    _oms_external_ref_unique = models.UniqueIndex(
        "(oms_channel_id, oms_external_ref) WHERE oms_external_ref IS NOT NULL",
        "An order with this external reference already exists for this channel.",
    )

    def action_confirm(self):
        """Take the stock atomically before anything is written or picked from it."""
        self._oms_take_stock()
        result = super().action_confirm()
        self.order_line._oms_refresh_availability()
        return result

    def _oms_take_stock(self):
        """Refuse the confirmation, with every short line named, unless all lines are
        available to sell at their site for this client and channel (the oversell invariant).
        """
        Availability = self.env["luxury.oms.availability"]
        for order in self:
            demands = order.order_line._oms_stock_demands()
            if demands:
                Availability._take(
                    demands, channel=order.oms_channel_id or None, partner=order.partner_id
                )

    def _oms_outgoing_pickings(self):
        """Deliveries to the client (not transfers between sites)."""
        return self.picking_ids.filtered(lambda picking: picking.picking_type_code == "outgoing")
