import unittest
from datetime import datetime

from odoo.addons.luxury_oms.engine import passport
from odoo.addons.luxury_oms.engine.api_payload import PayloadError
from odoo.addons.luxury_oms.engine.passport import PassportEvent


def event(day, kind, source_id=1, **values):
    return PassportEvent(datetime(2026, 1, day), kind, "stock.move.line", source_id, **values)


class TestTimeline(unittest.TestCase):
    def test_events_in_date_order_then_kind_order(self):
        events = [
            event(3, "shipped"),
            event(1, "moved"),
            event(1, "received"),
            event(3, "sold", partner_id=7, client="Camille Laurent"),
        ]
        kinds = [e.kind for e in passport.build_timeline(events, passport.FULL)]
        self.assertEqual(kinds, ["received", "moved", "sold", "shipped"])

    def test_a_second_sale_is_a_resale(self):
        events = [event(2, "sold", 1, partner_id=7), event(5, "sold", 2, partner_id=8)]
        kinds = [e.kind for e in passport.build_timeline(events, passport.FULL)]
        self.assertEqual(kinds, ["sold", "resold"])

    def test_the_same_record_read_twice_appears_once(self):
        events = [event(1, "received"), event(1, "received")]
        self.assertEqual(len(passport.build_timeline(events, passport.FULL)), 1)

    def test_floor_audience_sees_neither_clients_nor_amounts(self):
        sale = event(2, "sold", partner_id=7, client="Camille", amount=4200.0, currency="EUR")
        [shown] = passport.build_timeline([sale], passport.ANONYMOUS)
        self.assertEqual((shown.partner_id, shown.client), (0, ""))
        self.assertEqual((shown.amount, shown.currency), (0.0, ""))
        self.assertEqual(shown.kind, "sold")

    def test_boutique_audience_sees_clients_not_amounts(self):
        sale = event(2, "sold", partner_id=7, client="Camille", amount=4200.0, currency="EUR")
        [shown] = passport.build_timeline([sale], passport.NO_AMOUNTS)
        self.assertEqual(shown.client, "Camille")
        self.assertEqual(shown.amount, 0.0)

    def test_current_owner_follows_sales_transfers_and_returns(self):
        sold = event(1, "sold", 1, partner_id=7)
        transferred = event(2, "ownership_transferred", 2, partner_id=8)
        returned = event(3, "returned", 3)
        self.assertEqual(passport.current_owner([sold]), 7)
        self.assertEqual(passport.current_owner([sold, transferred]), 8)
        self.assertEqual(passport.current_owner([sold, transferred, returned]), 0)

    def test_row_of_the_sql_becomes_an_event_with_defaults_for_nulls(self):
        row = (datetime(2026, 1, 1), "moved", "stock.move.line", 4, "INT/1", "Paris") + (None,) * 6
        shaped = PassportEvent.from_row(row)
        self.assertEqual((shaped.site, shaped.client, shaped.amount), ("Paris", "", 0.0))


class TestMarks(unittest.TestCase):
    def test_normalized_ignoring_case_spaces_and_dashes(self):
        self.assertEqual(passport.normalize_mark(" lx-04 a7f "), "LX04A7F")
        self.assertEqual(passport.normalize_mark(None), "")

    def test_hint_shows_only_the_last_two_characters(self):
        self.assertEqual(passport.mark_hint("LX-04-A7F"), "••••7F")

    def test_short_mark_shows_nothing(self):
        self.assertEqual(passport.mark_hint("A7F"), "••••")


class TestFourEyes(unittest.TestCase):
    def test_the_recorder_never_releases(self):
        self.assertEqual(passport.release_refusal(5, 5, True), "same_person")

    def test_a_second_person_needs_the_right(self):
        self.assertEqual(passport.release_refusal(5, 6, False), "no_right")
        self.assertIsNone(passport.release_refusal(5, 6, True))


class TestCertificateReference(unittest.TestCase):
    def test_round_trip(self):
        reference = passport.certificate_reference(12, 1, "ab09")
        self.assertEqual(passport.parse_certificate_reference(reference), (12, 1, "ab09"))

    def test_malformed_references_are_none(self):
        for reference in ("", "12-1", "x-1-ab", "12-1-XYZ", "12-1-ab-cd", None, "1-1-" + "a" * 300):
            with self.subTest(reference=reference):
                self.assertIsNone(passport.parse_certificate_reference(reference))

    def test_first_name_only(self):
        self.assertEqual(passport.first_name("Camille Laurent"), "Camille")
        self.assertEqual(passport.first_name("山田 花子"), "花子")
        self.assertEqual(passport.first_name("王伟"), "")
        self.assertEqual(passport.first_name("محمد الفارسي"), "محمد")


class TestPassportRequest(unittest.TestCase):
    def test_channel_and_serial_are_trimmed_strings(self):
        self.assertEqual(
            passport.validate_passport_request(" web-FR ", "WT42P-00001 "),
            ("web-FR", "WT42P-00001"),
        )

    def test_hostile_serials_are_refused_naming_the_field(self):
        for serial, problem in (
            ("A\x00B", "serial: contains a NUL character"),
            ("\ud800", "serial: contains a lone UTF-16 surrogate"),
            (["A"], "serial: must be a string"),
            (None, "serial: is required"),
            ("x" * 1000, "serial: is longer than"),
        ):
            with self.subTest(serial=serial), self.assertRaises(PayloadError) as caught:
                passport.validate_passport_request("web-FR", serial)
            self.assertTrue(str(caught.exception).startswith(problem), str(caught.exception))
