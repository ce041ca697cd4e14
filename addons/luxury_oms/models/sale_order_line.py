from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo import tools

from .luxury_oms_availability import Demand

# The lines whose quantities were taken (or promised) in this transaction, by the order
# pipeline: their procurement takes nothing more (``cr.precommit.data``, emptied with the
# transaction).
TAKEN_LINES = "luxury_oms.taken_lines"


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
        """What the lines take from their site's stock, in the OMS's scope: lines of a
        channel's order or of an OMS site. Other lines, and lines procured rather than
        taken from stock, take nothing: Odoo procures them as usual."""
        channel_lines = self.filtered(lambda line: line.order_id.oms_channel_id)
        # A channel's order is in scope wherever it ships: only the other lines ask
        # whether their warehouse is a site.
        sites = (self - channel_lines).warehouse_id._oms_sites()
        return [
            Demand(line.product_id, line.warehouse_id, line._oms_product_qty(), line)
            for line in self
            if line.product_id.is_storable
            and line.warehouse_id
            and (line.order_id.oms_channel_id or line.warehouse_id in sites)
            and line.product_uom_qty > 0
            and line._oms_takes_site_stock()
        ]

    def _oms_takes_site_stock(self):
        """Whether the delivery of the line takes its goods from its site's stock. The
        rules Odoo will run for it are followed from the client back: the line takes
        stock when they reach the site's stock with a rule that takes from stock. A line
        made to order, bought, dropshipped or manufactured is procured, not taken.

        Every line of a product at a site follows the same rules, so each worker keeps
        the answer per product, site, routes and destination (``_oms_kept_takes_stock``,
        forgotten when a rule, a route or the routes of a product, a family, a site or a
        location change). Only a "takes stock" answer is trusted from it: one kept too
        long can make a line take stock (refused if the site has none), never let a line
        skip the take and oversell."""
        self.ensure_one()
        key = (
            self.product_id.id,
            self.warehouse_id.id,
            tuple(self.route_ids.ids),
            self.product_uom_id.id,
            self._get_location_final().id,
            self.order_id.company_id.id,
            self.env.su,
        )
        return self._oms_kept_takes_stock(key, self) or self._oms_follows_rules_to_stock()

    @api.model
    @tools.ormcache("key")
    def _oms_kept_takes_stock(self, key, line):
        """``line._oms_follows_rules_to_stock()``, kept per worker for lines of ``key``."""
        return line._oms_follows_rules_to_stock()

    def _oms_follows_rules_to_stock(self):
        self.ensure_one()
        Rule = self.env["stock.rule"]
        values = self._prepare_procurement_values()
        stock_path = self.warehouse_id.lot_stock_id.parent_path
        seen = Rule
        rule = Rule._get_rule(self.product_id, self._get_location_final(), values)
        while rule and rule not in seen and rule.action in ("pull", "pull_push"):
            if rule.procure_method != "make_to_order":
                return (rule.location_src_id.parent_path or "").startswith(stock_path)
            seen |= rule
            rule = Rule._get_rule(self.product_id, rule.location_src_id, values)
        return False

    def _oms_refresh_availability(self):
        keys = {
            (line.product_id.id, line.warehouse_id.id)
            for line in self
            if line.product_id.is_storable and line.warehouse_id
        }
        self.env["luxury.oms.stock.slot"].sudo()._oms_refresh_keys(keys)

    def _action_launch_stock_rule(self, *, previous_product_uom_qty=False):
        """A channel's order makes its deliveries after the answer (the order pipeline's
        ``deliver`` step); its promise keeps the stock until then. A confirmed order's line
        raised, or a line added to it, first takes what it adds."""
        waiting = self.filtered(lambda line: line.order_id.oms_deliveries_pending)
        lines = self - waiting
        lines._oms_take_added_quantities(raised=bool(previous_product_uom_qty))
        return super(SaleOrderLine, lines)._action_launch_stock_rule(
            previous_product_uom_qty=previous_product_uom_qty
        )

    def _oms_mark_taken(self):
        """The pipeline took (or promised) these lines' quantities in this transaction."""
        self.env.cr.precommit.data.setdefault(TAKEN_LINES, set()).update(self.ids)

    def _oms_take_added_quantities(self, raised):
        """Take what confirmed lines ask beyond what is procured for them, before Odoo
        procures it: a quantity raised in the back office, a line added to a confirmed
        order. The oversell invariant holds for edits as for confirmations. Lines the
        pipeline took in this transaction take nothing more unless raised since."""
        taken = self.env.cr.precommit.data.get(TAKEN_LINES, set())
        missing = {}
        for line in self.filtered(lambda line: line.state == "sale"):
            if line.id not in taken or raised:
                missing[line] = line.product_uom_qty - line._get_qty_procurement()
        lines = self.browse([line.id for line, qty in missing.items() if qty > 0])
        demands = defaultdict(list)
        for demand in lines._oms_stock_demands():
            line = demand.origin
            qty = line.product_uom_id._compute_quantity(missing[line], line.product_id.uom_id)
            demands[line.order_id].append(demand._replace(qty=qty))
        for order, order_demands in demands.items():
            order._oms_take(order_demands)

    def _create_procurements(self, product_qty, procurement_uom, values):
        """One procurement per site of the current sourcing plan, so a line split
        over two sites gets a delivery from each (sale_stock procures from one)."""
        parts = self._oms_planned_parts(product_qty, procurement_uom)
        if len(parts) < 2:
            site = next(iter(parts), None) or values.get("warehouse_id") or self.warehouse_id
            return super()._create_procurements(
                product_qty, procurement_uom, self._oms_procurement_values(values, site)
            )
        procurements = []
        for site, qty in parts.items():
            procurements += super()._create_procurements(
                qty, procurement_uom, self._oms_procurement_values(values, site)
            )
        return procurements

    def _oms_procurement_values(self, values, site):
        """A channel's order shipped from a site is due at the site's next courier cut-off
        (the floor's deadline), not at the moment it was confirmed."""
        values = dict(values, warehouse_id=site)
        if self.order_id.oms_channel_id and site and site._oms_sites():
            values["date_deadline"] = site._oms_handover_deadline()
        return values

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
