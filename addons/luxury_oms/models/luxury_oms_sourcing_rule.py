from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.exceptions import ValidationError

from ..engine import sourcing


class LuxuryOmsSourcingRule(models.Model):
    """IF the order matches these filters THEN rank the sites with these criteria."""

    _name = "luxury.oms.sourcing.rule"
    _inherit = ["luxury.oms.config.cache"]
    _description = "Sourcing Rule"
    _order = "strategy_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    strategy_id = fields.Many2one(
        "luxury.oms.sourcing.strategy", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(
        default=10,
        help="Rules are tried in this order; the first "
        "whose filters all match the order ranks the sites.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(related="strategy_id.company_id", store=True)
    # Filters: an empty filter matches every order.
    channel_ids = fields.Many2many("luxury.oms.channel", string="Channels")
    country_ids = fields.Many2many("res.country", string="Destination Countries")
    country_group_ids = fields.Many2many(
        "res.country.group",
        string="Destination Regions",
        help="The rule matches a destination in one of the countries or in one of these "
        "regions.",
    )
    min_tier_id = fields.Many2one(
        "luxury.oms.tier",
        string="Client Tier at Least",
        help="Clients of this tier or of a higher-ranked one.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Currency of the order value bounds; orders in another currency are converted.",
    )
    min_amount = fields.Monetary(string="Order Value From", currency_field="currency_id")
    max_amount = fields.Monetary(
        string="Order Value Up To", currency_field="currency_id", help="0 means no upper bound."
    )
    categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="The rule matches when at least one line's product is in one of these "
        "categories or below them.",
    )
    # Ranking
    criterion_ids = fields.One2many(
        "luxury.oms.sourcing.criterion", "rule_id", string="Ranking Criteria", copy=True
    )
    filter_summary = fields.Char(compute="_compute_filter_summary", string="When")
    criteria_summary = fields.Char(compute="_compute_criteria_summary", string="Rank By")
    explanation = fields.Text(compute="_compute_explanation", string="What This Rule Does")

    @api.depends("strategy_id.company_id")
    def _compute_currency_id(self):
        """Amounts are in the rule's company's currency unless chosen otherwise: data
        loaded by another company's user (an import, the demo) gets the right one."""
        for rule in self:
            company = rule.strategy_id.company_id
            rule.currency_id = company.currency_id or self.env.company.currency_id

    @api.depends(
        "channel_ids",
        "country_ids",
        "country_group_ids",
        "min_tier_id",
        "min_amount",
        "max_amount",
        "categ_ids",
    )
    def _compute_filter_summary(self):
        for rule in self:
            destinations = rule.country_ids.mapped("name") + rule.country_group_ids.mapped("name")
            parts = [", ".join(names) for names in (rule.channel_ids.mapped("name"), destinations)]
            parts = [part for part in parts if part]
            if rule.min_tier_id:
                parts.append(self.env._("%(tier)s or above", tier=rule.min_tier_id.name))
            if rule.min_amount or rule.max_amount:
                parts.append(rule._amount_range_description())
            if rule.categ_ids:
                parts.append(", ".join(rule.categ_ids.mapped("name")))
            rule.filter_summary = " · ".join(parts) or self.env._("Every order")

    def _amount_range_description(self):
        """The order value bounds, as amounts in their currency."""
        self.ensure_one()
        low = tools.format_amount(self.env, self.min_amount, self.currency_id)
        if not self.max_amount:
            return self.env._("value from %(low)s", low=low)
        high = tools.format_amount(self.env, self.max_amount, self.currency_id)
        return self.env._("value %(low)s to %(high)s", low=low, high=high)

    @api.depends(
        "filter_summary",
        "criterion_ids.criterion_type",
        "criterion_ids.weight",
        "criterion_ids.preferred_site_type",
        "criterion_ids.second_site_type",
    )
    def _compute_explanation(self):
        for rule in self:
            rule.explanation = rule._explanation()

    def _explanation(self):
        """The rule in words: which orders it takes, how it ranks their sites."""
        self.ensure_one()
        return self.env._(
            "Orders matching %(filters)s: every site with stock is scored from 0 to 100 on "
            "%(ranking)s; the best score prepares the line. A site that has every line "
            "always beats splitting the order into several parcels.",
            filters=self.filter_summary or self.env._("Every order"),
            ranking=self._ranking_description(),
        )

    def _ranking_description(self):
        """The criteria with their share of a site's score, e.g. "distance (60%)"."""
        self.ensure_one()
        total = sum(self.criterion_ids.mapped("weight"))
        ranking = [
            self.env._(
                "%(criterion)s (%(share)s%%)",
                criterion=criterion._oms_sentence(),
                share=round(100 * criterion.weight / total),
            )
            for criterion in self.criterion_ids
            if criterion.weight and total
        ]
        return ", ".join(ranking) or self.env._("nothing yet: add a criterion")

    @api.depends("criterion_ids.criterion_type", "criterion_ids.weight")
    def _compute_criteria_summary(self):
        labels = dict(
            self.env["luxury.oms.sourcing.criterion"]
            ._fields["criterion_type"]
            ._description_selection(self.env)
        )
        for rule in self:
            rule.criteria_summary = " · ".join(
                f"{labels[c.criterion_type]} {c.weight}" for c in rule.criterion_ids
            )

    # strategy_id is in every create, so a rule created without criteria is checked too.
    @api.constrains("strategy_id", "criterion_ids", "min_amount", "max_amount")
    def _check_rule(self):
        for rule in self:
            if not rule.criterion_ids:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s has no ranking criterion: add at least one "
                        "(e.g. distance).",
                        rule=rule.name,
                    )
                )
            if not any(rule.criterion_ids.mapped("weight")):
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: every criterion has weight 0; give at least one a "
                        "weight above 0.",
                        rule=rule.name,
                    )
                )
            if rule.min_amount < 0 or rule.max_amount < 0:
                raise ValidationError(
                    self.env._("Rule %(rule)s: order values cannot be negative.", rule=rule.name)
                )
            if rule.max_amount and rule.min_amount > rule.max_amount:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the order value from (%(low)s) is above the order "
                        "value up to (%(high)s).",
                        rule=rule.name,
                        low=rule.min_amount,
                        high=rule.max_amount,
                    )
                )

    def unlink(self):
        strategies = self.strategy_id
        result = super().unlink()
        strategies.exists()._check_rule_ids()
        return result

    def _oms_engine_rule(self, currency, date):
        """The rule as engine data, order value bounds converted to ``currency``."""
        self.ensure_one()

        def convert(amount):
            return self.currency_id._convert(amount, currency, self.company_id, date)

        return sourcing.Rule(
            id=self.id,
            name=self.name,
            criteria=tuple(c._oms_engine_criterion() for c in self.criterion_ids),
            channel_ids=frozenset(self.channel_ids.ids),
            country_ids=frozenset(self.country_ids.ids),
            region_ids=frozenset(self.country_group_ids.ids),
            min_tier_rank=self.min_tier_id.rank if self.min_tier_id else None,
            min_amount=convert(self.min_amount) if self.min_amount else None,
            max_amount=convert(self.max_amount) if self.max_amount else None,
            categ_ids=frozenset(self.categ_ids.ids),
        )
