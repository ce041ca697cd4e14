from odoo import fields
from odoo import models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    luxury_hidden_mark = fields.Char(
        string="Hidden Identifier",
        groups="luxury_returns.group_returns_authenticity",
        copy=False,
        help="Secret mark found on the piece when it enters the maison; recorded on its "
        "serial when the receipt is validated, then cleared from this line.",
    )

    def _action_done(self):
        """Record the hidden identifiers typed at reception on the serials they belong to.

        The mark moves to ``stock.lot`` (where only the authenticity team reads it) and is
        cleared from the operation so it lives in one place only.
        """
        marks = {
            line.id: line.luxury_hidden_mark for line in self.sudo() if line.luxury_hidden_mark
        }
        res = super()._action_done()
        for line in self.sudo().browse(list(marks)).exists().filtered("lot_id"):
            line.lot_id.luxury_hidden_mark = marks[line.id]
            line.luxury_hidden_mark = False
        return res
