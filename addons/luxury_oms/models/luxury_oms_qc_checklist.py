from odoo import fields
from odoo import models


class LuxuryOmsQcChecklist(models.Model):
    """What to check on a piece of a product category before it may be packed."""

    _name = "luxury.oms.qc.checklist"
    _description = "Quality Control Checklist"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        required=True,
        index=True,
        help="Applies to the category and its children, unless a child has its own checklist.",
    )
    item_ids = fields.One2many("luxury.oms.qc.checklist.item", "checklist_id", copy=True)

    _categ_unique = models.Constraint(
        "UNIQUE (categ_id)", "A product category has a single quality control checklist."
    )

    def _oms_for_categories(self, categories):
        """Map each category id to its checklist: its own, else the nearest parent's, else
        an empty one; the key False stands for products without a category."""
        parent_ids = {int(cid) for categ in categories for cid in categ.parent_path.split("/")[:-1]}
        by_categ = {c.categ_id.id: c for c in self.search([("categ_id", "in", list(parent_ids))])}
        # A product without a category (Odoo does not require one) has no checklist.
        result = {False: self}
        for categ in categories:
            chain = [int(cid) for cid in reversed(categ.parent_path.split("/")[:-1])]
            result[categ.id] = next((by_categ[cid] for cid in chain if cid in by_categ), self)
        return result
