from collections import ChainMap
from collections import defaultdict
from collections import namedtuple

from odoo import api
from odoo import models
from odoo import tools
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..engine.availability import BufferRule
from ..engine.availability import BufferRuleIndex
from ..engine.availability import StockFacts
from ..engine.availability import availability_grid
from ..engine.availability import category_chain
from ..engine.availability import find_shortages
from ..engine.availability import plan_hold_consumption

OPEN_MOVE_STATES = ("waiting", "confirmed", "partially_available", "assigned")

Demand = namedtuple("Demand", ["product", "warehouse", "qty", "origin"], defaults=[None])

# The open moves of ``products`` leaving or entering ``locations``, per product, locations,
# day and chain (fed by an open move, promised to one), as JSON rows; and the units taken
# by channel orders whose deliveries are not made yet (``luxury.oms.stock.promise``), as
# moves leaving their location.
OPEN_MOVES_FUNCTION = """
CREATE OR REPLACE FUNCTION luxury_oms_open_moves(products int[], locations int[],
                                                 open_states varchar[])
RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (
        SELECT json_agg(json_build_array(product_id, location_id, location_dest_id, day,
                                         quantity, fed, promised))
          FROM (SELECT move.product_id, move.location_id, move.location_dest_id,
                       move.date::date AS day, SUM(move.product_qty) AS quantity,
                       EXISTS (SELECT 1
                                 FROM stock_move_move_rel chain
                                 JOIN stock_move origin ON origin.id = chain.move_orig_id
                                WHERE chain.move_dest_id = move.id
                                  AND origin.state = ANY(open_states)) AS fed,
                       EXISTS (SELECT 1
                                 FROM stock_move_move_rel chain
                                 JOIN stock_move dest ON dest.id = chain.move_dest_id
                                WHERE chain.move_orig_id = move.id
                                  AND dest.state = ANY(open_states)) AS promised
                  FROM stock_move move
                 WHERE move.product_id = ANY(products)
                   AND move.state = ANY(open_states)
                   AND (move.location_id = ANY(locations)
                        OR move.location_dest_id = ANY(locations))
              GROUP BY 1, 2, 3, 4, 6, 7
             UNION ALL
                SELECT promise.product_id, promise.location_id, NULL, CURRENT_DATE,
                       SUM(promise.quantity), FALSE, FALSE
                  FROM luxury_oms_stock_promise promise
                 WHERE promise.product_id = ANY(products)
                   AND promise.location_id = ANY(locations)
              GROUP BY 1, 2) AS moves
    );
END
$$
"""
# The active holds of ``products`` at ``sites`` (but ``excluded``), each saying whether it
# is for the buyer (``buyers``: the client and their company; a tier hold serves clients of
# that tier and above), as JSON rows.
ACTIVE_HOLDS_FUNCTION = """
CREATE OR REPLACE FUNCTION luxury_oms_active_holds(products int[], sites int[], buyers int[],
                                                   buyer_rank int, excluded int[])
RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (
        SELECT json_agg(json_build_array(id, product_id, warehouse_id, quantity, date_expiry,
                                         for_buyer))
          FROM (SELECT hold.id, hold.product_id, hold.warehouse_id,
                       hold.remaining_qty AS quantity, hold.date_expiry,
                       COALESCE(CASE hold.beneficiary_type
                           WHEN 'client' THEN hold.partner_id = ANY(buyers)
                           WHEN 'tier' THEN tier.rank <= buyer_rank
                           WHEN 'event' THEN EXISTS (
                               SELECT 1 FROM %(guests)s guest
                                WHERE guest.%(guest_hold)s = hold.id
                                  AND guest.%(guest_partner)s = ANY(buyers))
                       END, FALSE) AS for_buyer
                  FROM luxury_oms_hold hold
             LEFT JOIN luxury_oms_tier tier ON tier.id = hold.tier_id
                 WHERE hold.state = 'active'
                   AND hold.product_id = ANY(products)
                   AND hold.warehouse_id = ANY(sites)
                   AND hold.id != ALL(excluded)) AS holds
    );
END
$$
"""
READ_FUNCTIONS = ("luxury_oms_open_moves", "luxury_oms_active_holds")


class LuxuryOmsAvailability(models.AbstractModel):
    """The one truth of what can be sold where.

    Reads are batched (one statement for any number of products and sites); takers
    go through ``_take``, which serialises every taker of a (product, site) on one row.
    """

    _name = "luxury.oms.availability"
    _description = "Availability Service"

    @api.private
    def init(self):
        """The functions of ``_read_facts`` (PL/pgSQL: PostgreSQL keeps their plans per
        connection). Dropped when the addon is uninstalled (``hooks.uninstall_hook``)."""
        guests = self.env["luxury.oms.hold"]._fields["event_partner_ids"]
        self.env.cr.execute(OPEN_MOVES_FUNCTION)
        self.env.cr.execute(
            SQL(
                ACTIVE_HOLDS_FUNCTION,
                guests=SQL.identifier(guests.relation),
                guest_hold=SQL.identifier(guests.column1),
                guest_partner=SQL.identifier(guests.column2),
            )
        )

    @api.model
    def _compute_availability(self, products, warehouses, channel=None, partner=None):
        """Return a read-only mapping ``{(product_id, warehouse_id): SiteAvailability}``
        of the storable products at the sites (``engine.availability.AvailabilityGrid``).

        With a channel, that channel's buffer rules count too; with a partner, their own
        VIP holds are available to them. One statement whatever the number of products and
        sites (the sites' sellable locations, the buffer rules and the products' families
        are kept per worker), one per company of the sites (see ``_read_facts``).
        """
        return self._read_availability(products, warehouses, channel, partner)[0]

    def _read_availability(self, products, warehouses, channel, partner, excluded_holds=None):
        """``_compute_availability``'s answer, with the buyer's holds it found per pair;
        holds in ``excluded_holds`` keep nothing (they are being resized).

        A company's buffer rules withhold at its own sites only: sites of several companies
        (a refresh of every site, say) are read a company at a time.
        """
        grids, buyer_holds = [], {}
        if not products or not warehouses:
            return {}, buyer_holds
        self._flush_facts()
        by_company = self._read_sellable_by_company(warehouses.ids)
        for company_id, locations_by_site in by_company.items():
            facts = self._read_facts(
                products.ids,
                locations_by_site,
                partner,
                excluded_holds.ids if excluded_holds else [],
            )
            rule_index = self._buffer_rule_index(company_id, channel.id if channel else None)
            site_ids = list(locations_by_site)
            grids.append(availability_grid(facts, rule_index, products.ids, site_ids))
            buyer_holds.update(facts.buyer_holds)
        # The companies' sites are apart: one grid each, read as one.
        return (grids[0] if len(grids) == 1 else ChainMap(*grids)), buyer_holds

    @api.model
    def _take(
        self, demands, channel=None, partner=None, accept_preorder=False, excluded_holds=None
    ):
        """Atomically check and take stock for ``demands`` (Demand or 3-tuples).

        With ``accept_preorder``, what is short of the ATS may be taken on incoming stock
        that earlier pre-orders have not claimed (ATO); returns those pre-ordered shortages.
        ``excluded_holds`` keep nothing during the check: the holds being resized.

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
        availability, buyer_holds = self._read_availability(
            products, warehouses, channel, partner, excluded_holds
        )
        shortages = find_shortages(needed, availability, on_incoming=accept_preorder)
        if shortages:
            raise UserError(self._format_shortages(shortages, accept_preorder))
        if partner:
            self._consume_holds(demands, availability, buyer_holds, partner)
        return find_shortages(needed, availability) if accept_preorder else []

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

    def _format_shortages(self, shortages, on_incoming=False):
        template = (
            self.env._(
                "%(product)s at %(site)s: %(requested)s requested, %(available)s available "
                "to order (stock and incoming)"
            )
            if on_incoming
            else self.env._(
                "%(product)s at %(site)s: %(requested)s requested, %(available)s available "
                "to sell"
            )
        )
        lines = [
            template
            % {
                "product": self.env["product.product"].browse(shortage.product_id).display_name,
                "site": self.env["stock.warehouse"].browse(shortage.warehouse_id).name,
                "requested": shortage.requested,
                "available": shortage.available,
            }
            for shortage in shortages
        ]
        return self.env._("Not enough stock:\n%(lines)s", lines="\n".join(lines))

    def _consume_holds(self, demands, availability, buyer_holds, partner):
        """Take what the buyer's own holds keep for them first, oldest expiry first; the
        holds are those the availability read found the buyer may consume."""
        # Consuming a hold is the system's consequence of a permitted sale, whoever sells.
        Hold = self.env["luxury.oms.hold"].sudo()
        left = {
            hold_id: quantity
            for holds in buyer_holds.values()
            for hold_id, quantity, _expiry in holds
        }
        for demand in demands:
            key = (demand.product.id, demand.warehouse.id)
            if not availability[key].held_for_buyer:
                continue
            holds = [(hold_id, left[hold_id], expiry) for hold_id, _qty, expiry in buyer_holds[key]]
            for hold_id, quantity in plan_hold_consumption(demand.qty, holds):
                left[hold_id] -= quantity
                Hold.browse(hold_id)._consume(quantity, partner, demand.origin)

    # Bulk reads -------------------------------------------------------------------------

    def _read_sellable_by_company(self, warehouse_ids):
        """``{company_id: {site_id: (sellable location ids)}}`` of the sites, read once and
        kept in the registry's cache (not to be mutated): a site's sellable locations change
        when its configuration does, not with its stock, and every availability read needs
        them. Location and site changes that move them clear the cache
        (``stock.location._oms_sellable_changed``)."""
        return self._sellable_by_company(tuple(sorted(warehouse_ids)))

    def _oms_promise_locations(self, warehouse_ids):
        """``{site id: the sellable location its promises are counted at}``."""
        by_company = self._read_sellable_by_company(warehouse_ids)
        return {
            site_id: location_ids[0]
            for locations_by_site in by_company.values()
            for site_id, location_ids in locations_by_site.items()
            if location_ids
        }

    @tools.ormcache("warehouse_ids")
    def _sellable_by_company(self, warehouse_ids):
        self.env["stock.warehouse"]._oms_flush_sellable_locations()
        rows = self.env.execute_query(
            SQL(
                """SELECT site.company_id, site.id,
                          array_remove(array_agg(sellable.location_id), NULL)
                     FROM stock_warehouse site
                LEFT JOIN (%(sellable)s) AS sellable ON sellable.site_id = site.id
                    WHERE site.id = ANY(%(sites)s)
                 GROUP BY site.company_id, site.id""",
                sellable=self.env["stock.warehouse"]._oms_sellable_locations_sql(warehouse_ids),
                sites=list(warehouse_ids),
            )
        )
        by_company = defaultdict(dict)
        for company_id, site_id, location_ids in rows:
            by_company[company_id][site_id] = tuple(location_ids)
        return dict(by_company)

    @tools.ormcache("company_id", "channel_id")
    def _buffer_rule_index(self, company_id, channel_id):
        """The company's active buffer rules that count for ``channel_id`` (None: the rules
        without a channel), indexed (``engine.availability.BufferRuleIndex``). Read once per
        worker and kept in the registry's cache until a rule changes (buffer rules are
        ``luxury.oms.config.cache``): every availability read and take applies them, and
        at a thousand sites they are hundreds of rules to read, build and index. Not to be
        mutated, but for the index's own memo of each category chain's rules."""
        self.env["luxury.oms.buffer.rule"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """SELECT id, mode, value, product_id, categ_id, warehouse_id, channel_id,
                          sequence
                     FROM luxury_oms_buffer_rule
                    WHERE active AND company_id = %s
                      AND (channel_id IS NULL OR channel_id = %s)
                 ORDER BY id""",
                company_id,
                channel_id,
            )
        )
        return BufferRuleIndex([BufferRule(*row) for row in rows], channel_id)

    def _read_facts(self, product_ids, locations_by_site, partner, excluded_hold_ids=()):
        """Everything availability needs about the products at the sites of one company,
        ``locations_by_site`` mapping each site to its sellable locations; the buffer rules
        and the products' families are not read here: they are kept per worker
        (``_buffer_rule_index``, ``_category_chains``).

        The sellable locations, read first, are given to this statement as a list the
        planner can see: it chooses between the product and the location index of
        ``stock_quant`` from the real number of locations. (Computed inside the statement,
        the list was opaque to the planner, which then read the location index for every
        quant of the catalogue at a thousand sites.)

        This runs for every availability read and every take, so its parts share one
        statement: the on hand per product and sellable location, the raw read's own rows
        (as three arrays: with one sellable location per site they become the on-hand
        mapping without a Python loop, and at a thousand sites they are ten thousand rows),
        then the open moves leaving or entering the sellable locations and the active holds,
        each read by a function of ours (``init``). Their plans are kept by PostgreSQL per
        connection: planned inline, these two parts cost four times the planning of the
        raw read, as much as the raw read itself at ten sites.
        """
        Tier = self.env["luxury.oms.tier"]
        buyers = (partner | partner.commercial_partner_id).ids if partner else []
        warehouse_ids = list(locations_by_site)
        sellable = [
            (location_id, site_id)
            for site_id, location_ids in locations_by_site.items()
            for location_id in location_ids
        ]
        location_ids = [location_id for location_id, _site_id in sellable]
        row = self.env.execute_query(
            SQL(
                """SELECT stock.product_ids, stock.location_ids, stock.quantities,
                          luxury_oms_open_moves(%(product_array)s, %(moves_locations)s, %(open)s),
                          luxury_oms_active_holds(%(product_array)s, %(sites)s, %(buyers)s,
                                                  %(buyer_rank)s, %(excluded)s)
                     FROM (SELECT array_agg(product_id), array_agg(location_id),
                                  array_agg(quantity::float8)
                             FROM (SELECT product_id, location_id,
                                          COALESCE(SUM(quantity), 0) AS quantity
                                     FROM stock_quant
                                    WHERE product_id = ANY(%(products)s)
                                      AND location_id = ANY(%(locations)s)
                                 GROUP BY product_id, location_id) AS stock
                          ) AS stock(product_ids, location_ids, quantities)""",
                locations=location_ids,
                products=product_ids,
                product_array=SQL("%s::int[]", product_ids),
                moves_locations=SQL("%s::int[]", location_ids),
                open=SQL("%s::varchar[]", list(OPEN_MOVE_STATES)),
                sites=SQL("%s::int[]", warehouse_ids),
                buyers=SQL("%s::int[]", buyers),
                # A tier hold serves clients of that tier and above.
                buyer_rank=SQL(
                    "%s::int", Tier._oms_rank_of(partner.oms_tier_id.id) if partner else None
                ),
                excluded=SQL("%s::int[]", list(excluded_hold_ids)),
            )
        )[0]
        products, locations, quantities, moves, holds = (part or [] for part in row)
        site_of = dict(sellable)
        if len(set(site_of.values())) == len(site_of):
            # Each site has one sellable location (the common case): the rows are already
            # per product and site, and become the on-hand mapping without a Python loop.
            stock = []
            on_hand = zip(
                zip(products, map(site_of.__getitem__, locations), strict=True),
                quantities,
                strict=True,
            )
        else:
            stock, on_hand = zip(products, locations, quantities, strict=True), ()
        facts = StockFacts.from_parts([], [], sellable, stock, moves, holds, on_hand)
        facts.category_chains = self._category_chains(product_ids)
        return facts

    def _category_chains(self, product_ids):
        """``{product id: category chain, leaf first}`` of the storable products among
        ``product_ids``. Kept per worker (``_category_chain_memo``), read for the products
        it does not know yet (one statement): a product's family rarely changes, and every
        availability read needs it. A change of family or of storability, or a family moved,
        clears it (product.template, product.category)."""
        known = self._category_chain_memo()
        missing = [product_id for product_id in product_ids if product_id not in known]
        if missing:
            self.env["product.product"].flush_model(["product_tmpl_id"])
            self.env["product.template"].flush_model(["is_storable", "categ_id"])
            self.env["product.category"].flush_model(["parent_path"])
            rows = self.env.execute_query(
                SQL(
                    """SELECT product.id, template.is_storable, category.parent_path
                         FROM product_product product
                         JOIN product_template template
                           ON template.id = product.product_tmpl_id
                    LEFT JOIN product_category category ON category.id = template.categ_id
                        WHERE product.id = ANY(%s)""",
                    missing,
                )
            )
            for product_id, storable, path in rows:
                known[product_id] = category_chain(path) if storable else None
        return {
            product_id: chain
            for product_id in product_ids
            if (chain := known.get(product_id)) is not None
        }

    @tools.ormcache()
    def _category_chain_memo(self):
        """The registry's memo of ``_category_chains``: filled as products are read,
        emptied with the registry's cache."""
        return {}

    def _flush_facts(self):
        self.env["stock.warehouse"]._oms_flush_sellable_locations()
        self.env["stock.warehouse"].flush_model(["company_id"])
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["is_storable", "categ_id"])
        self.env["product.category"].flush_model(["parent_path"])
        self.env["luxury.oms.buffer.rule"].flush_model()
        self.env["stock.quant"].flush_model(["product_id", "location_id", "quantity"])
        self.env["stock.move"].flush_model(
            ["product_id", "location_id", "location_dest_id", "state", "product_qty", "date",
             "move_orig_ids", "move_dest_ids"]
        )  # fmt: skip
        self.env["luxury.oms.stock.promise"].flush_model(["product_id", "location_id", "quantity"])
        self.env["luxury.oms.hold"].flush_model(
            ["state", "product_id", "warehouse_id", "remaining_qty", "beneficiary_type",
             "partner_id", "tier_id", "event_partner_ids"]
        )  # fmt: skip
        self.env["luxury.oms.tier"].flush_model(["rank"])
