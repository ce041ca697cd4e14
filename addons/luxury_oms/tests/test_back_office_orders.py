"""The order-side back-office screens, as customer service and the fraud team read them:
names a person would give, amounts with their currency, counts as whole numbers, the
columns the README promises, menus where the work is."""

import json
from datetime import datetime

from lxml import etree

from odoo import fields

from .common import LuxuryOmsCase


class TestBackOfficeOrders(LuxuryOmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.client.id,
                "oms_channel_id": cls.channel.id,
                "warehouse_id": cls.dc.id,
                "order_line": [fields.Command.create({"product_id": cls.product.id})],
            }
        )

    def _plan(self, **values):
        line = self.order.order_line
        return (
            self.env["luxury.oms.sourcing.plan"]
            .sudo()
            .create(
                {
                    "order_id": self.order.id,
                    "line_ids": [
                        fields.Command.create(
                            {"sale_line_id": line.id, "warehouse_id": self.milan.id, "quantity": 1}
                        )
                    ],
                    **values,
                }
            )
        )

    def _arch(self, xmlid, view_type):
        action = self.env.ref(xmlid)
        view_id = next(
            (view.view_id.id for view in action.view_ids if view.view_mode == view_type), False
        )
        views = self.env[action.res_model].get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    # Sourcing plans ---------------------------------------------------------------------

    def test_plan_is_named_as_a_person_would(self):
        plan = self._plan()
        this_year = fields.Datetime.now().year
        value = datetime(this_year, 12, 7, 13, 7, 25, 4773)
        plan = plan.with_context(tz="Europe/Paris", lang="en_US")
        self.assertEqual(plan._oms_short_datetime(value), "Dec 7 2:07 PM")
        self.assertEqual(
            plan._oms_short_datetime(value.replace(year=this_year - 1)),
            f"Dec 7, {this_year - 1} 2:07 PM",
        )
        self.assertRegex(plan.display_name, rf"^Plan of {self.order.name}, \w{{3}} \d+ \d+:\d\d")
        self.assertNotIn("sourcing plan", plan.display_name)

    def test_candidate_table_shows_only_criteria_that_scored(self):
        plan = self._plan(
            candidate_ids=[
                fields.Command.create(
                    {
                        "rank": 1,
                        "warehouse_id": self.milan.id,
                        "total_score": 130,
                        "score_distance": 80,
                        "score_cost": 50,
                    }
                )
            ]
        )
        shown = {kind for kind in ("distance", "site_type", "cost") if plan[f"has_score_{kind}"]}
        self.assertEqual(shown, {"distance", "cost"})

    def test_candidate_table_has_distinct_headers_and_whole_scores(self):
        form = self._arch("luxury_oms.luxury_oms_sourcing_plan_action", "form")
        columns = form.xpath("//field[@name='candidate_ids']/list/field")
        Candidate = self.env["luxury.oms.sourcing.plan.candidate"]
        labels = [
            column.get("string") or Candidate._fields[column.get("name")].string
            for column in columns
        ]
        self.assertEqual(len(labels), len(set(labels)), labels)
        # An unknown distance (stored 0) is not shown as 0 km.
        [distance] = [column for column in columns if column.get("name") == "distance_km"]
        self.assertEqual(distance.get("invisible"), "not distance_km")
        for column in columns:
            if column.get("name").startswith("score_") or column.get("name") == "total_score":
                self.assertEqual(column.get("digits"), "[16, 0]", column.get("name"))

    def test_order_says_which_site_ships_and_why(self):
        plan = self._plan(explanation="Rule “Nearest” matched the order.")
        self.assertEqual(self.order.oms_sourcing_plan_id, plan)
        self.assertEqual(self.order.oms_ships_from_ids, self.milan)
        plan.consolidation_warehouse_id = self.dc
        self.assertEqual(self.order.oms_ships_from_ids, self.dc)
        form = self._arch("luxury_oms.sale_order_action_oms", "form")
        self.assertTrue(form.xpath("//field[@name='oms_ships_from_ids']"))
        self.assertTrue(form.xpath("//field[@name='oms_sourcing_explanation']"))
        # Next to the order's warehouse too: its default only.
        self.assertTrue(
            form.xpath("//group[@name='sale_shipping']//field[@name='oms_ships_from_ids']")
        )

    # Orders -----------------------------------------------------------------------------

    def test_pieces_are_counted_in_whole_units(self):
        """1, not 1.00: order lines, plan allocations and candidates' servable quantities."""
        order_form = self._arch("luxury_oms.sale_order_action_oms", "form")
        plan_form = self._arch("luxury_oms.luxury_oms_sourcing_plan_action", "form")
        quantities = [
            *order_form.xpath("//field[@name='order_line']/list/field[@name='product_uom_qty']"),
            *order_form.xpath("//field[@name='order_line']/list/field[@name='qty_delivered']"),
            *plan_form.xpath("//field[@name='line_ids']/list/field[@name='quantity']"),
            *plan_form.xpath("//field[@name='candidate_ids']/list/field[@name='servable_qty']"),
        ]
        self.assertEqual(len(quantities), 4)
        for field in quantities:
            options = field.get("options", "")
            self.assertIn("'hide_trailing_zeros': true", options, field.get("name"))
        # Odoo's Sales app keeps its own order form as its users (and its tests) know it.
        sales_form = etree.fromstring(self.env["sale.order"].get_view(view_type="form")["arch"])
        [sales_qty] = sales_form.xpath(
            "//field[@name='order_line']/list/field[@name='product_uom_qty']"
        )
        self.assertNotIn("hide_trailing_zeros", sales_qty.get("options", ""))

    def test_oms_order_list_shows_the_oms_columns(self):
        columns = {
            field.get("name"): field
            for field in self._arch("luxury_oms.sale_order_action_oms", "list").xpath("//field")
        }
        for name in (
            "oms_channel_id",
            "oms_client_tier_id",
            "oms_fraud_state",
            "oms_service_level",
        ):
            self.assertIn(name, columns)
            self.assertIn(columns[name].get("optional"), ("show", "hide"), name)
        self.assertEqual(columns["amount_total"].get("widget"), "monetary")
        self.assertEqual(columns["oms_stage"].get("optional"), "show")

    def test_the_stage_follows_the_order_to_its_client(self):
        """Received, on the floor, then handed over (or ready and collected at the
        boutique), or cancelled: never 'On the Floor' once the parcel has left."""
        order = self.order
        stages = {
            ("sale", "released", "pending", False): "floor",
            ("sale", "received", "pending", False): "received",
            ("sale", "released", "full", False): "shipped",
            ("sale", "released", "pending", "ready"): "pickup_ready",
            ("sale", "released", "full", "collected"): "collected",
            ("cancel", "released", "pending", False): "cancelled",
        }
        for (state, pipeline, delivery, pickup), stage in stages.items():
            order.sudo().write(
                {
                    "state": state,
                    "oms_pipeline_state": pipeline,
                    "delivery_status": delivery,
                    "oms_pickup_state": pickup,
                }
            )
            self.assertEqual(order.oms_stage, stage, (state, pipeline, delivery, pickup))

    def test_oms_orders_menu_opens_the_oms_list(self):
        menu = self.env.ref("luxury_oms.luxury_oms_menu_sale_order")
        self.assertEqual(menu.action, self.env.ref("luxury_oms.sale_order_action_oms"))

    def test_floor_progress_on_the_order(self):
        self.assertEqual((self.order.oms_task_done_count, self.order.oms_task_count), (0, 0))
        action = self.order.action_oms_view_floor_tasks()
        self.assertEqual(action["res_model"], "luxury.oms.fulfilment.task")
        self.assertEqual(action["name"], f"Fulfilment of {self.order.name}")
        self.assertIn(("picking_id", "in", []), action["domain"])

    def test_a_done_step_reads_complete_even_without_its_pieces(self):
        Task = self.env["luxury.oms.fulfilment.task"]
        self.assertEqual(Task.new({"state": "done"}).progress, 100.0)
        self.assertEqual(Task.new({"state": "ready"}).progress, 0.0)

    def test_order_mails_list_the_pieces_and_sign_off(self):
        for xmlid in (
            "luxury_oms.mail_template_oms_order_received",
            "luxury_oms.mail_template_oms_order_confirmed",
        ):
            template = self.env.ref(xmlid)
            body = template._render_field("body_html", self.order.ids)[self.order.id]
            self.assertIn("Test Bag", body)
            self.assertNotIn("[T-BAG]", body)
            self.assertNotIn("1.0<", body)
            self.assertIn("our client service", body)
            self.assertIn(self.order.company_id.name, body)

    # API requests -----------------------------------------------------------------------

    def test_api_requests_sit_with_the_orders_for_customer_service(self):
        menu = self.env.ref("luxury_oms.luxury_oms_api_request_menu")
        self.assertEqual(menu.parent_id, self.env.ref("luxury_oms.luxury_oms_menu_orders"))
        service = self._create_user_in("bo-service", "luxury_oms.group_oms_customer_service")
        self.assertTrue(self.env["luxury.oms.api.request"].with_user(service).has_access("read"))
        menus = self.env["ir.ui.menu"].with_user(service)._visible_menu_ids()
        self.assertIn(menu.id, menus)

    def test_api_request_shows_its_order_and_readable_json(self):
        request = self.env["luxury.oms.api.request"].create(
            {
                "channel_id": self.channel.id,
                "external_ref": "BO-1",
                "payload_hash": "x",
                "payload": json.dumps({"lines": [{"sku": "T-BAG", "qty": 1}]}),
                "response": "not json",
                "order_id": self.order.id,
            }
        )
        self.assertEqual(request.order_partner_id, self.client)
        self.assertEqual(request.order_currency_id, self.order.currency_id)
        self.assertIn('\n  "lines": [', request.payload_pretty)
        self.assertEqual(request.response_pretty, "not json")

    # Fraud ------------------------------------------------------------------------------

    def _hold(self, score=110.0, threshold=100.0):
        self.env["luxury.oms.fraud.score.line"].create(
            [
                {
                    "order_id": self.order.id,
                    "name": "Order of 10,000 EUR or more",
                    "reason": "Amount 16,800.00 EUR reaches 10,000.00 EUR",
                    "points": 40,
                },
                {
                    "order_id": self.order.id,
                    "name": "New client",
                    "reason": "No order",
                    "points": 70,
                },
            ]
        )
        self.order.sudo().write(
            {"oms_fraud_state": "held", "oms_fraud_score": score, "oms_fraud_threshold": threshold}
        )

    def test_held_order_says_why_and_which_rule(self):
        self._hold()
        explanation = self.order.oms_fraud_explanation
        self.assertIn("score 110 reaches the hold score 100 of Test Web", explanation)
        self.assertIn(
            "Order of 10,000 EUR or more (+40): Amount 16,800.00 EUR reaches 10,000.00 EUR",
            explanation,
        )
        self.order.sudo().oms_fraud_state = "approved"
        self.assertFalse(self.order.oms_fraud_explanation)

    def test_hold_note_and_activity_count_whole_points(self):
        self._hold()
        breakdown = str(self.order._oms_fraud_breakdown_html())
        self.assertIn("score 110 reaches 100.", breakdown)
        self.assertNotIn("110.0", breakdown)

    def test_fraud_rule_list_shows_amounts_in_their_currency(self):
        columns = {
            field.get("name"): field
            for field in self._arch("luxury_oms.luxury_oms_fraud_rule_action", "list").xpath(
                "//field"
            )
        }
        self.assertEqual(columns["amount"].get("widget"), "monetary")
        self.assertIn("currency_id", columns)

    def test_fraud_pivot_never_sums_amounts_across_currencies(self):
        pivot = self._arch("luxury_oms.sale_order_action_fraud_review", "pivot")
        rows = [field.get("name") for field in pivot.xpath("//field[@type='row']")]
        self.assertEqual(rows[0], "currency_id")

    def test_review_wizard_lists_orders_with_amounts_and_reasons(self):
        views = self.env["luxury.oms.fraud.review.wizard"].get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        columns = {f.get("name"): f for f in arch.xpath("//field[@name='order_ids']/list/field")}
        self.assertEqual(columns["amount_total"].get("widget"), "monetary")
        self.assertIn("currency_id", columns)
        self.assertIn("oms_fraud_reasons", columns)
