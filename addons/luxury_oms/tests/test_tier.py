from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import LuxuryOmsCase


class TestTier(LuxuryOmsCase):
    def test_tiers_are_ordered_by_rank(self):
        tiers = self.env["luxury.oms.tier"].search([("code", "like", "test-")])
        self.assertEqual(tiers.mapped("code"), ["test-icon", "test-gold"])

    def test_partner_tier_and_count(self):
        self.client.oms_tier_id = self.tier_gold
        self.assertEqual(self.client.oms_tier_rank, 910)
        self.assertEqual(self.tier_gold.partner_count, 1)
        self.assertEqual(self.tier_icon.partner_count, 0)
        action = self.tier_gold.action_view_partners()
        self.assertEqual(self.env["res.partner"].search(action["domain"]), self.client)

    def test_preferred_boutique(self):
        self.client.oms_preferred_warehouse_id = self.milan
        self.assertEqual(self.client.oms_preferred_warehouse_id.oms_site_type, "boutique")

    def test_negative_rank_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env["luxury.oms.tier"].create({"name": "Bad", "code": "bad", "rank": -1})

    @mute_logger("odoo.sql_db")
    def test_rank_is_unique(self):
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["luxury.oms.tier"].create({"name": "Dup", "code": "dup", "rank": 910})

    def test_tier_in_use_cannot_be_deleted(self):
        self.client.oms_tier_id = self.tier_gold
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.tier_gold.unlink()
