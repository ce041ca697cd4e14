from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools.sql import column_exists

# The returns' hidden identifier is the piece's laser engraving in the passport's marks.
HIDDEN_MARK_KIND = "engraving"


class StockLot(models.Model):
    """The returns in the piece passport, and the hidden identifier stored hashed.

    The hidden identifier typed by the authenticity team (or at reception) is the passport's
    engraving mark: stored as its HMAC hash, never in plain, read back by nobody."""

    _inherit = "stock.lot"

    luxury_hidden_mark = fields.Char(
        string="Hidden Identifier",
        compute="_compute_luxury_hidden_mark",
        inverse="_inverse_luxury_hidden_mark",
        groups="luxury_returns.group_returns_authenticity",
        help="Secret mark recorded when the piece enters the maison. Stored hashed: nobody "
        "can read it back; returns compare the mark read on a piece with it.",
    )

    @api.private
    def init(self):
        """Hash the hidden identifiers a previous version kept in plain, then drop them."""
        super().init()
        cr = self.env.cr
        if not column_exists(cr, "stock_lot", "luxury_hidden_mark"):
            return
        cr.execute(
            "SELECT id, luxury_hidden_mark FROM stock_lot WHERE luxury_hidden_mark IS NOT NULL"
        )
        Mark = self.env["luxury.oms.piece.mark"].sudo()
        for lot_id, mark in cr.fetchall():
            Mark._store(self.browse(lot_id), HIDDEN_MARK_KIND, mark)
        cr.execute("ALTER TABLE stock_lot DROP COLUMN luxury_hidden_mark")

    def _compute_luxury_hidden_mark(self):
        self.luxury_hidden_mark = False

    def _inverse_luxury_hidden_mark(self):
        for lot in self.filtered("luxury_hidden_mark"):
            lot._passport_set_mark(HIDDEN_MARK_KIND, lot.luxury_hidden_mark)
        self.invalidate_recordset(["luxury_hidden_mark"])

    def _passport_mark_keeper_groups(self):
        return (
            *super()._passport_mark_keeper_groups(),
            "luxury_returns.group_returns_authenticity",
        )

    def _luxury_hidden_mark_matches(self, entered_mark):
        """Whether ``entered_mark`` is the hidden identifier of one of these serials,
        compared with the stored hashes (constant time); only the boolean leaves."""
        Mark = self.env["luxury.oms.piece.mark"].sudo()
        return any(Mark._compare(lot, {HIDDEN_MARK_KIND: entered_mark}).get(HIDDEN_MARK_KIND)
                   for lot in self)  # fmt: skip

    def _luxury_has_hidden_mark(self):
        self.ensure_one()
        return HIDDEN_MARK_KIND in self.env["luxury.oms.piece.mark"].sudo()._kinds_of(self)

    def _luxury_check_hidden_mark(self, entered_mark, rma):
        """Check the returned piece against this serial's hidden identifier; the passport
        records it and quarantines the serial on a mismatch. Answers the check."""
        return self.sudo()._passport_check_presented({HIDDEN_MARK_KIND: entered_mark}, rma)

    # ------------------------------------------------------------------
    # Piece passport
    # ------------------------------------------------------------------

    def _passport_sql_fragments(self):
        return [
            *super()._passport_sql_fragments(),
            self._passport_sql_return_requests(),
            self._passport_sql_return_verdicts(),
        ]

    def _passport_sql_return_requests(self):
        """Returns the piece was declared or recognised on: when, where, by whom, why."""
        return SQL(
            """
            SELECT date_trunc('second', rma.create_date), 'return_requested', 'luxury.return',
                   rma.id, rma.name, wh.name, reason.name->>'en_US', client.id, client.name,
                   NULL, NULL, rma.state
              FROM luxury_return_line line
              JOIN luxury_return rma ON rma.id = line.return_id
              JOIN stock_warehouse wh ON wh.id = rma.site_id
              JOIN res_partner client ON client.id = rma.partner_id
              LEFT JOIN luxury_return_reason reason ON reason.id = rma.reason_id
             WHERE %(lot)s IN (line.lot_id, line.matched_lot_id) AND rma.state != 'cancel'
            """,
            lot=self.id,
        )

    def _passport_sql_return_verdicts(self):
        """The authenticity verdict of each returned item, when its checks concluded."""
        return SQL(
            """
            SELECT checks.last_done, 'checked', 'luxury.return.line', line.id, rma.name,
                   wh.name, NULL, NULL, NULL, NULL, NULL, line.verdict
              FROM luxury_return_line line
              JOIN luxury_return rma ON rma.id = line.return_id
              JOIN stock_warehouse wh ON wh.id = rma.site_id
              CROSS JOIN LATERAL (
                    SELECT MAX(check_.done_date) AS last_done FROM luxury_return_check check_
                     WHERE check_.line_id = line.id) AS checks
             WHERE %(lot)s IN (line.lot_id, line.matched_lot_id)
               AND line.verdict IN ('authentic', 'suspected') AND checks.last_done IS NOT NULL
            """,
            lot=self.id,
        )

    def _passport_detail_labels(self):
        labels = super()._passport_detail_labels()
        for model, field in (("luxury.return", "state"), ("luxury.return.line", "verdict")):
            labels.update(self.env[model]._fields[field]._description_selection(self.env))
        return labels
