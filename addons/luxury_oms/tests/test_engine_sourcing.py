"""The sourcing engine over plain data: each criterion, rule matching, plans."""

import unittest

from ..engine import sourcing as eng

SHIPS = frozenset({"ships_parcels"})
HUB = frozenset({"ships_parcels", "luxury_packaging"})
PARIS = (48.86, 2.35)
MILAN = (45.46, 9.19)
ROME = (41.90, 12.50)


def site(site_id, site_type="boutique", where=PARIS, capabilities=SHIPS, **extra):
    values = {"daily_capacity": 100, "capacity_left": 50, "cost": 10.0, **extra}
    return eng.Site(site_id, site_type, where[0], where[1], capabilities, **values)


def order(*lines, **extra):
    values = {"latitude": PARIS[0], "longitude": PARIS[1], "country_id": 75, **extra}
    return eng.Order(lines=tuple(lines), **values)


def line(line_id, product_id, qty=1, categ_ids=(1,)):
    return eng.Line(line_id, product_id, qty, frozenset(categ_ids))


def rule(rule_id=1, criteria=None, **filters):
    criteria = criteria or (eng.Criterion("distance", 100),)
    return eng.Rule(rule_id, tuple(criteria), **filters)


class TestCriteria(unittest.TestCase):
    def test_haversine(self):
        self.assertAlmostEqual(eng.haversine_km(*PARIS, *MILAN), 640, delta=10)
        self.assertEqual(eng.haversine_km(*PARIS, *PARIS), 0)

    def test_distance_nearest_scores_one_farthest_zero(self):
        self.assertEqual(eng.score_distance(100, 100, 900), 1.0)
        self.assertEqual(eng.score_distance(900, 100, 900), 0.0)
        self.assertEqual(eng.score_distance(500, 100, 900), 0.5)
        self.assertEqual(eng.score_distance(None, 100, 900), 0.0)
        self.assertEqual(eng.score_distance(300, 300, 300), 1.0)

    def test_fewest_parcels_is_share_served(self):
        self.assertEqual(eng.score_fewest_parcels(3, 3), 1.0)
        self.assertEqual(eng.score_fewest_parcels(1, 4), 0.25)
        self.assertEqual(eng.score_fewest_parcels(0, 0), 0.0)

    def test_site_type_preference_order(self):
        preferred = ("dc", "flagship")
        self.assertEqual(eng.score_site_type("dc", preferred), 1.0)
        self.assertEqual(eng.score_site_type("flagship", preferred), 0.5)
        self.assertEqual(eng.score_site_type("outlet", preferred), 0.0)

    def test_stock_depth_against_deepest(self):
        self.assertEqual(eng.score_stock_depth(5, 10), 0.5)
        self.assertEqual(eng.score_stock_depth(0, 0), 0.0)

    def test_capacity_share_left(self):
        self.assertEqual(eng.score_capacity(25, 100), 0.25)
        self.assertEqual(eng.score_capacity(10, 0), 0.0)
        self.assertEqual(eng.score_capacity(150, 100), 1.0)

    def test_cost_cheapest_scores_one(self):
        self.assertEqual(eng.score_cost(5, 5, 25), 1.0)
        self.assertEqual(eng.score_cost(25, 5, 25), 0.0)
        self.assertEqual(eng.score_cost(15, 5, 25), 0.5)


class TestValidation(unittest.TestCase):
    def test_weight_out_of_range(self):
        with self.assertRaisesRegex(eng.ConfigurationError, "outside 0..100"):
            eng.check_criterion(eng.Criterion("distance", 120))
        with self.assertRaisesRegex(eng.ConfigurationError, "outside 0..100"):
            eng.check_criterion(eng.Criterion("distance", -1))

    def test_unknown_criterion(self):
        with self.assertRaisesRegex(eng.ConfigurationError, "unknown criterion"):
            eng.check_criterion(eng.Criterion("mood", 10))

    def test_site_type_needs_types(self):
        with self.assertRaisesRegex(eng.ConfigurationError, "preferred site type"):
            eng.check_criterion(eng.Criterion("site_type", 10))

    def test_rule_needs_criteria_and_weight(self):
        with self.assertRaisesRegex(eng.ConfigurationError, "at least one ranking"):
            eng.check_rule(eng.Rule(1, ()))
        with self.assertRaisesRegex(eng.ConfigurationError, "weight above 0"):
            eng.check_rule(eng.Rule(1, (eng.Criterion("distance", 0),)))

    def test_amount_bounds(self):
        with self.assertRaisesRegex(eng.ConfigurationError, "minimum order value"):
            eng.check_rule(rule(min_amount=500, max_amount=100))
        eng.check_rule(rule(min_amount=100, max_amount=500))


class TestRuleMatching(unittest.TestCase):
    def setUp(self):
        self.order = order(
            line(1, 10, categ_ids=(5, 1)),
            channel_id=3,
            region_ids=frozenset({7}),
            tier_rank=900,
            amount=5000,
        )

    def assertMatches(self, expected, **filters):
        self.assertEqual(eng.match_rule([rule(**filters)], self.order) is not None, expected)

    def test_empty_filters_match(self):
        self.assertMatches(True)

    def test_channel(self):
        self.assertMatches(True, channel_ids=frozenset({3}))
        self.assertMatches(False, channel_ids=frozenset({4}))

    def test_country_or_region(self):
        self.assertMatches(True, country_ids=frozenset({75}))
        self.assertMatches(True, region_ids=frozenset({7}))
        self.assertMatches(True, country_ids=frozenset({39}), region_ids=frozenset({7}))
        self.assertMatches(False, country_ids=frozenset({39}), region_ids=frozenset({8}))

    def test_tier(self):
        self.assertMatches(True, min_tier_rank=900)
        self.assertMatches(False, min_tier_rank=901)

    def test_amount(self):
        self.assertMatches(True, min_amount=5000, max_amount=5000)
        self.assertMatches(False, min_amount=5001)
        self.assertMatches(False, max_amount=4999)

    def test_category_any_line(self):
        self.assertMatches(True, categ_ids=frozenset({1}))
        self.assertMatches(False, categ_ids=frozenset({2}))

    def test_first_matching_rule_wins(self):
        rules = [rule(1, channel_ids=frozenset({4})), rule(2), rule(3)]
        self.assertEqual(eng.match_rule(rules, self.order).id, 2)

    def test_no_rule_uses_fallback_or_nothing(self):
        only = [rule(1, channel_ids=frozenset({4}))]
        sites = [site(1)]
        ats = {(10, 1): 1}
        self.assertIsNone(eng.plan_order(only, self.order, sites, ats))
        plan = eng.plan_order(only, self.order, sites, ats, fallback_rule=rule(9))
        self.assertEqual(plan.rule_id, 9)


class TestPlans(unittest.TestCase):
    def setUp(self):
        self.dc = site(1, "dc", PARIS, HUB, cost=5.0)
        self.milan = site(2, "boutique", MILAN, cost=20.0)
        self.rome = site(3, "boutique", ROME, cost=30.0)
        self.sites = [self.dc, self.milan, self.rome]

    def plan(self, the_order, ats, criteria=None, sites=None):
        return eng.plan_order([rule(criteria=criteria)], the_order, sites or self.sites, ats)

    def test_single_site_preferred_over_nearer_split(self):
        # The DC (nearest) has only bags; Rome has both: one parcel from Rome.
        the_order = order(line(1, 10), line(2, 20))
        ats = {(10, 1): 5, (10, 3): 1, (20, 3): 1}
        plan = self.plan(the_order, ats)
        self.assertEqual(plan.site_ids, [3])
        self.assertEqual(plan.reasons, [eng.REASON_SINGLE_SITE])
        self.assertFalse(plan.is_split)

    def test_best_scored_single_site_wins(self):
        the_order = order(line(1, 10))
        ats = {(10, 1): 1, (10, 2): 1, (10, 3): 1}
        self.assertEqual(self.plan(the_order, ats).site_ids, [1])  # nearest to Paris
        cost_first = (eng.Criterion("cost", 10), eng.Criterion("distance", 1))
        self.assertEqual(self.plan(the_order, ats, cost_first).site_ids, [1])
        by_type = (eng.Criterion("site_type", 100, ("boutique",)), eng.Criterion("distance", 1))
        plan = self.plan(the_order, ats, by_type)
        self.assertEqual(plan.site_ids, [2])  # boutique, nearer than Rome
        milan = next(c for c in plan.candidates if c.site_id == 2)
        self.assertEqual(milan.scores["site_type"], 1.0)
        self.assertTrue(milan.chosen)
        self.assertAlmostEqual(milan.distance_km, 640, delta=10)

    def test_candidates_are_ranked_with_breakdown(self):
        the_order = order(line(1, 10))
        ats = {(10, 1): 1, (10, 2): 1, (10, 3): 1}
        criteria = (eng.Criterion("distance", 50), eng.Criterion("cost", 50))
        plan = self.plan(the_order, ats, criteria)
        self.assertEqual([c.site_id for c in plan.candidates], [1, 2, 3])
        rome = plan.candidates[-1]
        self.assertEqual(rome.scores, {"distance": 0.0, "cost": 0.0})
        self.assertEqual(plan.candidates[0].total, 1.0)

    def test_split_when_no_single_site(self):
        the_order = order(line(1, 10), line(2, 20))
        ats = {(10, 2): 1, (20, 3): 1}
        plan = self.plan(the_order, ats)
        self.assertEqual(plan.site_ids, [2, 3])
        self.assertIn(eng.REASON_SPLIT, plan.reasons)
        self.assertIsNone(plan.consolidation_site_id)
        self.assertEqual(
            sorted((a.line_id, a.site_id, a.qty) for a in plan.allocations),
            [(1, 2, 1), (2, 3, 1)],
        )

    def test_fewest_parcels_greedy(self):
        # Milan serves two lines of three, Rome one and the DC one: two parcels, not three.
        the_order = order(line(1, 10), line(2, 20), line(3, 30))
        ats = {(10, 2): 1, (20, 2): 1, (30, 3): 1, (10, 1): 1}
        criteria = (eng.Criterion("fewest_parcels", 80), eng.Criterion("distance", 20))
        plan = self.plan(the_order, ats, criteria)
        self.assertEqual(plan.site_ids, [2, 3])

    def test_one_line_split_across_sites(self):
        the_order = order(line(1, 10, qty=3))
        ats = {(10, 1): 2, (10, 2): 1}
        plan = self.plan(the_order, ats)
        self.assertEqual(sorted((a.site_id, a.qty) for a in plan.allocations), [(1, 2), (2, 1)])

    def test_short_quantity_is_flagged(self):
        the_order = order(line(1, 10, qty=3))
        plan = self.plan(the_order, {(10, 2): 1})
        self.assertIn(eng.REASON_SHORT, plan.reasons)
        short = [a for a in plan.allocations if a.short]
        self.assertEqual([(a.line_id, a.qty) for a in short], [(1, 2)])

    def test_no_eligible_site(self):
        plan = self.plan(order(line(1, 10)), {})
        self.assertEqual(plan.reasons, [eng.REASON_NO_SITE])
        self.assertTrue(plan.allocations[0].short)

    def test_eligibility_capability_capacity_exclusion(self):
        no_parcels = site(4, where=PARIS, capabilities=frozenset())
        full = site(5, where=PARIS, capacity_left=0)
        ats = {(10, 4): 1, (10, 5): 1, (10, 2): 1, (10, 1): 1}
        sites = [*self.sites, no_parcels, full]
        excluded = order(line(1, 10), excluded_site_ids=frozenset({1}))
        plan = self.plan(excluded, ats, sites=sites)
        self.assertEqual([c.site_id for c in plan.candidates], [2])

    def test_single_parcel_consolidates_at_packaging_dc(self):
        the_order = order(line(1, 10), line(2, 20), single_parcel=True)
        ats = {(10, 2): 1, (20, 3): 1}
        plan = self.plan(the_order, ats)
        self.assertEqual(plan.consolidation_site_id, 1)
        self.assertEqual(plan.shipping_site_ids, [1])
        self.assertEqual(plan.reasons[-1], eng.REASON_CONSOLIDATION, "a hub with parcels left")
        self.assertEqual(sorted(eng.transfers(plan)), [(1, 2, 1), (2, 3, 1)])

    def test_consolidation_at_dc_holding_part_of_order(self):
        the_order = order(line(1, 10), line(2, 20), single_parcel=True)
        ats = {(10, 1): 1, (20, 3): 1}
        plan = self.plan(the_order, ats)
        self.assertEqual(plan.consolidation_site_id, 1)
        self.assertEqual(eng.transfers(plan), [(2, 3, 1)])

    def test_consolidation_prefers_a_hub_with_parcels_left_today(self):
        """The nearest hub has spent its day: the parts meet at the other one, whose
        parcel can still leave today."""
        full_hub = site(1, "dc", capabilities=HUB, capacity_left=0)
        open_hub = site(4, "dc", where=ROME, capabilities=HUB, capacity_left=3)
        the_order = order(line(1, 10), line(2, 20), single_parcel=True)
        ats = {(10, 2): 1, (20, 3): 1}
        plan = self.plan(the_order, ats, sites=[full_hub, open_hub, self.milan, self.rome])
        self.assertEqual(plan.consolidation_site_id, 4)
        self.assertEqual(plan.reasons[-2:], [eng.REASON_CONSOLIDATION, eng.REASON_BEST_HUB_FULL])

    def test_capacity_is_weighed_where_stock_is_and_at_the_hubs_of_one_parcel(self):
        ats = {(10, 2): 1, (20, 3): 1}
        two_parcels = order(line(1, 10), line(2, 20))
        self.assertEqual(eng.capacity_site_ids(two_parcels, self.sites, ats), {2, 3})
        one_parcel = order(line(1, 10), line(2, 20), single_parcel=True)
        self.assertEqual(eng.capacity_site_ids(one_parcel, self.sites, ats), {1, 2, 3})
        # A set meeting point is not chosen again: no hub to weigh.
        picked_up = order(line(1, 10), single_parcel=True, pickup_site_id=2)
        self.assertEqual(eng.capacity_site_ids(picked_up, self.sites, ats), {2, 3})

    def test_every_hub_full_still_consolidates_at_the_best(self):
        hubs = [site(1, "dc", capabilities=HUB, capacity_left=0),
                site(4, "dc", where=ROME, capabilities=HUB, capacity_left=0)]  # fmt: skip
        the_order = order(line(1, 10), line(2, 20), single_parcel=True)
        plan = self.plan(the_order, {(10, 2): 1, (20, 3): 1}, sites=[*hubs, *self.sites[1:]])
        self.assertEqual(plan.consolidation_site_id, 1)  # the nearest to Paris
        self.assertEqual(plan.reasons[-2:], [eng.REASON_CONSOLIDATION, eng.REASON_HUBS_FULL])

    def test_pickup_order_consolidates_at_pickup_boutique(self):
        the_order = order(line(1, 10), line(2, 20), single_parcel=True, pickup_site_id=2)
        ats = {(10, 1): 1, (20, 3): 1}
        plan = self.plan(the_order, ats)
        self.assertEqual(plan.consolidation_site_id, 2)
        self.assertEqual(sorted(eng.transfers(plan)), [(1, 1, 1), (2, 3, 1)])

    def test_no_hub_leaves_a_split(self):
        the_order = order(line(1, 10), line(2, 20), single_parcel=True)
        ats = {(10, 2): 1, (20, 3): 1}
        plan = self.plan(the_order, ats, sites=[self.milan, self.rome])
        self.assertIsNone(plan.consolidation_site_id)
        self.assertIn(eng.REASON_NO_CONSOLIDATION_SITE, plan.reasons)
        self.assertEqual(plan.shipping_site_ids, [2, 3])

    def test_single_parcel_single_site_needs_no_transfer(self):
        the_order = order(line(1, 10), single_parcel=True)
        plan = self.plan(the_order, {(10, 3): 1})
        self.assertIsNone(plan.consolidation_site_id)
        self.assertEqual(eng.transfers(plan), [])

    def test_pickup_from_one_other_site_is_transferred(self):
        the_order = order(line(1, 10), pickup_site_id=2)
        plan = self.plan(the_order, {(10, 3): 1})
        self.assertEqual(plan.consolidation_site_id, 2)
        self.assertEqual(eng.transfers(plan), [(1, 3, 1)])

    def test_resourcing_keeps_the_consolidation_site(self):
        the_order = order(line(1, 20), single_parcel=True, consolidation_site_id=1)
        plan = self.plan(the_order, {(20, 3): 1})
        self.assertEqual(plan.reasons, [eng.REASON_SINGLE_SITE, eng.REASON_CONSOLIDATION])
        self.assertEqual(eng.transfers(plan), [(1, 3, 1)])
