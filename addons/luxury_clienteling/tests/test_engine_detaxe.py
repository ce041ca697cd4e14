import unittest

from odoo.addons.luxury_clienteling.engine.detaxe import BELOW_MINIMUM
from odoo.addons.luxury_clienteling.engine.detaxe import NO_RESIDENCE
from odoo.addons.luxury_clienteling.engine.detaxe import NO_TAX
from odoo.addons.luxury_clienteling.engine.detaxe import SAME_CUSTOMS_UNION
from odoo.addons.luxury_clienteling.engine.detaxe import detaxe_refusal


class TestDetaxe(unittest.TestCase):
    def test_visitor_from_outside_the_union_above_minimum_is_eligible(self):
        self.assertIsNone(detaxe_refusal("JP", "FR", 3000.0, 500.0, 100.01))
        self.assertIsNone(detaxe_refusal("CH", "IT", 100.01, 18.0, 100.01))

    def test_resident_of_the_union_is_not(self):
        self.assertEqual(detaxe_refusal("IT", "FR", 3000.0, 500.0, 100.01), SAME_CUSTOMS_UNION)
        self.assertEqual(detaxe_refusal("FR", "FR", 3000.0, 500.0, 100.01), SAME_CUSTOMS_UNION)

    def test_outside_the_union_the_union_is_the_country(self):
        self.assertEqual(detaxe_refusal("GB", "GB", 3000.0, 500.0, 0), SAME_CUSTOMS_UNION)
        self.assertIsNone(detaxe_refusal("FR", "GB", 3000.0, 500.0, 0))

    def test_small_untaxed_or_unknown_residence(self):
        self.assertEqual(detaxe_refusal("JP", "FR", 100.0, 16.67, 100.01), BELOW_MINIMUM)
        self.assertEqual(detaxe_refusal("JP", "FR", 3000.0, 0.0, 100.01), NO_TAX)
        self.assertEqual(detaxe_refusal(None, "FR", 3000.0, 500.0, 100.01), NO_RESIDENCE)
