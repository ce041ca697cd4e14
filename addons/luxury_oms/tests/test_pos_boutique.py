from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LuxuryOmsPosCase


@tagged("post_install", "-at_install")
class TestPosBoutique(LuxuryOmsPosCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.web_channel = cls.channel  # sells from the DC and Milan
        cls.vip = cls.env["res.partner"].create(
            {"name": "Test VIP", "email": "vip@example.com", "oms_tier_id": cls.tier_icon.id}
        )

    def _ats(self, product=None, site=None, partner=None):
        product = product or self.product
        site = site or self.milan
        availability = self.env["luxury.oms.availability"]._compute_availability(
            product, site, channel=self.pos_channel, partner=partner
        )
        return availability[product.id, site.id].available_to_sell

    def _web_order(self, qty=1, site=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.client.id,
                "oms_channel_id": self.web_channel.id,
                "warehouse_id": (site or self.milan).id,
                "order_line": [
                    fields.Command.create({"product_id": self.product.id, "product_uom_qty": qty})
                ],
            }
        )
        order.action_confirm()
        return order

    def _check(self, qty=1, partner=None, user=None):
        return self.pos_config.with_user(user or self.cashier).oms_check_lines(
            [{"product_id": self.product.id, "qty": qty}], partner.id if partner else False
        )

    def test_boutique_pos_requires_existing_serials(self):
        picking_type = self.pos_config.picking_type_id
        self.assertTrue(picking_type.use_existing_lots)
        self.assertFalse(picking_type.use_create_lots)

    def test_channel_must_sell_from_the_pos_site(self):
        with self.assertRaisesRegex(ValidationError, "does not sell from"):
            self.pos_config.picking_type_id = self.rome.pos_type_id

    def test_session_moves_stock_in_real_time_whatever_the_company_setting(self):
        self.env.company.point_of_sale_update_stock_quantities = "closing"
        session = self._open_session()
        self.assertFalse(session.update_stock_at_closing)

    def test_a_counter_sale_spends_no_parcel_of_the_boutique_s_day(self):
        """The boutique's daily capacity is the parcels it prepares: a piece handed over at
        the counter spends none of it (web orders may still be sourced there); a till
        order shipped later is a parcel like any other."""
        self._set_stock(self.product, self.milan, 2)
        session = self._open_session()
        parcels = self.milan._oms_parcels_started_today()[self.milan.id]
        order = self._sync(self._ui_order(session, [(self.product, 1)]))
        self.assertEqual(order.picking_ids.picking_type_id.code, "outgoing")
        self.assertEqual(self.milan._oms_parcels_started_today()[self.milan.id], parcels)
        order.shipping_date = fields.Date.today()
        self.assertEqual(self.milan._oms_parcels_started_today()[self.milan.id], parcels + 1)

    def test_paid_sale_takes_stock_under_the_lock_at_sync(self):
        self._set_stock(self.product, self.milan, 2)
        session = self._open_session()
        order = self._sync(self._ui_order(session, [(self.product, 1)]))
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.picking_ids.state, "done", "stock moved at the sale")
        self.assertEqual(self._ats(), 1)
        slot = self.env["luxury.oms.stock.slot"].search(
            [("product_id", "=", self.product.id), ("warehouse_id", "=", self.milan.id)]
        )
        self.assertEqual(slot.take_count, 1, "the sale went through the lock row")
        self.assertEqual(slot.available_to_sell, 1, "the snapshot was refreshed")
        self.assertFalse(order.oms_override_ids)

    def test_check_lines_explains_a_web_reservation(self):
        self._set_stock(self.product, self.milan, 1)
        self._web_order()
        result = self._check()
        self.assertFalse(result["ok"])
        line = result["lines"][0]
        self.assertTrue(line["short"])
        self.assertEqual(line["available"], 0)
        self.assertIn("reserved for orders already placed", line["reason"])

    def test_check_lines_explains_a_vip_hold_and_lets_the_vip_buy(self):
        self._set_stock(self.product, self.milan, 1)
        expiry = fields.Datetime.now() + timedelta(days=3)
        self.env["luxury.oms.hold"].create(
            {
                "warehouse_id": self.milan.id,
                "product_id": self.product.id,
                "quantity": 1,
                "beneficiary_type": "client",
                "partner_id": self.vip.id,
                "date_expiry": expiry,
            }
        )
        line = self._check()["lines"][0]
        self.assertTrue(line["short"])
        self.assertIn("held for a VIP until", line["reason"])
        self.assertIn(fields.Datetime.to_string(expiry)[:10], line["reason"])
        self.assertTrue(self._check(partner=self.vip)["ok"])

    def test_vip_sale_consumes_the_hold(self):
        self._set_stock(self.product, self.milan, 1)
        hold = self.env["luxury.oms.hold"].create(
            {
                "warehouse_id": self.milan.id,
                "product_id": self.product.id,
                "quantity": 1,
                "beneficiary_type": "client",
                "partner_id": self.vip.id,
                "date_expiry": fields.Datetime.now() + timedelta(days=3),
            }
        )
        session = self._open_session()
        order = self._sync(self._ui_order(session, [(self.product, 1)], partner=self.vip))
        self.assertEqual(hold.state, "consumed")
        self.assertEqual(hold.consumption_ids.origin, order.lines)
        self.assertFalse(order.oms_override_ids)

    def test_short_sale_at_sync_is_kept_and_recorded_for_review(self):
        self._set_stock(self.product, self.milan, 1)
        self._web_order()
        session = self._open_session()
        order = self._sync(self._ui_order(session, [(self.product, 1)]))
        self.assertEqual(order.state, "paid", "a paid sale is never dropped")
        self.assertTrue(order.picking_ids)
        exception = order.oms_override_ids
        self.assertEqual(exception.kind, "exception")
        self.assertEqual(exception.state, "to_review")
        self.assertEqual(exception.quantity, 1)
        self.assertEqual(exception.available_qty, 0)
        self.assertIn("reserved", exception.shortage_reason)
        self.assertEqual(exception.activity_ids.user_id, self.boutique_manager)
        exception.with_user(self.boutique_manager).action_review()
        self.assertEqual(exception.state, "reviewed")
        self.assertFalse(exception.activity_ids)

    def test_override_requires_a_boutique_manager(self):
        lines = [{"product_id": self.product.id, "qty": 1}]
        with self.assertRaises(AccessError):
            self.pos_config.with_user(self.cashier).oms_manager_override("uuid-1", lines, "VIP")
        self.assertFalse(self.env["luxury.oms.pos.override"].search([]))

    def test_override_requires_a_reason(self):
        lines = [{"product_id": self.product.id, "qty": 1}]
        manager_config = self.pos_config.with_user(self.boutique_manager)
        for reason in ("", "   ", None):
            with self.assertRaisesRegex(ValidationError, "reason"):
                manager_config.oms_manager_override("uuid-1", lines, reason)
        self.assertFalse(self.env["luxury.oms.pos.override"].search([]))

    def test_manager_override_is_logged_and_covers_the_sale(self):
        self._set_stock(self.product, self.milan, 1)
        self._web_order()
        session = self._open_session()
        data = self._ui_order(session, [(self.product, 1)], uuid="override-uuid")
        result = self.pos_config.with_user(self.boutique_manager).oms_manager_override(
            "override-uuid",
            [{"product_id": self.product.id, "qty": 1}],
            "Client flying tonight; web order to be re-sourced from the DC",
        )
        override = self.env["luxury.oms.pos.override"].browse(result["override_ids"])
        self.assertEqual(override.kind, "override")
        self.assertEqual(override.user_id, self.boutique_manager)
        self.assertEqual(override.session_id, session)
        self.assertIn("re-sourced", override.reason)
        order = self._sync(data)
        self.assertEqual(order.oms_override_ids, override, "no extra exception")
        slot = self.env["luxury.oms.stock.slot"].search(
            [("product_id", "=", self.product.id), ("warehouse_id", "=", self.milan.id)]
        )
        self.assertEqual(slot.take_count, 2, "web order and overridden sale both locked the row")

    def test_pos_sale_wins_the_last_unit_and_the_web_is_refused(self):
        self._set_stock(self.product, self.milan, 1)
        session = self._open_session()
        self._sync(self._ui_order(session, [(self.product, 1)]))
        with self.assertRaisesRegex(UserError, "Not enough stock"):
            self._web_order()

    def test_refund_takes_nothing(self):
        self._set_stock(self.product, self.milan, 1)
        session = self._open_session()
        self._sync(self._ui_order(session, [(self.product, 1)]))
        refund = self._sync(self._ui_order(session, [(self.product, -1)]))
        self.assertFalse(refund.oms_override_ids)
        self.assertEqual(self._ats(), 1)

    def test_serial_sold_is_the_serial_delivered(self):
        watch = self.env["product.product"].create(
            {"name": "Test Watch", "is_storable": True, "tracking": "serial", "list_price": 9000}
        )
        for serial in ("SN-1", "SN-2"):
            lot = self.env["stock.lot"].create({"name": serial, "product_id": watch.id})
            self.env["stock.quant"]._update_available_quantity(
                watch, self.milan.lot_stock_id, 1, lot_id=lot
            )
        session = self._open_session()
        order = self._sync(self._ui_order(session, [(watch, 1, "SN-2")]))
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(order.picking_ids.move_line_ids.lot_id.name, "SN-2")
        self.assertEqual(self._ats(watch), 1)

    def test_availability_elsewhere_lists_here_first_then_other_sites(self):
        self._set_stock(self.product, self.dc, 4)
        self._set_stock(self.product, self.rome, 2)
        result = self.pos_config.with_user(self.cashier).oms_availability_elsewhere(self.product.id)
        rows = {row["code"]: row for row in result["sites"]}
        self.assertTrue(result["sites"][0]["here"])
        self.assertEqual(result["sites"][0]["code"], "TMIL")
        self.assertEqual(rows["TMIL"]["available"], 0)
        self.assertEqual(rows["TDC"]["available"], 4)
        self.assertEqual(rows["TROM"]["available"], 2)

    def test_pos_requires_boutique_staff(self):
        stranger = self._create_user("oms_stranger", "base.group_user")
        with self.assertRaises(AccessError):
            self.pos_config.with_user(stranger).oms_availability_elsewhere(self.product.id)

    def test_order_from_another_site_ships_to_the_client(self):
        self._set_stock(self.product, self.dc, 1)
        self.client.write({"street": "1 rue de la Paix", "city": "Paris"})
        result = self.pos_config.with_user(self.cashier).oms_order_elsewhere(
            self.product.id, self.dc.id, self.client.id, 1
        )
        order = self.env["sale.order"].browse(result["id"])
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.oms_channel_id, self.pos_channel)
        self.assertEqual(order.order_line.warehouse_id, self.dc)
        self.assertEqual(order.picking_ids.picking_type_id.warehouse_id, self.dc)
        self.assertEqual(self._ats(site=self.dc), 0)

    def test_order_from_another_site_refuses_bad_input_and_creates_nothing(self):
        self._set_stock(self.product, self.dc, 1)
        config = self.pos_config.with_user(self.cashier)
        orders_before = self.env["sale.order"].search_count([])
        with self.assertRaisesRegex(ValidationError, "no complete address"):
            config.oms_order_elsewhere(self.product.id, self.dc.id, self.client.id, 1)
        with self.assertRaisesRegex(ValidationError, "partner_id"):
            config.oms_order_elsewhere(self.product.id, self.dc.id, False, 1)
        self.client.write({"street": "1 rue de la Paix", "city": "Paris"})
        with self.assertRaisesRegex(UserError, "Not enough stock"):
            config.oms_order_elsewhere(self.product.id, self.rome.id, self.client.id, 1)
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before)
