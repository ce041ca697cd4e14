from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL

from .luxury_oms_availability import OPEN_MOVE_STATES

# A row not re-read for this long is re-read by the cron, whatever changed; the catalogue is
# searched for pairs without a row as often.
SAFETY_NET_AGE = relativedelta(days=1)
# A refresh that finds a row's figures unchanged leaves the row alone (a new row version
# would make a taker racing for the pair start again) unless it was last written this long
# ago: its Refreshed At then says it was checked, and the safety net passes it by.
UNCHANGED_KEPT_FOR = relativedelta(hours=12)
SCANNED_AT_PARAM = "luxury_oms.availability_catalogue_scanned_at"
SNAPSHOT_COLUMNS = (
    "id",
    "on_hand",
    "reserved",
    "buffer",
    "held",
    "available_to_sell",
    "incoming_qty",
    "next_incoming_date",
    "buffer_rule_id",
)


class LuxuryOmsStockSlot(models.Model):
    """One row per (product, site) of the maison: the lock every taker writes, and the
    stored availability the back office reads (list, pivot, graph, alerts).

    Takers (sale confirmation, channel API, POS, holds) update the row in the same
    transaction as their availability check, which is what makes concurrent takers
    conflict instead of both succeeding. The figures are exact at commit: every change of
    stock, moves, holds, buffer rules or sellable locations refreshes the rows it touches
    before its transaction commits (see luxury_oms_stock_slot_tracking.py); a change too
    wide for one transaction marks its rows stale (``stale_since``) for the cron. The API
    and takers always compute live.

    Rows exist for the maison's sites (``stock.warehouse._oms_sites``) and the storable
    products stocked or moved there.
    """

    _name = "luxury.oms.stock.slot"
    _description = "Availability per Product and Site"
    _order = "product_id, warehouse_id"
    _rec_name = "product_id"

    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, ondelete="cascade", index=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Site", required=True, readonly=True, ondelete="cascade"
    )
    categ_id = fields.Many2one(related="product_id.categ_id", store=True, string="Family")
    tracking = fields.Selection(related="product_id.tracking", store=True)
    site_type = fields.Selection(related="warehouse_id.oms_site_type", store=True)
    company_id = fields.Many2one(related="warehouse_id.company_id", store=True)
    on_hand = fields.Float(readonly=True, digits="Product Unit", aggregator="sum")
    reserved = fields.Float(readonly=True, digits="Product Unit", aggregator="sum")
    buffer = fields.Float(readonly=True, digits="Product Unit", aggregator="sum")
    held = fields.Float(readonly=True, digits="Product Unit", aggregator="sum")
    available_to_sell = fields.Float(
        string="ATS", readonly=True, digits="Product Unit", aggregator="sum"
    )
    incoming_qty = fields.Float(string="Incoming", readonly=True, digits="Product Unit")
    next_incoming_date = fields.Date(readonly=True)
    buffer_rule_id = fields.Many2one(
        "luxury.oms.buffer.rule",
        readonly=True,
        ondelete="set null",
        help="The buffer rule that applied: the most specific one.",
    )
    take_count = fields.Integer(readonly=True, help="Takes serialised on this row.")
    refreshed_at = fields.Datetime(string="Refreshed At", readonly=True)
    stale_since = fields.Datetime(
        string="Being Recomputed Since",
        readonly=True,
        index="btree_not_null",
        help="Set when a change too wide to be applied at once (a buffer rule over the "
        "catalogue, a site's sellable locations, Refresh now) left this row to the cron.",
    )

    is_short = fields.Boolean(
        string="Short",
        compute="_compute_is_short",
        search="_search_is_short",
        help="Available to sell at or under the company's short threshold.",
    )
    channel_ids = fields.Many2many(
        "luxury.oms.channel",
        string="Channels",
        compute="_compute_channel_ids",
        search="_search_channel_ids",
        help="The channels that sell from this site.",
    )

    promised = fields.Float(
        compute="_compute_promised",
        digits="Product Unit",
        help="Of the reserved units: taken by channel orders whose deliveries are being "
        "made (for seconds, unless making them failed).",
    )

    _product_site_unique = models.Constraint(
        "unique (product_id, warehouse_id)", "One availability row per product and site."
    )

    @api.depends("available_to_sell", "company_id.oms_short_threshold")
    def _compute_is_short(self):
        for slot in self:
            slot.is_short = slot.available_to_sell <= slot.company_id.oms_short_threshold

    def _search_is_short(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        # Each row against its own company's threshold.
        short = Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain("available_to_sell", "<=", company.oms_short_threshold)
            for company in self.env["res.company"].sudo().search([])
        )
        return short if (operator == "=") == value else ~short

    def _compute_promised(self):
        # A figure of the row, read for whoever may read the row (boutique staff too).
        groups = (
            self.env["luxury.oms.stock.promise"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", self.product_id.ids),
                    ("warehouse_id", "in", self.warehouse_id.ids),
                ],
                ["product_id", "warehouse_id"],
                ["quantity:sum"],
            )
        )
        promised = {(product.id, site.id): quantity for product, site, quantity in groups}
        for slot in self:
            slot.promised = promised.get((slot.product_id.id, slot.warehouse_id.id), 0.0)

    @api.depends("warehouse_id")
    def _compute_channel_ids(self):
        for slot in self:
            slot.channel_ids = slot.warehouse_id.sudo().oms_channel_ids

    def _search_channel_ids(self, operator, value):
        if operator not in ("in", "any"):
            return NotImplemented
        if operator == "any":
            channels = self.env["luxury.oms.channel"].search(value)
        else:
            channels = self.env["luxury.oms.channel"].browse(value)
        return [("warehouse_id", "in", channels.warehouse_ids.ids)]

    @api.model
    def _oms_ensure(self, keys):
        """Create the missing rows for (product_id, warehouse_id) ``keys``."""
        if not keys:
            return
        product_ids, warehouse_ids = zip(*sorted(keys), strict=True)
        self._oms_insert_missing(
            SQL(
                "SELECT * FROM unnest(%s::int[], %s::int[])", list(product_ids), list(warehouse_ids)
            )
        )

    def _oms_insert_missing(self, pairs, governed_only=False):
        """Insert a row for each (product_id, warehouse_id) of the ``pairs`` query that has
        none: one set-based INSERT of the missing ones (an anti-join, not a conflict per
        existing row), ON CONFLICT for a taker creating its row meanwhile. Plain SQL, so the
        stored related fields are filled here too. ``governed_only`` keeps the storable
        products at the maison's sites (a taker's lock row is made wherever it takes)."""
        self.env["product.product"].flush_model(["product_tmpl_id", "active"])
        self.env["product.template"].flush_model(["is_storable", "categ_id", "tracking", "active"])
        self.env["stock.warehouse"].flush_model(["oms_site_type", "company_id", "active"])
        self.env.execute_query(
            SQL(
                """INSERT INTO luxury_oms_stock_slot
                          (product_id, warehouse_id, categ_id, tracking, site_type, company_id,
                           take_count, create_uid, create_date, write_uid, write_date)
                   SELECT pairs.product_id, pairs.warehouse_id, template.categ_id,
                          template.tracking, warehouse.oms_site_type, warehouse.company_id, 0,
                          %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                     FROM (%(pairs)s) AS pairs(product_id, warehouse_id)
                     JOIN product_product product ON product.id = pairs.product_id
                     JOIN product_template template ON template.id = product.product_tmpl_id
                     JOIN stock_warehouse warehouse ON warehouse.id = pairs.warehouse_id
                    WHERE NOT EXISTS (SELECT 1 FROM luxury_oms_stock_slot slot
                                       WHERE slot.product_id = pairs.product_id
                                         AND slot.warehouse_id = pairs.warehouse_id)
                      AND (NOT %(governed_only)s OR (template.is_storable AND %(governed)s))
              ON CONFLICT (product_id, warehouse_id) DO NOTHING""",
                uid=self.env.uid,
                pairs=pairs,
                governed_only=governed_only,
                governed=self._oms_governed_site_sql(SQL("warehouse.id")),
            )
        )

    def _oms_governed_site_sql(self, warehouse_id):
        """SQL condition: ``warehouse_id`` is a site of the maison (a channel sells from it,
        as ``stock.warehouse._oms_sites`` says)."""
        return SQL(
            """EXISTS (SELECT 1 FROM luxury_oms_channel_warehouse_rel governed
                        WHERE governed.warehouse_id = %s)""",
            warehouse_id,
        )

    @api.model
    def _oms_lock(self, keys):
        """Take the rows of ``keys`` in a fixed order (no deadlock) and write them.

        Writing, not only locking, matters: under REPEATABLE READ a transaction whose
        snapshot predates another taker's commit then fails to update the row and is
        retried by Odoo with a fresh snapshot.
        """
        keys = sorted(keys)
        self._oms_ensure(keys)
        product_ids, warehouse_ids = zip(*keys, strict=True)
        self.env.execute_query(
            SQL(
                """UPDATE luxury_oms_stock_slot
                      SET take_count = take_count + 1
                    WHERE id IN (
                        SELECT slot.id
                          FROM luxury_oms_stock_slot slot
                          JOIN unnest(%s::int[], %s::int[]) AS keys(product_id, warehouse_id)
                            ON slot.product_id = keys.product_id
                           AND slot.warehouse_id = keys.warehouse_id
                      ORDER BY slot.id
                           FOR UPDATE OF slot)""",
                list(product_ids),
                list(warehouse_ids),
            )
        )
        # Written in SQL only: nothing to flush (and no stale row to refresh mid-take).
        self.invalidate_model(["take_count"], flush=False)

    @api.model
    def _oms_refresh_keys(self, keys):
        """Have the rows of (product_id, warehouse_id) ``keys`` exact at commit."""
        self._oms_track_pairs(keys)

    def _oms_refresh(self, rows=None):
        """Recompute the snapshot of these rows: one availability batch, one UPDATE.
        ``rows``: their (id, product id, site id), when the caller read them already."""
        if not self:
            return
        if rows is None:
            rows = [(slot.id, slot.product_id.id, slot.warehouse_id.id) for slot in self]
        product_ids = {product_id for _slot_id, product_id, _site_id in rows}
        availability = self.env["luxury.oms.availability"]._compute_availability(
            self.env["product.product"].browse(product_ids),
            self.env["stock.warehouse"].browse({site_id for _slot_id, _pid, site_id in rows}),
        )
        columns = {name: [] for name in SNAPSHOT_COLUMNS}
        for slot_id, product_id, site_id in rows:
            figures = availability[product_id, site_id]
            columns["id"].append(slot_id)
            columns["on_hand"].append(figures.on_hand)
            columns["reserved"].append(figures.reserved)
            columns["buffer"].append(figures.buffer)
            columns["held"].append(figures.held)
            columns["available_to_sell"].append(figures.available_to_sell)
            columns["incoming_qty"].append(figures.incoming_qty)
            columns["next_incoming_date"].append(
                figures.incoming[0][0] if figures.incoming else None
            )
            columns["buffer_rule_id"].append(figures.buffer_rule_id)
        self.env.execute_query(
            SQL(
                """UPDATE luxury_oms_stock_slot slot
                      SET on_hand = v.on_hand, reserved = v.reserved, buffer = v.buffer,
                          held = v.held, available_to_sell = v.available_to_sell,
                          incoming_qty = v.incoming_qty,
                          next_incoming_date = v.next_incoming_date,
                          buffer_rule_id = v.buffer_rule_id,
                          refreshed_at = now() at time zone 'UTC', stale_since = NULL
                     FROM unnest(%s::int[], %s::float[], %s::float[], %s::float[], %s::float[],
                                 %s::float[], %s::float[], %s::date[], %s::int[])
                          AS v(id, on_hand, reserved, buffer, held, available_to_sell,
                               incoming_qty, next_incoming_date, buffer_rule_id)
                    WHERE slot.id = v.id
                      AND (slot.stale_since IS NOT NULL OR slot.refreshed_at IS NULL
                           OR slot.refreshed_at < %s
                           OR (slot.on_hand, slot.reserved, slot.buffer, slot.held,
                               slot.available_to_sell, slot.incoming_qty,
                               slot.next_incoming_date, slot.buffer_rule_id)
                              IS DISTINCT FROM
                              (v.on_hand, v.reserved, v.buffer, v.held, v.available_to_sell,
                               v.incoming_qty, v.next_incoming_date, v.buffer_rule_id))""",
                *columns.values(),
                self.env.cr.now() - UNCHANGED_KEPT_FOR,
            )
        )
        self.invalidate_recordset()
        self.env["luxury.oms.availability.watch"]._oms_check(product_ids)

    # Drill-down: what is behind a row's figures ---------------------------------------

    def action_open_quants(self):
        """The pieces on hand at the site's sellable locations."""
        self.ensure_one()
        return self._oms_window(
            "stock.quant",
            self.env._("On hand: %(product)s at %(site)s", **self._oms_names()),
            [("product_id", "=", self.product_id.id), ("location_id", "in", self._oms_sellable())],
        )

    def action_open_reservations(self):
        """The open moves taking the site's sellable stock, and those bringing stock in."""
        self.ensure_one()
        sellable = self._oms_sellable()
        return self._oms_window(
            "stock.move",
            self.env._("Reserved and incoming: %(product)s at %(site)s", **self._oms_names()),
            [
                ("product_id", "=", self.product_id.id),
                ("state", "in", list(OPEN_MOVE_STATES)),
                "|",
                ("location_id", "in", sellable),
                ("location_dest_id", "in", sellable),
            ],
        )

    def action_open_promises(self):
        """The channel orders whose deliveries are being made, and the units they took."""
        self.ensure_one()
        return self._oms_window(
            "luxury.oms.stock.promise",
            self.env._("Promised: %(product)s at %(site)s", **self._oms_names()),
            [("product_id", "=", self.product_id.id), ("warehouse_id", "=", self.warehouse_id.id)],
        )

    def action_open_holds(self):
        self.ensure_one()
        return self._oms_window(
            "luxury.oms.hold",
            self.env._("Holds: %(product)s at %(site)s", **self._oms_names()),
            [
                ("product_id", "=", self.product_id.id),
                ("warehouse_id", "=", self.warehouse_id.id),
                ("state", "=", "active"),
            ],
        )

    def action_open_buffer_rule(self):
        self.ensure_one()
        action = self._oms_window(
            "luxury.oms.buffer.rule",
            self.env._("Buffer rule: %(product)s at %(site)s", **self._oms_names()),
            [("id", "=", self.buffer_rule_id.id)],
        )
        action.update(view_mode="form", res_id=self.buffer_rule_id.id, views=[(False, "form")])
        return action

    def _oms_names(self):
        return {"product": self.product_id.display_name, "site": self.warehouse_id.name}

    def _oms_sellable(self):
        return self.warehouse_id._oms_sellable_locations_by_site()[self.warehouse_id.id]

    def _oms_window(self, model, name, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "context": {"create": False},
        }

    def action_refresh_all(self):
        """Recompute every row, whatever rows the caller selected (the list's header
        button sends the selection, often none: not an ``api.model`` method). A maison's
        catalogue at all its sites is millions of rows: every row is marked as being
        recomputed at once, and the cron refreshes them in batches, off the request.

        Checked here, not by the button's groups: any authenticated RPC caller (a channel's
        key included) may call a public method, and a full refresh loads the server."""
        self._oms_check_refresh_allowed()
        self._oms_request_refresh()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Refresh queued"),
                "message": self.env._(
                    "Every row is being recomputed in the background; until then it shows "
                    "since when. The figures are otherwise kept exact as stock changes."
                ),
            },
        }

    def _oms_check_refresh_allowed(self):
        if not (self.env.su or self.env.user.has_group("luxury_oms.group_oms_stock_controller")):
            raise AccessError(
                self.env._(
                    "Only stock controllers and OMS managers may refresh availability in bulk."
                )
            )

    def _oms_request_refresh(self):
        self.env.execute_query(
            SQL(
                """UPDATE luxury_oms_stock_slot
                      SET stale_since = now() at time zone 'UTC'
                    WHERE stale_since IS NULL"""
            )
        )
        self.invalidate_model(["stale_since"], flush=False)
        # The catalogue is searched again too, for pieces that arrived without a row.
        self.env["ir.config_parameter"].sudo().set_param(SCANNED_AT_PARAM, False)
        self.env.ref("luxury_oms.ir_cron_refresh_availability").sudo()._trigger()

    @api.model
    def _cron_refresh(self, products_per_batch=500):
        """Drop the rows outside the maison, then, a few hundred products at a time (one
        availability read per batch keeps memory flat, and no transaction holds the rows
        long), create the missing rows of the maison's products and refresh the stale
        ones, committing each batch. When the cron's time is up it stops; Odoo runs it
        again at once and it goes on with what is still missing or stale."""
        self._oms_drop_ungoverned()
        unlisted = self._oms_unlisted_product_ids() if self._oms_catalogue_scan_due() else []
        known = set(unlisted)
        product_ids = unlisted + [
            product_id for product_id in self._oms_stale_product_ids() if product_id not in known
        ]
        Cron = self.env["ir.cron"]
        Cron._commit_progress(remaining=len(product_ids))
        for start in range(0, len(product_ids), products_per_batch):
            batch = product_ids[start : start + products_per_batch]
            self._oms_ensure_all(batch)
            self.search([("product_id", "in", batch)])._oms_refresh()
            if not Cron._commit_progress(len(batch)):
                break

    def _oms_stale_product_ids(self):
        """The products with a stale row, the stalest first: marked as being recomputed
        (a wide rule change, Refresh now), never refreshed, or not re-read for a day (a
        safety net: the rows are kept exact as stock changes; re-reading every row at
        every run would cost a thousand-site maison a full availability read per run)."""
        cutoff = self.env.cr.now() - SAFETY_NET_AGE
        return [
            product_id
            for (product_id,) in self.env.execute_query(
                SQL(
                    """SELECT product_id FROM luxury_oms_stock_slot
                        WHERE stale_since IS NOT NULL OR refreshed_at IS NULL
                           OR refreshed_at < %s
                     GROUP BY product_id
                     ORDER BY MIN(LEAST(stale_since, COALESCE(refreshed_at, '-infinity'))),
                              product_id""",
                    cutoff,
                )
            )
        ]

    def _oms_carried_sql(self, product_ids=None):
        """SQL of the (product, site) pairs the maison carries: its storable, active products
        stocked or moved at one of its sites (``product_ids``: those products only). Not
        every product at every site: a thousand boutiques never carry most of a catalogue,
        and rows for them would drown what is short where a piece is carried."""

        def only(column):
            return SQL("AND %s = ANY(%s)", SQL(column), list(product_ids)) if product_ids else SQL()

        return SQL(
            """SELECT DISTINCT located.product_id, located.warehouse_id
                 FROM (SELECT quant.product_id, location.warehouse_id
                         FROM stock_quant quant
                         JOIN stock_location location ON location.id = quant.location_id
                        WHERE location.warehouse_id IS NOT NULL %(only_quant)s
                        UNION
                       SELECT move.product_id, location.warehouse_id
                         FROM stock_move move
                         JOIN stock_location location
                           ON location.id IN (move.location_id, move.location_dest_id)
                        WHERE location.warehouse_id IS NOT NULL %(only_move)s
                      ) AS located
                 JOIN stock_warehouse warehouse
                   ON warehouse.id = located.warehouse_id AND warehouse.active
                 JOIN product_product product
                   ON product.id = located.product_id AND product.active
                 JOIN product_template template
                   ON template.id = product.product_tmpl_id AND template.is_storable
                WHERE %(governed)s""",
            only_quant=only("quant.product_id"),
            only_move=only("move.product_id"),
            governed=self._oms_governed_site_sql(SQL("warehouse.id")),
        )

    def _oms_flush_located(self):
        self.env["stock.quant"].flush_model(["product_id", "location_id"])
        self.env["stock.move"].flush_model(["product_id", "location_id", "location_dest_id"])
        self.env["stock.location"].flush_model(["warehouse_id"])

    def _oms_catalogue_scan_due(self):
        """Whether the cron searches the whole catalogue for pairs without a row: once a
        day, or at once after *Refresh now*. Rows are made as stock moves; the search (every
        quant and move of the maison: half a minute at a thousand sites) catches pieces that
        came in around the ORM, an import or a restore."""
        Param = self.env["ir.config_parameter"].sudo()
        scanned_at = fields.Datetime.to_datetime(Param.get_param(SCANNED_AT_PARAM) or None)
        now = self.env.cr.now()
        if scanned_at and scanned_at > now - SAFETY_NET_AGE:
            return False
        Param.set_param(SCANNED_AT_PARAM, fields.Datetime.to_string(now))
        return True

    def _oms_unlisted_product_ids(self):
        """The maison's products carried at one of its sites without a row there."""
        self._oms_flush_located()
        return [
            product_id
            for (product_id,) in self.env.execute_query(
                SQL(
                    """SELECT DISTINCT carried.product_id
                         FROM (%s) AS carried(product_id, warehouse_id)
                        WHERE NOT EXISTS (SELECT 1 FROM luxury_oms_stock_slot slot
                                           WHERE slot.product_id = carried.product_id
                                             AND slot.warehouse_id = carried.warehouse_id)
                     ORDER BY carried.product_id""",
                    self._oms_carried_sql(),
                )
            )
        ]

    def _oms_ensure_all(self, product_ids=None):
        """A row for each pair the maison carries (of ``product_ids``: those products only)."""
        self._oms_flush_located()
        self._oms_insert_missing(self._oms_carried_sql(product_ids), governed_only=True)

    def _oms_drop_ungoverned(self):
        """Rows of warehouses that are no (longer a) site of the maison, or of products no
        longer storable or active, go: a taker at such a place makes its lock row again."""
        self.env.execute_query(
            SQL(
                """DELETE FROM luxury_oms_stock_slot slot
                    USING product_product product, product_template template,
                          stock_warehouse warehouse
                    WHERE product.id = slot.product_id
                      AND template.id = product.product_tmpl_id
                      AND warehouse.id = slot.warehouse_id
                      AND (NOT template.is_storable OR NOT product.active
                           OR NOT warehouse.active OR NOT %s)""",
                self._oms_governed_site_sql(SQL("slot.warehouse_id")),
            )
        )
        self.invalidate_model()
