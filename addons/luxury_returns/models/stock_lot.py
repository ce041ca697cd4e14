import hmac

from odoo import fields
from odoo import models


class StockLot(models.Model):
    _inherit = "stock.lot"

    luxury_hidden_mark = fields.Char(
        string="Hidden Identifier",
        groups="luxury_returns.group_returns_authenticity",
        copy=False,
        help="Secret mark recorded when the piece enters the maison. Only the authenticity "
        "team can read it; it is never shown to clients or printed on documents.",
    )

    def _luxury_hidden_mark_matches(self, entered_mark):
        """Tell whether ``entered_mark`` is the hidden identifier of one of these serials.

        Runs in sudo so a returns clerk can check a mark without being able to read it:
        only the boolean leaves this method. The comparison is constant-time so timing
        does not leak how much of a guess was right.
        """
        entered = (entered_mark or "").strip().encode()
        if not entered:
            return False
        for lot in self.sudo():
            mark = (lot.luxury_hidden_mark or "").strip().encode()
            if mark and hmac.compare_digest(mark, entered):
                return True
        return False
