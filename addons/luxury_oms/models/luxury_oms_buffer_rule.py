import sys

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..engine.availability import BufferRule
from ..engine.availability import select_buffer_rule


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
    value = fields.Float(required=True, default=0.0, digits="Product Unit", tracking=True)
    scope_description = fields.Char(compute="_compute_scope_description", string="Applies To")
    withhold_description = fields.Char(compute="_compute_withhold_description", string="Withholds")
    effect_description = fields.Text(
        compute="_compute_effect_description", string="What This Rule Does"
    )
    precedence_description = fields.Text(
        compute="_compute_precedence_description", string="Rules It Competes With"
    )

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

    @api.depends("mode", "value")
    def _compute_withhold_description(self):
        for rule in self:
            if rule.mode == "percent":
                rule.withhold_description = self.env._(
                    "%(value)s%% of on hand", value=f"{rule.value:g}"
                )
            elif rule.value == 1:
                rule.withhold_description = self.env._("1 unit")
            else:
                rule.withhold_description = self.env._("%(value)s units", value=f"{rule.value:g}")

    @api.depends("product_id", "categ_id", "warehouse_id", "channel_id", "mode", "value")
    def _compute_name(self):
        for rule in self:
            amount = f"{rule.value:g}%" if rule.mode == "percent" else f"{rule.value:g}"
            rule.name = f"{rule.scope_description}: {amount}"

    @api.depends("product_id", "categ_id", "warehouse_id", "channel_id", "mode", "value")
    def _compute_effect_description(self):
        for rule in self:
            rule.effect_description = rule._effect_sentence()

    def _is_scoped(self):
        return bool(self.product_id or self.categ_id or self.warehouse_id or self.channel_id)

    def _effect_sentence(self):
        """The rule in words: what it withholds, from what, where, from whom."""
        self.ensure_one()
        _ = self.env._
        if not self._is_scoped() and not self.value:
            return _(
                "Choose what this rule applies to (a product or a category, a site, a channel) "
                "and how much it withholds."
            )
        if self.product_id:
            what = self.product_id.display_name
        elif self.categ_id:
            what = _(
                "every product of %(category)s and its subcategories",
                category=self.categ_id.display_name,
            )
        else:
            what = _("every product")
        where = (
            _("at %(site)s", site=self.warehouse_id.name)
            if self.warehouse_id
            else _("at every site")
        )
        if self.channel_id:
            whom = _(
                "from orders of %(channel)s only; other channels and back-office orders still "
                "see these units",
                channel=self.channel_id.display_name,
            )
        else:
            whom = _("from every channel and from back-office orders")
        if self.mode == "percent":
            amount = _(
                "%(value)s%% of the stock on hand (rounded up to whole units)",
                value=f"{self.value:g}",
            )
        else:
            amount = self.withhold_description
        if not self.value:
            return _(
                "Withholds nothing from %(what)s %(where)s, %(whom)s: as the most specific "
                "rule there, it cancels the buffers of broader rules.",
                what=what,
                where=where,
                whom=whom,
            )
        return _(
            "Keeps %(amount)s of %(what)s %(where)s out of sale, %(whom)s. Clients' holds "
            "are taken from stock first; the buffer is withheld from what is left.",
            amount=amount,
            what=what,
            where=where,
            whom=whom,
        )

    @api.depends(
        "product_id", "categ_id", "warehouse_id", "channel_id", "sequence", "active", "company_id"
    )
    def _compute_precedence_description(self):
        for rule in self:
            rule.precedence_description = rule._precedence_sentence()

    def _precedence_sentence(self):
        """Which of the active rules overlapping this one's scope applies where both
        match, as the engine decides it (engine/availability.py)."""
        self.ensure_one()
        _ = self.env._
        if not self.active:
            return _("Archived: this rule applies nowhere.")
        others = self.search(
            [("company_id", "=", self.company_id.id), ("id", "!=", self._origin.id or 0)]
        ).filtered(self._overlaps)
        if not others:
            return _("No other active rule covers any of this rule's products and sites.")
        lines = []
        for other in others:
            if self._wins_over(other):
                line = _("wins over %(rule)s where both match", rule=other.display_name)
            else:
                line = _("gives way to %(rule)s where both match", rule=other.display_name)
            lines.append(f"- {line}")
        return "\n".join(lines)

    def _overlaps(self, other):
        """Whether some product at some site, for some channel, matches both rules."""
        for field_name in ("warehouse_id", "channel_id", "product_id"):
            if self[field_name] and other[field_name] and self[field_name] != other[field_name]:
                return False
        for one, two in ((self, other), (other, self)):
            if one.product_id and two.categ_id and two.categ_id.id not in one._category_chain():
                return False
        if self.categ_id and other.categ_id:
            return (
                self.categ_id.id in other._category_chain()
                or other.categ_id.id in self._category_chain()
            )
        return True

    def _category_chain(self):
        """The deepest category this rule names or implies, then its parents: leaf first."""
        category = self.product_id.categ_id or self.categ_id
        if not category:
            return ()
        return tuple(int(part) for part in reversed(category.parent_path.split("/")[:-1]))

    def _wins_over(self, other):
        """The engine's choice between the two rules for a product and a site both match."""
        chain = max((self._category_chain(), other._category_chain()), key=len)
        rules = [rule._engine_rule() for rule in (self, other)]
        winner = select_buffer_rule(
            rules,
            (self.product_id or other.product_id).id or None,
            chain,
            (self.warehouse_id or other.warehouse_id).id or None,
            (self.channel_id or other.channel_id).id or None,
        )
        return winner is rules[0]

    def _engine_rule(self):
        return BufferRule(
            self._origin.id or sys.maxsize,  # a rule being created is the newest
            self.mode,
            self.value,
            self.product_id.id or None,
            self.categ_id.id or None,
            self.warehouse_id.id or None,
            self.channel_id.id or None,
            self.sequence,
        )

    @api.constrains("product_id", "categ_id", "warehouse_id", "channel_id", "value")
    def _check_not_blank(self):
        for rule in self:
            if not rule._is_scoped() and not rule.value:
                raise ValidationError(
                    self.env._(
                        "Buffer rule: a rule for every product, site and channel that withholds "
                        "nothing does nothing. Choose what it applies to (product, category, "
                        "site or channel) or how much it withholds."
                    )
                )

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
