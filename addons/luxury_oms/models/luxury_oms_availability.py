from collections import defaultdict
from collections import namedtuple

from odoo import api
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..engine.availability import BufferRuleIndex
from ..engine.availability import find_shortages
from ..engine.availability import plan_hold_consumption
from ..engine.availability import site_availability

OPEN_MOVE_STATES = ("waiting", "confirmed", "partially_available", "assigned")

Demand = namedtuple("Demand", ["product", "warehouse", "qty", "origin"], defaults=[None])


class LuxuryOmsAvailability(models.AbstractModel):
    """The one truth of what can be sold where.

    Reads are batched (a handful of queries for any number of products and sites); takers
    go through ``_take``, which serialises every taker of a (product, site) on one row.
    """

    _name = "luxury.oms.availability"
    _description = "Availability Service"

    @api.model
    def _compute_availability(self, products, warehouses, channel=None, partner=None):
        """Return ``{(product_id, warehouse_id): SiteAvailability}``.

        With a channel, that channel's buffer rules count too; with a partner, their own
        VIP holds are available to them.
        """
        category_chains = self._read_storable_products(products)
        if not category_chains or not warehouses:
            return {}
        products = products.browse([pid for pid in products.ids if pid in category_chains])
        sellable_by_site = warehouses._oms_sellable_locations_by_site()
        site_of_location = {
            location_id: site_id
            for site_id, location_ids in sellable_by_site.items()
            for location_id in location_ids
        }
        on_hand = self._read_on_hand(products, site_of_location)
        reserved, incoming = self._read_open_moves(products, site_of_location)
        held_total, held_for_buyer = self._read_holds(products, warehouses, partner)
        rule_index = BufferRuleIndex(
            self._read_buffer_rules(products, warehouses, channel), channel.id if channel else None
        )
        warehouse_ids = warehouses.ids
        # Most (product, site) pairs hold nothing: they share one answer per buffer rule.
        has_stock_facts = on_hand.keys() | reserved.keys() | incoming.keys() | held_total.keys()
        empty_by_rule = {}
        result = {}
        for product_id in products.ids:
            rules = rule_index.for_product(product_id, category_chains[product_id])
            for warehouse_id in warehouse_ids:
                key = (product_id, warehouse_id)
                rule = rules.select(warehouse_id)
                if key not in has_stock_facts:
                    rule_id = rule.id if rule else None
                    if rule_id not in empty_by_rule:
                        empty_by_rule[rule_id] = site_availability(0.0, 0.0, 0.0, buffer_rule=rule)
                    result[key] = empty_by_rule[rule_id]
                    continue
                result[key] = site_availability(
                    on_hand=on_hand.get(key, 0.0),
                    reserved=reserved.get(key, 0.0),
                    held_total=held_total.get(key, 0.0),
                    held_for_buyer=held_for_buyer.get(key, 0.0),
                    buffer_rule=rule,
                    incoming=sorted(incoming[key].items()) if key in incoming else (),
                )
        return result

    @api.model
    def _take(self, demands, channel=None, partner=None):
        """Atomically check and take stock for ``demands`` (Demand or 3-tuples).

        Every taker of a (product, site) first updates that pair's slot row, so two
        transactions racing for the same units write the same row: the second waits, then
        PostgreSQL's REPEATABLE READ makes it fail with a serialization error and Odoo
        replays it, now seeing the first one's reservation. The check below therefore
        always runs on the latest truth. Raises a UserError naming every short line.
        """
        demands = [Demand(*demand) for demand in demands]
        self._check_demands(demands)
        needed = defaultdict(float)
        for demand in demands:
            needed[demand.product.id, demand.warehouse.id] += demand.qty
        self.env["luxury.oms.stock.slot"]._oms_lock(needed.keys())
        products = self.env["product.product"].browse({key[0] for key in needed})
        warehouses = self.env["stock.warehouse"].browse({key[1] for key in needed})
        availability = self._compute_availability(products, warehouses, channel, partner)
        shortages = find_shortages(needed, availability)
        if shortages:
            raise UserError(self._format_shortages(shortages))
        if partner:
            self._consume_holds(demands, availability, partner)

    @api.model
    def _check_demands(self, demands):
        for demand in demands:
            product = demand.product
            if demand.qty <= 0:
                raise ValidationError(
                    self.env._(
                        "qty: %(product)s needs a positive quantity, not %(qty)s.",
                        product=product.display_name,
                        qty=demand.qty,
                    )
                )
            if product.tracking == "serial" and demand.qty != int(demand.qty):
                raise ValidationError(
                    self.env._(
                        "qty: %(product)s is serial-tracked: %(qty)s is not a whole number "
                        "of pieces.",
                        product=product.display_name,
                        qty=demand.qty,
                    )
                )

    def _format_shortages(self, shortages):
        lines = [
            self.env._(
                "%(product)s at %(site)s: %(requested)s requested, %(available)s available "
                "to sell",
                product=self.env["product.product"].browse(shortage.product_id).display_name,
                site=self.env["stock.warehouse"].browse(shortage.warehouse_id).name,
                requested=shortage.requested,
                available=shortage.available,
            )
            for shortage in shortages
        ]
        return self.env._("Not enough stock:\n%(lines)s", lines="\n".join(lines))

    def _consume_holds(self, demands, availability, partner):
        # Consuming a hold is the system's consequence of a permitted sale, whoever sells.
        holds = (
            self.env["luxury.oms.hold"]
            .sudo()
            .search(
                [
                    ("state", "=", "active"),
                    ("product_id", "in", [demand.product.id for demand in demands]),
                    ("warehouse_id", "in", [demand.warehouse.id for demand in demands]),
                ]
            )
        )
        mine = holds.filtered(lambda hold: hold._is_beneficiary(partner))
        for demand in demands:
            key = (demand.product.id, demand.warehouse.id)
            candidates = mine.filtered(
                lambda hold, key=key: (hold.product_id.id, hold.warehouse_id.id) == key
            )
            if not candidates or not availability[key].held_for_buyer:
                continue
            plan = plan_hold_consumption(
                demand.qty,
                [(hold.id, hold.remaining_qty, hold.date_expiry) for hold in candidates],
            )
            for hold_id, quantity in plan:
                holds.browse(hold_id)._consume(quantity, partner, demand.origin)

    # Bulk reads -------------------------------------------------------------------------

    def _read_on_hand(self, products, site_of_location):
        self.env["stock.quant"].flush_model(["product_id", "location_id", "quantity"])
        rows = self.env.execute_query(
            SQL(
                """SELECT product_id, location_id, SUM(quantity)
                     FROM stock_quant
                    WHERE product_id = ANY(%s) AND location_id = ANY(%s)
                 GROUP BY product_id, location_id""",
                products.ids,
                list(site_of_location),
            )
        )
        on_hand = defaultdict(float)
        for product_id, location_id, quantity in rows:
            on_hand[product_id, site_of_location[location_id]] += quantity
        return on_hand

    def _read_open_moves(self, products, site_of_location):
        """Reserved: open moves leaving a site's sellable stock. Incoming: open moves
        entering it, by day. A transfer between two sites is both.

        Chained moves net out: a delivery waiting for an open transfer into the site
        (e.g. a consolidated parcel) takes what that transfer brings, not the site's
        stock, and that transfer's units are promised, not incoming for sale.
        """
        self.env["stock.move"].flush_model(
            ["product_id", "location_id", "location_dest_id", "state", "product_qty", "date",
             "move_orig_ids", "move_dest_ids"]
        )  # fmt: skip
        sellable_ids = list(site_of_location)
        rows = self.env.execute_query(
            SQL(
                """SELECT move.product_id, move.location_id, move.location_dest_id,
                          move.date::date, SUM(move.product_qty),
                          EXISTS (SELECT 1
                                    FROM stock_move_move_rel chain
                                    JOIN stock_move origin ON origin.id = chain.move_orig_id
                                   WHERE chain.move_dest_id = move.id
                                     AND origin.state IN %(open)s) AS fed,
                          EXISTS (SELECT 1
                                    FROM stock_move_move_rel chain
                                    JOIN stock_move dest ON dest.id = chain.move_dest_id
                                   WHERE chain.move_orig_id = move.id
                                     AND dest.state IN %(open)s) AS promised
                     FROM stock_move move
                    WHERE move.product_id = ANY(%(products)s)
                      AND move.state IN %(open)s
                      AND (move.location_id = ANY(%(sellable)s)
                           OR move.location_dest_id = ANY(%(sellable)s))
                 GROUP BY 1, 2, 3, 4, 6, 7""",
                products=products.ids,
                open=OPEN_MOVE_STATES,
                sellable=sellable_ids,
            )
        )
        reserved = defaultdict(float)
        incoming = defaultdict(lambda: defaultdict(float))
        for product_id, source_id, destination_id, day, quantity, fed, promised in rows:
            source_site = site_of_location.get(source_id)
            destination_site = site_of_location.get(destination_id)
            if source_site == destination_site:
                continue  # moves inside one site's sellable stock change nothing
            if source_site and not fed:
                reserved[product_id, source_site] += quantity
            if destination_site and not promised:
                incoming[product_id, destination_site][day] += quantity
        return reserved, incoming

    def _read_holds(self, products, warehouses, partner):
        domain = [
            ("state", "=", "active"),
            ("product_id", "in", products.ids),
            ("warehouse_id", "in", warehouses.ids),
        ]
        if excluded := self.env.context.get("oms_exclude_hold_ids"):
            domain.append(("id", "not in", excluded))
        holds = self.env["luxury.oms.hold"].sudo().search_fetch(
            domain,
            ["product_id", "warehouse_id", "remaining_qty", "beneficiary_type", "partner_id",
             "tier_id", "event_partner_ids"],
        )  # fmt: skip
        held_total = defaultdict(float)
        held_for_buyer = defaultdict(float)
        for hold in holds:
            key = (hold.product_id.id, hold.warehouse_id.id)
            held_total[key] += hold.remaining_qty
            if partner and hold._is_beneficiary(partner):
                held_for_buyer[key] += hold.remaining_qty
        return held_total, held_for_buyer

    def _read_buffer_rules(self, products, warehouses, channel):
        rules = (
            self.env["luxury.oms.buffer.rule"]
            .sudo()
            .search_fetch(
                [
                    ("product_id", "in", [*products.ids, False]),
                    ("warehouse_id", "in", [*warehouses.ids, False]),
                    ("channel_id", "in", [channel.id, False] if channel else [False]),
                ],
                [
                    "mode",
                    "value",
                    "product_id",
                    "categ_id",
                    "warehouse_id",
                    "channel_id",
                    "sequence",
                ],
            )
        )
        return [rule._to_engine() for rule in rules]

    def _read_storable_products(self, products):
        """``{product_id: category chain}`` of the storable products, the chain listing the
        product's category then its parents (leaf first): one query, no ORM per product."""
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["is_storable", "categ_id"])
        self.env["product.category"].flush_model(["parent_path"])
        rows = self.env.execute_query(
            SQL(
                """SELECT product.id, category.parent_path
                     FROM product_product product
                     JOIN product_template template ON template.id = product.product_tmpl_id
                LEFT JOIN product_category category ON category.id = template.categ_id
                    WHERE product.id = ANY(%s) AND template.is_storable""",
                products.ids,
            )
        )
        return {
            product_id: tuple(int(part) for part in reversed((path or "").split("/")) if part)
            for product_id, path in rows
        }
