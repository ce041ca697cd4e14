from odoo.tests import HttpCase
from odoo.tests import tagged

from .test_passport import PassportCase


@tagged("post_install", "-at_install")
class TestCertificateVerificationPage(HttpCase):
    """The page a certificate's QR code opens, over HTTP, as anyone (no session)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product = cls.env["product.product"].create(
            {"name": "Sac Céleste 28", "is_storable": True, "tracking": "serial"}
        )
        cls.lot = cls.env["stock.lot"].create({"name": "VP-0001", "product_id": product.id})
        cls.owner = cls.env["res.partner"].create(
            {"name": "Camille Laurent", "email": "camille@example.fr", "phone": "+33 1 23"}
        )
        cls.certificate = cls.env["luxury.oms.certificate"].create(
            {
                "lot_id": cls.lot.id,
                "company_id": cls.env.company.id,
                "partner_id": cls.owner.id,
                "lang": "en_US",
            }
        )

    def _certificate_in(self, lang):
        self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(["luxury_oms"], [lang])
        self.lot.passport_certificate_ids._revoke("transferred")
        return self.env["luxury.oms.certificate"].create(
            {
                "lot_id": self.lot.id,
                "company_id": self.env.company.id,
                "partner_id": self.owner.id,
                "lang": lang,
            }
        )

    def test_page_speaks_the_certificate_language_and_script(self):
        for lang, valid, direction in (
            ("ja_JP", "この証明書は有効です。", "ltr"),
            ("ar_001", "هذه الشهادة سارية.", "rtl"),
            ("zh_CN", "此证书有效。", "ltr"),
        ):
            with self.subTest(lang=lang):
                certificate = self._certificate_in(lang)
                page = self._open(certificate._verification_reference()).text
                self.assertIn(valid, page)
                self.assertIn(f'dir="{direction}"', page)

    def _open(self, reference):
        return self.url_open(f"/passport/verify/{reference}", allow_redirects=False)

    def test_valid_certificate_shows_the_piece_and_first_name_only(self):
        response = self._open(self.certificate._verification_reference())
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("This certificate is valid.", page)
        self.assertIn("Sac Céleste 28", page)
        self.assertIn("VP-0001", page)
        self.assertIn("Camille", page)
        for secret in ("Laurent", "camille@example.fr", "+33 1 23"):
            self.assertNotIn(secret, page)
        self.assertEqual(response.headers["Cache-Control"], "no-store")

    def test_revoked_certificate_reads_no_longer_valid_without_owner(self):
        reference = self.certificate._verification_reference()
        self.certificate._revoke("stolen")
        page = self._open(reference).text
        self.assertIn("This certificate is no longer valid.", page)
        self.assertNotIn("Camille", page)
        self.assertNotIn("stolen", page.lower())

    def test_forged_and_unknown_links_get_one_answer(self):
        reference = self.certificate._verification_reference()
        certificate_id, version, signature = reference.split("-")
        forged = f"{certificate_id}-{version}-{'0' * len(signature)}"
        unknown = f"{int(certificate_id) + 1000}-{version}-{signature}"
        answers = [self._open(ref) for ref in (forged, unknown, "garbage")]
        self.assertEqual({answer.status_code for answer in answers}, {404})
        self.assertEqual(len({answer.text for answer in answers}), 1)
        self.assertIn("This certificate could not be verified.", answers[0].text)
        self.assertNotIn("VP-0001", answers[0].text)


@tagged("post_install", "-at_install")
class TestPassportTour(HttpCase, PassportCase):
    def test_floor_user_reads_a_sold_piece_passport(self):
        self._sold_piece()
        self.lot.with_user(self.controller).passport_engraving_entry = "LX-04-A7F"
        self.start_tour(
            f"/odoo/action-luxury_oms.stock_lot_action_pieces/{self.lot.id}",
            "LuxuryOmsPassportTour",
            login="passport_floor",
        )
