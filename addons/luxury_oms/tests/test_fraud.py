from odoo import Command
from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import tagged
from odoo.tools.misc import formatLang

from .common import LuxuryOmsCase


@tagged("post_install", "-at_install")
class TestFraudApproval(LuxuryOmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.currency = cls.env.company.currency_id
        # Orders in the company currency, whatever pricelist the client's country implies.
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Fraud Test", "currency_id": cls.currency.id}
        )
        cls.product.taxes_id = False
        cls.fraud_user = cls._create_user_in("fraud-fiona", "luxury_oms.group_oms_fraud")
        cls.oms_user = cls._create_user_in("oms-olga", "luxury_oms.group_oms_customer_service")
        cls.channel.write({"oms_fraud_threshold": 50, "oms_fraud_reviewer_id": cls.fraud_user.id})
        cls.rule_new_client = cls._create_rule("New client", "new_client", 30)
        cls.rule_amount = cls._create_rule(
            "Over 5000", "amount_over", 30, amount=5000, currency_id=cls.currency.id
        )
        cls._set_stock(cls.product, cls.dc, 10)

    @classmethod
    def _create_rule(cls, name, condition, points, **values):
        return cls.env["luxury.oms.fraud.rule"].create(
            {"name": name, "condition": condition, "points": points, **values}
        )

    def _order(self, price=1000.0, partner=None, user=None, **values):
        order = (
            self.env["sale.order"]
            .with_user(user or self.env.user)
            .create(
                {
                    "partner_id": (partner or self.client).id,
                    "oms_channel_id": self.channel.id,
                    "warehouse_id": self.dc.id,
                    "pricelist_id": self.pricelist.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 1,
                                "price_unit": price,
                            }
                        )
                    ],
                    **values,
                }
            )
        )
        order.action_confirm()
        return order

    def _decide(self, order, decision, reason="Checked with the card holder"):
        action = getattr(order.with_user(self.fraud_user), f"action_oms_fraud_{decision}")()
        wizard_model = self.env[action["res_model"]].with_user(self.fraud_user)
        with Form(wizard_model.with_context(**action["context"])) as wizard:
            wizard.reason = reason
        return wizard.record.action_confirm()

    def _validate(self, picking):
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        return picking.button_validate()

    # Screening ---------------------------------------------------------

    def test_high_score_holds_the_order_with_stock_reserved(self):
        order = self._order(price=6000)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.oms_fraud_state, "held")
        self.assertEqual(order.oms_fraud_score, 60)
        self.assertEqual(order.oms_fraud_threshold, 50)
        self.assertEqual(order.oms_fraud_line_ids.rule_id, self.rule_new_client | self.rule_amount)
        self.assertIn("New client", order.oms_fraud_reasons)
        self.assertEqual(order.picking_ids.move_ids.state, "assigned")
        activity = order.activity_ids
        self.assertEqual(
            activity.activity_type_id, self.env.ref("luxury_oms.mail_activity_type_fraud_review")
        )
        self.assertEqual(activity.user_id, self.fraud_user)
        self.assertIn("Over 5000", str(activity.note))
        self.assertTrue(order.with_user(self.fraud_user).oms_can_be_fraud_reviewed)
        self.assertFalse(order.with_user(self.oms_user).oms_can_be_fraud_reviewed)

    def test_held_order_cannot_ship(self):
        order = self._order(price=6000)
        picking = order.picking_ids
        with self.assertRaisesRegex(UserError, order.name):
            self._validate(picking)
        with self.assertRaisesRegex(UserError, "held or rejected"):
            picking.move_ids._action_done()
        self.assertEqual(picking.state, "assigned")

    def test_low_score_is_not_held(self):
        first = self._order(price=100)
        self.assertEqual(first.oms_fraud_state, "none")
        self.assertEqual(first.oms_fraud_score, 30)
        returning = self._order(price=6000)
        self.assertEqual(returning.oms_fraud_state, "none")
        self.assertEqual(returning.oms_fraud_line_ids.rule_id, self.rule_amount)
        self._validate(returning.picking_ids)
        self.assertEqual(returning.picking_ids.state, "done")

    def test_salesman_sees_the_client_history_through_screening(self):
        salesman = self._create_user_in("sales-sam", "sales_team.group_sale_salesman")
        self._order(price=100)
        order = self._order(price=6000, user=salesman)
        # Read back as superuser: the score lines are the fraud team's, not the salesman's.
        self.assertEqual(order.sudo().oms_fraud_line_ids.rule_id, self.rule_amount)
        self.assertEqual(order.oms_fraud_state, "none")

    def test_rule_limited_to_other_channel_does_not_apply(self):
        other = self.channel.copy({"code": "other-web", "name": "Other"})
        self.rule_amount.channel_ids = other
        order = self._order(price=6000)
        self.assertEqual(order.oms_fraud_score, 30)
        self.assertEqual(order.oms_fraud_state, "none")

    def test_company_policy_applies_without_channel(self):
        self.env.company.oms_fraud_threshold = 20
        order = self._order(price=100, oms_channel_id=False)
        self.assertEqual(order.oms_fraud_state, "held")

    def test_amount_threshold_converted_from_rule_currency(self):
        other = self.env.ref("base.EUR" if self.currency.name != "EUR" else "base.USD")
        other.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": other.id, "rate": 2.0, "name": fields.Date.today()}
        )
        self.rule_amount.write({"amount": 10000, "currency_id": other.id})
        order = self._order(price=5000)
        self.assertEqual(order.oms_fraud_score, 60)
        self.assertIn(
            f"Amount 5,000.00 {self.currency.name} reaches 10,000.00 {other.name} "
            f"(5,000.00 {self.currency.name} in company currency)",
            order.oms_fraud_line_ids.mapped("reason"),
            "the engine's English sentence is kept",
        )

        def money(amount, currency):
            return formatLang(self.env, amount, currency_obj=currency)

        self.assertIn(
            f"Amount {money(5000, self.currency)} reaches {money(10000, other)} "
            f"({money(5000, self.currency)} in company currency)",
            order.oms_fraud_reasons,
            "read with the currencies' symbols",
        )
        self.rule_amount.currency_strict = True
        strict = self._order(price=5000)
        self.assertNotIn(self.rule_amount, strict.oms_fraud_line_ids.rule_id)

    def test_reasons_read_in_the_reviewers_language(self):
        """An order placed by an English-speaking user (a channel's API user, say) is held;
        the French reviewer reads why in French, amounts with their currency symbols, in the
        order and in the review activity they are given."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["luxury_oms"], ["fr_FR"])
        self.fraud_user.lang = "fr_FR"
        order = self._order(price=6000)
        self.assertEqual(order.oms_fraud_state, "held")

        def reasons(lang):
            lines = order.with_user(self.fraud_user).with_context(lang=lang).oms_fraud_line_ids
            price, limit = (
                formatLang(lines.env, amount, currency_obj=self.currency) for amount in (6000, 5000)
            )
            return lines.mapped("reason_display"), price, limit

        french, price, limit = reasons("fr_FR")
        self.assertEqual(
            french,
            ["Nouveau client : aucune commande précédente", f"Montant {price} atteignant {limit}"],
        )
        self.assertIn(french[0], str(order.activity_ids.note))
        self.rule_new_client.with_context(lang="fr_FR").name = "Nouveau client (règle)"
        self.assertEqual(
            order.oms_fraud_line_ids.with_context(lang="fr_FR").mapped("label")[0],
            "Nouveau client (règle)",
            "the rule's name in the reader's language",
        )
        english, price, limit = reasons("en_US")
        self.assertEqual(
            english, ["New client: no previous order", f"Amount {price} reaches {limit}"]
        )
        self.assertNotIn(self.currency.name, english[1], "a symbol, not the ISO code")

    def test_card_country_mismatch(self):
        self._order(price=100)
        self._create_rule("Foreign card", "country_mismatch", 60, mismatch="billing_card")
        order = self._order(price=100, oms_card_country_id=self.env.ref("base.us").id)
        self.assertEqual(order.oms_fraud_state, "held")
        self.assertIn("Billing country differs from the card issuer", order.oms_fraud_reasons)

    def test_first_order_to_new_address(self):
        self._order(price=100)
        self._create_rule("New address", "new_address", 60)
        self.assertEqual(self._order(price=100).oms_fraud_state, "none")
        elsewhere = self.env["res.partner"].create(
            {
                "name": "Client in Rome",
                "parent_id": self.client.id,
                "type": "delivery",
                "street": "Via Condotti 1",
                "city": "Roma",
                "country_id": self.italy.id,
            }
        )
        order = self._order(price=100, partner_shipping_id=elsewhere.id)
        self.assertEqual(order.oms_fraud_state, "held")

    # Velocity ----------------------------------------------------------

    def test_velocity_per_client(self):
        self._create_rule(
            "3 orders a day", "velocity_orders", 60, velocity_count=3, velocity_hours=24
        )
        self.assertEqual(self._order(price=100).oms_fraud_state, "none")
        self.assertEqual(self._order(price=100).oms_fraud_state, "none")
        third = self._order(price=100)
        self.assertEqual(third.oms_fraud_state, "held")
        self.assertIn("3 orders by this client", third.oms_fraud_reasons)

    def test_velocity_amount_per_card_across_clients(self):
        self._create_rule(
            "Card spends 5000 a day",
            "velocity_amount",
            60,
            amount=5000,
            currency_id=self.currency.id,
            velocity_scope="card",
            velocity_hours=24,
        )
        self.rule_new_client.active = False
        other_client = self.client.copy({"name": "Other Client"})
        first = self._order(price=3000, oms_card_fingerprint="fp-1")
        self.assertEqual(first.oms_fraud_state, "none")
        second = self._order(price=3000, partner=other_client, oms_card_fingerprint="fp-1")
        self.assertEqual(second.oms_fraud_state, "held")
        other_card = self._order(price=3000, partner=other_client, oms_card_fingerprint="fp-2")
        self.assertEqual(other_card.oms_fraud_state, "none")

    # Trusted clients ---------------------------------------------------

    def test_vip_exemption(self):
        self.channel.oms_fraud_vip_tier_id = self.tier_gold
        self.client.oms_tier_id = self.tier_icon
        order = self._order(price=6000)
        self.assertEqual(order.oms_fraud_state, "none")
        self.assertEqual(order.oms_fraud_score, 0)
        self.assertEqual(order.oms_fraud_reasons, "VIP exempt")
        self._validate(order.picking_ids)
        self.assertEqual(order.picking_ids.state, "done")

    def test_vip_factor_down_weights(self):
        self.channel.write(
            {
                "oms_fraud_vip_tier_id": self.tier_gold.id,
                "oms_fraud_vip_policy": "factor",
                "oms_fraud_vip_factor": 0.5,
            }
        )
        self.client.oms_tier_id = self.tier_gold
        order = self._order(price=6000)
        self.assertEqual(order.oms_fraud_score, 30)
        self.assertEqual(order.oms_fraud_state, "none")

    # Decisions ---------------------------------------------------------

    def test_approve_releases_fulfilment(self):
        order = self._order(price=6000)
        self._decide(order, "approve", "Card holder confirmed by phone")
        self.assertEqual(order.oms_fraud_state, "approved")
        self.assertEqual(order.oms_fraud_reviewer_id, self.fraud_user)
        self.assertEqual(order.oms_fraud_decision_note, "Card holder confirmed by phone")
        self.assertFalse(order.activity_ids)
        last_message = order.message_ids[0]
        self.assertIn("Card holder confirmed by phone", str(last_message.body))
        self.assertIn(self.fraud_user.name, str(last_message.body))
        self._validate(order.picking_ids)
        self.assertEqual(order.picking_ids.state, "done")

    def _available_to_sell(self):
        availability = self.env["luxury.oms.availability"]._compute_availability(
            self.product, self.dc
        )
        return availability[self.product.id, self.dc.id].available_to_sell

    def test_reject_cancels_and_frees_stock(self):
        order = self._order(price=6000)
        picking = order.picking_ids
        self.assertEqual(self._available_to_sell(), 9, "a held order keeps its unit")
        self._decide(order, "reject", "Card reported stolen")
        self.assertEqual(self._available_to_sell(), 10)
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.oms_fraud_state, "rejected")
        self.assertEqual(picking.move_ids.state, "cancel")
        self.assertFalse(order.activity_ids)
        self.assertIn("Card reported stolen", str(order.message_ids[0].body))
        quant = self.env["stock.quant"]._gather(self.product, self.dc.lot_stock_id)
        self.assertEqual(sum(quant.mapped("reserved_quantity")), 0)

    def test_rejected_order_never_ships_nor_reopens(self):
        order = self._order(price=6000)
        picking = order.picking_ids
        self._decide(order, "reject", "Card reported stolen")
        with self.assertRaisesRegex(UserError, order.name):
            picking.button_validate()
        # A move made by hand for the order's line is refused too.
        move = self.env["stock.move"].create(
            {
                "product_id": self.product.id,
                "product_uom_qty": 1,
                "quantity": 1,
                "picked": True,
                "location_id": self.dc.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "sale_line_id": order.order_line.id,
            }
        )
        with self.assertRaisesRegex(UserError, order.name):
            move._action_done()
        self.assertNotEqual(move.state, "done")
        with self.assertRaisesRegex(UserError, "rejected by the fraud team"):
            order.action_draft()
        with self.assertRaisesRegex(UserError, "rejected by the fraud team"):
            order.action_confirm()
        self.assertEqual(order.state, "cancel")

    def test_several_held_orders_decided_at_once(self):
        orders = self._order(price=6000) | self._order(price=7000)
        self._decide(orders, "reject", "Same stolen card")
        self.assertEqual(set(orders.mapped("oms_fraud_state")), {"rejected"})
        self.assertEqual(set(orders.mapped("state")), {"cancel"})

    def test_reason_is_required(self):
        order = self._order(price=6000)
        with self.assertRaisesRegex(UserError, "Reason is required"):
            self._decide(order, "reject", reason="  ")
        self.assertEqual(order.oms_fraud_state, "held")
        self.assertEqual(order.state, "sale")

    def test_only_fraud_reviewers_decide(self):
        order = self._order(price=6000)
        with self.assertRaises(AccessError):
            order.with_user(self.oms_user).action_oms_fraud_approve()
        with self.assertRaises(AccessError):
            order.with_user(self.oms_user)._oms_fraud_reject("no right")
        self.assertEqual(order.oms_fraud_state, "held")

    def test_fraud_fields_cannot_be_written_directly(self):
        order = self._order(price=6000)
        for user in (self.oms_user, self.fraud_user):
            with self.assertRaises(AccessError):
                order.with_user(user).write({"oms_fraud_state": "approved"})
        self.assertEqual(order.oms_fraud_state, "held")

    def test_only_held_orders_can_be_decided(self):
        order = self._order(price=100)
        with self.assertRaisesRegex(UserError, "not held"):
            order.with_user(self.fraud_user).action_oms_fraud_approve()

    def test_any_reviewer_can_decide_and_close_the_activity(self):
        self.channel.oms_fraud_reviewer_id = self._create_user_in(
            "fraud-fred", "luxury_oms.group_oms_fraud"
        )
        order = self._order(price=6000)
        self.assertEqual(order.activity_ids.user_id.login, "fraud-fred")
        self._decide(order, "approve")
        self.assertEqual(order.oms_fraud_state, "approved")
        self.assertFalse(order.activity_ids)

    def test_reviewer_falls_back_to_activity_type_default_user(self):
        self.channel.oms_fraud_reviewer_id = False
        activity_type = self.env.ref("luxury_oms.mail_activity_type_fraud_review")
        activity_type.default_user_id = self.fraud_user
        self.assertEqual(self._order(price=6000).activity_ids.user_id, self.fraud_user)
        activity_type.default_user_id = False
        first_reviewer = self.env["res.users"].search(
            [("all_group_ids", "in", self.env.ref("luxury_oms.group_oms_fraud").ids)],
            order="id",
            limit=1,
        )
        self.assertEqual(self._order(price=6000).activity_ids.user_id, first_reviewer)

    def test_cancelling_a_held_order_leaves_the_queue(self):
        order = self._order(price=6000)
        order._action_cancel()
        self.assertEqual(order.oms_fraud_state, "none")
        self.assertFalse(order.activity_ids)

    # Bad input ---------------------------------------------------------

    def test_threshold_must_be_positive(self):
        for value in (0, -5):
            with self.assertRaisesRegex(ValidationError, "Fraud Hold Score"):
                self.channel.oms_fraud_threshold = value
        with self.assertRaisesRegex(ValidationError, "Fraud Hold Score"):
            self.env.company.oms_fraud_threshold = 0
        with self.assertRaisesRegex(ValidationError, "Score Factor"):
            self.channel.oms_fraud_vip_factor = 1.5

    def test_rule_without_condition_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "no condition"):
            self._create_rule("Empty", False, 10)

    def test_rule_with_inactive_currency_is_refused(self):
        inactive = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("active", "=", False)], limit=1)
        )
        with self.assertRaisesRegex(ValidationError, "unknown or inactive"):
            self._create_rule("Odd", "amount_over", 10, amount=100, currency_id=inactive.id)

    def test_rule_parameters_are_checked(self):
        cases = [
            ("amount_over", {"amount": 0}, "Amount must be greater than 0"),
            ("velocity_orders", {"velocity_count": 3, "velocity_hours": 0}, "Window"),
            ("velocity_orders", {"velocity_count": 1, "velocity_hours": 24}, "at least 2"),
            ("tier", {}, "Up to Tier is required"),
            ("new_client", {"points": 0}, "Points cannot be 0"),
        ]
        for condition, values, message in cases:
            points = values.pop("points", 10)
            with (
                self.subTest(condition=condition),
                self.assertRaisesRegex(ValidationError, message),
            ):
                self._create_rule("Bad", condition, points, **values)
