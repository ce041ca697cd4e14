from odoo import api
from odoo import fields
from odoo import models

CHECK_TYPES = [
    ("serial", "Serial number matches the one sold"),
    ("hidden_mark", "Hidden identifier"),
    ("packaging", "Packaging"),
    ("accessories", "Accessories"),
    ("photos", "Photos taken"),
    ("other", "Other"),
]


class LuxuryReturnCheckTemplate(models.Model):
    """The authenticity checklist staff follow when receiving a returned item.

    One template per family of products (leather goods, watches...); a template without
    category is the fallback for products no other template covers.
    """

    _name = "luxury.return.check.template"
    _description = "Authenticity Checklist"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Applies to these categories and their sub-categories. Empty: fallback "
        "checklist for every other product.",
    )
    item_ids = fields.One2many(
        "luxury.return.check.template.item", "template_id", string="Steps", copy=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.model
    def _find_for(self, product, company):
        """Return the checklist for ``product``: its nearest category's, else the fallback."""
        templates = self.search([("company_id", "=", company.id)])
        category = product.categ_id
        while category:
            template = templates.filtered(lambda t, c=category: c in t.categ_ids)[:1]
            if template:
                return template
            category = category.parent_id
        return templates.filtered(lambda t: not t.categ_ids)[:1]
