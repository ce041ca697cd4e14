import base64
import io

import qrcode

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import consteq
from odoo.tools.misc import hmac

from ..engine.passport import certificate_reference
from ..engine.passport import first_name
from ..engine.passport import parse_certificate_reference

# Scope of the verification links' HMAC with the database secret.
CERTIFICATE_SCOPE = "luxury_oms.certificate"
# Who issues, transfers and revokes certificates: the client-facing roles (managers are
# customer service too). Deliveries certify their pieces as superuser.
CERTIFICATE_KEEPERS = ("luxury_oms.group_oms_customer_service", "luxury_oms.group_oms_boutique")
REVOKE_REASONS = [
    ("returned", "Piece returned"),
    ("stolen", "Reported stolen"),
    ("resold", "Resold"),
    ("transferred", "Ownership transferred"),
]


class LuxuryOmsCertificate(models.Model):
    """A certificate of authenticity of a sold piece, for its owner, in the owner's
    language; verified by anyone through a signed link (the QR code it carries).

    One valid certificate per piece: a new owner's certificate revokes the previous one."""

    _name = "luxury.oms.certificate"
    _description = "Certificate of Authenticity"
    _inherit = ["mail.thread"]
    _order = "issue_date desc, id desc"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index=True
    )
    lot_id = fields.Many2one("stock.lot", string="Serial", required=True, readonly=True, index=True)
    product_id = fields.Many2one(related="lot_id.product_id")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Owner", required=True, readonly=True)
    lang = fields.Char(string="Language Code", required=True, readonly=True)
    lang_name = fields.Char(compute="_compute_lang_name", string="Language")
    version = fields.Integer(required=True, default=1, readonly=True)
    issue_date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    state = fields.Selection(
        [("valid", "Valid"), ("revoked", "Revoked")],
        required=True,
        default="valid",
        readonly=True,
        tracking=True,
        index=True,
    )
    revoke_reason = fields.Selection(REVOKE_REASONS, readonly=True, tracking=True)
    revoke_date = fields.Datetime(readonly=True)
    previous_certificate_id = fields.Many2one(
        "luxury.oms.certificate",
        string="Previous Certificate",
        readonly=True,
        help="The previous owner's certificate this one replaced (a transfer of ownership).",
    )
    verification_url = fields.Char(string="Verification Link", compute="_compute_verification_url")
    can_report_stolen = fields.Boolean(compute="_compute_can_report_stolen")

    _one_valid_per_lot = models.UniqueIndex(
        "(lot_id) WHERE state = 'valid'", "A piece has one valid certificate at a time."
    )

    @api.depends("lang")
    def _compute_lang_name(self):
        names = dict(self.env["res.lang"].get_installed())
        for certificate in self:
            certificate.lang_name = names.get(certificate.lang, certificate.lang)

    def _compute_verification_url(self):
        for certificate in self:
            certificate.verification_url = (
                f"{certificate.get_base_url()}/passport/verify/"
                f"{certificate._verification_reference()}"
            )

    @api.depends("state")
    def _compute_can_report_stolen(self):
        for certificate in self:
            certificate.can_report_stolen = certificate.state == "valid"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code(self._name) or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_report_stolen(self):
        self._check_keeper()
        self._revoke("stolen")
        return True

    def _passport_open_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "luxury_oms.luxury_oms_certificate_action"
        )
        action.update(res_id=self[:1].id, view_mode="form", views=[(False, "form")])
        return action

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    @api.model
    def _issue_for(self, lot, owner, previous=None):
        """The valid certificate of ``lot`` for ``owner``: the existing one, or a new one
        revoking the previous owner's (``previous`` when it is a transfer)."""
        self._check_keeper()
        if not owner:
            raise UserError(
                self.env._("Serial %(lot)s has no owner: it was not sold.", lot=lot.name)
            )
        lot._passport_check_not_quarantined()
        valid = self.sudo().search([("lot_id", "=", lot.id), ("state", "=", "valid")])
        if valid.partner_id == owner:
            return self.browse(valid.id)
        valid._revoke("transferred" if previous else "resold")
        certificate = self.sudo().create(
            {
                "lot_id": lot.id,
                "company_id": (lot.company_id or self.env.company).id,
                "partner_id": owner.id,
                "lang": owner.lang or self.env.lang or "en_US",
                "previous_certificate_id": (previous or valid).id,
            }
        )
        return self.browse(certificate.id)

    def _check_keeper(self):
        if not self.env.su and not any(self.env.user.has_group(g) for g in CERTIFICATE_KEEPERS):
            raise AccessError(
                self.env._("Only customer service and boutique staff issue or revoke certificates.")
            )

    def _revoke(self, reason):
        valid = self.filtered(lambda c: c.state == "valid").sudo()
        valid.write(
            {"state": "revoked", "revoke_reason": reason, "revoke_date": fields.Datetime.now()}
        )
        # Before the next owner's certificate is inserted: one valid certificate per piece.
        valid.flush_recordset(["state"])

    def _verification_reference(self):
        self.ensure_one()
        return certificate_reference(self.id, self.version, self._signature(self.id, self.version))

    @api.model
    def _signature(self, certificate_id, version):
        return hmac(self.env(su=True), CERTIFICATE_SCOPE, (certificate_id, version))

    @api.model
    def _from_reference(self, reference):
        """The certificate a verification link names, or an empty recordset when the link
        is malformed, forged or names no certificate (one answer for all three)."""
        parsed = parse_certificate_reference(reference)
        if not parsed:
            return self.browse()
        certificate_id, version, signature = parsed
        if not consteq(signature, self._signature(certificate_id, version)):
            return self.browse()
        certificate = self.sudo().browse(certificate_id).exists()
        if certificate.version != version:
            return self.browse()
        return certificate

    def _qr_code_data_uri(self):
        """The QR code of the verification link, inline: the PDF needs no network."""
        self.ensure_one()
        buffer = io.BytesIO()
        qrcode.make(self.verification_url, box_size=8, border=2).save(buffer, format="PNG")
        return f"data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}"

    def _public_values(self):
        """All the verification page shows: the piece, the owner's first name while the
        certificate is valid, and whether it is."""
        self.ensure_one()
        valid = self.state == "valid"
        return {
            "valid": valid,
            "number": self.name,
            "piece": self.product_id.with_context(lang=self.lang).name,
            "serial": self.lot_id.name,
            "owner": first_name(self.partner_id.name) if valid else "",
            "maison": self.company_id.name,
            "issued": fields.Date.to_string(self.issue_date),
        }

    def _passport_sql_fragments(self, lot):
        return [
            SQL(
                """
                SELECT cert.issue_date,
                       CASE WHEN cert.previous_certificate_id IS NOT NULL
                             AND previous.revoke_reason = 'transferred'
                            THEN 'ownership_transferred' ELSE 'certified' END,
                       'luxury.oms.certificate', cert.id, cert.name, NULL, NULL,
                       owner.id, owner.name, NULL, NULL, cert.lang
                  FROM luxury_oms_certificate cert
                  JOIN res_partner owner ON owner.id = cert.partner_id
                  LEFT JOIN luxury_oms_certificate previous
                         ON previous.id = cert.previous_certificate_id
                 WHERE cert.lot_id = %(lot)s
                """,
                lot=lot.id,
            ),
            SQL(
                """
                SELECT cert.revoke_date, 'revoked', 'luxury.oms.certificate', cert.id,
                       cert.name, NULL, NULL, NULL, NULL, NULL, NULL, cert.revoke_reason
                  FROM luxury_oms_certificate cert
                 WHERE cert.lot_id = %(lot)s AND cert.state = 'revoked'
                """,
                lot=lot.id,
            ),
        ]
