from odoo import api
from odoo import fields
from odoo import models


class LuxuryOmsStockPromise(models.Model):
    """Units a channel's order has taken, kept for it until its deliveries exist.

    ``place_order`` answers the channel once the stock is taken; Odoo's procurement (the
    deliveries and their reservation) runs right after the commit
    (``sale.order._oms_prepare_deliveries``). Meanwhile the take's promise is these rows:
    every availability read counts them as reserved at their site, as it counts an open
    delivery, and the transaction that creates the deliveries deletes them, so a unit is
    always counted once, by a promise or by a move, never by both nor by neither.
    """

    _name = "luxury.oms.stock.promise"
    _description = "Stock Promised to an Order"
    _order = "id"

    order_id = fields.Many2one(
        "sale.order", string="Order", required=True, ondelete="cascade", index=True
    )
    sale_line_id = fields.Many2one("sale.order.line", string="Order Line", ondelete="cascade")
    product_id = fields.Many2one("product.product", string="Product", required=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Site", required=True)
    location_id = fields.Many2one(
        "stock.location",
        string="Location",
        required=True,
        help="The site's sellable location the promise is counted at.",
    )
    quantity = fields.Float(required=True, digits="Product Unit", help="In the product's unit.")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)

    @api.model
    def _oms_promise(self, order, demands):
        """Record what ``order``'s take took (``Demand`` rows, in the products' units)."""
        sellable = self.env["luxury.oms.availability"]._oms_promise_locations(
            {demand.warehouse.id for demand in demands}
        )
        promises = self.sudo().create(
            [self._prepare_promise_vals(order, demand, sellable) for demand in demands]
        )
        promises._oms_refresh_snapshot()
        return promises

    @api.model
    def _prepare_promise_vals(self, order, demand, sellable):
        return {
            "order_id": order.id,
            "sale_line_id": demand.origin.id if demand.origin else False,
            "product_id": demand.product.id,
            "warehouse_id": demand.warehouse.id,
            # A site always has a sellable location where a take succeeds.
            "location_id": sellable.get(demand.warehouse.id) or demand.warehouse.lot_stock_id.id,
            "quantity": demand.qty,
        }

    def _oms_release(self):
        """The deliveries exist (or the order is cancelled): the moves count from now on."""
        promises = self.sudo()
        keys = promises._oms_keys()
        promises.unlink()
        self.env["luxury.oms.stock.slot"].sudo()._oms_refresh_keys(keys)

    def _oms_refresh_snapshot(self):
        self.env["luxury.oms.stock.slot"].sudo()._oms_refresh_keys(self._oms_keys())

    def _oms_keys(self):
        return {(promise.product_id.id, promise.warehouse_id.id) for promise in self}
