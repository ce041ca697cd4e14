from datetime import datetime
from unittest import TestCase

from ..engine.fulfilment import CarrierRule
from ..engine.fulfilment import Piece
from ..engine.fulfilment import Step
from ..engine.fulfilment import chain_operations
from ..engine.fulfilment import handover_deadline
from ..engine.fulfilment import plan_tasks
from ..engine.fulfilment import ready_sequences
from ..engine.fulfilment import select_carrier
from ..engine.fulfilment import steps_for_operation
from ..engine.fulfilment import zone_path_of

STOCK = "1/5/"
LEATHER = "1/5/20/"
WATCHES = "1/5/30/"


class TestEngineFulfilmentPlan(TestCase):
    def test_zone_is_the_direct_child_of_stock(self):
        self.assertEqual(zone_path_of("1/5/20/21/22/", STOCK), LEATHER)
        self.assertEqual(zone_path_of(LEATHER, STOCK), LEATHER)
        self.assertEqual(zone_path_of(STOCK, STOCK), STOCK)
        self.assertEqual(zone_path_of("1/9/", STOCK), STOCK)

    def test_one_pick_task_per_zone(self):
        pieces = [Piece(1, "1/5/20/21/"), Piece(2, WATCHES), Piece(3, LEATHER)]
        plans = plan_tasks([Step(10, 10, "pick")], pieces, STOCK)
        self.assertEqual(
            [(p.zone_path, sorted(p.piece_ids)) for p in plans],
            [(LEATHER, [1, 3]), (WATCHES, [2])],
        )

    def test_dedicated_zone_step_claims_its_pieces(self):
        steps = [Step(10, 10, "pick"), Step(11, 10, "pick", WATCHES)]
        pieces = [Piece(1, LEATHER), Piece(2, "1/5/30/31/")]
        plans = plan_tasks(steps, pieces, STOCK)
        self.assertEqual(
            [(p.step_id, p.zone_path, p.piece_ids) for p in plans],
            [(10, LEATHER, [1]), (11, WATCHES, [2])],
        )

    def test_pick_step_without_pieces_yields_no_task(self):
        plans = plan_tasks([Step(11, 10, "pick", WATCHES)], [Piece(1, LEATHER)], STOCK)
        self.assertEqual(plans, [])

    def test_qc_per_piece_with_checklist_other_steps_per_parcel(self):
        steps = [Step(40, 40, "pack"), Step(20, 20, "qc"), Step(90, 90, "handover")]
        pieces = [Piece(1, LEATHER, True), Piece(2, WATCHES, False), Piece(3, WATCHES, True)]
        plans = plan_tasks(steps, pieces, STOCK)
        self.assertEqual(
            [(p.step_id, p.piece_ids) for p in plans],
            [(20, [1]), (20, [3]), (40, [1, 2, 3]), (90, [1, 2, 3])],
        )

    def test_next_step_opens_when_earlier_ones_are_closed(self):
        self.assertEqual(
            ready_sequences([(10, "done"), (10, "in_progress"), (40, "waiting")]), {10}
        )
        self.assertEqual(ready_sequences([(10, "done"), (10, "cancel"), (40, "waiting")]), {40})
        self.assertEqual(ready_sequences([(20, "failed"), (40, "waiting")]), {20})
        self.assertEqual(ready_sequences([(10, "done")]), set())

    def test_picked_and_checked_pieces_are_not_done_twice(self):
        steps = [Step(10, 10, "pick"), Step(20, 20, "qc"), Step(40, 40, "pack")]
        pieces = [
            Piece(1, LEATHER, True, picked=True, checked=True),
            Piece(2, WATCHES, True, picked=True),
            Piece(3, WATCHES, True),
        ]
        plans = plan_tasks(steps, pieces, STOCK)
        self.assertEqual(
            [(p.step_id, p.piece_ids) for p in plans],
            [(10, [3]), (20, [2]), (20, [3]), (40, [1, 2, 3])],
        )


class TestEngineFulfilmentRoutes(TestCase):
    STEPS = (
        Step(10, 10, "pick"),
        Step(20, 20, "qc"),
        Step(30, 30, "gift_wrap"),
        Step(40, 40, "pack"),
        Step(90, 90, "handover"),
    )

    def _types(self, operation, operations):
        return [s.step_type for s in steps_for_operation(self.STEPS, operation, operations)]

    def test_chain_of_each_route(self):
        self.assertEqual(chain_operations("ship_only", "ship", True), ("ship",))
        self.assertEqual(chain_operations("pick_ship", "pick", True), ("pick", "ship"))
        self.assertEqual(chain_operations("pick_ship", "ship", False), ("pick", "ship"))
        self.assertEqual(
            chain_operations("pick_pack_ship", "pack", False), ("pick", "pack", "ship")
        )

    def test_chain_of_a_transfer_created_under_another_route(self):
        # A delivery from stock created while the site shipped in one step.
        self.assertEqual(chain_operations("pick_pack_ship", "ship", True), ("ship",))
        # A pack transfer left over after the site went back to one step.
        self.assertEqual(chain_operations("ship_only", "pack", False), ("pick", "pack", "ship"))

    def test_three_steps_spread_the_workflow(self):
        chain = ("pick", "pack", "ship")
        self.assertEqual(self._types("pick", chain), ["pick"])
        self.assertEqual(self._types("pack", chain), ["qc", "gift_wrap", "pack"])
        self.assertEqual(self._types("ship", chain), ["handover"])

    def test_two_steps_put_packing_on_the_delivery(self):
        chain = ("pick", "ship")
        self.assertEqual(self._types("pick", chain), ["pick"])
        self.assertEqual(self._types("ship", chain), ["qc", "gift_wrap", "pack", "handover"])

    def test_one_step_keeps_every_step_on_the_delivery(self):
        self.assertEqual(
            self._types("ship", ("ship",)), ["pick", "qc", "gift_wrap", "pack", "handover"]
        )


class TestEngineCarrierSelection(TestCase):
    RULES = (
        CarrierRule(
            1, carrier_id=100, sequence=10, country_ids=frozenset({75}), service_level="white_glove"
        ),
        CarrierRule(2, carrier_id=200, sequence=20, min_amount=20000),
        CarrierRule(3, carrier_id=300, sequence=30, max_amount=5000, warehouse_ids=frozenset({7})),
        CarrierRule(4, carrier_id=400, sequence=90),
    )

    def test_first_matching_rule_wins(self):
        self.assertEqual(select_carrier(self.RULES, 75, 7, 30000, "white_glove"), 100)
        self.assertEqual(select_carrier(self.RULES, 44, 7, 30000, "white_glove"), 200)
        self.assertEqual(select_carrier(self.RULES, 44, 7, 3000, "standard"), 300)
        self.assertEqual(select_carrier(self.RULES, 44, 8, 3000, "standard"), 400)

    def test_value_bounds_and_no_match(self):
        rules = (CarrierRule(1, carrier_id=100, min_amount=1000, max_amount=5000),)
        self.assertEqual(select_carrier(rules, 1, 1, 5000, None), 100)
        self.assertIsNone(select_carrier(rules, 1, 1, 999, None))
        self.assertIsNone(select_carrier(rules, 1, 1, 5001, None))


class TestHandoverDeadline(TestCase):
    """A parcel is due at the site's courier cut-off: today's before it, else the next
    courier day's (Monday to Saturday)."""

    def test_released_before_the_cut_off_leaves_today(self):
        monday_morning = datetime(2026, 12, 7, 9, 30)
        self.assertEqual(handover_deadline(monday_morning, 16.0), datetime(2026, 12, 7, 16, 0))

    def test_released_after_the_cut_off_leaves_the_next_day(self):
        monday_evening = datetime(2026, 12, 7, 16, 0)
        self.assertEqual(handover_deadline(monday_evening, 16.0), datetime(2026, 12, 8, 16, 0))

    def test_no_courier_on_sunday(self):
        saturday_evening = datetime(2026, 12, 12, 18, 0)
        sunday = datetime(2026, 12, 13, 10, 0)
        self.assertEqual(handover_deadline(saturday_evening, 16.5), datetime(2026, 12, 14, 16, 30))
        self.assertEqual(handover_deadline(sunday, 16.5), datetime(2026, 12, 14, 16, 30))
