import unittest

from odoo.addons.luxury_clienteling.engine.suggestions import suggest_products


class TestSuggestions(unittest.TestCase):
    def test_recent_category_ranks_first_and_owned_products_are_skipped(self):
        bags, shoes = 1, 2
        candidates = [
            (100, shoes, "velvet loafer"),
            (101, bags, "riviera tote"),
            (102, bags, "riviera clutch"),
        ]
        result = suggest_products([bags, bags, shoes], candidates, [], owned={102})
        self.assertEqual([product for product, _score in result], [101, 100])

    def test_preferences_add_to_the_score(self):
        bags = 1
        candidates = [(100, bags, "black tote"), (101, bags, "burgundy tote")]
        result = suggest_products([bags], candidates, ["burgundy"], owned=set())
        self.assertEqual(result[0][0], 101)
        self.assertGreater(result[0][1], result[1][1])

    def test_unrelated_products_are_not_suggested(self):
        result = suggest_products([1], [(100, 9, "silk scarf")], ["gold"], owned=set())
        self.assertEqual(result, [])

    def test_products_without_a_category_share_none(self):
        candidates = [(100, False, "silk scarf"), (101, None, "silk pouch")]
        self.assertEqual(suggest_products([False, None], candidates, [], owned=set()), [])

    def test_limit(self):
        candidates = [(pid, 1, "ring") for pid in range(10)]
        self.assertEqual(len(suggest_products([1], candidates, [], set(), limit=3)), 3)
