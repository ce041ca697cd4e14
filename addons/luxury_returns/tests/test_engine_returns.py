import unittest
from datetime import date

from odoo.addons.luxury_returns.engine.returns import RequestedLine
from odoo.addons.luxury_returns.engine.returns import SoldLine
from odoo.addons.luxury_returns.engine.returns import Window
from odoo.addons.luxury_returns.engine.returns import allocate_return
from odoo.addons.luxury_returns.engine.returns import authenticity_verdict
from odoo.addons.luxury_returns.engine.returns import is_within_window
from odoo.addons.luxury_returns.engine.returns import pick_window
from odoo.addons.luxury_returns.engine.returns import window_deadline

# Category path of a product in "All / Leather / Bags" (ids 1 / 5 / 9), nearest first.
BAGS_PATH = [9, 5, 1]


class TestPickWindow(unittest.TestCase):
    def test_most_specific_category_wins(self):
        windows = [Window(1, 30), Window(2, 14, categ_id=5), Window(3, 7, categ_id=9)]
        self.assertEqual(pick_window(windows, None, BAGS_PATH).window_id, 3)

    def test_parent_category_applies_to_children(self):
        windows = [Window(1, 30), Window(2, 14, categ_id=5)]
        self.assertEqual(pick_window(windows, 4, BAGS_PATH).window_id, 2)

    def test_channel_breaks_ties_on_same_category(self):
        windows = [Window(1, 14, categ_id=5), Window(2, 60, channel_id=4, categ_id=5)]
        self.assertEqual(pick_window(windows, 4, BAGS_PATH).window_id, 2)
        self.assertEqual(pick_window(windows, 8, BAGS_PATH).window_id, 1)

    def test_category_beats_channel_alone(self):
        windows = [Window(1, 60, channel_id=4), Window(2, 14, categ_id=5)]
        self.assertEqual(pick_window(windows, 4, BAGS_PATH).window_id, 2)

    def test_other_category_and_channel_ignored(self):
        windows = [Window(1, 60, channel_id=8), Window(2, 14, categ_id=7)]
        self.assertIsNone(pick_window(windows, 4, BAGS_PATH))

    def test_tie_goes_to_shorter_window(self):
        windows = [Window(1, 30, categ_id=5), Window(2, 20, categ_id=5)]
        self.assertEqual(pick_window(windows, None, BAGS_PATH).window_id, 2)

    def test_deadline(self):
        window = Window(1, 30)
        delivered = date(2026, 1, 1)
        self.assertEqual(window_deadline(delivered, window), date(2026, 1, 31))
        self.assertTrue(is_within_window(delivered, window, date(2026, 1, 31)))
        self.assertFalse(is_within_window(delivered, window, date(2026, 2, 1)))
        self.assertTrue(is_within_window(delivered, None, date(2030, 1, 1)))


class TestAllocateReturn(unittest.TestCase):
    def setUp(self):
        self.sold = [
            SoldLine(1, "BAG", 2, serials=("S1", "S2"), tracked=True),
            SoldLine(2, "SCARF", 3),
        ]
        self.known = {("BAG", "S1"), ("BAG", "S2"), ("BAG", "S9")}

    def kinds(self, requested, sold=None):
        result = allocate_return(sold or self.sold, requested, self.known)
        return [error.kind for error in result.errors], result.allocations

    def test_genuine_serial_and_quantity(self):
        kinds, allocations = self.kinds([RequestedLine("BAG", 1, "S2"), RequestedLine("SCARF", 2)])
        self.assertEqual(kinds, [])
        self.assertEqual(
            [(a.line_id, a.qty, a.serial) for a in allocations], [(1, 1, "S2"), (2, 2, None)]
        )

    def test_more_than_delivered(self):
        kinds, _ = self.kinds([RequestedLine("SCARF", 4)])
        self.assertEqual(kinds, ["qty_exceeds"])

    def test_already_returned_counts(self):
        sold = [SoldLine(2, "SCARF", 3, already_returned_qty=2)]
        kinds, _ = self.kinds([RequestedLine("SCARF", 2)], sold)
        self.assertEqual(kinds, ["qty_exceeds"])

    def test_never_sold(self):
        kinds, _ = self.kinds([RequestedLine("WATCH", 1)])
        self.assertEqual(kinds, ["not_sold"])

    def test_unknown_sku(self):
        result = allocate_return(self.sold, [RequestedLine("NOPE", 1)], self.known, {"WATCH"})
        self.assertEqual([error.kind for error in result.errors], ["unknown_sku"])
        result = allocate_return(self.sold, [RequestedLine("WATCH", 1)], self.known, {"WATCH"})
        self.assertEqual([error.kind for error in result.errors], ["not_sold"])

    def test_serial_problems(self):
        kinds, allocations = self.kinds(
            [
                RequestedLine("BAG", 1, "S9"),
                RequestedLine("BAG", 1, "NOPE"),
                RequestedLine("BAG", 1),
                RequestedLine("BAG", 2, "S1"),
                RequestedLine("BAG", 1, "S1"),
                RequestedLine("BAG", 1, "S1"),
                RequestedLine("SCARF", 0),
            ]
        )
        self.assertEqual(
            kinds,
            [
                "serial_not_sold",
                "unknown_serial",
                "serial_required",
                "serial_qty",
                "serial_already_returned",
                "qty_not_positive",
            ],
        )
        self.assertEqual(len(allocations), 1)

    def test_serial_claimed_by_another_return(self):
        sold = [SoldLine(1, "BAG", 2, serials=("S1", "S2"), tracked=True, returned_serials=("S1",))]
        kinds, _ = self.kinds([RequestedLine("BAG", 1, "S1")], sold)
        self.assertEqual(kinds, ["serial_already_returned"])


class TestVerdict(unittest.TestCase):
    def test_verdicts(self):
        self.assertEqual(authenticity_verdict([]), "pending")
        self.assertEqual(authenticity_verdict(["pass", "pending"]), "pending")
        self.assertEqual(authenticity_verdict(["pass", "pass"]), "authentic")
        self.assertEqual(authenticity_verdict(["pending", "fail"]), "suspected")
