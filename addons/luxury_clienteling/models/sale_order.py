from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from ..engine import detaxe


class SaleOrder(models.Model):
    _inherit = "sale.order"

    clienteling_detaxe_refusal = fields.Char(
        string="No Tax-free Form Because",
        compute="_compute_clienteling_detaxe",
    )
    can_print_detaxe = fields.Boolean(compute="_compute_clienteling_detaxe")

    @api.depends(
        "partner_id.country_id", "company_id", "amount_total", "amount_tax", "currency_id", "state"
    )
    def _compute_clienteling_detaxe(self):
        for order in self:
            refusal = order._clienteling_detaxe_refusal()
            order.clienteling_detaxe_refusal = refusal
            order.can_print_detaxe = order.state == "sale" and not refusal

    def action_print_detaxe(self):
        for order in self:
            if order.state != "sale":
                raise UserError(
                    self.env._("Tax-free form: confirm order %(ref)s first.", ref=order.name)
                )
            refusal = order._clienteling_detaxe_refusal()
            if refusal:
                raise UserError(
                    self.env._("Tax-free form for %(ref)s: %(why)s", ref=order.name, why=refusal)
                )
        return self.env.ref("luxury_clienteling.action_report_detaxe").report_action(self)

    def _clienteling_detaxe_refusal(self):
        """Why this order gets no tax-free form (translated), or False when it does."""
        self.ensure_one()
        company = self.company_id
        to_company = self.currency_id._convert
        date = self.date_order or fields.Date.context_today(self)
        code = detaxe.detaxe_refusal(
            self.partner_id.country_id.code,
            company.country_id.code,
            to_company(self.amount_total, company.currency_id, company, date),
            to_company(self.amount_tax, company.currency_id, company, date),
            company.clienteling_detaxe_minimum,
        )
        messages = {
            None: False,
            detaxe.NO_RESIDENCE: self.env._("the client's country of residence is missing."),
            detaxe.SAME_CUSTOMS_UNION: self.env._(
                "the client lives in %(country)s, inside the seller's customs union.",
                country=self.partner_id.country_id.name,
            ),
            detaxe.NO_TAX: self.env._("the order bears no VAT to refund."),
            detaxe.BELOW_MINIMUM: self.env._(
                "the order is below the tax-free minimum of %(minimum)s %(currency)s.",
                minimum=company.clienteling_detaxe_minimum,
                currency=company.currency_id.name,
            ),
        }
        return messages[code]
