from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import LuxuryOmsPosCase
from .test_fulfilment import FulfilmentCase


@tagged("post_install", "-at_install")
class PassportCase(FulfilmentCase):
    """A piece made by a workshop, received in Milan, sent to the DC, sold on the web
    channel, handed to a courier, delivered, certified..."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.workshop = cls.env["res.partner"].create({"name": "Atelier Pantin"})
        cls.piece = cls._create_serial_product("Passport Bag", "T-PBAG", cls.categ_leather)
        cls.lot = cls.env["stock.lot"].create({"name": "PB-0001", "product_id": cls.piece.id})
        cls.client.lang = "fr_FR"
        cls.new_owner = cls.env["res.partner"].create(
            {"name": "山田 花子", "email": "hanako@example.jp", "lang": "ja_JP"}
        )
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["res.lang"]._activate_lang("ja_JP")
        cls.controller = new_test_user(
            cls.env, "passport_controller", groups="luxury_oms.group_oms_stock_controller"
        )
        cls.second_controller = new_test_user(
            cls.env, "passport_controller_2", groups="luxury_oms.group_oms_stock_controller"
        )
        cls.floor = new_test_user(cls.env, "passport_floor", groups="luxury_oms.group_oms_floor")
        cls.service = new_test_user(
            cls.env, "passport_service", groups="luxury_oms.group_oms_customer_service"
        )
        cls.boutique = new_test_user(
            cls.env,
            "passport_boutique",
            groups="base.group_user,luxury_oms.group_oms_boutique,stock.group_stock_user",
        )

    # Real paths of a piece's life ---------------------------------------------------------

    def _receive(self, site):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": site.in_type_id.id,
                "partner_id": self.workshop.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": site.lot_stock_id.id,
                "move_ids": [
                    fields.Command.create(
                        {
                            "product_id": self.piece.id,
                            "product_uom_qty": 1,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": site.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.write({"lot_id": self.lot.id, "quantity": 1})
        picking.move_ids.picked = True
        picking.button_validate()
        return picking

    def _move(self, source_site, destination):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": source_site.int_type_id.id,
                "location_id": source_site.lot_stock_id.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    fields.Command.create(
                        {
                            "product_id": self.piece.id,
                            "product_uom_qty": 1,
                            "location_id": source_site.lot_stock_id.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        return picking

    def _sell_and_deliver(self):
        order = self._confirm(self.piece)
        picking = order.picking_ids
        self._run_to_handover(order)
        picking.carrier_id = self.carrier
        self._hand_over(picking)
        picking.action_oms_mark_delivered()
        return order, picking

    def _return(self, picking):
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 1
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.picked = True
        returned.button_validate()
        return returned

    def _sold_piece(self):
        self._receive(self.milan)
        self._move(self.milan, self.shelf)
        return self._sell_and_deliver()

    def _age_history(self):
        """Let an hour pass: everything that happened to the piece so far moves an hour
        back. A test runs within a second, and the passport orders events by date."""
        self.env.flush_all()
        cr = self.env.cr
        hour = "interval '1 hour'"
        cr.execute(
            f"""
            UPDATE stock_move_line SET date = date - {hour} WHERE lot_id = %(lot)s;
            UPDATE sale_order SET date_order = date_order - {hour} WHERE id IN (
                SELECT sol.order_id FROM stock_move_line ml
                  JOIN stock_move mv ON mv.id = ml.move_id
                  JOIN sale_order_line sol ON sol.id = mv.sale_line_id
                 WHERE ml.lot_id = %(lot)s);
            UPDATE stock_picking SET oms_delivered_date = oms_delivered_date - {hour}
             WHERE id IN (SELECT picking_id FROM stock_move_line WHERE lot_id = %(lot)s);
            UPDATE luxury_oms_certificate SET issue_date = issue_date - {hour},
                   revoke_date = revoke_date - {hour} WHERE lot_id = %(lot)s;
            UPDATE luxury_oms_piece_check SET date = date - {hour},
                   release_date = release_date - {hour} WHERE lot_id = %(lot)s;
            """,
            {"lot": self.lot.id},
        )
        self.env.invalidate_all()

    def _sale_event(self, lot):
        timeline = lot._passport_timeline(lot._passport_audience())
        return next(event for event in timeline if event.kind == "sold")

    def _kinds(self, lot=None, audience=None):
        lot = lot or self.lot
        timeline = lot._passport_timeline(audience or lot._passport_audience())
        return [event.kind for event in timeline]


class TestPassportTimeline(PassportCase):
    def test_every_event_of_a_piece_life_appears(self):
        self._receive(self.milan)
        self._age_history()
        hold = self.env["luxury.oms.hold"].create(
            {
                "warehouse_id": self.milan.id,
                "product_id": self.piece.id,
                "partner_id": self.client.id,
                "date_expiry": fields.Datetime.now() + timedelta(days=2),
            }
        )
        hold.action_release()
        self._move(self.milan, self.shelf)
        order, picking = self._sell_and_deliver()
        self.assertEqual(self.lot.passport_certificate_ids.partner_id, self.client)
        returned = self._return(picking)
        self.assertEqual(self.lot.passport_certificate_ids.revoke_reason, "returned")
        self.lot.with_user(self.controller).passport_engraving_entry = "LX-04-A7F"
        self.lot.with_user(self.controller)._passport_check_presented(
            {"engraving": "LX-04-XXX"}, returned
        )
        self.lot.passport_check_ids.with_user(self.second_controller).action_release()
        self.lot._passport_check_presented({"engraving": "lx 04 a7f"}, returned)
        self._move(self.dc, self.milan.lot_stock_id)
        self._age_history()
        resale = self._confirm(self.piece, site=self.milan, partner=self.new_owner)
        resale.picking_ids.move_ids.picked = True
        resale.picking_ids.button_validate()
        wizard = self.env["luxury.oms.certificate.transfer"].create(
            {"lot_id": self.lot.id, "new_owner_id": self.client.id}
        )
        wizard.action_transfer()

        kinds = self._kinds()
        for kind in (
            "received",
            "held",
            "moved",
            "sold",
            "shipped",
            "delivered",
            "certified",
            "returned",
            "checked",
            "quarantined",
            "released",
            "resold",
            "revoked",
            "ownership_transferred",
        ):
            self.assertIn(kind, kinds)
        events = self.lot._passport_timeline(self.lot._passport_audience())
        [sale] = [e for e in events if e.kind == "sold"]
        self.assertEqual(
            (sale.reference, sale.client, sale.counterpart), (order.name, "Test Client", "Test Web")
        )
        [received] = [e for e in events if e.kind == "received"]
        self.assertEqual(received.counterpart, "Atelier Pantin")
        shipped = next(e for e in events if e.kind == "shipped")
        self.assertEqual(shipped.counterpart, "Jean, Maison Courier")
        self.assertEqual(self.lot._passport_owner(), self.client)
        self.assertIn("Atelier Pantin", self.lot.passport_timeline_html)

    def test_timeline_is_one_query(self):
        self._sold_piece()
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            self.lot._passport_timeline(self.lot._passport_audience())

    def test_floor_staff_see_neither_client_nor_price(self):
        order, __ = self._sold_piece()
        lot = self.lot.with_user(self.floor)
        sale = self._sale_event(lot)
        self.assertEqual((sale.client, sale.amount), ("", 0.0))
        html = lot.passport_timeline_html
        self.assertNotIn("Test Client", html)
        self.assertIn(order.name, html)

    def test_boutique_sees_the_client_not_the_price(self):
        self._sold_piece()
        lot = self.lot.with_user(self.boutique)
        sale = self._sale_event(lot)
        self.assertEqual((sale.client, sale.amount), ("Test Client", 0.0))

    def test_customer_service_sees_client_and_price(self):
        self._sold_piece()
        lot = self.lot.with_user(self.service)
        sale = self._sale_event(lot)
        self.assertEqual(sale.client, "Test Client")
        self.assertTrue(sale.amount)


class TestPrivateMarks(PassportCase):
    def test_marks_are_stored_hashed_and_shown_masked(self):
        self.lot.with_user(self.controller).write(
            {"passport_engraving_entry": "LX-04-A7F", "passport_tag_entry": "E2-8011-6A3F"}
        )
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT digest, hint FROM luxury_oms_piece_mark WHERE lot_id = %s", [self.lot.id]
        )
        stored = self.env.cr.fetchall()
        self.assertEqual(len(stored), 2)
        for digest, __ in stored:
            self.assertNotIn("A7F", digest)
            self.assertNotIn("6A3F", digest)
            self.assertEqual(len(digest), 64)
        self.assertEqual(
            self.lot.with_user(self.floor).passport_mark_hint,
            "Laser engraving ••••7F, RFID/NFC tag ••••3F",
        )

    def test_no_group_reads_a_mark(self):
        self.lot.with_user(self.controller).passport_engraving_entry = "LX-04-A7F"
        admin = new_test_user(
            self.env, "passport_admin", groups="base.group_system,luxury_oms.group_oms_manager"
        )
        for user in (self.floor, self.boutique, self.service, self.controller, admin):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["luxury.oms.piece.mark"].with_user(user).search_read([], ["digest"])
                entry = self.lot.with_user(user).read(["passport_mark_hint"])[0]
                self.assertNotIn("LX", str(entry))
        self.assertFalse(self.lot.with_user(self.controller).passport_engraving_entry)

    def test_only_stock_control_records_marks(self):
        with self.assertRaises(AccessError):
            self.lot.with_user(self.boutique).passport_engraving_entry = "LX-04-A7F"
        with self.assertRaises(AccessError):
            self.lot.with_user(self.floor)._passport_set_mark("engraving", "LX-04-A7F")

    def test_same_mark_hashes_differently_on_another_piece(self):
        other = self.env["stock.lot"].create({"name": "PB-0002", "product_id": self.piece.id})
        Mark = self.env["luxury.oms.piece.mark"]
        self.assertNotEqual(Mark._digest(self.lot, "LX-1234"), Mark._digest(other, "LX-1234"))


class TestPassportAccess(PassportCase):
    def test_floor_staff_do_not_read_certificates(self):
        self._sold_piece()
        with self.assertRaises(AccessError):
            self.env["luxury.oms.certificate"].with_user(self.floor).search_read([], ["partner_id"])
        self.assertNotIn("passport_certificate_ids", self.lot.with_user(self.floor).fields_get())
        for user in (self.service, self.boutique, self.controller):
            with self.subTest(user=user.login):
                certificates = self.lot.with_user(user).passport_certificate_ids
                self.assertEqual(certificates.partner_id.name, "Test Client")

    def test_integration_user_reads_no_piece_directly(self):
        self._sold_piece()
        api_user = new_test_user(
            self.env, "passport_api", groups="luxury_oms.group_oms_integration"
        )
        for model in ("stock.lot", "luxury.oms.certificate", "luxury.oms.piece.check"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(api_user).search_read([], ["display_name"])


class TestFourEyes(PassportCase):
    def setUp(self):
        super().setUp()
        self.lot.with_user(self.controller).passport_engraving_entry = "LX-04-A7F"
        self.check = self.lot.with_user(self.controller)._passport_check_presented(
            {"engraving": "FAKE-0000"}, self.dc
        )

    def test_mismatch_quarantines(self):
        self.assertEqual((self.check.result, self.check.state), ("mismatch", "quarantined"))
        self.assertTrue(self.lot.passport_quarantined)
        with self.assertRaises(UserError):
            self.lot._passport_check_presented({"engraving": "LX-04-A7F"}, self.dc)

    def test_the_recorder_cannot_release(self):
        with self.assertRaises(AccessError):
            self.check.with_user(self.controller).action_release()
        self.assertFalse(self.check.with_user(self.controller).can_release)
        self.assertEqual(self.check.state, "quarantined")

    def test_a_second_person_without_the_right_cannot_release(self):
        for user in (self.floor, self.service):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.check.with_user(user).action_release()

    def test_a_second_stock_controller_releases(self):
        self.assertTrue(self.check.with_user(self.second_controller).can_release)
        self.check.with_user(self.second_controller).action_release()
        self.assertEqual(self.check.state, "released")
        self.assertEqual(self.check.released_by_id, self.second_controller)
        self.assertFalse(self.lot.passport_quarantined)

    def test_a_quarantined_piece_gets_no_certificate(self):
        with self.assertRaises(UserError):
            self.env["luxury.oms.certificate"]._issue_for(self.lot, self.client)


class TestCertificates(PassportCase):
    def test_delivery_certifies_in_the_owner_language(self):
        self._sold_piece()
        certificate = self.lot.passport_certificate_ids
        self.assertEqual((certificate.state, certificate.lang), ("valid", "fr_FR"))
        self.assertEqual(certificate._public_values()["owner"], "Test")

    def test_transfer_issues_a_new_certificate_and_revokes_the_old(self):
        self._sold_piece()
        old = self.lot.passport_certificate_ids
        wizard = (
            self.env["luxury.oms.certificate.transfer"]
            .with_user(self.boutique)
            .create({"lot_id": self.lot.id, "new_owner_id": self.new_owner.id})
        )
        wizard.action_transfer()
        new = self.lot.passport_certificate_ids - old
        self.assertEqual((old.state, old.revoke_reason), ("revoked", "transferred"))
        self.assertEqual((new.partner_id, new.lang, new.state), (self.new_owner, "ja_JP", "valid"))
        self.assertEqual(self.lot._passport_owner(), self.new_owner)
        # A list or an export reads the links of several certificates at once.
        links = (old | new).read(["verification_url"])
        self.assertEqual(len({link["verification_url"] for link in links}), 2)
        self.assertTrue(all("/passport/verify/" in link["verification_url"] for link in links))

    def test_floor_staff_neither_issue_nor_revoke(self):
        self._sold_piece()
        certificate = self.lot.passport_certificate_ids
        with self.assertRaises(AccessError):
            certificate.with_user(self.floor).action_report_stolen()
        with self.assertRaises(AccessError):
            self.lot.with_user(self.floor).action_passport_issue_certificate()
        self.assertEqual(certificate.state, "valid")
        self.lot.with_user(self.boutique).action_passport_issue_certificate()
        self.assertEqual(self.lot.passport_certificate_ids, certificate, "the owner has one")

    def test_report_stolen_revokes(self):
        self._sold_piece()
        certificate = self.lot.passport_certificate_ids
        certificate.with_user(self.service).action_report_stolen()
        self.assertEqual((certificate.state, certificate.revoke_reason), ("revoked", "stolen"))

    def test_reference_round_trip_and_forgery(self):
        self._sold_piece()
        certificate = self.lot.passport_certificate_ids
        Certificate = self.env["luxury.oms.certificate"]
        reference = certificate._verification_reference()
        self.assertEqual(Certificate._from_reference(reference), certificate)
        certificate_id, version, signature = reference.split("-")
        forged = [
            f"{certificate_id}-{version}-{'0' * len(signature)}",
            f"{int(certificate_id) + 1}-{version}-{signature}",
            f"{certificate_id}-{int(version) + 1}-{signature}",
            "not-a-reference",
        ]
        for reference in forged:
            with self.subTest(reference=reference):
                self.assertFalse(Certificate._from_reference(reference))

    def test_certificate_html_in_japanese(self):
        self._sold_piece()
        wizard = self.env["luxury.oms.certificate.transfer"].create(
            {"lot_id": self.lot.id, "new_owner_id": self.new_owner.id}
        )
        certificate = self.env["luxury.oms.certificate"].browse(wizard.action_transfer()["res_id"])
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("luxury_oms.report_certificate", certificate.ids)[0]
            .decode()
        )
        self.assertIn("山田 花子", html)
        self.assertIn("PB-0001", html)
        self.assertIn("data:image/png;base64,", html)


class TestPassportApi(PassportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.integration_user = new_test_user(
            cls.env, login="api-passport", groups="luxury_oms.group_oms_integration"
        )
        cls.channel.user_ids = cls.integration_user
        cls.other_channel = cls.env["luxury.oms.channel"].create(
            {"name": "Other Web", "code": "test-other", "currency_id": cls.eur.id,
             "warehouse_ids": [(6, 0, cls.dc.ids)]}
        )  # fmt: skip
        cls.other_user = new_test_user(
            cls.env, login="api-passport-other", groups="luxury_oms.group_oms_integration"
        )
        cls.other_channel.user_ids = cls.other_user

    def test_own_client_piece(self):
        order, __ = self._sold_piece()
        answer = (
            self.env["luxury.oms.api"]
            .with_user(self.integration_user)
            .get_piece_passport("test-web", "PB-0001")
        )
        self.assertEqual((answer["serial"], answer["order_ref"]), ("PB-0001", order.name))
        self.assertEqual(answer["certificate"], "valid")
        kinds = [event["event"] for event in answer["events"]]
        self.assertIn("sold", kinds)
        self.assertNotIn("Test Client", str(answer))
        self.assertNotIn(None, [value for event in answer["events"] for value in event.values()])

    def test_foreign_and_unknown_serials_get_the_same_refusal(self):
        self._sold_piece()
        api = self.env["luxury.oms.api"].with_user(self.other_user)
        messages = []
        for serial in ("PB-0001", "NOPE-42"):
            with self.assertRaises(ValidationError) as caught:
                api.get_piece_passport("test-other", serial)
            messages.append(str(caught.exception).replace(serial, "X"))
        self.assertEqual(messages[0], messages[1])
        self.assertTrue(messages[0].startswith("serial: unknown serial"))

    def test_other_channel_code_is_refused(self):
        with self.assertRaises(AccessError):
            self.env["luxury.oms.api"].with_user(self.other_user).get_piece_passport(
                "test-web", "PB-0001"
            )

    def test_malformed_serial(self):
        with self.assertRaises(ValidationError) as caught:
            self.env["luxury.oms.api"].with_user(self.integration_user).get_piece_passport(
                "test-web", ["PB-0001"]
            )
        self.assertTrue(str(caught.exception).startswith("serial:"))


@tagged("post_install", "-at_install")
class TestPassportBoutiqueSale(LuxuryOmsPosCase):
    def test_boutique_sale_is_in_the_passport_and_certified(self):
        watch = self.env["product.product"].create(
            {"name": "Test Watch", "is_storable": True, "tracking": "serial", "list_price": 9000}
        )
        lot = self.env["stock.lot"].create({"name": "SN-POS-1", "product_id": watch.id})
        self.env["stock.quant"]._update_available_quantity(
            watch, self.milan.lot_stock_id, 1, lot_id=lot
        )
        self.client.lang = "en_US"
        order = self._sync(
            self._ui_order(self._open_session(), [(watch, 1, "SN-POS-1")], self.client)
        )
        sale = next(e for e in lot._passport_timeline(lot._passport_audience()) if e.kind == "sold")
        self.assertEqual((sale.source_model, sale.source_id), ("pos.order", order.id))
        self.assertEqual((sale.counterpart, sale.client), ("Test Boutique Milan", "Test Client"))
        self.assertEqual(sale.amount, 9000)
        certificate = lot.passport_certificate_ids
        self.assertEqual((certificate.partner_id, certificate.state), (self.client, "valid"))
