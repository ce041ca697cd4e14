from unittest import SkipTest
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import TransactionCase
from odoo.tests import tagged

from .common import LuxuryOmsCase


class SourcingCase(LuxuryOmsCase):
    """The test maison with a strategy: Paris DC (luxury packaging), Milan, Rome."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dc.oms_luxury_packaging = True
        cls.channel.warehouse_ids = [Command.link(cls.rome.id)]
        cls.wallet = cls.env["product.product"].create(
            {"name": "Test Wallet", "default_code": "T-WAL", "is_storable": True}
        )
        cls.strategy = cls.env["luxury.oms.sourcing.strategy"].create(
            {
                "name": "Test Europe",
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Icons: boutiques first",
                            "sequence": 1,
                            "min_tier_id": cls.tier_icon.id,
                            "criterion_ids": [
                                Command.create(
                                    {
                                        "criterion_type": "site_type",
                                        "weight": 100,
                                        "preferred_site_type": "boutique",
                                    }
                                ),
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "name": "Everyone: nearest, fewest parcels",
                            "sequence": 2,
                            "criterion_ids": [
                                Command.create({"criterion_type": "distance", "weight": 60}),
                                Command.create({"criterion_type": "fewest_parcels", "weight": 40}),
                            ],
                        }
                    ),
                ],
            }
        )
        cls.rule_icons, cls.rule_everyone = cls.strategy.rule_ids
        cls.channel.sourcing_strategy_id = cls.strategy

    def _order(self, *lines, **values):
        return self.env["sale.order"].create(
            {
                "partner_id": self.client.id,
                "oms_channel_id": self.channel.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
                **values,
            }
        )

    def _deliveries(self, order):
        """{site: {product: qty}} of the order's open transfers to the client."""
        result = {}
        for move in order.picking_ids.move_ids.filtered(
            lambda m: m.state != "cancel" and m.location_dest_id.usage == "customer"
        ):
            site = result.setdefault(move.picking_type_id.warehouse_id, {})
            site[move.product_id] = site.get(move.product_id, 0) + move.product_uom_qty
        return result


class TestSourcingConfiguration(SourcingCase):
    def test_weight_outside_range(self):
        with self.assertRaisesRegex(ValidationError, "weights lie between 0 and 100"):
            self.rule_everyone.criterion_ids[0].weight = 120
        with self.assertRaisesRegex(ValidationError, "weights lie between 0 and 100"):
            self.rule_everyone.criterion_ids[0].weight = -5

    def test_rule_without_criteria(self):
        with self.assertRaisesRegex(ValidationError, "has no ranking criterion"):
            self.env["luxury.oms.sourcing.rule"].create(
                {"name": "Empty", "strategy_id": self.strategy.id}
            )

    def test_rule_with_only_zero_weights(self):
        with self.assertRaisesRegex(ValidationError, "every criterion has weight 0"):
            self.rule_everyone.criterion_ids.weight = 0

    def test_rule_value_bounds(self):
        with self.assertRaisesRegex(ValidationError, "is above the order value up to"):
            self.rule_everyone.write({"min_amount": 5000, "max_amount": 1000})

    def test_site_type_criterion_needs_a_type(self):
        with self.assertRaisesRegex(ValidationError, "needs a preferred site type"):
            self.rule_icons.criterion_ids.preferred_site_type = False

    def test_strategy_without_rules(self):
        with self.assertRaisesRegex(ValidationError, "has no active rule"):
            self.env["luxury.oms.sourcing.strategy"].create({"name": "Empty"})
        with self.assertRaisesRegex(ValidationError, "has no active rule"):
            self.strategy.rule_ids.unlink()

    def test_channel_sites_need_a_location(self):
        nowhere = self.env["stock.warehouse"].create({"name": "Nowhere", "code": "TNOW"})
        with self.assertRaisesRegex(ValidationError, "Nowhere have no country or no coordinates"):
            self.channel.warehouse_ids = [Command.link(nowhere.id)]

    def test_sourced_site_keeps_its_location(self):
        with self.assertRaisesRegex(ValidationError, "Test Rome have no country"):
            self.rome.write({"oms_latitude": 0, "oms_longitude": 0})

    def test_configure_through_the_forms(self):
        with Form(self.env["luxury.oms.sourcing.strategy"]) as strategy_form:
            strategy_form.name = "Asia"
            with strategy_form.rule_ids.new() as rule_form:
                rule_form.name = "Gold clients"
                rule_form.min_tier_id = self.tier_gold
                with rule_form.criterion_ids.new() as criterion:
                    criterion.criterion_type = "site_type"
                    criterion.weight = 70
                    criterion.preferred_site_type = "flagship"
                    criterion.second_site_type = "boutique"
                with rule_form.criterion_ids.new() as criterion:
                    criterion.criterion_type = "stock_depth"
                    criterion.weight = 30
        strategy = strategy_form.record
        self.assertEqual(strategy.rule_ids.criterion_ids.mapped("weight"), [70, 30])
        engine_rule = strategy.rule_ids._oms_engine_rule(self.eur, "2026-01-01")
        self.assertEqual(engine_rule.min_tier_rank, 910)
        self.assertEqual(engine_rule.criteria[0].site_types, ("flagship", "boutique"))

    def test_summaries(self):
        self.assertEqual(
            self.rule_everyone.criteria_summary, "Distance to destination 60 · Fewest parcels 40"
        )
        self.assertEqual(self.rule_everyone.filter_summary, "Every order")
        self.assertIn("Test Icon or above", self.rule_icons.filter_summary)


class TestSourcingOnConfirm(SourcingCase):
    def test_one_site_with_everything_beats_a_nearer_split(self):
        self._set_stock(self.product, self.dc, 5)
        self._set_stock(self.product, self.milan, 1)
        self._set_stock(self.wallet, self.milan, 1)
        order = self._order((self.product, 1), (self.wallet, 1))
        order.action_confirm()
        plan = order.oms_sourcing_plan_id
        self.assertEqual(plan.rule_id, self.rule_everyone)
        self.assertEqual(order.order_line.warehouse_id, self.milan)
        self.assertEqual(self._deliveries(order), {self.milan: {self.product: 1, self.wallet: 1}})
        self.assertFalse(plan.is_split)
        self.assertIn("Test Milan has every line in stock", order.oms_sourcing_explanation)
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["luxury_oms"], ["fr_FR"])
        self.assertIn(
            f"La règle « {self.rule_everyone.name} » s'est appliquée à la commande.",
            plan.with_context(lang="fr_FR").explanation,
            "explained when read, in the reader's language",
        )
        milan = plan.candidate_ids.filtered(lambda c: c.warehouse_id == self.milan)
        self.assertTrue(milan.chosen)
        self.assertTrue(milan.serves_all)
        self.assertEqual(milan.score_fewest_parcels, 100)
        dc = plan.candidate_ids.filtered(lambda c: c.warehouse_id == self.dc)
        self.assertEqual((dc.rank, dc.score_distance, dc.chosen), (1, 100, False))

    def test_only_storable_lines_are_sourced(self):
        self._set_stock(self.product, self.milan, 1)
        gift_note = self.env["product.product"].create({"name": "Gift note", "type": "service"})
        order = self._order((self.product, 1), (gift_note, 1))
        order.action_confirm()
        self.assertEqual(order.oms_sourcing_plan_id.line_ids.sale_line_id.product_id, self.product)
        self.assertEqual(self._deliveries(order), {self.milan: {self.product: 1}})

    def test_first_matching_rule_ranks(self):
        self.client.oms_tier_id = self.tier_icon
        self._set_stock(self.product, self.dc, 5)
        self._set_stock(self.product, self.rome, 1)
        order = self._order((self.product, 1))
        order.action_confirm()
        self.assertEqual(order.oms_sourcing_plan_id.rule_id, self.rule_icons)
        self.assertEqual(order.order_line.warehouse_id, self.rome)

    def test_destination_region_filter(self):
        self.rule_everyone.country_ids = self.italy
        self.strategy.fallback = "order_warehouse"
        self._set_stock(self.product, self.milan, 1)
        unmatched = self._order((self.product, 1))
        self._set_stock(self.product, unmatched.warehouse_id, 1)
        unmatched.action_confirm()
        self.assertFalse(unmatched.oms_sourcing_plan_ids)
        self.rule_everyone.country_group_ids = self.env.ref("base.europe")
        matched = self._order((self.product, 1))
        matched.action_confirm()
        self.assertEqual(matched.oms_sourcing_plan_id.rule_id, self.rule_everyone)

    def test_site_without_capacity_left_is_skipped(self):
        self.milan.oms_daily_capacity = 1
        self._set_stock(self.product, self.milan, 2)
        self._set_stock(self.product, self.rome, 2)
        first = self._order((self.product, 1))
        first.action_confirm()
        self.assertEqual(first.order_line.warehouse_id, self.milan)
        second = self._order((self.product, 1))
        second.action_confirm()
        self.assertEqual(second.order_line.warehouse_id, self.rome)
        self.assertNotIn(self.milan, second.oms_sourcing_plan_id.candidate_ids.warehouse_id)

    def test_capacity_is_counted_where_the_order_can_be_served(self):
        """Only the sites with stock for the order count their parcels of the day (one
        statement over a few sites, not the maison's hundreds): no other can serve it."""
        self._set_stock(self.product, self.milan, 2)
        Warehouse = type(self.env["stock.warehouse"])
        count_parcels = Warehouse._oms_parcels_started_today
        counted = []

        def spy(sites, tz_by_site=None):
            counted.append(sites)
            return count_parcels(sites, tz_by_site)

        with patch.object(Warehouse, "_oms_parcels_started_today", spy):
            order = self._order((self.product, 1))
            order.action_confirm()
        self.assertEqual(counted, [self.milan])
        self.assertEqual(order.order_line.warehouse_id, self.milan)

    def test_split_when_no_site_has_everything(self):
        self._set_stock(self.product, self.dc, 1)
        self._set_stock(self.wallet, self.milan, 1)
        order = self._order((self.product, 1), (self.wallet, 1))
        order.action_confirm()
        self.assertTrue(order.oms_sourcing_plan_id.is_split)
        self.assertEqual(
            self._deliveries(order), {self.dc: {self.product: 1}, self.milan: {self.wallet: 1}}
        )
        self.env["sale.order"]._oms_run_pending_work()
        self.assertIn("share the order", order.oms_sourcing_explanation)

    def test_one_line_split_over_two_sites(self):
        self._set_stock(self.product, self.dc, 1)
        self._set_stock(self.product, self.milan, 1)
        order = self._order((self.product, 2))
        order.action_confirm()
        self.assertEqual(
            self._deliveries(order), {self.dc: {self.product: 1}, self.milan: {self.product: 1}}
        )
        self.assertEqual(order.order_line.qty_to_deliver, 2)

    def test_customer_service_user_confirms_and_reads_why(self):
        user = self.env["res.users"].create(
            {
                "name": "Test CS",
                "login": "test-cs",
                "group_ids": [
                    Command.link(self.env.ref("luxury_oms.group_oms_customer_service").id)
                ],
            }
        )
        self._set_stock(self.product, self.milan, 1)
        order = self._order((self.product, 1)).with_user(user)
        order.action_confirm()
        self.assertEqual(order.order_line.warehouse_id, self.milan)
        self.env["sale.order"]._oms_run_pending_work()
        self.assertIn("Test Milan", order.oms_sourcing_explanation)
        self.assertTrue(order.oms_sourcing_plan_id.candidate_ids)

    def test_without_strategy_the_order_warehouse_is_kept(self):
        self.channel.sourcing_strategy_id = False
        self._set_stock(self.product, self.milan, 1)
        order = self._order((self.product, 1))
        self._set_stock(self.product, order.warehouse_id, 1)
        order.action_confirm()
        self.assertFalse(order.oms_sourcing_plan_ids)
        self.assertEqual(order.order_line.warehouse_id, order.warehouse_id)

    def test_fallback_keep_order_warehouse_when_no_rule_matches(self):
        self.rule_everyone.min_amount = 1_000_000
        self.strategy.fallback = "order_warehouse"
        self._set_stock(self.product, self.milan, 1)
        order = self._order((self.product, 1))
        self._set_stock(self.product, order.warehouse_id, 1)
        order.action_confirm()
        self.assertFalse(order.oms_sourcing_plan_ids)
        self.assertEqual(order.order_line.warehouse_id, order.warehouse_id)

    def test_fallback_nearest_when_no_rule_matches(self):
        self.rule_everyone.min_amount = 1_000_000
        self._set_stock(self.product, self.milan, 1)
        self._set_stock(self.product, self.dc, 1)
        order = self._order((self.product, 1))
        order.action_confirm()
        self.assertFalse(order.oms_sourcing_plan_id.rule_id)
        self.assertEqual(order.order_line.warehouse_id, self.dc)
        self.env["sale.order"]._oms_run_pending_work()
        self.assertIn("No rule matched", order.oms_sourcing_explanation)

    def test_demands_are_taken_where_the_stock_is(self):
        self._set_stock(self.product, self.dc, 1)
        self._set_stock(self.wallet, self.milan, 1)
        order = self._order((self.product, 1), (self.wallet, 1), oms_single_parcel=True)
        order.action_confirm()
        bag_line, wallet_line = order.order_line
        self.assertCountEqual(
            order._oms_stock_demands(),
            [(self.product, self.dc, 1, bag_line), (self.wallet, self.milan, 1, wallet_line)],
        )

    def test_short_quantities_refuse_the_order_with_lines_named(self):
        self._set_stock(self.product, self.milan, 1)
        order = self._order((self.product, 3), (self.wallet, 1))
        order._oms_plan_sourcing()
        plan = order.oms_sourcing_plan_id
        self.assertTrue(plan.is_short)
        self.assertIn("found no site with stock", plan.explanation)
        bag_line, wallet_line = order.order_line
        self.assertEqual(bag_line.warehouse_id, self.milan)
        self.assertCountEqual(
            order._oms_stock_demands(),
            [
                (self.product, self.milan, 1, bag_line),
                (self.product, self.milan, 2, bag_line),
                (self.wallet, wallet_line.warehouse_id, 1, wallet_line),
            ],
        )
        with (
            self.assertRaisesRegex(UserError, "Test Bag at Test Milan: 3.0 requested, 1.0"),
            self.env.cr.savepoint(),
        ):
            order.action_confirm()
        self.env.invalidate_all()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)


class TestConsolidation(SourcingCase):
    def test_a_pickup_s_plan_says_where_the_client_collects(self):
        self.milan.oms_click_collect = True
        self._set_stock(self.product, self.dc, 1)
        order = self._order((self.product, 1), oms_pickup_warehouse_id=self.milan.id)
        order.action_confirm()
        self.env["sale.order"]._oms_run_pending_work()
        explanation = order.oms_sourcing_plan_id.explanation
        self.assertIn("The client collects the order at Test Milan", explanation)
        self.assertNotIn("ships the parcel", explanation)

    def test_single_parcel_transfers_to_the_packaging_dc(self):
        self._set_stock(self.product, self.dc, 1)
        self._set_stock(self.wallet, self.milan, 1)
        order = self._order((self.product, 1), (self.wallet, 1), oms_single_parcel=True)
        order.action_confirm()
        plan = order.oms_sourcing_plan_id
        self.assertEqual(plan.consolidation_warehouse_id, self.dc)
        self.assertEqual(order.order_line.warehouse_id, self.dc)
        self.env["sale.order"]._oms_run_pending_work()
        self.assertIn("transfer their items to Test DC Paris", plan.explanation)
        # One parcel: a single delivery, from the DC, carrying both lines.
        self.assertEqual(self._deliveries(order), {self.dc: {self.product: 1, self.wallet: 1}})
        transit = self.env.company.internal_transit_location_id
        milan_out = order.picking_ids.filtered(lambda p: p.location_id == self.milan.lot_stock_id)
        dc_in = order.picking_ids.filtered(lambda p: p.location_dest_id == self.dc.lot_stock_id)
        self.assertEqual(milan_out.location_dest_id, transit)
        self.assertEqual(milan_out.state, "assigned")
        self.assertEqual(dc_in.location_id, transit)
        delivery = order.picking_ids.filtered(lambda p: p.location_dest_id.usage == "customer")
        wallet_move = delivery.move_ids.filtered(lambda m: m.product_id == self.wallet)
        self.assertEqual(wallet_move.move_orig_ids, dc_in.move_ids)
        self.assertEqual(wallet_move.state, "waiting")
        # The transfer arrives: the parcel is complete.
        milan_out.button_validate()
        dc_in.button_validate()
        self.assertEqual(delivery.state, "assigned")
        # Transfers between sites are not deliveries: only the parcel delivers the lines.
        self.assertEqual(order.order_line.mapped("qty_delivered"), [0, 0])
        delivery.button_validate()
        self.assertEqual(order.order_line.mapped("qty_delivered"), [1, 1])

    def test_the_parts_meet_at_a_hub_with_parcels_left_today(self):
        """The Paris DC, nearest the client, has started every parcel its day allows: a
        one-parcel order's parts meet at the other packaging DC, whose parcel can still
        leave today (its own capacity is counted though it holds none of the order)."""
        lyon = self._create_site(
            "TLY", "Test DC Lyon", "dc", self.france, 45.76, 4.84, oms_luxury_packaging=True
        )
        self.channel.warehouse_ids = [Command.link(lyon.id)]
        self.client.write({"partner_latitude": 48.86, "partner_longitude": 2.35})
        self._set_stock(self.product, self.milan, 1)
        self._set_stock(self.wallet, self.rome, 1)
        order = self._order((self.product, 1), (self.wallet, 1), oms_single_parcel=True)
        self.dc.oms_daily_capacity = 1
        self.env["stock.picking"].create(
            {
                "picking_type_id": self.dc.out_type_id.id,
                "location_id": self.dc.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
        order.action_confirm()
        self.assertEqual(order.oms_sourcing_plan_id.consolidation_warehouse_id, lyon)
        self.assertEqual(order.order_line.warehouse_id, lyon)
        self.env["sale.order"]._oms_run_pending_work()
        explanation = order.oms_sourcing_plan_id.explanation
        self.assertIn("transfer their items to Test DC Lyon", explanation)
        self.assertIn("best placed for it had no parcels left today", explanation)

    def test_part_of_a_line_transferred(self):
        self._set_stock(self.product, self.dc, 1)
        self._set_stock(self.product, self.rome, 1)
        order = self._order((self.product, 2), oms_single_parcel=True)
        order.action_confirm()
        delivery = order.picking_ids.filtered(lambda p: p.location_dest_id.usage == "customer")
        self.assertEqual(delivery.picking_type_id.warehouse_id, self.dc)
        self.assertEqual(sorted(delivery.move_ids.mapped("product_uom_qty")), [1, 1])
        self.assertEqual(sorted(delivery.move_ids.mapped("state")), ["assigned", "waiting"])

    def test_no_consolidation_without_one_parcel_preference(self):
        self._set_stock(self.product, self.dc, 1)
        self._set_stock(self.wallet, self.milan, 1)
        order = self._order((self.product, 1), (self.wallet, 1))
        order.action_confirm()
        self.assertFalse(order.oms_sourcing_plan_id.consolidation_warehouse_id)
        self.assertFalse(
            order.picking_ids.filtered(lambda p: p.location_dest_id.usage == "transit")
        )

    def test_channel_preference_sets_one_parcel(self):
        self.channel.single_parcel = True
        order = self._order((self.product, 1))
        self.assertTrue(order.oms_single_parcel)


class TestResourcing(SourcingCase):
    def _resource(self, order, site, reason="QC failed"):
        wizard = self.env["luxury.oms.resource.wizard"].create(
            {"order_id": order.id, "warehouse_id": site.id, "reason": reason}
        )
        self.assertIn(site, wizard.site_ids)
        wizard.action_resource()

    def test_failing_site_is_replaced_and_prepared_work_kept(self):
        self._set_stock(self.product, self.dc, 1)
        self._set_stock(self.wallet, self.milan, 1)
        self._set_stock(self.wallet, self.rome, 1)
        order = self._order((self.product, 1), (self.wallet, 1))
        order.action_confirm()
        first_plan = order.oms_sourcing_plan_id
        dc_delivery = order.picking_ids.filtered(lambda p: p.location_id == self.dc.lot_stock_id)
        dc_delivery.button_validate()
        self.assertTrue(order.can_oms_resource)
        self._resource(order, self.milan)
        plan = order.oms_sourcing_plan_id
        self.assertNotEqual(plan, first_plan)
        self.assertEqual((plan.is_current, first_plan.is_current), (True, False))
        Plan = self.env["luxury.oms.sourcing.plan"]
        of_order = [("order_id", "=", order.id)]
        self.assertEqual(Plan.search([*of_order, ("is_current", "=", True)]), plan)
        self.assertEqual(Plan.search([*of_order, ("is_current", "=", False)]), first_plan)
        self.assertEqual(Plan.search([*of_order, ("is_current", "!=", True)]), first_plan)
        self.assertFalse(order.copy().oms_sourcing_plan_id, "a copy is sourced anew")
        salesman = self._create_user_in("sales-sid", "sales_team.group_sale_salesman_all_leads")
        with self.assertRaisesRegex(AccessError, "sourcing plan is set by sourcing"):
            order.with_user(salesman).oms_sourcing_plan_id = first_plan
        self.assertEqual(plan.excluded_warehouse_ids, self.milan)
        self.assertEqual(plan.line_ids.mapped("warehouse_id"), self.rome)
        self.assertEqual(self._deliveries(order)[self.rome], {self.wallet: 1})
        self.assertNotIn(self.milan, self._deliveries(order))
        self.assertEqual(dc_delivery.state, "done")
        self.assertIn("Re-sourced away from Test Milan: QC failed", order.message_ids[0].body)

    def test_resourcing_a_consolidated_order(self):
        self._set_stock(self.product, self.dc, 1)
        self._set_stock(self.wallet, self.milan, 1)
        self._set_stock(self.wallet, self.rome, 1)
        order = self._order((self.product, 1), (self.wallet, 1), oms_single_parcel=True)
        order.action_confirm()
        self._resource(order, self.milan)
        open_pickings = order.picking_ids.filtered(lambda p: p.state != "cancel")
        self.assertFalse(open_pickings.filtered(lambda p: p.location_id == self.milan.lot_stock_id))
        rome_out = open_pickings.filtered(lambda p: p.location_id == self.rome.lot_stock_id)
        self.assertEqual(rome_out.move_ids.product_id, self.wallet)
        self.assertEqual(self._deliveries(order), {self.dc: {self.product: 1, self.wallet: 1}})

    def test_failing_consolidation_site_keeps_consolidating(self):
        self._set_stock(self.product, self.dc, 1)
        self._set_stock(self.product, self.rome, 1)
        self._set_stock(self.wallet, self.milan, 1)
        order = self._order((self.product, 1), (self.wallet, 1), oms_single_parcel=True)
        order.action_confirm()
        milan_out = order.picking_ids.filtered(lambda p: p.location_id == self.milan.lot_stock_id)
        self._resource(order, self.dc, "bag failed QC")
        plan = order.oms_sourcing_plan_id
        self.assertEqual(plan.consolidation_warehouse_id, self.dc)
        self.assertEqual(plan.line_ids.mapped("warehouse_id"), self.rome)
        self.assertEqual(milan_out.state, "assigned")  # the wallet's transfer goes on
        open_pickings = order.picking_ids.filtered(lambda p: p.state != "cancel")
        rome_out = open_pickings.filtered(lambda p: p.location_id == self.rome.lot_stock_id)
        self.assertEqual(rome_out.move_ids.product_id, self.product)
        self.assertEqual(self._deliveries(order), {self.dc: {self.product: 1, self.wallet: 1}})
        delivery = open_pickings.filtered(lambda p: p.location_dest_id.usage == "customer")
        open_moves = delivery.move_ids.filtered(lambda m: m.state != "cancel")
        self.assertEqual(open_moves.mapped("state"), ["waiting", "waiting"])

    def test_nothing_left_at_the_site(self):
        self._set_stock(self.product, self.dc, 1)
        order = self._order((self.product, 1))
        order.action_confirm()
        order.picking_ids.button_validate()
        with self.assertRaisesRegex(UserError, "nothing left to prepare at Test DC Paris"):
            order._oms_resource(self.dc, "damaged")

    def test_no_other_site_refuses_and_changes_nothing(self):
        self._set_stock(self.product, self.milan, 1)
        order = self._order((self.product, 1))
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "No other site"), self.env.cr.savepoint():
            order._oms_resource(self.milan, "damaged")
        self.env.invalidate_all()
        self.assertEqual(order.picking_ids.state, "assigned")
        self.assertEqual(len(order.oms_sourcing_plan_ids), 1)


@tagged("post_install", "-at_install")
class TestSourcingDemo(TransactionCase):
    """The demo maison's web channels source their orders with the demo strategy."""

    def test_web_order_is_sourced_in_the_demo_maison(self):
        channel = self.env.ref("luxury_oms.channel_web_fr", raise_if_not_found=False)
        if not channel:
            raise SkipTest("The demo maison is loaded only with --with-demo.")
        # The maison is a company of its own: work in it, as its staff does.
        env = self.env(context=dict(self.env.context, allowed_company_ids=channel.company_id.ids))
        client = env["res.partner"].create(
            {"name": "Demo Sourcing Client", "country_id": env.ref("base.fr").id}
        )
        product = env.ref("luxury_oms.product_bag_celeste_28_noir")
        order = env["sale.order"].create(
            {
                "partner_id": client.id,
                "oms_channel_id": channel.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        plan = order.oms_sourcing_plan_id
        self.assertEqual(plan.rule_id.name, "Every other order: nearest, fewest parcels")
        self.assertIn(order.order_line.warehouse_id, channel.warehouse_ids)
        self.env["sale.order"]._oms_run_pending_work()
        self.assertIn(plan.rule_id.name, plan.explanation)


class TestPickupSourcing(SourcingCase):
    def test_pickup_stock_elsewhere_is_transferred_to_the_boutique(self):
        self.milan.oms_click_collect = True
        self._set_stock(self.product, self.dc, 1)
        order = self._order((self.product, 1), oms_pickup_warehouse_id=self.milan.id)
        order.action_confirm()
        self.assertEqual(order.oms_pickup_state, "waiting")
        delivery = order.picking_ids.filtered(lambda p: p.location_dest_id.usage == "customer")
        self.assertEqual(delivery.picking_type_id.warehouse_id, self.milan)
        with self.assertRaisesRegex(UserError, "not all reserved"):
            order.action_oms_pickup_ready()
        transfers = order.picking_ids - delivery
        self.assertIn(self.dc.lot_stock_id, transfers.location_id, "the DC sends the piece")
        for _leg in range(len(transfers)):
            transfers.filtered(lambda p: p.state == "assigned").button_validate()
        self.assertEqual(delivery.state, "assigned")
        order.action_oms_pickup_ready()
        self.assertEqual(order.oms_pickup_state, "ready")
