from collections import ChainMap
from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.exceptions import AccessError

from ..engine import sourcing
from ..engine.availability import category_chain

# Candidate sites kept on a plan besides the chosen ones: enough to answer "why not Rome?".
PLAN_CANDIDATES_KEPT = 10


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # OMS users only (who may read plans): a salesperson reads orders without them.
    oms_sourcing_plan_ids = fields.One2many(
        "luxury.oms.sourcing.plan",
        "order_id",
        string="Sourcing Plans",
        groups="luxury_oms.group_oms_user",
    )
    # Set when a plan of the order is stored: its newest plan (luxury.oms.sourcing.plan).
    oms_sourcing_plan_id = fields.Many2one(
        "luxury.oms.sourcing.plan", string="Sourcing Plan", readonly=True, copy=False
    )
    oms_sourcing_explanation = fields.Text(
        related="oms_sourcing_plan_id.explanation", string="Why These Sites"
    )
    oms_ships_from_ids = fields.Many2many(
        "stock.warehouse",
        compute="_compute_oms_ships_from_ids",
        compute_sudo=True,
        string="Ships From",
        help="The sites the current sourcing plan prepares the order at (its consolidation "
        "site when one parcel is wanted): the order's warehouse is only its default.",
    )

    @api.depends(
        "oms_sourcing_plan_id.consolidation_warehouse_id", "oms_sourcing_plan_id.warehouse_ids"
    )
    def _compute_oms_ships_from_ids(self):
        for order in self:
            plan = order.oms_sourcing_plan_id
            order.oms_ships_from_ids = plan.consolidation_warehouse_id or plan.warehouse_ids

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._oms_check_sourcing_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._oms_check_sourcing_fields(vals)
        return super().write(vals)

    def _oms_check_sourcing_fields(self, vals):
        """Refuse ``vals`` pointing the order at a plan: only sourcing does (as superuser)."""
        if "oms_sourcing_plan_id" in vals and not self.env.su:
            raise AccessError(self.env._("An order's sourcing plan is set by sourcing."))

    def action_oms_view_sourcing_plans(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sourcing of %(order)s", order=self.name),
            "res_model": "luxury.oms.sourcing.plan",
            "view_mode": "list,form",
            "domain": [("order_id", "=", self.id)],
        }

    # ------------------------------------------------------------------
    # Sourcing
    # ------------------------------------------------------------------

    def _oms_plan_sourcing(self):
        """Decide which site prepares each line, before stock is taken.

        Orders without a channel, or whose channel has no sourcing strategy, keep
        their own warehouse on every line (plain Odoo behaviour).
        """
        Availability = self.env["luxury.oms.availability"]
        for order in self.filtered(lambda o: o.oms_channel_id.sourcing_strategy_id):
            # The storable products' families, as availability keeps them per worker: no
            # read of the products themselves.
            storable = Availability._category_chains(order.order_line.product_id.ids)
            quantities = {
                line: line.product_uom_qty
                for line in order.order_line
                if line.product_id.id in storable
            }
            if quantities:
                order._oms_source_lines(quantities)

    def _oms_source_lines(self, quantities, excluded_sites=None, hub=None):
        """Source ``quantities`` ({sale.order.line: qty}) and store the plan.

        Returns the new current plan, or an empty recordset when no rule applies
        and the strategy keeps the order's warehouse.
        """
        self.ensure_one()
        excluded_sites = excluded_sites or self.env["stock.warehouse"]
        # Strategies and sites are configuration the engine reads whoever confirms
        # (e.g. a channel's API user, who may not read them): read as superuser.
        channel = self.oms_channel_id.sudo()
        strategy = channel.sourcing_strategy_id
        site_rows = {row.id: row for row in channel._oms_selling_site_rows()}
        sites = channel.env["stock.warehouse"].browse(site_rows)
        lines = self.env["sale.order.line"].concat(*quantities)
        date = self.date_order or fields.Datetime.now()
        rules, fallback = strategy._oms_engine_rules(self.currency_id, date)
        ats = self._oms_sourcing_ats(lines.product_id, sites)
        engine_order = self._oms_sourcing_order(quantities, excluded_sites, hub, site_rows)
        counted = sourcing.capacity_site_ids(engine_order, channel._oms_engine_sites(), ats)
        plan = sourcing.plan_order(
            rules, engine_order, channel._oms_sourcing_sites(counted), ats, fallback
        )
        if plan is None:
            return self.env["luxury.oms.sourcing.plan"]
        # Plans record the engine's decision, not a user's edit: written as superuser. The
        # new plan replaces the current one, which stays as history.
        record = self._oms_store_plan(plan, strategy, excluded_sites)
        self._oms_assign_line_sites(record)
        return record.with_env(self.env)

    def _oms_sourcing_order(self, quantities, excluded_sites, hub, site_rows):
        """The order as engine data: destination, client, value, lines with categories.
        ``site_rows``: {site id: SourcingRow} of the channel's selling sites."""
        destination = self.partner_shipping_id
        country = destination.country_id
        latitude, longitude = self._oms_destination_coordinates(site_rows)
        region_ids = self._oms_region_ids(country.id) if country else ()
        # The families of storable products, as availability keeps them per worker.
        chains = self.env["luxury.oms.availability"]._category_chains(
            [line.product_id.id for line in quantities]
        )
        return sourcing.Order(
            lines=tuple(
                sourcing.Line(
                    id=line.id,
                    product_id=line.product_id.id,
                    qty=qty,
                    categ_ids=frozenset(
                        chains[line.product_id.id]
                        if line.product_id.id in chains
                        else category_chain(line.product_id.categ_id.parent_path)
                    ),
                )
                for line, qty in quantities.items()
            ),
            channel_id=self.oms_channel_id.id,
            country_id=country.id or None,
            region_ids=frozenset(region_ids),
            latitude=latitude,
            longitude=longitude,
            tier_rank=self.env["luxury.oms.tier"]._oms_rank_of(self.partner_id.oms_tier_id.id),
            amount=self.amount_total,
            single_parcel=self.oms_single_parcel,
            excluded_site_ids=frozenset(excluded_sites.ids),
            consolidation_site_id=hub.id if hub else None,
            pickup_site_id=self.oms_pickup_warehouse_id.id or None,
        )

    @api.model
    @tools.ormcache("country_id")
    def _oms_region_ids(self, country_id):
        """The country groups of a country, read once per worker (res.country.group is
        configuration: luxury.oms.config.cache clears this when one changes)."""
        groups = self.env["res.country.group"].sudo().search([("country_ids", "in", country_id)])
        return tuple(groups.ids)

    def _oms_destination_coordinates(self, site_rows):
        """The shipping address's coordinates; without them, the mean of the channel's
        sites in the destination country; else unknown (distance then ranks no site).
        ``site_rows``: {site id: SourcingRow} of the channel's selling sites."""
        destination = self.partner_shipping_id
        if destination.partner_latitude or destination.partner_longitude:
            return destination.partner_latitude, destination.partner_longitude
        if not destination.country_id:
            return None, None
        local_sites = [
            row for row in site_rows.values() if row.oms_country_id == destination.country_id.id
        ]
        if not local_sites:
            return None, None
        return (
            sum(row.oms_latitude or 0.0 for row in local_sites) / len(local_sites),
            sum(row.oms_longitude or 0.0 for row in local_sites) / len(local_sites),
        )

    def _oms_sourcing_ats(self, products, sites):
        """Available to sell per (product id, site id) for this order's channel and client."""
        availability = self.env["luxury.oms.availability"]._compute_availability(
            products, sites, channel=self.oms_channel_id, partner=self.partner_id
        )
        if not availability:  # no storable product, or no site
            return {}
        # Only the pairs with something to sell: the engine reads any other as 0.
        grids = availability.maps if isinstance(availability, ChainMap) else [availability]
        return {key: qty for grid in grids for key, qty in grid.selling().items()}

    def _oms_store_plan(self, plan, strategy, excluded_sites):
        hub = plan.consolidation_site_id
        candidates = [
            candidate
            for rank, candidate in enumerate(plan.candidates)
            if candidate.chosen or rank < PLAN_CANDIDATES_KEPT
        ]
        rank_of = {c.site_id: rank for rank, c in enumerate(plan.candidates, start=1)}
        transfers = set(sourcing.transfers(plan))
        record = (
            self.env["luxury.oms.sourcing.plan"]
            .sudo()
            .create(
                {
                    "order_id": self.id,
                    "strategy_id": strategy.id,
                    "rule_id": plan.rule_id or False,
                    "consolidation_warehouse_id": hub or False,
                    "excluded_warehouse_ids": [fields.Command.set(excluded_sites.ids)],
                    "is_split": plan.is_split,
                    "is_short": sourcing.REASON_SHORT in plan.reasons
                    or sourcing.REASON_NO_SITE in plan.reasons,
                    # The plan is explained from these codes, in its reader's language.
                    "reasons": " ".join(plan.reasons),
                    "line_ids": [
                        fields.Command.create(
                            {
                                "sale_line_id": allocation.line_id,
                                "warehouse_id": allocation.site_id or False,
                                "quantity": allocation.qty,
                                "is_short": allocation.short,
                                "is_transfer": (
                                    allocation.line_id,
                                    allocation.site_id,
                                    allocation.qty,
                                )
                                in transfers,
                            }
                        )
                        for allocation in plan.allocations
                    ],
                }
            )
        )
        record._oms_insert_candidates(
            [
                {
                    "rank": rank_of[candidate.site_id],
                    "warehouse_id": candidate.site_id,
                    "chosen": candidate.chosen,
                    "total_score": candidate.total * 100,
                    "distance_km": candidate.distance_km or 0.0,
                    "servable_qty": candidate.servable_qty,
                    "serves_all": candidate.serves_all,
                    **{f"score_{kind}": score * 100 for kind, score in candidate.scores.items()},
                }
                for candidate in candidates
            ]
        )
        return record

    def _oms_assign_line_sites(self, plan):
        """Point each line at the site its delivery leaves from (sale_stock's warehouse_id)."""
        hub = plan.consolidation_warehouse_id
        quantity_by_line = defaultdict(lambda: defaultdict(float))
        for allocation in plan.line_ids.filtered(lambda a: not a.is_short):
            site_quantities = quantity_by_line[allocation.sale_line_id]
            site_quantities[allocation.warehouse_id] += allocation.quantity
        lines_by_site = defaultdict(lambda: self.env["sale.order.line"])
        for line, quantities in quantity_by_line.items():
            main_site = max(quantities, key=lambda site: (quantities[site], -site.id))
            lines_by_site[hub or main_site] |= line
        for site, lines in lines_by_site.items():  # one write per site, not per line
            lines.warehouse_id = site

    # ------------------------------------------------------------------
    # Consolidation: other sites -> transit -> consolidation site -> client
    # ------------------------------------------------------------------

    def _oms_create_consolidation_transfers(self):
        for order in self:
            plan = order.oms_sourcing_plan_id
            if plan.consolidation_warehouse_id:
                order._oms_transfer_to_hub(plan.line_ids.filtered("is_transfer"))

    def _oms_transfer_to_hub(self, allocations):
        """Chain each allocation's site to the hub's delivery, the resupply way.

        For each allocation: an outgoing move at the source site to the transit
        location, a receipt at the hub, and the matching part of the hub's delivery
        move split off to wait for that receipt instead of the hub's own stock.
        """
        self.ensure_one()
        hub = allocations.plan_id.consolidation_warehouse_id
        transit = self.company_id.internal_transit_location_id
        moves = waiting_parts = self.env["stock.move"]
        for allocation in allocations:
            delivery = allocation.sale_line_id._oms_hub_delivery_move(hub)
            if not delivery:
                continue
            waiting = delivery._oms_split_off(allocation.quantity)
            waiting_parts |= waiting
            values = {
                "product_id": allocation.product_id.id,
                "product_uom_qty": allocation.quantity,
                "product_uom": allocation.sale_line_id.product_uom_id.id,
                "origin": self.name,
                "reference_ids": [fields.Command.set(self.stock_reference_ids.ids)],
                "company_id": self.company_id.id,
                "partner_id": self.partner_shipping_id.id,
                # Like Odoo's resupply chains: the transfers show on the order.
                "sale_line_id": allocation.sale_line_id.id,
            }
            receipt = moves.create(
                {
                    **values,
                    "location_id": transit.id,
                    "location_dest_id": hub.lot_stock_id.id,
                    "picking_type_id": hub.in_type_id.id,
                    "warehouse_id": hub.id,
                    "move_dest_ids": [fields.Command.link(waiting.id)],
                }
            )
            source = allocation.warehouse_id
            moves |= receipt | moves.create(
                {
                    **values,
                    "location_id": source.lot_stock_id.id,
                    "location_dest_id": transit.id,
                    "picking_type_id": source.out_type_id.id,
                    "warehouse_id": source.id,
                    "move_dest_ids": [fields.Command.link(receipt.id)],
                }
            )
        moves._action_confirm(merge=False)
        moves._action_assign()
        waiting_parts._recompute_state()
