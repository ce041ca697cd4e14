from odoo import api
from odoo import models
from odoo.tools import SQL

STALE_PAIRS_KEY = "luxury_oms.stale_availability"
# A change touching more rows than this (a catalogue-wide buffer rule, a site's sellable
# locations) marks them stale and leaves them to the cron, after the commit.
IN_TRANSACTION_LIMIT = 2000


class LuxuryOmsStockSlot(models.Model):
    """Exact snapshot: every change that moves a figure marks the (product, site) pairs it
    touches; the transaction brings their rows up to date once, just before it commits (or
    before anything reads the rows in it), with one availability read and one UPDATE.

    The hooks sit where every change passes: quants (on hand), moves (reserved, incoming),
    holds and their consumptions, buffer rules, sellable locations. Pairs are collected in
    ``cr.precommit.data``, so a take that writes a dozen moves refreshes its pairs once.
    """

    _inherit = "luxury.oms.stock.slot"

    # Collecting -----------------------------------------------------------------------

    @api.model
    def _oms_track_pairs(self, pairs):
        """Mark (product_id, warehouse_id) ``pairs`` stale in this transaction."""
        self._oms_stale_pending()["pairs"].update(pairs)

    @api.model
    def _oms_track_located(self, located):
        """Mark (product_id, location_id) ``located`` stale: their sites are resolved at
        refresh time, in one statement for the whole transaction."""
        self._oms_stale_pending()["located"].update(located)

    def _oms_stale_pending(self):
        data = self.env.cr.precommit.data
        pending = data.get(STALE_PAIRS_KEY)
        if pending is None:
            pending = data[STALE_PAIRS_KEY] = {"pairs": set(), "located": set()}
            slots = self.with_env(self.env(su=True, context={}))
            self.env.cr.precommit.add(slots._oms_refresh_stale)
        return pending

    @api.model
    def _oms_track_scope(self, where):
        """Mark stale the rows matching the SQL condition ``where`` (on ``slot``): refreshed
        in this transaction when they are few, else by the cron after the commit. Either way
        ``stale_since`` says so on each row until it is refreshed: never silently stale."""
        rows = self.env.execute_query(
            SQL(
                """UPDATE luxury_oms_stock_slot slot
                      SET stale_since = COALESCE(slot.stale_since, now() at time zone 'UTC')
                    WHERE %s
                RETURNING slot.product_id, slot.warehouse_id""",
                where,
            )
        )
        self.invalidate_model(["stale_since"], flush=False)
        if len(rows) <= IN_TRANSACTION_LIMIT:
            self._oms_track_pairs(rows)
        else:
            self.env.ref("luxury_oms.ir_cron_refresh_availability").sudo()._trigger()

    @api.model
    def _oms_track_sites(self, warehouse_ids):
        """Every row of these sites: their sellable stock changed."""
        if warehouse_ids:
            self._oms_track_scope(SQL("slot.warehouse_id = ANY(%s)", list(warehouse_ids)))

    # Refreshing -------------------------------------------------------------------------

    def flush_model(self, fnames=None):
        # Whoever reads the rows in this transaction reads them up to date: a search, a
        # read_group or a read of the figures flushes them first...
        self._oms_refresh_stale()
        return super().flush_model(fnames)

    def _search(self, domain, *args, **kwargs):
        # ... but a search on no field (all rows, a count) flushes none.
        self._oms_refresh_stale()
        return super()._search(domain, *args, **kwargs)

    def _oms_refresh_stale(self):
        pending = self.env.cr.precommit.data.pop(STALE_PAIRS_KEY, None)
        if not pending or not (pending["pairs"] or pending["located"]):
            return
        slots = self.with_env(self.env(su=True, context={}))
        pairs = pending["pairs"] | slots._oms_sites_of_located(pending["located"])
        slots._oms_refresh_pairs(pairs)

    def _oms_sites_of_located(self, located):
        if not located:
            return set()
        self.env["stock.location"].flush_model(["warehouse_id"])
        product_ids, location_ids = zip(*located, strict=True)
        return set(
            self.env.execute_query(
                SQL(
                    """SELECT DISTINCT keys.product_id, location.warehouse_id
                         FROM unnest(%s::int[], %s::int[]) AS keys(product_id, location_id)
                         JOIN stock_location location ON location.id = keys.location_id
                        WHERE location.warehouse_id IS NOT NULL""",
                    list(product_ids),
                    list(location_ids),
                )
            )
        )

    def _oms_refresh_pairs(self, pairs):
        """Refresh the rows of ``pairs``, creating those missing: only the maison's sites and
        storable products get rows (see ``_oms_ensure_all``)."""
        pairs = {pair for pair in pairs if all(pair)}
        if not pairs:
            return
        product_ids, warehouse_ids = zip(*sorted(pairs), strict=True)
        keys = SQL("unnest(%s::int[], %s::int[])", list(product_ids), list(warehouse_ids))
        self._oms_insert_missing(SQL("SELECT * FROM %s", keys), governed_only=True)
        rows = self.env.execute_query(
            SQL(
                """SELECT slot.id, slot.product_id, slot.warehouse_id
                     FROM luxury_oms_stock_slot slot
                     JOIN %s AS keys(product_id, warehouse_id)
                       ON slot.product_id = keys.product_id
                      AND slot.warehouse_id = keys.warehouse_id""",
                keys,
            )
        )
        self.browse(row[0] for row in rows)._oms_refresh(rows)
