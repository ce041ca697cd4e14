from odoo import models


class LuxuryReturnCheck(models.Model):
    """The hidden identifier step through the piece passport: the mark read on the returned
    piece is compared with the serial's hashed marks, and a mismatch quarantines the serial
    until a second person releases it (four eyes)."""

    _inherit = "luxury.return.check"

    def _apply_hidden_mark(self, entered_mark):
        line = self.line_id
        lot = line.matched_lot_id or line.lot_id
        if len(lot) != 1 or not lot._luxury_has_hidden_mark():
            # No single serial with a hidden identifier to hold to account: compare with
            # every serial sold (no mark recorded fails, as before).
            super()._apply_hidden_mark(entered_mark)
            return
        check = lot._luxury_check_hidden_mark(entered_mark, self.return_id)
        self._record("pass" if check.result == "match" else "fail")
