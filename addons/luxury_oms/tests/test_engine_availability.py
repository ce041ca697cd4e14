"""The availability arithmetic and buffer precedence, without a database."""

import importlib.util
import random
import unittest
from datetime import date
from pathlib import Path


def _load_engine():
    path = Path(__file__).resolve().parent.parent / "engine" / "availability.py"
    spec = importlib.util.spec_from_file_location("luxury_oms_engine_availability", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


engine = _load_engine()
BufferRule = engine.BufferRule

# Category chains, leaf first: Bags (3) < Leather (2) < All (1)
BAGS = (3, 2, 1)


class TestBufferPrecedence(unittest.TestCase):
    def rule(self, rule_id, **scope):
        return BufferRule(id=rule_id, mode="quantity", value=rule_id, **scope)

    def select(self, rules, product=10, chain=BAGS, site=100, channel=None):
        return engine.select_buffer_rule(rules, product, chain, site, channel)

    def test_no_rule_applies(self):
        self.assertIsNone(self.select([self.rule(1, product_id=99)]))

    def test_product_beats_category_and_site(self):
        rules = [
            self.rule(1, category_id=3, warehouse_id=100),
            self.rule(2, product_id=10),
            self.rule(3, warehouse_id=100),
        ]
        self.assertEqual(self.select(rules).id, 2)

    def test_product_at_site_beats_product(self):
        rules = [self.rule(1, product_id=10), self.rule(2, product_id=10, warehouse_id=100)]
        self.assertEqual(self.select(rules).id, 2)

    def test_deeper_category_wins(self):
        rules = [
            self.rule(1, category_id=1),
            self.rule(2, category_id=3),
            self.rule(3, category_id=2),
        ]
        self.assertEqual(self.select(rules).id, 2)

    def test_category_beats_site(self):
        rules = [self.rule(1, warehouse_id=100), self.rule(2, category_id=1)]
        self.assertEqual(self.select(rules).id, 2)

    def test_channel_rule_only_for_its_channel(self):
        rules = [self.rule(1, warehouse_id=100), self.rule(2, warehouse_id=100, channel_id=7)]
        self.assertEqual(self.select(rules, channel=7).id, 2)
        self.assertEqual(self.select(rules, channel=8).id, 1)
        self.assertEqual(self.select(rules, channel=None).id, 1)

    def test_other_site_or_category_does_not_apply(self):
        rules = [self.rule(1, warehouse_id=200), self.rule(2, category_id=9)]
        self.assertIsNone(self.select(rules))

    def test_tie_break_is_sequence_then_oldest(self):
        a = BufferRule(id=5, mode="quantity", value=1, warehouse_id=100, sequence=20)
        b = BufferRule(id=6, mode="quantity", value=2, warehouse_id=100, sequence=10)
        c = BufferRule(id=4, mode="quantity", value=3, warehouse_id=100, sequence=10)
        self.assertEqual(self.select([a, b, c]).id, 4)
        self.assertEqual(self.select([c, b, a]).id, 4)

    def test_percentage_rounds_up(self):
        rule = BufferRule(id=1, mode="percent", value=10)
        self.assertEqual(rule.quantity_for(15), 2)
        self.assertEqual(rule.quantity_for(10), 1)
        self.assertEqual(rule.quantity_for(0), 0)
        self.assertEqual(rule.quantity_for(-3), 0)


class TestBufferRuleIndex(unittest.TestCase):
    def test_index_chooses_exactly_like_the_plain_selection(self):
        rng = random.Random(7)
        rules = [
            BufferRule(
                id=rule_id,
                mode="quantity",
                value=rule_id,
                product_id=rng.choice([None, None, 10, 11]),
                category_id=rng.choice([None, None, 1, 2, 3, 9]),
                warehouse_id=rng.choice([None, 100, 101, 102]),
                channel_id=rng.choice([None, None, 7, 8]),
                sequence=rng.choice([5, 10]),
            )
            for rule_id in range(1, 120)
        ]
        for channel in (None, 7, 8):
            index = engine.BufferRuleIndex(rules, channel)
            for product in (10, 11, 12):
                for chain in (BAGS, (9, 1), ()):
                    product_rules = index.for_product(product, chain)
                    for site in (100, 101, 102, 103):
                        expected = engine.select_buffer_rule(rules, product, chain, site, channel)
                        self.assertEqual(product_rules.select(site), expected)


class TestSiteAvailability(unittest.TestCase):
    def test_plain_arithmetic(self):
        result = engine.site_availability(on_hand=10, reserved=3, held_total=2)
        self.assertEqual(result.available_to_sell, 5)
        self.assertEqual(result.held, 2)

    def test_buffer_is_withheld(self):
        rule = BufferRule(id=7, mode="quantity", value=4)
        result = engine.site_availability(on_hand=10, reserved=3, held_total=0, buffer_rule=rule)
        self.assertEqual(result.available_to_sell, 3)
        self.assertEqual(result.buffer, 4)
        self.assertEqual(result.buffer_rule_id, 7)

    def test_never_below_zero(self):
        rule = BufferRule(id=7, mode="quantity", value=4)
        result = engine.site_availability(on_hand=2, reserved=5, held_total=1, buffer_rule=rule)
        self.assertEqual(result.available_to_sell, 0)

    def test_beneficiary_gets_their_hold_before_the_buffer(self):
        rule = BufferRule(id=7, mode="quantity", value=1)
        anyone = engine.site_availability(on_hand=2, reserved=0, held_total=2, buffer_rule=rule)
        vip = engine.site_availability(
            on_hand=2, reserved=0, held_total=2, held_for_buyer=2, buffer_rule=rule
        )
        self.assertEqual(anyone.available_to_sell, 0)
        self.assertEqual(vip.available_to_sell, 2)
        self.assertEqual(vip.held, 0)

    def test_hold_cannot_give_more_than_is_physically_free(self):
        result = engine.site_availability(on_hand=3, reserved=2, held_total=2, held_for_buyer=2)
        self.assertEqual(result.available_to_sell, 1)

    def test_available_to_order_adds_incoming(self):
        result = engine.site_availability(
            on_hand=1,
            reserved=0,
            held_total=0,
            incoming=[(date(2026, 12, 10), 5), (date(2026, 12, 1), 2)],
        )
        self.assertEqual(result.incoming[0], (date(2026, 12, 1), 2))
        self.assertEqual(result.available_to_order, 8)
        self.assertEqual(result.available_to_order_by(date(2026, 12, 5)), 3)


class TestShortagesAndHolds(unittest.TestCase):
    def test_find_shortages(self):
        availability = {
            (1, 10): engine.site_availability(on_hand=2, reserved=0, held_total=0),
            (2, 10): engine.site_availability(on_hand=5, reserved=0, held_total=0),
        }
        shortages = engine.find_shortages({(1, 10): 3, (2, 10): 5}, availability)
        self.assertEqual(shortages, [engine.Shortage(1, 10, 3, 2)])

    def test_hold_consumption_oldest_expiry_first(self):
        holds = [(1, 2.0, "2026-12-31"), (2, 1.0, "2026-12-01")]
        self.assertEqual(engine.plan_hold_consumption(2, holds), [(2, 1.0), (1, 1.0)])
        self.assertEqual(engine.plan_hold_consumption(5, holds), [(2, 1.0), (1, 2.0)])
        self.assertEqual(engine.plan_hold_consumption(0, holds), [])


class TestStockFacts(unittest.TestCase):
    """The rows of the one availability query, folded per (product, site)."""

    # sites 100 (locations 1, 2) and 200 (location 3); location 9 is not sellable
    SELLABLE = [(1, 100), (2, 100), (3, 200)]

    def facts(self, stock=(), moves=(), holds=(), products=(), rules=()):
        return engine.StockFacts.from_parts(products, rules, self.SELLABLE, stock, moves, holds)

    def test_on_hand_sums_the_locations_of_a_site(self):
        facts = self.facts(stock=[(10, 1, 2.0), (10, 2, 3.0), (10, 3, 1.0)])
        self.assertEqual(dict(facts.on_hand), {(10, 100): 5.0, (10, 200): 1.0})

    def test_on_hand_summed_per_site_already(self):
        """The database may sum per site itself: the same facts, without the fold."""
        summed = engine.StockFacts.from_parts(
            (), (), self.SELLABLE, (), (), (), on_hand=[((10, 100), 5.0), ((10, 200), 1.0)]
        )
        folded = self.facts(stock=[(10, 1, 2.0), (10, 2, 3.0), (10, 3, 1.0)])
        self.assertEqual(summed.on_hand, folded.on_hand)

    def test_moves_between_sites_reserve_and_bring(self):
        day = "2026-12-01"
        facts = self.facts(
            moves=[
                (10, 1, 9, day, 1.0, False, False),  # delivery from site 100
                (10, 3, 1, day, 2.0, False, False),  # transfer 200 -> 100
                (10, 1, 2, day, 4.0, False, False),  # inside site 100: changes nothing
            ]
        )
        self.assertEqual(dict(facts.reserved), {(10, 100): 1.0, (10, 200): 2.0})
        self.assertEqual(dict(facts.incoming[10, 100]), {date(2026, 12, 1): 2.0})
        self.assertEqual(facts.pairs(), {(10, 100), (10, 200)})

    def test_chained_moves_net_out(self):
        day = "2026-12-01"
        facts = self.facts(
            moves=[
                (10, 1, 9, day, 1.0, True, False),  # fed by a transfer: not the site's stock
                (10, 9, 3, day, 1.0, False, True),  # promised to a waiting move: not for sale
            ]
        )
        self.assertFalse(facts.reserved)
        self.assertFalse(facts.incoming)

    def test_holds_split_what_the_buyer_may_consume(self):
        facts = self.facts(
            holds=[(1, 10, 100, 2.0, "2026-12-01", False), (2, 10, 100, 1.0, "2026-12-02", True)]
        )
        self.assertEqual(facts.buyer_holds[10, 100], [(2, 1.0, "2026-12-02")])
        self.assertEqual(facts.held_total[10, 100], 3.0)
        self.assertEqual(facts.held_for_buyer[10, 100], 1.0)
        answer = facts.site_availability((10, 100), None)
        self.assertEqual(answer.held, 2.0)

    def test_products_and_rules(self):
        facts = self.facts(
            products=[(10, "1/2/3/"), (11, None)],
            rules=[(5, "quantity", 1.0, None, 2, None, None, 10)],
        )
        self.assertEqual(facts.category_chains, {10: (3, 2, 1), 11: ()})
        self.assertEqual(facts.buffer_rules, [BufferRule(5, "quantity", 1.0, None, 2, None, None)])

    def test_site_winners_are_the_sites_where_a_site_rule_wins(self):
        generic = BufferRule(1, "quantity", 1.0)
        milan = BufferRule(2, "quantity", 2.0, warehouse_id=100)
        category_everywhere = BufferRule(3, "quantity", 3.0, category_id=3)
        rules = engine.BufferRuleIndex([generic, milan]).for_product(10, BAGS)
        self.assertEqual(rules.select(None), generic)
        self.assertEqual(rules.site_winner, {100: milan})
        # a more specific rule for every site beats the site rule at that site too
        rules = engine.BufferRuleIndex([milan, category_everywhere]).for_product(10, BAGS)
        self.assertEqual(rules.select(100), category_everywhere)
        self.assertEqual(rules.select(200), category_everywhere)

    def test_grid_answers_every_storable_product_at_every_site(self):
        generic = BufferRule(1, "quantity", 1.0)
        site_200 = BufferRule(2, "quantity", 2.0, warehouse_id=200)
        facts = self.facts(
            products=[(10, "1/2/3/"), (11, "1/")],  # 12 is not storable: no row
            rules=[(1, "quantity", 1.0, None, None, None, None, 10),
                   (2, "quantity", 2.0, None, None, 200, None, 10)],
            stock=[(10, 1, 5.0)],
        )  # fmt: skip
        grid = engine.availability_grid(
            facts, engine.BufferRuleIndex(facts.buffer_rules), [10, 11, 12], [100, 200, 300]
        )
        self.assertEqual(set(grid), {(p, s) for p in (10, 11) for s in (100, 200, 300)})
        self.assertEqual(grid[10, 100].on_hand, 5.0)
        self.assertEqual(grid[10, 100].available_to_sell, 4.0)
        self.assertEqual(grid[10, 100].buffer_rule_id, generic.id)
        # empty pairs share the answer of their rule; the site rule wins at its site
        self.assertIs(grid[10, 300], grid[11, 100])
        self.assertEqual((grid[11, 300].on_hand, grid[11, 300].buffer), (0.0, 1.0))
        self.assertEqual(grid[11, 200].buffer_rule_id, site_200.id)
        self.assertEqual(grid[11, 200].buffer, 2.0)

    def test_grid_computes_as_site_availability_does(self):
        """The grid's written-out loop gives the readable ``site_availability``'s answer,
        on random stock, moves, holds and rules (percent and units, site-scoped)."""
        rng = random.Random(18)
        day = "2026-12-01"
        for _round in range(30):
            facts = self.facts(
                products=[(10, "1/2/"), (11, "1/"), (12, "1/3/")],
                rules=[
                    (1, "percent", rng.choice([10.0, 33.0, 50.0]), None, 2, None, None, 10),
                    (2, "quantity", float(rng.randint(0, 3)), None, None, 200, None, 10),
                    (3, "quantity", 1.0, 12, None, None, None, 10),
                ],
                stock=[
                    (rng.choice([10, 11, 12]), rng.choice([1, 2, 3]), float(rng.randint(-1, 6)))
                    for _line in range(6)
                ],
                moves=[
                    (
                        rng.choice([10, 11, 12]),
                        rng.choice([1, 3, 9]),
                        rng.choice([1, 3, 9]),
                        day,
                        float(rng.randint(1, 4)),
                        rng.random() < 0.2,
                        rng.random() < 0.2,
                    )
                    for _line in range(5)
                ],  # fmt: skip
                holds=[
                    (
                        hold,
                        rng.choice([10, 11, 12]),
                        rng.choice([100, 200]),
                        float(rng.randint(1, 3)),
                        day,
                        rng.random() < 0.5,
                    )
                    for hold in range(3)
                ],  # fmt: skip
            )
            index = engine.BufferRuleIndex(facts.buffer_rules)
            grid = engine.availability_grid(facts, index, [10, 11, 12], [100, 200])
            for (product_id, site_id), answer in grid.items():
                rule = index.for_product(product_id, facts.category_chains[product_id])
                expected = facts.site_availability((product_id, site_id), rule.select(site_id))
                self.assertEqual(answer, expected)
            # what sourcing reads: every pair's ATS, the pairs selling nothing left out
            self.assertEqual(
                grid.selling(),
                {key: answer.available_to_sell
                 for key, answer in grid.items() if answer.available_to_sell > 0},
            )  # fmt: skip


class TestPreorderArithmetic(unittest.TestCase):
    def test_earlier_preorders_use_up_incoming_stock_first(self):
        # 1 on hand, 3 promised: 2 pre-ordered on the 5 arriving
        result = engine.site_availability(
            on_hand=1, reserved=3, held_total=0,
            incoming=[(date(2026, 12, 1), 1), (date(2026, 12, 9), 4)],
        )  # fmt: skip
        self.assertEqual((result.available_to_sell, result.preordered), (0, 2))
        self.assertEqual(result.available_to_order, 3)
        self.assertEqual(result.available_to_order_by(date(2026, 12, 5)), 0)
        self.assertEqual(result.available_to_order_by(date(2026, 12, 9)), 3)

    def test_shortages_on_incoming(self):
        availability = {
            (1, 10): engine.site_availability(
                on_hand=1, reserved=0, held_total=0, incoming=[(date(2026, 12, 1), 2)]
            )
        }
        self.assertEqual(engine.find_shortages({(1, 10): 3}, availability, on_incoming=True), [])
        self.assertEqual(
            engine.find_shortages({(1, 10): 4}, availability, on_incoming=True),
            [engine.Shortage(1, 10, 4, 3)],
        )
        self.assertEqual(
            engine.find_shortages({(1, 10): 3}, availability), [engine.Shortage(1, 10, 3, 1)]
        )
