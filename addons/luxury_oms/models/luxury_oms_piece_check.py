from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine.passport import release_refusal

# Who may release a quarantined piece (never the one who recorded the mismatch).
RELEASERS = ("luxury_oms.group_oms_stock_controller", "luxury_oms.group_oms_manager")


class LuxuryOmsPieceCheck(models.Model):
    """A presented piece checked against its private marks, by a return or a repair.

    A mismatch quarantines the piece until a second person, a stock controller or a
    manager other than the one who recorded it, releases it (four eyes)."""

    _name = "luxury.oms.piece.check"
    _description = "Piece Authenticity Check"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    lot_id = fields.Many2one("stock.lot", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one(related="lot_id.product_id")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    origin = fields.Char(readonly=True, help="The return or repair that checked the piece.")
    result = fields.Selection(
        [
            ("match", "Marks match"),
            ("mismatch", "Marks do not match"),
            ("no_mark", "No mark recorded"),
        ],
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [("done", "Done"), ("quarantined", "Quarantined"), ("released", "Released")],
        required=True,
        default="done",
        readonly=True,
        tracking=True,
        index=True,
    )
    recorded_by_id = fields.Many2one(
        "res.users", required=True, readonly=True, default=lambda self: self.env.user
    )
    released_by_id = fields.Many2one("res.users", readonly=True)
    release_date = fields.Datetime(readonly=True)
    release_note = fields.Text()
    can_release = fields.Boolean(compute="_compute_can_release")

    def _compute_can_release(self):
        may_release = self._may_release()
        for check in self:
            check.can_release = (
                check.state == "quarantined"
                and release_refusal(check.recorded_by_id.id, self.env.uid, may_release) is None
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_release(self):
        """Release a quarantined piece: a second person, with the right to."""
        for check in self:
            check._check_releasable()
        self.sudo().write(
            {
                "state": "released",
                "released_by_id": self.env.uid,
                "release_date": fields.Datetime.now(),
            }
        )
        return True

    def _check_releasable(self):
        if self.state != "quarantined":
            raise UserError(self.env._("Serial %(lot)s is not quarantined.", lot=self.lot_id.name))
        refusal = release_refusal(self.recorded_by_id.id, self.env.uid, self._may_release())
        if refusal == "same_person":
            raise AccessError(
                self.env._(
                    "Four eyes: you recorded the mismatch on %(lot)s, someone else must "
                    "release it.",
                    lot=self.lot_id.name,
                )
            )
        if refusal:
            raise AccessError(
                self.env._("Only stock controllers and managers release a quarantined piece.")
            )

    def _may_release(self):
        return any(self.env.user.has_group(group) for group in RELEASERS)

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _record(self, lot, matches, origin):
        """Record the outcome of comparing a presented piece with its marks (see
        ``stock.lot._passport_check_presented``); a mismatch quarantines it."""
        if not matches:
            result = "no_mark"
        elif all(matches.values()):
            result = "match"
        else:
            result = "mismatch"
        check = self.create(
            {
                "lot_id": lot.id,
                "company_id": (lot.company_id or origin.company_id or self.env.company).id,
                "origin": origin.display_name,
                "result": result,
                "state": "quarantined" if result == "mismatch" else "done",
                "recorded_by_id": self.env.uid,
            }
        )
        return check

    def _passport_sql_fragments(self, lot):
        """Checks, quarantines and releases of ``lot`` for its passport."""
        return [
            SQL(
                """
                SELECT check_.date, 'checked', 'luxury.oms.piece.check', check_.id,
                       check_.origin, NULL, NULL, NULL, NULL, NULL, NULL, check_.result
                  FROM luxury_oms_piece_check check_ WHERE check_.lot_id = %(lot)s
                """,
                lot=lot.id,
            ),
            SQL(
                """
                SELECT check_.date, 'quarantined', 'luxury.oms.piece.check', check_.id,
                       check_.origin, NULL, recorder.name, NULL, NULL, NULL, NULL, NULL
                  FROM luxury_oms_piece_check check_
                  JOIN res_users users ON users.id = check_.recorded_by_id
                  JOIN res_partner recorder ON recorder.id = users.partner_id
                 WHERE check_.lot_id = %(lot)s AND check_.result = 'mismatch'
                """,
                lot=lot.id,
            ),
            SQL(
                """
                SELECT check_.release_date, 'released', 'luxury.oms.piece.check', check_.id,
                       check_.origin, NULL, releaser.name, NULL, NULL, NULL, NULL,
                       check_.release_note
                  FROM luxury_oms_piece_check check_
                  JOIN res_users users ON users.id = check_.released_by_id
                  JOIN res_partner releaser ON releaser.id = users.partner_id
                 WHERE check_.lot_id = %(lot)s AND check_.state = 'released'
                """,
                lot=lot.id,
            ),
        ]
