from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from ..engine.returns import Window
from ..engine.returns import pick_window


class LuxuryReturnWindow(models.Model):
    """How many days after delivery a return is accepted.

    A window may target a channel, a product category (and its sub-categories), both, or
    neither (the maison default). The most specific window wins; see
    ``engine.returns.pick_window``.
    """

    _name = "luxury.return.window"
    _description = "Return Window"
    _order = "channel_id, categ_id, days"

    name = fields.Char(compute="_compute_name", store=True)
    channel_id = fields.Many2one(
        "luxury.oms.channel", ondelete="cascade", help="Empty: every channel."
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        ondelete="cascade",
        help="Empty: every category. Applies to sub-categories too.",
    )
    days = fields.Integer(required=True, default=30, help="Days after delivery.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _scope_unique = models.Constraint(
        "unique NULLS NOT DISTINCT (company_id, channel_id, categ_id)",
        "A return window already exists for this channel and category.",
    )

    @api.depends("channel_id", "categ_id", "days")
    def _compute_name(self):
        for window in self:
            window.name = self.env._(
                "%(days)s days: %(channel)s / %(category)s",
                days=window.days,
                channel=window.channel_id.name or self.env._("all channels"),
                category=window.categ_id.complete_name or self.env._("all categories"),
            )

    @api.constrains("days")
    def _check_days(self):
        for window in self:
            if window.days < 0:
                raise ValidationError(
                    self.env._("The return window %(name)s cannot be negative.", name=window.name)
                )

    @api.model
    def _find_for(self, channel, product, company):
        """Return the window applying to ``product`` sold through ``channel``, or empty."""
        windows = self.search_fetch(
            [
                ("company_id", "=", company.id),
                ("channel_id", "in", [False, channel.id]),
            ],
            ["days", "channel_id", "categ_id"],
        )
        categ_path, category = [], product.categ_id
        while category:
            categ_path.append(category.id)
            category = category.parent_id
        best = pick_window(
            [
                Window(
                    window.id,
                    window.days,
                    window.channel_id.id or None,
                    window.categ_id.id or None,
                )
                for window in windows
            ],
            channel.id or None,
            categ_path,
        )
        return self.browse(best.window_id) if best else self
