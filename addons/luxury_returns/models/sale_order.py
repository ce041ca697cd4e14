from odoo import api
from odoo import fields
from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # Returns staff only, as on pos.order: a salesperson reads orders without reading returns.
    luxury_return_ids = fields.One2many(
        "luxury.return",
        "sale_order_id",
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
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.luxury_return_count = counts.get(order, 0)

    def action_luxury_create_return(self):
        """Open a new back-office return for this order, prefilled."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Return"),
            "res_model": "luxury.return",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_sale_order_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        }

    def action_view_luxury_returns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "luxury_returns.luxury_return_action"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {
            "default_sale_order_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def _luxury_returnable_lines(self):
        return self.order_line.filtered(lambda line: line.product_id.is_storable)

    def _luxury_sold_channel(self):
        return self.oms_channel_id

    def _luxury_return_site(self):
        return self.warehouse_id

    def _luxury_exchange_order_vals(self):
        return {
            "partner_id": self.partner_id.id,
            "partner_shipping_id": self.partner_shipping_id.id,
            "pricelist_id": self.pricelist_id.id,
            "oms_channel_id": self.oms_channel_id.id,
            "company_id": self.company_id.id,
        }

    def _luxury_credit_note_vals(self, sold_lines):
        """Header of the credit note of returned ``sold_lines``: it reverses their invoice."""
        invoice = sold_lines._luxury_posted_invoice_lines().move_id[:1]
        return invoice._luxury_credit_note_vals(self.name)
