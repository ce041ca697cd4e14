from datetime import timedelta

from odoo import Command
from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user
from odoo.tests import tagged

from .test_fulfilment import FulfilmentCase


@tagged("post_install", "-at_install")
class TestProductWithoutOptionalFields(FulfilmentCase):
    """Odoo requires neither a category, a barcode, a weight, an image nor a SKU on a product:
    such a product goes through every OMS path like any other. The DC has a QC checklist, a
    buffer rule and a sourcing rule for leather, so that every path looking at categories meets
    a product that has none."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.plain = Product.create(
            {"name": "Test Plain Scarf", "default_code": "T-PLAIN", "is_storable": True,
             "list_price": 400}
        )  # fmt: skip
        # Not even a SKU: a back-office order needs none.
        cls.bare = Product.create({"name": "Test Bare Pouch", "is_storable": True})
        cls._set_stock(cls.plain, cls.dc, 3, location=cls.shelf)
        cls._set_stock(cls.bare, cls.dc, 2, location=cls.shelf)
        cls.env["luxury.oms.buffer.rule"].create(
            {"categ_id": cls.categ_leather.id, "mode": "quantity", "value": 1}
        )
        cls.channel.sourcing_strategy_id = cls.env["luxury.oms.sourcing.strategy"].create(
            {
                "name": "Test Leather First",
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Leather: nearest",
                            "sequence": 1,
                            "categ_ids": [Command.set(cls.categ_leather.ids)],
                            "criterion_ids": [
                                Command.create({"criterion_type": "distance", "weight": 100})
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "name": "Everything: fewest parcels",
                            "sequence": 2,
                            "criterion_ids": [
                                Command.create({"criterion_type": "fewest_parcels", "weight": 100})
                            ],
                        }
                    ),
                ],
            }
        )
        cls.rule_everything = cls.channel.sourcing_strategy_id.rule_ids[1]
        cls.integration_user = new_test_user(
            cls.env, login="api-test-plain", groups="luxury_oms.group_oms_integration"
        )
        cls.channel.user_ids = cls.integration_user

    def _scan_all(self, task):
        """Scan what the floor can scan: the SKU, as neither piece has a serial or barcode."""
        for line in task.move_line_ids.filtered("product_id.default_code"):
            task.action_scan(line.product_id.default_code)

    def test_the_products_lack_every_optional_field(self):
        for product in self.plain | self.bare:
            self.assertEqual(
                (product.categ_id, product.barcode, product.weight, product.image_1920),
                (self.env["product.category"], False, 0.0, False),
            )
        self.assertFalse(self.bare.default_code)

    def test_back_office_order_goes_through_the_floor_to_handover_and_invoice(self):
        for product in self.plain | self.bare:
            with self.subTest(product=product.name):
                order = self._confirm(product)
                self.assertEqual(order.oms_sourcing_plan_id.rule_id, self.rule_everything)
                picking = order.picking_ids
                self.assertEqual(picking.oms_workflow_id, self.workflow)
                self.assertEqual(
                    self._tasks(order).mapped("step_type"),
                    ["pick", "pack", "handover"],
                    "no category, no checklist: no QC task",
                )
                handover = self._run_to_handover(order)
                self.assertEqual(handover.state, "ready")
                self._hand_over(picking)
                self.assertEqual(picking.state, "done")
                self.assertEqual(picking.oms_invoice_id.state, "posted")
                self.assertEqual(picking.oms_invoice_id.invoice_line_ids.product_id, product)

    def test_a_piece_is_scanned_by_its_sku_and_an_empty_code_matches_nothing(self):
        pick = self._tasks(self._confirm(self.plain), "pick")
        for code in ("", False):
            with self.assertRaisesRegex(UserError, "matches no piece"):
                pick.action_scan(code)
        with self.assertRaisesRegex(UserError, "still missing"):
            pick.action_done()
        pick.action_scan("T-PLAIN")
        pick.action_done()
        self.assertEqual(pick.state, "done")

    def test_a_piece_with_nothing_to_scan_is_confirmed_by_finishing_the_task(self):
        pick = self._tasks(self._confirm(self.bare), "pick")
        pick.action_done()
        self.assertEqual(pick.scanned_move_line_ids, pick.move_line_ids)
        self.assertTrue(pick.move_line_ids.picked)

    def test_category_workflows_leave_it_to_the_default_one(self):
        self.env["luxury.oms.fulfilment.workflow"].create(
            {
                "name": "Watches",
                "warehouse_id": self.dc.id,
                "categ_ids": [Command.set(self.categ_watch.ids)],
                "step_ids": [Command.create({"name": "Pick", "step_type": "pick"})],
            }
        )
        order = self._confirm(self.plain)
        self.assertEqual(order.picking_ids.oms_workflow_id, self.workflow)

    def test_channel_reads_availability_holds_and_orders_it(self):
        api = self.env["luxury.oms.api"].with_user(self.integration_user)
        figures = api.get_availability(["T-PLAIN"], channel="test-web")["T-PLAIN"]
        self.assertEqual(figures["sites"]["TDC"]["buffer"], 0, "the leather buffer is not its")
        self.assertEqual(figures["available_to_sell"], 3)
        self.env["luxury.oms.hold"].create(
            {
                "product_id": self.plain.id,
                "warehouse_id": self.dc.id,
                "quantity": 1,
                "date_expiry": fields.Datetime.now() + timedelta(days=3),
                "beneficiary_type": "client",
                "partner_id": self.client.id,
            }
        )
        answer = api.place_order(
            {
                "channel": "test-web",
                "external_ref": "WEB-PLAIN",
                "currency": "EUR",
                "customer": {"email": "plain@example.com", "name": "Plain Client",
                             "country": "FR"},
                "lines": [{"sku": "T-PLAIN", "qty": 2, "price_unit": 400.0}],
                "delivery": {"mode": "ship", "address": {"street": "1 rue de la Paix",
                                                         "city": "Paris", "zip": "75002",
                                                         "country": "FR"}},
                "payment": {"method": "card", "amount": 800.0, "card_country": "FR"},
            }
        )  # fmt: skip
        self.assertEqual(
            (answer["state"], answer["lines"]),
            ("confirmed", [{"sku": "T-PLAIN", "qty": 2.0, "site": "TDC"}]),
        )
        order = self.env["sale.order"].search([("client_order_ref", "=", "WEB-PLAIN")])
        for deliveries in ("promised", "made"):
            with self.subTest(deliveries=deliveries):
                if deliveries == "made":
                    order._oms_prepare_deliveries()
                    self.assertEqual(self._tasks(order, "pick").state, "ready")
                figures = api.get_availability(["T-PLAIN"], channel="test-web")["T-PLAIN"]
                self.assertEqual(
                    (figures["sites"]["TDC"]["held"], figures["available_to_sell"]), (1, 0)
                )
