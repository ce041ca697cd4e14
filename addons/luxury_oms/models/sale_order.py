from odoo import fields
from odoo import models

from .luxury_oms_carrier_rule import SERVICE_LEVELS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    oms_channel_id = fields.Many2one(
        "luxury.oms.channel",
        string="Channel",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="Where the order came from; its sites and rules apply to the order.",
    )
    oms_client_tier_id = fields.Many2one(related="partner_id.oms_tier_id", string="Client Tier")
    oms_service_level = fields.Selection(
        SERVICE_LEVELS,
        string="Service Level",
        default="standard",
        help="The delivery service the client chose; carrier rules use it.",
    )

    def action_confirm(self):
        """Take the stock atomically before anything is written or picked from it."""
        self._oms_take_stock()
        result = super().action_confirm()
        self.order_line._oms_refresh_availability()
        return result

    def _oms_take_stock(self):
        """Refuse the confirmation, with every short line named, unless all lines are
        available to sell at their site for this client and channel (the oversell invariant).
        """
        Availability = self.env["luxury.oms.availability"]
        for order in self:
            demands = order.order_line._oms_stock_demands()
            if demands:
                Availability._take(
                    demands, channel=order.oms_channel_id or None, partner=order.partner_id
                )

    def _action_confirm(self):
        result = super()._action_confirm()
        template = self.env.ref("luxury_oms.mail_template_oms_order_confirmed")
        for order in self.filtered("oms_channel_id"):
            order.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        return result

    def _oms_invoice_handover(self):
        """Create and post the invoice of what was just handed over. Any failure raises, so
        that the handover rolls back with it."""
        self.ensure_one()
        if self.invoice_status != "to invoice":
            return self.env["account.move"]
        invoice = self._create_invoices()
        invoice.action_post()
        return invoice

    def _oms_request_resourcing(self, order_lines, site):
        """A piece reserved at ``site`` cannot ship (e.g. failed quality control): tell
        customer service on the order so that the lines are sourced again elsewhere."""
        self.ensure_one()
        products = ", ".join(order_lines.product_id.mapped("display_name"))
        self.message_post(
            body=self.env._(
                "%(products)s from %(site)s cannot ship and must be sourced again.",
                products=products,
                site=site.name,
            )
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Re-source %(products)s", products=products),
            note=self.env._(
                "The piece reserved at %(site)s failed quality control.", site=site.name
            ),
            user_id=(self.user_id or self.env.user).id,
        )
