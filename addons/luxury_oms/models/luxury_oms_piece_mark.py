import hmac as hmac_lib

from odoo import fields
from odoo import models
from odoo.tools.misc import hmac

from ..engine.passport import mark_hint
from ..engine.passport import normalize_mark

MARK_KINDS = [("engraving", "Laser engraving"), ("tag", "RFID/NFC tag")]
# Scope of the marks' HMAC with the database secret: a mark's hash is worth nothing in
# another database, nor as any other signature of this one.
MARK_SCOPE = "luxury_oms.piece_mark"


class LuxuryOmsPieceMark(models.Model):
    """A private authenticity mark of a serial, stored as its salted hash (HMAC-SHA256 with
    the database secret) and a masked hint; the plain value is never stored.

    No group has any access to this model: the passport reads and writes it in sudo and
    only a hint or a match/mismatch leaves it."""

    _name = "luxury.oms.piece.mark"
    _description = "Private Authenticity Mark"

    lot_id = fields.Many2one("stock.lot", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="lot_id.company_id", store=True)
    kind = fields.Selection(MARK_KINDS, required=True)
    digest = fields.Char(required=True, copy=False)
    hint = fields.Char(required=True, copy=False)

    _lot_kind_unique = models.Constraint(
        "UNIQUE (lot_id, kind)", "A piece has one mark of each kind."
    )

    def _digest(self, lot, value):
        return hmac(self.env(su=True), MARK_SCOPE, (lot.id, normalize_mark(value)))

    def _store(self, lot, kind, value):
        vals = {"digest": self._digest(lot, value), "hint": mark_hint(value)}
        mark = self.search([("lot_id", "=", lot.id), ("kind", "=", kind)])
        if mark:
            mark.write(vals)
            return mark
        return self.create({"lot_id": lot.id, "kind": kind, **vals})

    def _compare(self, lot, presented):
        """``{kind: matches}`` for each recorded mark of ``lot`` read on the presented piece
        (``presented``: ``{kind: value read}``). Constant-time comparisons."""
        results = {}
        for mark in self.search([("lot_id", "=", lot.id)]):
            read = normalize_mark(presented.get(mark.kind))
            if read:
                results[mark.kind] = hmac_lib.compare_digest(mark.digest, self._digest(lot, read))
        return results

    def _kinds_of(self, lot):
        return self.search([("lot_id", "=", lot.id)]).mapped("kind")
