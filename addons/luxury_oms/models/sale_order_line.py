from odoo import api
from odoo import fields
from odoo import models

from .luxury_oms_availability import Demand


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    oms_available_to_sell = fields.Float(
        string="ATS",
        compute="_compute_oms_available_to_sell",
        digits="Product Unit",
        help="Available to sell at the line's site for this client and channel, now.",
    )
    oms_stock_warning = fields.Boolean(compute="_compute_oms_available_to_sell")

    @api.depends("product_id", "warehouse_id", "product_uom_qty", "order_id.oms_channel_id")
    def _compute_oms_available_to_sell(self):
        self.oms_available_to_sell = 0.0
        self.oms_stock_warning = False
        pending = self.filtered(
            lambda line: line.state in ("draft", "sent")
            and line.product_id.is_storable
            and line.warehouse_id
        )
        Availability = self.env["luxury.oms.availability"]
        for order in pending.order_id:
            lines = pending.filtered(lambda line, order=order: line.order_id == order)
            availability = Availability._compute_availability(
                lines.product_id,
                lines.warehouse_id,
                channel=order.oms_channel_id or None,
                partner=order.partner_id,
            )
            for line in lines:
                ats = availability[line.product_id.id, line.warehouse_id.id].available_to_sell
                line.oms_available_to_sell = ats
                line.oms_stock_warning = line._oms_product_qty() > ats

    def _oms_product_qty(self):
        self.ensure_one()
        return self.product_uom_id._compute_quantity(self.product_uom_qty, self.product_id.uom_id)

    def _oms_stock_demands(self):
        return [
            Demand(line.product_id, line.warehouse_id, line._oms_product_qty(), line)
            for line in self
            if line.product_id.is_storable and line.warehouse_id and line.product_uom_qty > 0
        ]

    def _oms_refresh_availability(self):
        keys = {
            (line.product_id.id, line.warehouse_id.id)
            for line in self
            if line.product_id.is_storable and line.warehouse_id
        }
        self.env["luxury.oms.stock.slot"].sudo()._oms_refresh_keys(keys)
