from odoo import api
from odoo import fields
from odoo import models


class PosOrder(models.Model):
    """A boutique sale as the source document of returns, like ``sale.order``."""

    _inherit = "pos.order"

    luxury_return_ids = fields.One2many(
        "luxury.return",
        "pos_order_id",
        string="Returns",
        groups="luxury_returns.group_returns_user",
    )
    luxury_return_count = fields.Integer(
        compute="_compute_luxury_return_count", groups="luxury_returns.group_returns_user"
    )

    @api.depends("luxury_return_ids")
    def _compute_luxury_return_count(self):
        counts = dict(
            self.env["luxury.return"]._read_group(
                [("pos_order_id", "in", self.ids)], ["pos_order_id"], ["__count"]
            )
        )
        for order in self:
            order.luxury_return_count = counts.get(order, 0)

    def action_view_luxury_returns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "luxury_returns.luxury_return_action"
        )
        action["domain"] = [("pos_order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _luxury_returnable_lines(self):
        return self.lines.filtered(lambda line: line.product_id.is_storable and line.qty > 0)

    def _luxury_sold_channel(self):
        return self.config_id.oms_channel_id

    def _luxury_return_site(self):
        return self.config_id.picking_type_id.warehouse_id

    def _luxury_exchange_order_vals(self):
        return {
            "partner_id": self.partner_id.id,
            "pricelist_id": self.pricelist_id.id,
            "oms_channel_id": self._luxury_sold_channel().id,
            "company_id": self.company_id.id,
        }

    def _luxury_credit_note_vals(self, sold_lines):
        """A boutique sale is credited in its own currency; it reverses the order's invoice
        when the client asked for one at the till."""
        if self.account_move.state == "posted":
            return self.account_move._luxury_credit_note_vals(self.name)
        journal = self.config_id.invoice_journal_id or self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.company_id),
             ("type", "=", "sale")],
            limit=1,
        )  # fmt: skip
        return {
            "partner_id": self.partner_id.id,
            "currency_id": self.currency_id.id,
            "journal_id": journal.id,
            "fiscal_position_id": self.fiscal_position_id.id,
            "invoice_origin": self.name,
        }
