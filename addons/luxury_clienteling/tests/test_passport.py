from datetime import timedelta

from odoo import Command
from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user

from .test_services import ServicesCase


class TestClientelingPassport(ServicesCase):
    """Loans, repairs and piece transfers in the piece passport; repairs check the marks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls.lots[0]
        cls.controller = new_test_user(
            cls.env, "passport_cl_controller", groups="luxury_oms.group_oms_stock_controller"
        )
        cls.second_controller = new_test_user(
            cls.env, "passport_cl_controller_2", groups="luxury_oms.group_oms_stock_controller"
        )
        cls.lot.with_user(cls.controller).write(
            {"passport_engraving_entry": "W-ENG-0001-7F", "passport_tag_entry": "E280-AA-01"}
        )

    def setUp(self):
        super().setUp()
        # Repair steps are read from the chatter's tracking: track them.
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _repair(self, **values):
        repair = (
            self.env["luxury.client.repair"]
            .with_user(self.alice)
            .create(
                {
                    "partner_id": self.client.id,
                    "warehouse_id": self.milan.id,
                    "serial_number": self.lot.name,
                    "issue": "The crown is loose",
                    **values,
                }
            )
        )
        self._flush_tracking()
        return repair

    def _timeline(self, user=None):
        lot = self.lot.with_user(user) if user else self.lot
        return lot._passport_timeline(lot._passport_audience())

    def test_loans_transfers_holds_and_repair_steps_appear(self):
        loan = self.env["luxury.client.loan"].create(
            {
                "partner_id": self.client.id,
                "warehouse_id": self.milan.id,
                "purpose": "Cover shoot",
                "lot_ids": [Command.set(self.lot.ids)],
                "date_due": fields.Date.today() + timedelta(days=7),
            }
        )
        loan.action_send_out()
        loan.return_condition = "wear"
        loan.action_return()
        transfer = self.env["luxury.client.piece.transfer"].create(
            {
                "partner_id": self.client.id,
                "lot_id": self.lot.id,
                "warehouse_id": self.rome.id,
                "appointment_date": fields.Datetime.now() + timedelta(days=2),
            }
        )
        transfer.action_confirm()
        transfer.action_receive()
        repair = self._repair(presented_engraving="w eng 0001 7f")
        repair.quote_amount = 350
        repair.action_send_quote()
        self._flush_tracking()
        for step in ("action_approve", "action_start_workshop", "action_mark_ready"):
            getattr(repair, step)()
            self._flush_tracking()
        repair.action_return()
        self._flush_tracking()

        timeline = self._timeline(self.alice)
        kinds = [event.kind for event in timeline]
        for kind in ("loaned", "loan_returned", "transferred", "held", "checked", "repair"):
            self.assertIn(kind, kinds)
        loaned = next(e for e in timeline if e.kind == "loaned")
        self.assertEqual((loaned.counterpart, loaned.client), ("Cover shoot", "Test Client"))
        returned = next(e for e in timeline if e.kind == "loan_returned")
        self.assertEqual(returned.detail, "wear")
        transferred = next(e for e in timeline if e.kind == "transferred")
        self.assertEqual((transferred.site, transferred.counterpart), ("Test Rome", "Test Milan"))
        steps = [e.detail for e in timeline if e.kind == "repair"]
        self.assertEqual(
            steps,
            [
                "Received for repair",
                "Quote sent",
                "Quote",
                "Approved",
                "In workshop",
                "Ready",
                "Returned",
            ],
        )
        quote = next(e for e in timeline if e.kind == "repair" and e.detail == "Quote")
        self.assertEqual(quote.amount, 350)
        self.assertEqual(repair.piece_check_id.result, "match")
        html = self.lot.with_user(self.alice).passport_timeline_html
        self.assertIn("Cover shoot", html)
        self.assertIn("Minor wear", html)

    def test_repair_of_a_piece_whose_marks_do_not_match_waits_for_four_eyes(self):
        repair = self._repair(presented_engraving="FAKE-0000", presented_tag="E280-AA-01")
        self.assertEqual(repair.piece_check_id.result, "mismatch")
        self.assertTrue(repair.piece_quarantined)
        repair.quote_amount = 100
        repair.action_send_quote()
        repair.action_approve()
        with self.assertRaises(UserError):
            repair.action_start_workshop()
        check = repair.piece_check_id
        check.with_user(self.second_controller).action_release()
        repair.action_start_workshop()
        self.assertEqual(repair.state, "workshop")

    def test_marks_are_checked_once_at_reception(self):
        repair = self._repair(presented_engraving="W-ENG-0001-7F")
        with self.assertRaises(UserError):
            repair.presented_tag = "E280-AA-01"
        self.assertFalse(repair.presented_engraving, "what was read is not kept")

    def test_advisor_sees_masked_marks_only(self):
        lot = self.lot.with_user(self.alice)
        self.assertEqual(lot.passport_mark_hint, "Laser engraving ••••7F, RFID/NFC tag ••••01")
        self.assertNotIn("passport_engraving_entry", lot.fields_get())

    def test_client_pieces_on_the_360(self):
        self._repair(presented_engraving="W-ENG-0001-7F")
        html = self.client.with_user(self.alice).passport_pieces_html
        self.assertIn("W-001", html)
        self.assertIn("Received for repair", html)
        other = self.env["res.partner"].create({"name": "No Piece Client"})
        self.assertNotIn("W-001", other.with_user(self.alice).passport_pieces_html)

    def test_client_being_created_has_no_piece_yet(self):
        """The quick-create dialog of a contact computes the 360 on a record not saved yet."""
        new_client = self.env["res.partner"].with_user(self.alice).new({"name": "Walk-in"})
        self.assertIn("No piece yet.", new_client.passport_pieces_html)
