from unittest import TestCase

from ..engine.fulfilment import CarrierRule
from ..engine.fulfilment import Piece
from ..engine.fulfilment import Step
from ..engine.fulfilment import plan_added_pieces
from ..engine.fulfilment import plan_tasks
from ..engine.fulfilment import ready_sequences
from ..engine.fulfilment import select_carrier
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


class TestAddedPieces(TestCase):
    def test_added_pieces_get_pick_and_qc_only(self):
        steps = [
            Step(1, 10, "pick"),
            Step(2, 20, "qc"),
            Step(3, 30, "gift_wrap"),
            Step(4, 40, "pack"),
            Step(5, 90, "handover"),
        ]
        pieces = [Piece(7, "1/5/9/", has_checklist=True)]
        plans = plan_added_pieces(steps, pieces, "1/5/")
        self.assertEqual([(plan.step_id, plan.piece_ids) for plan in plans], [(1, [7]), (2, [7])])
