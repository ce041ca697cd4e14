from odoo import http
from odoo.http import request


class CertificateVerification(http.Controller):
    """The public page a certificate's QR code opens: is this piece's certificate valid?

    It shows the piece, its owner's first name and the certificate's validity, nothing
    more. A malformed, forged or unknown link gets one and the same answer."""

    @http.route(
        "/passport/verify/<string:reference>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def verify(self, reference, **kwargs):
        certificate = request.env["luxury.oms.certificate"]._from_reference(reference)
        values = certificate._public_values() if certificate else None
        lang = certificate.lang if certificate else request.env.lang or "en_US"
        page = (
            request.env["ir.ui.view"]
            .sudo()
            .with_context(lang=lang)
            ._render_template(
                "luxury_oms.certificate_verification_page",
                {"certificate": values, "lang": lang, "rtl": lang.startswith("ar")},
            )
        )
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Cache-Control", "no-store"),
            ("X-Robots-Tag", "noindex"),
            ("Referrer-Policy", "no-referrer"),
        ]
        status = 200 if values else 404
        return request.make_response(f"<!DOCTYPE html>\n{page}", headers=headers, status=status)
