from collections import defaultdict

from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _create_procurements(self, product_qty, procurement_uom, values):
        """One procurement per site of the current sourcing plan, so a line split
        over two sites gets a delivery from each (sale_stock procures from one)."""
        parts = self._oms_planned_parts(product_qty, procurement_uom)
        if len(parts) < 2:
            return super()._create_procurements(product_qty, procurement_uom, values)
        procurements = []
        for site, qty in parts.items():
            procurements += super()._create_procurements(
                qty, procurement_uom, dict(values, warehouse_id=site)
            )
        return procurements

    def _oms_planned_parts(self, product_qty, procurement_uom):
        """{site shipping: qty} for this line in its order's current plan, when the plan
        covers exactly ``product_qty`` (else the line procures from its warehouse)."""
        self.ensure_one()
        plan = self.order_id.oms_sourcing_plan_id
        hub = plan.consolidation_warehouse_id
        parts = defaultdict(float)
        for allocation in plan.line_ids:
            if allocation.sale_line_id == self and not allocation.is_short:
                quantity = self.product_uom_id._compute_quantity(
                    allocation.quantity, procurement_uom
                )
                parts[hub or allocation.warehouse_id] += quantity
        if procurement_uom.compare(sum(parts.values()), product_qty) != 0:
            return {}
        return parts

    def _oms_hub_delivery_move(self, hub):
        """The open first-step move taking this line's goods out of the hub's stock."""
        self.ensure_one()
        return self.move_ids.filtered(
            lambda move: move.state not in ("done", "cancel")
            and move.location_id == hub.lot_stock_id
            and not move.move_orig_ids
        )[:1]
