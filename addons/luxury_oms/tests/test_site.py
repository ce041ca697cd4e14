from datetime import datetime
from datetime import time
from datetime import timedelta

import pytz
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools import mute_logger

from .common import LuxuryOmsCase


class TestSite(LuxuryOmsCase):
    def test_site_defaults_to_its_stock_location_as_sellable(self):
        self.assertEqual(self.milan.oms_sellable_location_ids, self.milan.lot_stock_id)
        self.assertEqual(self.milan.oms_country_id, self.italy)

    def test_sellable_locations_include_children_but_not_quarantine(self):
        Location = self.env["stock.location"]
        shelf = Location.create({"name": "Shelf A", "location_id": self.milan.lot_stock_id.id})
        quarantine = Location.create(
            {
                "name": "Quarantine",
                "location_id": self.milan.lot_stock_id.id,
                "oms_unsellable_reason": "quarantine",
            }
        )
        inside_quarantine = Location.create({"name": "Q bin", "location_id": quarantine.id})
        sellable = (self.milan | self.rome)._oms_sellable_locations_by_site()
        self.assertIn(shelf.id, sellable[self.milan.id])
        self.assertIn(self.milan.lot_stock_id.id, sellable[self.milan.id])
        self.assertNotIn(quarantine.id, sellable[self.milan.id])
        self.assertNotIn(inside_quarantine.id, sellable[self.milan.id])
        self.assertNotIn(shelf.id, sellable[self.rome.id])
        self.assertIn(self.rome.lot_stock_id.id, sellable[self.rome.id])

    def test_sellable_location_must_belong_to_the_site(self):
        with self.assertRaisesRegex(ValidationError, "must be an internal location of site"):
            self.milan.oms_sellable_location_ids = self.rome.lot_stock_id

    def test_unsellable_location_cannot_be_a_sellable_root(self):
        quarantine = self.env["stock.location"].create(
            {
                "name": "Quarantine",
                "location_id": self.milan.lot_stock_id.id,
                "oms_unsellable_reason": "quarantine",
            }
        )
        with self.assertRaisesRegex(ValidationError, "marked as not sellable"):
            self.milan.oms_sellable_location_ids = quarantine

    @mute_logger("odoo.sql_db")
    def test_negative_capacity_is_refused(self):
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.milan.oms_daily_capacity = -1
            self.milan.flush_recordset()

    @mute_logger("odoo.sql_db")
    def test_courier_cut_off_is_a_time_of_day(self):
        for hours in (-1, 24, 30.5):
            with self.assertRaises(IntegrityError), self.env.cr.savepoint():
                self.milan.oms_courier_cutoff = hours
                self.milan.flush_recordset()
        self.milan.oms_courier_cutoff = 23.5
        self.milan.flush_recordset()

    @mute_logger("odoo.sql_db")
    def test_latitude_out_of_range_is_refused(self):
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.milan.oms_latitude = 91
            self.milan.flush_recordset()

    def test_site_lists_its_channels(self):
        self.assertEqual(self.milan.oms_channel_ids, self.channel)
        self.assertFalse(self.rome.oms_channel_ids)

    def _parcel_created_at(self, site, when):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": site.out_type_id.id,
                "location_id": site.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
        picking.flush_recordset()
        self.env.cr.execute(
            "UPDATE stock_picking SET create_date = %s WHERE id = %s", (when, picking.id)
        )
        picking.invalidate_recordset(["create_date"])
        return picking

    def test_capacity_counts_the_parcels_of_the_sites_own_day(self):
        """A site's day begins at midnight where it is: in its address's time zone, else in
        its company's, never the caller's. A parcel started a minute before that belongs to
        the day before."""
        self.milan.partner_id.tz = "Asia/Tokyo"
        self.rome.partner_id.tz = False
        self.rome.company_id.partner_id.tz = "America/New_York"
        # What a caller sends in its context changes no site's day.
        sites = (self.milan | self.rome).with_context(tz="Pacific/Kiritimati")
        for site, zone in ((self.milan, "Asia/Tokyo"), (self.rome, "America/New_York")):
            day_start = sites.filtered(lambda s, site=site: s == site)._oms_day_start()
            local = pytz.utc.localize(day_start).astimezone(pytz.timezone(zone))
            self.assertEqual((local.hour, local.minute), (0, 0), zone)
            now = pytz.utc.localize(self.env.cr.now()).astimezone(pytz.timezone(zone))
            self.assertEqual(local.date(), now.date(), zone)
            self._parcel_created_at(site, day_start - timedelta(minutes=1))
            self._parcel_created_at(site, day_start + timedelta(minutes=1))
        started = sites._oms_parcels_started_today()
        self.assertEqual((started[self.milan.id], started[self.rome.id]), (1, 1))

    def test_a_site_without_time_zone_keeps_utc_days_whoever_asks(self):
        """Neither the site's address nor its company says where it is: its day is UTC's,
        not the user's nor what a caller puts in its context."""
        self.dc.partner_id.tz = False
        self.dc.company_id.partner_id.tz = False
        self.env.user.tz = "Pacific/Kiritimati"
        site = self.dc.with_context(tz="Pacific/Kiritimati")
        self.assertEqual(
            site._oms_day_start(), datetime.combine(self.env.cr.now().date(), time.min)
        )

    def test_the_day_s_parcels_are_read_through_the_create_date_index(self):
        """Every sourced order counts the parcels its sites started today: through the
        create date index, bounded by the earliest day start, never a site's whole history
        (PostgreSQL is told to avoid full scans: a small test table would not need one)."""
        day_starts = {site.id: site._oms_day_start() for site in self.milan | self.rome}
        statement = self.env["stock.warehouse"]._oms_parcels_started_sql(day_starts)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        try:
            plan = "\n".join(row[0] for row in self.env.execute_query(SQL("EXPLAIN %s", statement)))
        finally:
            self.env.cr.execute("SET LOCAL enable_seqscan = on")
        self.assertIn("Index Scan on stock_picking_oms_create_date_idx", plan)
        # Bounded by a constant PostgreSQL weighs with its statistics, not per site.
        self.assertRegex(plan, r"Index Cond: \(create_date >= '[^']+'::timestamp")
