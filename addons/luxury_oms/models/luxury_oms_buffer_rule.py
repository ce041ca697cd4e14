from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class LuxuryOmsBufferRule(models.Model):
    """Safety stock withheld from sale, per product, category, site and channel.

    Rules never stack: the most specific one applies (product, then deepest category, then
    site, then channel; ties by sequence then age). See engine/availability.py.
    """

    _name = "luxury.oms.buffer.rule"
    _description = "Buffer Stock Rule"
    # Every availability read applies them: kept per worker (luxury.oms.availability
    # ._buffer_rule_index), cleared when one changes.
    _inherit = ["mail.thread", "luxury.oms.config.cache"]
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

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._oms_track_availability()
        return rules

    def write(self, vals):
        self._oms_track_availability()  # the rows it governed
        result = super().write(vals)
        self._oms_track_availability()
        return result

    def unlink(self):
        self._oms_track_availability()
        return super().unlink()

    def _oms_track_availability(self):
        """The snapshot rows in a rule's scope are recomputed: at once when they are few,
        by the cron (visibly) when the rule covers much of the catalogue. A channel's rule
        leaves the stored figures alone: they are every channel's (rules without one)."""
        Slot = self.env["luxury.oms.stock.slot"].sudo()
        for rule in self.sudo().filtered(lambda rule: not rule.channel_id):
            conditions = [SQL("slot.company_id = %s", rule.company_id.id)]
            if rule.product_id:
                conditions.append(SQL("slot.product_id = %s", rule.product_id.id))
            if rule.warehouse_id:
                conditions.append(SQL("slot.warehouse_id = %s", rule.warehouse_id.id))
            if rule.categ_id:
                conditions.append(
                    SQL(
                        """slot.categ_id IN (SELECT id FROM product_category
                                              WHERE parent_path LIKE %s)""",
                        f"{rule.categ_id.parent_path}%",
                    )
                )
            Slot._oms_track_scope(SQL(" AND ").join(conditions))
