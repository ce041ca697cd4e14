import json
from datetime import timedelta

from odoo import Command
from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LuxuryOmsPosCase


@tagged("post_install", "-at_install")
class TestPosTill(LuxuryOmsPosCase):
    """What the till asks the server: badges, the check of a piece added to the order (to
    whom it is promised, the alternatives) and a manager's approval of an override."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.watch = cls.env["product.product"].create(
            {
                "name": "Test Watch",
                "is_storable": True,
                "tracking": "serial",
                "list_price": 9000,
                "taxes_id": [Command.clear()],
            }
        )
        cls.boutique_manager.password = "manager-secret"
        cls.cashier.password = "cashier-secret"

    def _web_order(self, product, qty=1):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.client.id,
                "oms_channel_id": self.channel.id,
                "warehouse_id": self.milan.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
            }
        )
        order.action_confirm()
        return order

    def _piece(self, serial, site):
        lot = self.env["stock.lot"].create({"name": serial, "product_id": self.watch.id})
        self.env["stock.quant"]._update_available_quantity(
            self.watch, site.lot_stock_id, 1, lot_id=lot
        )

    def _check(self, product, lot_names=(), partner=None):
        line = {"product_id": product.id, "qty": 1, "lot_names": list(lot_names)}
        result = self.pos_config.with_user(self.cashier).oms_check_lines(
            [line], partner.id if partner else False
        )
        return result["lines"][0]

    def test_badges_give_here_and_the_network_in_one_call(self):
        self._set_stock(self.product, self.milan, 2)
        self._set_stock(self.product, self.dc, 4)
        self._set_stock(self.product, self.rome, 1)  # no channel sells it: not in the network
        self._web_order(self.product)
        service = self.env["product.product"].create({"name": "Engraving", "type": "service"})
        badges = self.pos_config.with_user(self.cashier).oms_stock_badges(
            [self.product.id, service.id]
        )
        self.assertEqual(badges, {str(self.product.id): {"here": 1.0, "network": 4.0}})

    def test_a_piece_promised_to_a_web_order_names_the_order_and_the_alternatives(self):
        self._set_stock(self.product, self.milan, 1)
        self._set_stock(self.product, self.dc, 3)
        order = self._web_order(self.product)
        line = self._check(self.product)
        self.assertTrue(line["short"])
        self.assertFalse(line["ok"])
        [promise] = line["promised"]
        self.assertEqual(promise["kind"], "order")
        self.assertEqual(promise["reference"], order.name)
        self.assertEqual(promise["client"], "Test Client")
        self.assertFalse(promise["for_this_client"])
        self.assertEqual(
            [(row["code"], row["available"]) for row in line["elsewhere"]], [("TDC", 3)]
        )

    def test_a_hold_for_the_client_at_the_counter_is_theirs_to_buy(self):
        self._set_stock(self.product, self.milan, 1)
        hold = self.env["luxury.oms.hold"].create(
            {
                "warehouse_id": self.milan.id,
                "product_id": self.product.id,
                "beneficiary_type": "client",
                "partner_id": self.client.id,
                "date_expiry": fields.Datetime.now() + timedelta(days=2),
            }
        )
        stranger_line = self._check(self.product)
        self.assertTrue(stranger_line["short"])
        self.assertEqual(stranger_line["promised"][0]["reference"], hold.name)
        self.assertFalse(stranger_line["promised"][0]["for_this_client"])
        client_line = self._check(self.product, partner=hold.partner_id)
        self.assertTrue(client_line["ok"])
        self.assertTrue(client_line["promised"][0]["for_this_client"])

    def test_a_serial_promised_elsewhere_offers_the_free_piece_here(self):
        self._piece("SN-1", self.milan)
        order = self._web_order(self.watch)
        self._piece("SN-2", self.milan)
        line = self._check(self.watch, ["SN-1"])
        self.assertFalse(line["short"], "one piece is free here")
        self.assertFalse(line["ok"], "but not the one in hand")
        self.assertEqual(line["lots_promised"][0]["reference"], order.name)
        self.assertEqual(line["lots_promised"][0]["lots"], ["SN-1"])
        self.assertEqual(line["other_pieces"], ["SN-2"])
        self.assertTrue(self._check(self.watch, ["SN-2"])["ok"])
        lots = (
            self.env["pos.order.line"]
            .with_user(self.cashier)
            .get_existing_lots(self.env.company.id, self.pos_config.id, self.watch.id)
        )
        promises = {lot["name"]: lot.get("oms_promise") for lot in lots}
        self.assertEqual(promises, {"SN-1": f"promised: {order.name}, Test Client", "SN-2": None})

    def test_override_needs_a_manager_approval_checked_by_the_server(self):
        lines = [{"product_id": self.product.id, "qty": 1}]
        config = self.pos_config.with_user(self.cashier)
        refusals = [
            (False, False),
            ("oms_boutique_manager", "wrong"),
            ("oms_cashier", "cashier-secret"),
            ("nobody", "x"),
        ]
        for login, password in refusals:
            with self.assertRaises(AccessError):
                config.oms_manager_override("uuid-1", lines, "VIP", False, login, password)
        self._set_stock(self.product, self.milan, 1)
        self._web_order(self.product)
        result = config.oms_manager_override(
            "uuid-1", lines, "Client flies tonight", False, "oms_boutique_manager", "manager-secret"
        )
        override = self.env["luxury.oms.pos.override"].browse(result["override_ids"])
        self.assertEqual(override.user_id, self.cashier)
        self.assertEqual(override.approver_id, self.boutique_manager)
        check = config.oms_check_lines(lines, False, "uuid-1")
        self.assertTrue(check["ok"], "the override covers the line of that POS order")
        self.assertTrue(check["lines"][0]["overridden"])
        self.assertFalse(config.oms_check_lines(lines, False, "uuid-other")["ok"])

    def test_a_manager_at_the_till_approves_their_own_override(self):
        self._set_stock(self.product, self.milan, 1)
        self._web_order(self.product)
        result = self.pos_config.with_user(self.boutique_manager).oms_manager_override(
            "uuid-2", [{"product_id": self.product.id, "qty": 1}], "Client flies tonight"
        )
        override = self.env["luxury.oms.pos.override"].browse(result["override_ids"])
        self.assertEqual(override.approver_id, self.boutique_manager)

    def test_reserve_at_another_site_holds_the_piece_for_the_client(self):
        self._set_stock(self.product, self.dc, 1)
        result = self.pos_config.with_user(self.cashier).oms_reserve_elsewhere(
            self.product.id, self.dc.id, self.client.id, 1
        )
        hold = self.env["luxury.oms.hold"].browse(result["id"])
        self.assertEqual(hold.partner_id, self.client)
        config = self.pos_config.with_user(self.cashier)
        for args, error in (
            ((self.product.id, self.dc.id, self.client.id, -1), "qty"),
            ((self.product.id, self.dc.id, False, 1), "partner_id"),
            ((self.product.id, 999999, self.client.id, 1), "warehouse_id"),
        ):
            with self.assertRaisesRegex(ValidationError, error):
                config.oms_reserve_elsewhere(*args)
        with self.assertRaisesRegex(UserError, "Not enough stock"):
            config.oms_reserve_elsewhere(self.product.id, self.dc.id, self.client.id, 1)
        self.assertEqual(hold.warehouse_id, self.dc)
        self.assertEqual(hold.state, "active")

    def test_receipts_and_invoices_name_the_boutique_in_the_clients_language(self):
        self.milan.partner_id.write({"street": "Via Montenapoleone 8", "city": "Milano"})
        self.assertEqual(
            self.pos_config._oms_boutique_address().splitlines()[:2],
            ["Test Milan", "Via Montenapoleone 8"],
        )
        self.env["res.lang"]._activate_lang("fr_FR")
        self.client.lang = "fr_FR"
        self._set_stock(self.product, self.milan, 1)
        session = self._open_session()
        data = self._ui_order(session, [(self.product, 1)], partner=self.client)
        data["to_invoice"] = True
        invoice = self._sync(data).account_move
        self.assertEqual(invoice.partner_id, self.client)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn("o_oms_invoice_boutique", html)
        self.assertIn("Via Montenapoleone 8", html)
        self.assertIn('data-oe-lang="fr_FR"', html, "printed in the client's language")

    def _availability_notifications(self):
        self.env.cr.precommit.run()  # what the commit runs: the refresh, then the bus rows
        return [
            json.loads(notification.message)
            for notification in self.env["bus.bus"].sudo().search([("id", ">", self.last_bus_id)])
            if "OMS_AVAILABILITY" in notification.message
        ]

    def test_open_tills_hear_once_per_transaction_of_the_products_whose_stock_moved(self):
        self.env.cr.precommit.run()
        self.last_bus_id = self.env["bus.bus"].sudo().search([], order="id desc", limit=1).id
        self._set_stock(self.product, self.dc, 3)
        self.assertFalse(self._availability_notifications(), "no open till: nobody to tell")
        self._open_session()
        scarf = self.env["product.product"].create({"name": "Test Scarf", "is_storable": True})
        self._set_stock(self.product, self.dc, 5)  # elsewhere in the till's network
        self._set_stock(scarf, self.milan, 1)
        self._set_stock(self.product, self.milan, 1)
        self._web_order(self.product)
        [notification] = self._availability_notifications()
        self.assertEqual(notification["type"], f"{self.pos_config.access_token}-OMS_AVAILABILITY")
        self.assertEqual(
            notification["payload"], {"product_ids": sorted((self.product | scarf).ids)}
        )

    def test_the_receipt_speaks_the_clients_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.product.with_context(lang="fr_FR").name = "Sac de test"
        self.client.lang = "fr_FR"
        till = self.pos_config.with_user(self.cashier).with_context(lang="en_US")
        texts = till.oms_receipt_texts(self.client.id, [self.product.id])
        self.assertEqual(texts["lang"], "fr_FR")
        self.assertEqual(texts["terms"]["point_of_sale"]["Served by:"], "Servi par :")
        self.assertEqual(texts["products"], {str(self.product.id): "Sac de test"})
        self.client.lang = "en_US"
        self.assertEqual(till.oms_receipt_texts(self.client.id, [self.product.id]), {})
        self.assertEqual(till.oms_receipt_texts(False, [self.product.id]), {}, "no client")
        with self.assertRaisesRegex(ValidationError, "product_ids"):
            till.oms_receipt_texts(self.client.id, "all")
