from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import new_test_user
from odoo.tests import tagged

from .test_fulfilment import FulfilmentCase


@tagged("post_install", "-at_install")
class TestDeliveriesAfterAnswer(FulfilmentCase):
    """A channel's order is answered once its stock is taken; its deliveries are made
    right after the commit. Meanwhile its promise keeps the stock: every read and every
    other taker counts it, exactly once, before and after the deliveries exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.integration_user = new_test_user(
            cls.env, login="api-test-deliveries", groups="luxury_oms.group_oms_integration"
        )
        cls.channel.user_ids = cls.integration_user
        cls.fraud_user = cls._create_user_in("fraud-fiona", "luxury_oms.group_oms_fraud")
        cls.channel.write({"oms_fraud_threshold": 50, "oms_fraud_reviewer_id": cls.fraud_user.id})
        cls.api = cls.env["luxury.oms.api"].with_user(cls.integration_user)

    def _place(self, ref, qty=1, email="hanako@example.jp"):
        self.api.place_order(
            {
                "channel": "test-web",
                "external_ref": ref,
                "currency": "EUR",
                "customer": {"email": email, "name": "Hanako Yamada", "country": "FR"},
                "lines": [{"sku": "T-SBAG", "qty": qty, "price_unit": 3100.0}],
                "delivery": {"mode": "ship", "address": {"street": "1 rue de la Paix",
                                                         "city": "Paris", "zip": "75002",
                                                         "country": "FR"}},
                "payment": {"method": "card", "amount": 3100.0 * qty, "card_country": "FR"},
            }
        )  # fmt: skip
        return self.env["sale.order"].search([("oms_external_ref", "=", ref)])

    def _available(self):
        availability = self.env["luxury.oms.availability"]._compute_availability(
            self.bag, self.dc, self.channel
        )
        return availability[self.bag.id, self.dc.id].available_to_sell

    def _snapshot(self):
        self.env.flush_all()
        slot = self.env["luxury.oms.stock.slot"].search(
            [("product_id", "=", self.bag.id), ("warehouse_id", "=", self.dc.id)]
        )
        slot.invalidate_recordset()
        return slot.available_to_sell

    def _hold_new_clients(self):
        self.env["luxury.oms.fraud.rule"].create(
            {"name": "New client", "condition": "new_client", "points": 60}
        )

    def test_the_promise_keeps_the_stock_until_the_deliveries_exist(self):
        self.assertEqual(self._available(), 2)
        order = self._place("WEB-P1")
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.oms_deliveries_pending)
        self.assertFalse(order.picking_ids, "no delivery before the commit")
        self.assertEqual(order.oms_pending_work, "deliver notify_confirmed")
        self.assertEqual(
            order.oms_pending_work_label,
            "make the deliveries, mail the client: order confirmed",
        )
        self.assertEqual(order.oms_stage, "received")
        promise = order.oms_promise_ids
        self.assertEqual(
            (promise.product_id, promise.warehouse_id, promise.quantity), (self.bag, self.dc, 1)
        )
        self.assertEqual((self._available(), self._snapshot()), (1, 1), "counted as reserved")
        slot = self.env["luxury.oms.stock.slot"].search(
            [("product_id", "=", self.bag.id), ("warehouse_id", "=", self.dc.id)]
        )
        self.assertEqual((slot.reserved, slot.promised), (1, 1), "the stock screen says why")
        action = slot.action_open_promises()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), promise)

        self.assertTrue(self.env["sale.order"]._oms_run_pending_work())
        self.assertFalse(order.oms_deliveries_pending)
        self.assertFalse(order.oms_promise_ids, "the moves count from now on")
        self.assertEqual(order.picking_ids.move_ids.mapped("state"), ["assigned"])
        self.assertEqual((self._available(), self._snapshot()), (1, 1), "counted once")
        slot.invalidate_recordset()
        self.assertEqual((slot.reserved, slot.promised), (1, 0))
        self.assertEqual(order.oms_pipeline_state, "released")
        self.assertEqual(self._tasks(order, "pick").state, "ready")
        self.assertFalse(order.oms_work_state)

    def test_the_deliveries_of_the_last_units_take_nothing_more(self):
        order = self._place("WEB-P1", qty=2)
        self.assertTrue(self.env["sale.order"]._oms_run_pending_work())
        self.assertFalse(order.oms_work_state, order.oms_work_error)
        self.assertEqual(order.picking_ids.move_ids.mapped("product_uom_qty"), [2])
        self.assertEqual(self._available(), 0)

    def test_a_promised_unit_is_not_sold_twice(self):
        self._place("WEB-P1", qty=2)
        self.assertEqual(self._available(), 0)
        with self.assertRaisesRegex(UserError, "Not enough stock"):
            self._place("WEB-P2", email="other@example.com")
        back_office = self.env["sale.order"].create(
            {
                "partner_id": self.client.id,
                "warehouse_id": self.dc.id,
                "order_line": [(0, 0, {"product_id": self.bag.id})],
            }
        )
        with self.assertRaisesRegex(UserError, "Not enough stock"):
            back_office.action_confirm()

    def test_back_office_confirmation_makes_its_deliveries_at_once(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.client.id,
                "warehouse_id": self.dc.id,
                "oms_channel_id": self.channel.id,
                "order_line": [(0, 0, {"product_id": self.bag.id})],
            }
        )
        order.action_confirm()
        self.assertFalse(order.oms_deliveries_pending)
        self.assertFalse(order.oms_promise_ids)
        self.assertEqual(order.picking_ids.move_ids.mapped("state"), ["assigned"])
        self.assertNotIn("deliver", order.oms_pending_work)

    def test_held_order_gets_its_deliveries_but_no_floor_work(self):
        self._hold_new_clients()
        order = self._place("WEB-HELD")
        self.assertEqual(order.oms_fraud_state, "held")
        self.assertEqual(order.oms_pending_work, "deliver notify_received")
        order._oms_prepare_deliveries()
        self.assertEqual(order.picking_ids.move_ids.mapped("state"), ["assigned"], "stock kept")
        self.assertEqual(order.oms_pipeline_state, "received")
        self.assertFalse(order.picking_ids.sudo().oms_task_ids, "no startable pick task")
        order.with_user(self.fraud_user)._oms_fraud_approve("Card verified")
        self.assertEqual(self._tasks(order, "pick").state, "ready")

    def test_approved_before_its_deliveries_exist_goes_to_the_floor_with_them(self):
        self._hold_new_clients()
        order = self._place("WEB-HELD")
        order.with_user(self.fraud_user)._oms_fraud_approve("Card verified")
        self.assertFalse(order.picking_ids)
        self.env["sale.order"]._oms_run_pending_work()
        self.assertEqual(order.oms_pipeline_state, "released")
        self.assertEqual(self._tasks(order, "pick").state, "ready")

    def test_cancelled_before_its_deliveries_exist_frees_the_promise(self):
        order = self._place("WEB-P1", qty=2)
        self.api.cancel_order("test-web", "WEB-P1", "Client changed her mind")
        self.assertEqual(order.state, "cancel")
        self.assertFalse(order.oms_deliveries_pending)
        self.assertFalse(order.oms_promise_ids)
        self.assertEqual((self._available(), self._snapshot()), (2, 2))
        self.env["sale.order"]._oms_run_pending_work()
        self.assertFalse(order.picking_ids, "no delivery for a cancelled order")

    def test_rejected_before_its_deliveries_exist_frees_the_promise(self):
        self._hold_new_clients()
        order = self._place("WEB-HELD")
        order.with_user(self.fraud_user)._oms_fraud_reject("Stolen card")
        self.assertFalse(order.oms_promise_ids)
        self.assertEqual(self._available(), 2)

    def test_failing_deliveries_keep_the_promise_and_are_told_on_the_order(self):
        order = self._place("WEB-P1")
        Line = type(self.env["sale.order.line"])
        with patch.object(
            Line, "_create_procurements", side_effect=UserError("No route to the client")
        ):
            for _attempt in range(3):
                self.env["sale.order"]._oms_run_pending_work()
        self.assertEqual(order.oms_work_state, "failed")
        self.assertEqual(order.oms_pending_work, "deliver notify_confirmed")
        self.assertTrue(order.oms_deliveries_pending)
        self.assertEqual(order.oms_promise_ids.quantity, 1, "the stock stays kept")
        self.assertEqual(self._available(), 1)
        self.assertIn("No route to the client", order.message_ids[0].body)
        order.action_oms_retry_work()
        self.assertFalse(order.oms_promise_ids)
        self.assertEqual(order.picking_ids.move_ids.mapped("state"), ["assigned"])

    def test_an_order_locked_at_confirmation_gets_its_deliveries(self):
        # Sales settings, "Lock Confirmed Sales".
        self.env.ref("base.group_user").implied_ids += self.env.ref("sale.group_auto_done_setting")
        order = self._place("WEB-P1")
        self.assertTrue(order.locked)
        order._oms_prepare_deliveries()
        self.assertEqual(order.picking_ids.move_ids.mapped("state"), ["assigned"])
        self.assertTrue(order.locked)

    def test_only_the_pipeline_sets_the_deliveries_pending(self):
        order = self._place("WEB-P1")
        salesman = self._create_user_in("sales-sid", "sales_team.group_sale_salesman_all_leads")
        with self.assertRaises(AccessError):
            order.with_user(salesman).write({"oms_deliveries_pending": False})
        with self.assertRaises(AccessError):
            self.env["luxury.oms.stock.promise"].with_user(salesman).create(
                {"order_id": order.id, "product_id": self.bag.id, "warehouse_id": self.dc.id,
                 "location_id": self.dc.lot_stock_id.id, "quantity": 5}
            )  # fmt: skip

    def test_re_sourcing_waits_for_the_deliveries(self):
        order = self._place("WEB-P1")
        with self.assertRaisesRegex(UserError, "are being prepared"):
            order._oms_resource(self.dc, "A flood at the DC")
        self.assertEqual(order.oms_promise_ids.quantity, 1, "nothing taken twice")
