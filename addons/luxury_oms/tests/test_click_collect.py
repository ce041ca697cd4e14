from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LuxuryOmsPosCase


@tagged("post_install", "-at_install")
class TestClickCollect(LuxuryOmsPosCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.write({"street": "1 rue de la Paix", "city": "Paris", "lang": "en_US"})

    def _pickup_order(self, qty=1, partner=None, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.client).id,
                "oms_channel_id": self.channel.id,
                "warehouse_id": self.dc.id,
                "oms_pickup_warehouse_id": self.milan.id,
                "order_line": [
                    fields.Command.create({"product_id": self.product.id, "product_uom_qty": qty})
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _ready_order(self):
        self._set_stock(self.product, self.milan, 1)
        order = self._pickup_order()
        order.action_oms_pickup_ready()
        return order

    def _collect(self, order, code):
        return self.pos_config.with_user(self.cashier).oms_collect_pickup(order.id, code)

    def _ats_milan(self):
        availability = self.env["luxury.oms.availability"]._compute_availability(
            self.product, self.milan
        )
        return availability[self.product.id, self.milan.id].available_to_sell

    def test_pickup_order_is_served_and_reserved_at_the_boutique(self):
        self._set_stock(self.product, self.milan, 1)
        self._set_stock(self.product, self.dc, 5)
        order = self._pickup_order()
        self.assertEqual(order.order_line.warehouse_id, self.milan)
        self.assertEqual(order.picking_ids.picking_type_id.warehouse_id, self.milan)
        self.assertEqual(order.picking_ids.state, "assigned")
        self.assertEqual(order.oms_pickup_state, "waiting")
        self.assertRegex(order.oms_pickup_code, r"^[A-Z2-9]{6}$")
        self.assertEqual(self._ats_milan(), 0, "held at the boutique for the client")

    def test_pickup_order_keeps_its_site_when_the_boutique_lacks_stock(self):
        self._set_stock(self.product, self.dc, 1)
        order = self._pickup_order()
        self.assertEqual(order.order_line.warehouse_id, self.dc)
        self.assertEqual(order.oms_pickup_state, "waiting")
        with self.assertRaisesRegex(UserError, "not all reserved"):
            order.action_oms_pickup_ready()

    def test_pickup_codes_differ(self):
        self._set_stock(self.product, self.milan, 2)
        first, second = self._pickup_order(), self._pickup_order()
        self.assertNotEqual(first.oms_pickup_code, second.oms_pickup_code)

    def test_pickup_boutique_must_offer_click_and_collect(self):
        with self.assertRaisesRegex(ValidationError, "does not offer click & collect"):
            self.env["sale.order"].create(
                {"partner_id": self.client.id, "oms_pickup_warehouse_id": self.rome.id}
            )

    def test_vip_pickup_alerts_the_boutique_manager(self):
        self._set_stock(self.product, self.milan, 2)
        vip = self.env["res.partner"].create({"name": "Test VIP", "oms_tier_id": self.tier_icon.id})
        regular = self._pickup_order()
        self.assertFalse(regular.activity_ids)
        vip_order = self._pickup_order(partner=vip)
        self.assertEqual(vip_order.activity_ids.user_id, self.boutique_manager)
        self.assertIn("Test VIP", vip_order.activity_ids.summary)

    def test_ready_notifies_the_client_with_the_code(self):
        order = self._ready_order()
        self.assertEqual(order.oms_pickup_state, "ready")
        self.assertGreater(order.oms_pickup_expiry, fields.Datetime.now() + timedelta(days=9))
        message = order.message_ids.filtered(lambda m: order.oms_pickup_code in (m.body or ""))
        self.assertTrue(message, "the ready-for-pickup message carries the code")
        self.assertIn(self.client, message.partner_ids)

    def test_ready_notification_speaks_the_client_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.client.lang = "fr_FR"
        order = self._ready_order()
        template = self.env.ref("luxury_oms.mail_template_pickup_ready")
        self.assertEqual(template._render_lang(order.ids)[order.id], "fr_FR")

    def test_ready_mail_gives_the_last_day_in_the_boutique_s_time_zone(self):
        """ "Until 17 December 2026": a day as people write it, no seconds, no UTC."""
        self.milan.partner_id.tz = "Europe/Rome"
        order = self._ready_order()
        order.oms_pickup_expiry = fields.Datetime.to_datetime("2026-12-17 23:30:00")
        self.assertEqual(order.oms_pickup_collect_by, fields.Date.to_date("2026-12-18"))
        template = self.env.ref("luxury_oms.mail_template_pickup_ready")
        body = template.with_context(lang="en_US")._render_field("body_html", order.ids)[order.id]
        self.assertIn("until\n        December 18, 2026.", body)
        self.assertNotIn("UTC", body)

    def test_collect_with_the_right_code_delivers_and_invoices(self):
        order = self._ready_order()
        result = self._collect(order, order.oms_pickup_code.lower())
        self.assertTrue(result["collected"])
        self.assertEqual(order.oms_pickup_state, "collected")
        self.assertEqual(order.picking_ids.state, "done")
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(result["invoice"], invoice.name)
        with self.assertRaisesRegex(UserError, "already collected"):
            self._collect(order, order.oms_pickup_code)

    def test_wrong_code_is_refused_logged_and_locks_after_five(self):
        order = self._ready_order()
        result = self._collect(order, "WRONG1")
        self.assertFalse(result["collected"])
        self.assertEqual(result["attempts_left"], 4)
        self.assertEqual(order.oms_pickup_failed_attempts, 1)
        self.assertTrue(order.message_ids.filtered(lambda m: "Wrong pickup code" in (m.body or "")))
        self.assertEqual(order.picking_ids.state, "assigned", "nothing handed over")
        for _attempt in range(4):
            result = self._collect(order, "WRONG1")
        self.assertEqual(result["attempts_left"], 0)
        self.assertIn("locked", result["message"])
        with self.assertRaisesRegex(UserError, "locked"):
            self._collect(order, order.oms_pickup_code)
        self.assertTrue(order.can_unlock_pickup)
        order.with_user(self.boutique_manager).sudo(False).action_oms_pickup_unlock()
        self.assertEqual(order.oms_pickup_failed_attempts, 0)
        self.assertTrue(self._collect(order, order.oms_pickup_code)["collected"])

    def test_pickup_not_ready_cannot_be_collected(self):
        self._set_stock(self.product, self.milan, 1)
        order = self._pickup_order()
        with self.assertRaisesRegex(UserError, "not ready"):
            self._collect(order, order.oms_pickup_code)

    def test_cancelled_pickup_cannot_be_collected_and_frees_stock(self):
        order = self._ready_order()
        order._action_cancel()
        self.assertEqual(order.oms_pickup_state, "cancelled")
        self.assertEqual(self._ats_milan(), 1)
        with self.assertRaisesRegex(UserError, "cancelled"):
            self._collect(order, order.oms_pickup_code)

    def test_unclaimed_pickup_expires_and_releases_stock(self):
        order = self._ready_order()
        order.oms_pickup_expiry = fields.Datetime.now() - timedelta(minutes=1)
        self.env["sale.order"]._cron_expire_pickups()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.oms_pickup_state, "expired")
        self.assertEqual(self._ats_milan(), 1)
        self.assertTrue(order.message_ids.filtered(lambda m: "not collected" in (m.subject or "")))
        with self.assertRaisesRegex(UserError, "expired"):
            self._collect(order, order.oms_pickup_code)

    def test_pos_finds_pickups_by_code_or_client_without_revealing_the_code(self):
        order = self._ready_order()
        config = self.pos_config.with_user(self.cashier)
        by_code = config.oms_find_pickups(order.oms_pickup_code)
        self.assertEqual([row["id"] for row in by_code], [order.id])
        by_client = config.oms_find_pickups("test client")
        self.assertEqual([row["id"] for row in by_client], [order.id])
        self.assertNotIn(order.oms_pickup_code, str(by_client))
        with self.assertRaisesRegex(ValidationError, "query"):
            config.oms_find_pickups(" ")

    def test_pickup_of_another_boutique_is_refused(self):
        order = self._ready_order()
        order.oms_pickup_warehouse_id = False
        with self.assertRaisesRegex(UserError, "not collected at this boutique"):
            self._collect(order, order.oms_pickup_code)
