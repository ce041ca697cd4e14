from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _luxury_credit_note_vals(self, origin):
        """Header of a credit note reversing this customer invoice, for the order named
        ``origin``: same client, currency, journal and fiscal position."""
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "currency_id": self.currency_id.id,
            "journal_id": self.journal_id.id,
            "fiscal_position_id": self.fiscal_position_id.id,
            "invoice_origin": origin,
            "reversed_entry_id": self.id,
        }
