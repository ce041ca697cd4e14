from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class LuxuryOmsBufferRule(models.Model):
    """Safety stock withheld from sale, per product, category, site and channel.

    Rules never stack: the most specific one applies (product, then deepest category, then
    site, then channel; ties by sequence then age). See engine/availability.py.
    """

    _name = "luxury.oms.buffer.rule"
    _description = "Buffer Stock Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name", store=True, readonly=False, required=True, precompute=True
    )
    sequence = fields.Integer(default=10, help="Breaks ties between equally specific rules.")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    product_id = fields.Many2one(
        "product.product",
        domain="[('is_storable', '=', True)]",
        index="btree_not_null",
        tracking=True,
        ondelete="cascade",
    )
    categ_id = fields.Many2one(
        "product.category", string="Product Category", tracking=True, ondelete="cascade"
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Site", tracking=True, ondelete="cascade", check_company=True
    )
    channel_id = fields.Many2one(
        "luxury.oms.channel",
        tracking=True,
        ondelete="cascade",
        check_company=True,
        help="Withhold only from this channel; empty withholds from every channel.",
    )
    mode = fields.Selection(
        [("quantity", "Units"), ("percent", "Percentage of on hand")],
        required=True,
        default="quantity",
        tracking=True,
    )
    value = fields.Float(required=True, digits="Product Unit", tracking=True)
    scope_description = fields.Char(compute="_compute_scope_description", string="Applies To")

    _value_not_negative = models.Constraint("CHECK (value >= 0)", "A buffer cannot be negative.")
    _percent_range = models.Constraint(
        "CHECK (mode != 'percent' OR value <= 100)",
        "A percentage buffer lies between 0 and 100.",
    )

    @api.depends("product_id", "categ_id", "warehouse_id", "channel_id")
    def _compute_scope_description(self):
        for rule in self:
            scope = [
                record.display_name
                for record in (rule.product_id, rule.categ_id, rule.warehouse_id, rule.channel_id)
                if record
            ]
            rule.scope_description = " / ".join(scope) or self.env._("Everything")

    @api.depends("product_id", "categ_id", "warehouse_id", "channel_id", "mode", "value")
    def _compute_name(self):
        for rule in self:
            amount = f"{rule.value:g}%" if rule.mode == "percent" else f"{rule.value:g}"
            rule.name = f"{rule.scope_description}: {amount}"

    @api.constrains("product_id", "categ_id")
    def _check_product_or_category(self):
        for rule in self:
            if rule.product_id and rule.categ_id:
                raise ValidationError(
                    self.env._(
                        "Buffer rule %(rule)s: choose a product or a category, not both: the "
                        "product already fixes the category.",
                        rule=rule.name,
                    )
                )
