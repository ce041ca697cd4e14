from odoo import api
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
    scope_description = fields.Text(compute="_compute_scope_description", string="What It Does")

    _categ_unique = models.Constraint(
        "UNIQUE (categ_id)", "A product category has a single quality control checklist."
    )

    @api.depends("categ_id", "item_ids")
    def _compute_scope_description(self):
        for checklist in self:
            checklist.scope_description = checklist._scope_sentence()

    def _scope_sentence(self):
        """Which pieces the checklist applies to, and the subcategories that have their own."""
        self.ensure_one()
        _ = self.env._
        if not self.categ_id:
            return _("Choose the product category whose pieces this checklist controls.")
        count = len(self.item_ids)
        points = _("1 point") if count == 1 else _("%(count)s points", count=count)
        text = _(
            "Before it is packed, every piece of %(category)s and its subcategories is checked "
            "on these %(points)s at the quality control step. A failed check moves the piece "
            "to the site's quality control location, alerts the floor manager and asks for "
            "another piece.",
            category=self.categ_id.display_name,
            points=points,
        )
        own = self.search(
            [("categ_id", "child_of", self.categ_id.id), ("id", "!=", self._origin.id or 0)]
        )
        if own:
            text += " " + _(
                "Except in %(categories)s, which have their own checklist.",
                categories=", ".join(own.categ_id.mapped("display_name")),
            )
        return text

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
