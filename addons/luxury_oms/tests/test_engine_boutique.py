import unittest

from odoo.addons.luxury_oms.engine.availability import site_availability
from odoo.addons.luxury_oms.engine.boutique import PICKUP_CODE_ALPHABET
from odoo.addons.luxury_oms.engine.boutique import attempts_left
from odoo.addons.luxury_oms.engine.boutique import explain_shortage
from odoo.addons.luxury_oms.engine.boutique import generate_pickup_code
from odoo.addons.luxury_oms.engine.boutique import pickup_code_matches


class TestExplainShortage(unittest.TestCase):
    def test_no_reason_when_the_request_fits(self):
        availability = site_availability(on_hand=3, reserved=1, held_total=0)
        self.assertEqual(explain_shortage(availability, 2), [])

    def test_reserved_held_and_buffer_are_named(self):
        availability = site_availability(on_hand=3, reserved=1, held_total=1)
        self.assertEqual(explain_shortage(availability, 2), [("reserved", 1), ("held", 1)])

    def test_own_hold_is_not_a_reason(self):
        availability = site_availability(on_hand=1, reserved=0, held_total=1, held_for_buyer=1)
        self.assertEqual(explain_shortage(availability, 1), [])

    def test_missing_stock_is_named(self):
        availability = site_availability(on_hand=1, reserved=0, held_total=0)
        self.assertEqual(explain_shortage(availability, 2), [("no_stock", 1)])


class TestPickupCode(unittest.TestCase):
    def test_code_avoids_taken_codes_and_ambiguous_characters(self):
        taken = set()
        for _index in range(50):
            code = generate_pickup_code(taken.__contains__)
            self.assertEqual(len(code), 6)
            self.assertTrue(set(code) <= set(PICKUP_CODE_ALPHABET))
            self.assertNotIn(code, taken)
            taken.add(code)
        self.assertFalse(set("01OIL") & set(PICKUP_CODE_ALPHABET))

    def test_gives_up_when_every_code_is_taken(self):
        with self.assertRaises(RuntimeError):
            generate_pickup_code(lambda code: True, attempts=3)

    def test_match_ignores_case_and_spaces_only(self):
        self.assertTrue(pickup_code_matches("AB3CD4", " ab3 cd4 "))
        self.assertFalse(pickup_code_matches("AB3CD4", "AB3CD5"))
        self.assertFalse(pickup_code_matches("AB3CD4", None))
        self.assertFalse(pickup_code_matches(False, ""))

    def test_attempts_left_never_negative(self):
        self.assertEqual(attempts_left(2), 3)
        self.assertEqual(attempts_left(7), 0)
