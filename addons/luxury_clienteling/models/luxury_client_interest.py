from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL


class LuxuryClientInterest(models.Model):
    """A product the client showed interest in (tried on, asked about, wished for)."""

    _name = "luxury.client.interest"
    _description = "Client Product of Interest"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, ondelete="cascade"
    )
    product_id = fields.Many2one("product.product", string="Product", required=True)
    date = fields.Date(default=fields.Date.context_today)
    user_id = fields.Many2one("res.users", string="Advisor", default=lambda self: self.env.user)
    note = fields.Char()
    is_purchased = fields.Boolean(
        string="Bought",
        compute="_compute_is_purchased",
        search="_search_is_purchased",
        help="The client has bought this product since, online or in a boutique.",
    )

    _product_unique = models.Constraint(
        "unique (partner_id, product_id)", "This product is already on the client's list."
    )

    @api.depends("partner_id", "product_id")
    def _compute_is_purchased(self):
        bought = self._bought_pairs(self.partner_id.commercial_partner_id.ids)
        for interest in self:
            key = (interest.partner_id.commercial_partner_id.id, interest.product_id.id)
            interest.is_purchased = key in bought

    def _search_is_purchased(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        lines = self.env["luxury.client.purchase.line"]
        self.env.flush_all()  # raw SQL below reads orders and interests
        purchased_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """SELECT interest.id
                         FROM luxury_client_interest interest
                         JOIN res_partner partner ON partner.id = interest.partner_id
                        WHERE EXISTS (SELECT 1 FROM (%s) line
                                       WHERE line.partner_id = partner.commercial_partner_id
                                         AND line.product_id = interest.product_id)""",
                    lines._table_query,
                )
            )
        ]
        wants_bought = True in value
        return [("id", "in" if wants_bought == (operator == "in") else "not in", purchased_ids)]

    @api.model
    def _bought_pairs(self, partner_ids):
        """(commercial partner id, product id) of every product those clients bought, in any
        company, as ``_search_is_purchased`` finds them: a wish is fulfilled once."""
        lines = self.env["luxury.client.purchase.line"].sudo()
        return {
            (partner.id, product.id)
            for partner, product in lines._read_group(
                [("partner_id", "in", partner_ids)], ["partner_id", "product_id"]
            )
        }
