import unittest

from odoo.addons.luxury_oms.engine.fraud import FraudRule
from odoo.addons.luxury_oms.engine.fraud import OrderFacts
from odoo.addons.luxury_oms.engine.fraud import PastOrder
from odoo.addons.luxury_oms.engine.fraud import Reason
from odoo.addons.luxury_oms.engine.fraud import TierPolicy
from odoo.addons.luxury_oms.engine.fraud import money
from odoo.addons.luxury_oms.engine.fraud import score_order

EUR, USD = 1, 2
FR, IT, US = 10, 11, 12


def rule(condition, points=10, rule_id=1, **values):
    return FraudRule(rule_id=rule_id, name=condition, condition=condition, points=points, **values)


def facts(**values):
    base = {"amount": 1000.0, "currency_id": EUR, "prior_order_count": 3, "tier_rank": 0}
    base.update(values)
    return OrderFacts(**base)


class TestFraudEngine(unittest.TestCase):
    def test_new_client(self):
        new_client = rule("new_client", 30)
        self.assertEqual(score_order(facts(prior_order_count=0), [new_client]).score, 30)
        self.assertEqual(score_order(facts(prior_order_count=1), [new_client]).score, 0)

    def test_amount_reasons_give_currencies_and_say_when_converted(self):
        over = rule("amount_over", 40, amount=9_600.0, rule_amount=8_000.0, rule_currency="EUR")
        order = {"order_amount": 18_500.0, "order_currency": "EUR", "reference_currency": "GBP"}
        [line] = score_order(facts(amount=14_414.84, **order), [over]).lines
        self.assertEqual(
            line.reason,
            "Amount 18,500.00 EUR (14,414.84 GBP in company currency) reaches 8,000.00 EUR",
        )
        usd_rule = rule("amount_over", 40, amount=6_000.0, rule_amount=8_000.0, rule_currency="USD")
        [line] = score_order(facts(amount=14_414.84, **order), [usd_rule]).lines
        self.assertTrue(
            line.reason.endswith("reaches 8,000.00 USD (6,000.00 GBP in company currency)")
        )
        local = {"order_amount": 7_000.0, "order_currency": "GBP", "reference_currency": "GBP"}
        gbp_rule = rule("amount_over", 40, amount=5_000.0, rule_amount=5_000.0, rule_currency="GBP")
        [line] = score_order(facts(amount=7_000.0, **local), [gbp_rule]).lines
        self.assertEqual(line.reason, "Amount 7,000.00 GBP reaches 5,000.00 GBP")
        velocity = rule("velocity_amount", 30, amount=10_000.0, hours=48)
        [line] = score_order(facts(amount=14_414.84, **order), [velocity]).lines
        self.assertEqual(
            line.reason, "14,414.84 GBP (in company currency) ordered by this client within 48 h"
        )

    def test_reasons_are_data_for_the_readers_language(self):
        """Each line says why as a code and plain arguments (the models render them in the
        reader's language); the English sentence is the same data rendered."""
        over = rule("amount_over", 40, amount=9_600.0, rule_amount=8_000.0, rule_currency="EUR")
        order = {"order_amount": 18_500.0, "order_currency": "EUR", "reference_currency": "GBP"}
        [line] = score_order(facts(amount=14_414.84, **order), [over]).lines
        self.assertEqual(line.reason_code, "amount_over")
        self.assertEqual(
            line.reason_args,
            {
                "order": money(18_500.0, "EUR", 14_414.84, "GBP"),
                "rule": money(8_000.0, "EUR"),
            },
        )
        self.assertEqual(line.reason, str(Reason(line.reason_code, line.reason_args)))
        velocity = rule("velocity_orders", 35, count=1, hours=24, velocity_scope="card")
        [line] = score_order(facts(has_card=True), [velocity]).lines
        self.assertEqual(
            (line.reason_code, line.reason_args),
            ("velocity_orders", {"count": 1, "scope": "card", "hours": 24}),
        )
        policy = TierPolicy(min_rank=900, mode="factor", factor=0.5)
        weighted = score_order(
            facts(prior_order_count=0, tier_rank=950), [rule("new_client")], policy
        )
        self.assertEqual(
            [(line.reason_code, line.reason_args) for line in weighted.lines],
            [("new_client", {}), ("vip_weighting", {"factor": 0.5})],
        )
        self.assertEqual(weighted.lines[1].reason, "VIP tier: score multiplied by 0.5")

    def test_amount_over_is_inclusive_and_may_be_strict_on_currency(self):
        over = rule("amount_over", 40, amount=5000, currency_id=USD)
        self.assertEqual(score_order(facts(amount=5000), [over]).score, 40)
        self.assertEqual(score_order(facts(amount=4999.99), [over]).score, 0)
        strict = rule("amount_over", 40, amount=5000, currency_id=USD, currency_strict=True)
        self.assertEqual(score_order(facts(amount=9000, currency_id=EUR), [strict]).score, 0)
        self.assertEqual(score_order(facts(amount=9000, currency_id=USD), [strict]).score, 40)

    def test_country_mismatch_pairs_ignore_unknown_countries(self):
        billing_card = rule("country_mismatch", 25, mismatch="billing_card")
        self.assertEqual(
            score_order(facts(billing_country_id=FR, card_country_id=US), [billing_card]).score,
            25,
        )
        self.assertEqual(
            score_order(facts(billing_country_id=FR, card_country_id=FR), [billing_card]).score,
            0,
        )
        self.assertEqual(score_order(facts(billing_country_id=FR), [billing_card]).score, 0)
        shipping = rule("country_mismatch", 15, mismatch="billing_shipping")
        assessment = score_order(
            facts(billing_country_id=FR, shipping_country_id=IT), [shipping, billing_card]
        )
        self.assertEqual(assessment.score, 15)
        self.assertEqual(assessment.lines[0].reason, "Billing and shipping countries differ")

    def test_new_address_only_for_returning_clients(self):
        new_address = rule("new_address", 20)
        self.assertEqual(score_order(facts(shipping_address_seen=False), [new_address]).score, 20)
        self.assertEqual(score_order(facts(shipping_address_seen=True), [new_address]).score, 0)
        new_client = facts(prior_order_count=0, shipping_address_seen=False)
        self.assertEqual(score_order(new_client, [new_address]).score, 0)

    def test_velocity_orders_counts_this_order_within_the_window(self):
        velocity = rule("velocity_orders", 35, count=3, hours=24)
        recent = PastOrder(hours_ago=2, amount=100, same_client=True, same_card=False)
        old = PastOrder(hours_ago=30, amount=100, same_client=True, same_card=False)
        self.assertEqual(score_order(facts(history=(recent, old)), [velocity]).score, 0)
        self.assertEqual(score_order(facts(history=(recent, recent, old)), [velocity]).score, 35)

    def test_velocity_per_card_needs_a_card(self):
        velocity = rule("velocity_orders", 35, count=2, hours=24, velocity_scope="card")
        other_client_same_card = PastOrder(
            hours_ago=1, amount=10, same_client=False, same_card=True
        )
        carded = score_order(facts(has_card=True, history=(other_client_same_card,)), [velocity])
        self.assertEqual(carded.score, 35)
        self.assertEqual(carded.lines[0].reason, "2 orders with this card within 24 h")
        self.assertEqual(
            score_order(facts(has_card=False, history=(other_client_same_card,)), [velocity]).score,
            0,
        )

    def test_velocity_amount_adds_this_order(self):
        velocity = rule("velocity_amount", 30, amount=10000, hours=48)
        past = PastOrder(hours_ago=10, amount=6000, same_client=True, same_card=False)
        self.assertEqual(score_order(facts(amount=4000, history=(past,)), [velocity]).score, 30)
        self.assertEqual(score_order(facts(amount=3999, history=(past,)), [velocity]).score, 0)

    def test_tier_rule_matches_low_ranks_and_clients_without_tier(self):
        low_tier = rule("tier", 10, max_rank=100)
        self.assertEqual(score_order(facts(tier_rank=None), [low_tier]).score, 10)
        self.assertEqual(score_order(facts(tier_rank=100), [low_tier]).score, 10)
        self.assertEqual(
            score_order(facts(tier_rank=90), [low_tier]).lines[0].reason,
            "Client tier ranked 90, at most 100",
        )
        self.assertEqual(score_order(facts(tier_rank=101), [low_tier]).score, 0)

    def test_scores_add_up_and_never_go_below_zero(self):
        rules = [rule("new_client", 30, 1), rule("amount_over", 40, 2, amount=500)]
        assessment = score_order(facts(prior_order_count=0), rules)
        self.assertEqual(assessment.score, 70)
        self.assertEqual([line.rule_id for line in assessment.lines], [1, 2])
        trusted = [rule("amount_over", -50, 3, amount=500)]
        self.assertEqual(score_order(facts(), trusted).score, 0)

    def test_vip_exempt(self):
        rules = [rule("new_client", 90)]
        policy = TierPolicy(min_rank=900, mode="exempt")
        assessment = score_order(facts(prior_order_count=0, tier_rank=950), rules, policy)
        self.assertTrue(assessment.exempt)
        self.assertEqual(assessment.score, 0)
        self.assertEqual(assessment.lines[0].reason, "VIP exempt")
        self.assertFalse(assessment.is_held(1))
        below = score_order(facts(prior_order_count=0, tier_rank=899), rules, policy)
        self.assertEqual(below.score, 90)
        no_tier = score_order(facts(prior_order_count=0, tier_rank=None), rules, policy)
        self.assertEqual(no_tier.score, 90)

    def test_vip_factor_down_weights(self):
        rules = [rule("new_client", 80)]
        policy = TierPolicy(min_rank=900, mode="factor", factor=0.25)
        assessment = score_order(facts(prior_order_count=0, tier_rank=900), rules, policy)
        self.assertEqual(assessment.score, 20)
        self.assertEqual(assessment.lines[-1].points, -60)
        self.assertFalse(assessment.exempt)

    def test_threshold_is_reached_inclusively(self):
        assessment = score_order(facts(prior_order_count=0), [rule("new_client", 50)])
        self.assertTrue(assessment.is_held(50))
        self.assertFalse(assessment.is_held(50.01))

    def test_unknown_condition_is_an_error(self):
        with self.assertRaisesRegex(ValueError, "unknown condition"):
            score_order(facts(), [rule("moon_phase")])
