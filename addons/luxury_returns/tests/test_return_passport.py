from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import LuxuryReturnsCase


@tagged("post_install", "-at_install")
class TestReturnPassport(LuxuryReturnsCase):
    """Returns in the piece passport; the hidden identifier hashed; a mismatch needs four eyes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env,
            "passport_officer",
            groups="luxury_returns.group_returns_authenticity,stock.group_stock_user",
        )
        cls.controller = new_test_user(
            cls.env, "passport_ret_controller", groups="luxury_oms.group_oms_stock_controller"
        )

    def _timeline(self, lot):
        return lot._passport_timeline(lot._passport_audience())

    def test_hidden_identifier_is_stored_hashed_only(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'stock_lot' AND column_name = 'luxury_hidden_mark'"
        )
        self.assertFalse(self.env.cr.fetchall(), "no plain column")
        self.env.cr.execute(
            "SELECT digest, hint FROM luxury_oms_piece_mark WHERE lot_id = %s", [self.lot_1.id]
        )
        [(digest, hint)] = self.env.cr.fetchall()
        self.assertNotIn("AAA", digest)
        self.assertEqual(hint, "••••AA")
        self.assertFalse(self.lot_1.with_user(self.officer).luxury_hidden_mark)

    def test_authenticity_team_records_a_mark(self):
        self.lot_unsold.with_user(self.officer).luxury_hidden_mark = "HM-NEW-42"
        self.assertTrue(self.lot_unsold._luxury_hidden_mark_matches("hm new 42"))
        self.assertFalse(self.lot_unsold._luxury_hidden_mark_matches("HM-ZZZ"))

    def test_mismatch_quarantines_the_serial_until_a_second_person_releases_it(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-002"}])
        line = rma.line_ids
        self._receive_and_check(rma.with_user(self.officer), {line: "TSN-002"}, {line: "HM-AAA"})
        mark_check = line.check_ids.filtered(lambda c: c.check_type == "hidden_mark")
        self.assertEqual(mark_check.result, "fail")
        piece_check = self.lot_2.passport_check_ids
        self.assertEqual((piece_check.result, piece_check.state), ("mismatch", "quarantined"))
        self.assertEqual(piece_check.recorded_by_id, self.officer)
        self.assertEqual(piece_check.origin, rma.name)
        with self.assertRaises(AccessError):
            piece_check.with_user(self.officer).action_release()
        piece_check.with_user(self.controller).action_release()
        self.assertFalse(self.lot_2.passport_quarantined)

    def test_matching_mark_passes_and_the_return_is_in_the_passport(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        line = rma.line_ids
        self._receive_and_check(rma, {line: "TSN-001"}, {line: "hm-aaa"})
        self.assertEqual(self.lot_1.passport_check_ids.result, "match")
        rma.action_conclude()
        rma.action_refund()
        timeline = self._timeline(self.lot_1)
        kinds = [event.kind for event in timeline]
        for kind in ("sold", "shipped", "certified", "return_requested", "returned", "revoked"):
            self.assertIn(kind, kinds)
        verdict = next(e for e in timeline if e.source_model == "luxury.return.line")
        self.assertEqual((verdict.kind, verdict.detail), ("checked", "authentic"))
        requested = next(e for e in timeline if e.kind == "return_requested")
        self.assertEqual((requested.reference, requested.client), (rma.name, "Test Client"))
        self.assertIn("Authentic", self.lot_1.passport_timeline_html)
        certificate = self.lot_1.passport_certificate_ids
        self.assertEqual((certificate.state, certificate.revoke_reason), ("revoked", "returned"))

    def test_quarantined_serial_is_not_checked_again(self):
        self.lot_1._passport_check_presented({"engraving": "WRONG-1"}, self.order)
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        line = rma.line_ids
        with self.assertRaises(UserError):
            self._receive_and_check(rma, {line: "TSN-001"}, {line: "HM-AAA"})
