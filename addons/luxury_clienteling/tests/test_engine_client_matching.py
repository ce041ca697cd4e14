import unittest

from odoo.addons.luxury_clienteling.engine.client_matching import find_duplicates
from odoo.addons.luxury_clienteling.engine.client_matching import normalize_email
from odoo.addons.luxury_clienteling.engine.client_matching import phone_key


class TestClientMatching(unittest.TestCase):
    def test_normalize_email(self):
        self.assertEqual(normalize_email("  Anna.Rossi@Example.COM "), "anna.rossi@example.com")
        self.assertIsNone(normalize_email("not an email"))
        self.assertIsNone(normalize_email(None))

    def test_phone_key_ignores_prefix_and_format(self):
        self.assertEqual(phone_key("+33 6 12 34 56 78"), phone_key("06.12.34.56.78"))
        self.assertEqual(phone_key("0033612345678"), "612345678")
        self.assertIsNone(phone_key("12 34"), "too short to identify anybody")

    def test_new_client_duplicates_oldest_existing_match(self):
        existing = [(7, "anna@example.com", None, 7), (3, None, "+39 333 123 4567", 3)]
        new = [(10, "ANNA@example.com", "3331234567", 10)]
        self.assertEqual(find_duplicates(new, existing), {10: 3})

    def test_same_commercial_entity_is_not_a_duplicate(self):
        existing = [(5, "office@maison.com", None, 5)]
        new = [(6, "office@maison.com", None, 5)]
        self.assertEqual(find_duplicates(new, existing), {})

    def test_within_a_batch_only_the_later_record_is_flagged(self):
        new = [(11, "twin@example.com", None, 11), (12, "twin@example.com", None, 12)]
        self.assertEqual(find_duplicates(new, []), {12: 11})

    def test_no_shared_key_no_duplicate(self):
        existing = [(1, "a@example.com", "0611111111", 1)]
        new = [(2, "b@example.com", "0622222222", 2)]
        self.assertEqual(find_duplicates(new, existing), {})
