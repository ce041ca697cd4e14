from odoo import Command
from odoo import models


class LuxuryReturn(models.Model):
    """What the client gets back for an authentic piece: a credit note, and for an exchange
    a quotation of the replacement."""

    _inherit = "luxury.return"

    def action_view_credit_note(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "form",
            "res_id": self.credit_note_id.id,
        }

    def action_view_exchange_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "view_mode": "form",
            "res_id": self.exchange_order_id.id,
        }

    def _create_credit_note(self):
        """Credit the returned lines as the client paid them, in the order's currency.

        One path for every source: the order gives the credit note's header (reversing its
        posted invoice when it has one), each sold line its credited line, through the
        "sold line" adapter of ``sale.order.line`` and ``pos.order.line``.

        Runs in sudo: a returns clerk refunds a return the checks found authentic without
        holding invoicing rights; the guards of ``action_refund`` already ran, and the
        clerk is recorded as the credit note's salesperson.
        """
        lines = self.line_ids.sudo()
        sold_lines = lines.mapped(lambda line: line._sold_line())
        credit_note = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    **self._source_order().sudo()._luxury_credit_note_vals(sold_lines),
                    "invoice_user_id": self.env.uid,
                    "move_type": "out_refund",
                    "ref": self.env._("Return %(name)s", name=self.name),
                    "invoice_line_ids": [
                        Command.create(line._sold_line()._luxury_credit_note_line_vals(line.qty))
                        for line in lines
                    ],
                }
            )
        )
        credit_note.action_post()
        return credit_note.sudo(False)

    def _create_exchange_order(self):
        """Open a quotation for the replacement piece, in the same currency and channel.

        Left as a quotation: confirming it takes stock through the OMS like any order.
        """
        return self.env["sale.order"].create(
            {
                **self._source_order()._luxury_exchange_order_vals(),
                "origin": self.name,
                "order_line": [
                    Command.create(
                        {"product_id": self.exchange_product_id.id, "product_uom_qty": 1}
                    )
                ],
            }
        )
