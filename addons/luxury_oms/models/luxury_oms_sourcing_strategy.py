from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.exceptions import ValidationError

from ..engine import sourcing

# Ranks sites when no rule matches and the strategy falls back to the nearest site.
NEAREST_FALLBACK = sourcing.Rule(
    id=0, name="nearest", criteria=(sourcing.Criterion("distance", 100),)
)


class LuxuryOmsSourcingStrategy(models.Model):
    """An ordered list of sourcing rules a channel applies to its orders."""

    _name = "luxury.oms.sourcing.strategy"
    _description = "Sourcing Strategy"
    _inherit = ["mail.thread", "luxury.oms.config.cache"]
    _order = "name"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    rule_ids = fields.One2many("luxury.oms.sourcing.rule", "strategy_id", string="Rules", copy=True)
    rule_count = fields.Integer(compute="_compute_rule_count")
    fallback = fields.Selection(
        [
            ("nearest", "Nearest site with stock"),
            ("order_warehouse", "Keep the order's warehouse"),
        ],
        string="When No Rule Matches",
        required=True,
        default="nearest",
        tracking=True,
    )
    channel_ids = fields.One2many("luxury.oms.channel", "sourcing_strategy_id")
    note = fields.Html()
    explanation = fields.Text(compute="_compute_explanation", string="What This Strategy Does")

    @api.depends("rule_ids")
    def _compute_rule_count(self):
        for strategy in self:
            strategy.rule_count = len(strategy.rule_ids)

    @api.depends("fallback", "rule_ids.sequence", "rule_ids.active", "rule_ids.name", "channel_ids")
    def _compute_explanation(self):
        for strategy in self:
            strategy.explanation = strategy._explanation()

    def _explanation(self):
        """The strategy in words: who uses it, the order of its rules, the fallback."""
        self.ensure_one()
        _ = self.env._
        rules = self.rule_ids.filtered("active").sorted(lambda rule: (rule.sequence, rule.id))
        fallback = dict(self._fields["fallback"]._description_selection(self.env))
        if self.channel_ids:
            users = _(
                "Decides where the orders of %(channels)s are prepared.",
                channels=", ".join(self.channel_ids.mapped("name")),
            )
        else:
            users = _("No channel uses this strategy yet: set it on a channel.")
        steps = _(
            "For each order its rules are tried from the top and the first whose filters all "
            "match ranks the sites:"
        )
        lines = [
            _(
                "%(index)s. %(rule)s (when: %(filters)s): ranks the sites by %(ranking)s.",
                index=index,
                rule=rule.name,
                filters=rule.filter_summary,
                ranking=rule._ranking_description(),
            )
            for index, rule in enumerate(rules, start=1)
        ]
        otherwise = _(
            "When no rule matches: %(fallback)s.", fallback=fallback.get(self.fallback, "")
        )
        return "\n".join([users, steps, *lines, otherwise])

    # name is in every create, so a strategy created without rules is checked too.
    @api.constrains("name", "rule_ids", "active")
    def _check_rule_ids(self):
        for strategy in self:
            if strategy.active and not strategy.rule_ids.filtered("active"):
                raise ValidationError(
                    self.env._(
                        "Sourcing strategy %(strategy)s has no active rule: add at least one "
                        "rule.",
                        strategy=strategy.name,
                    )
                )

    def _oms_engine_rules(self, currency, date):
        """Active rules in priority order, and the fallback rule (or None)."""
        self.ensure_one()
        rules, fallback = self._oms_cached_engine_rules(currency.id, fields.Date.to_date(date))
        return list(rules), fallback

    @tools.ormcache("self.id", "currency_id", "day", "self.env.lang")
    def _oms_cached_engine_rules(self, currency_id, day):
        """Read by every sourced order: kept per worker until a rule, criterion, strategy,
        tier or currency rate changes (luxury.oms.config.cache)."""
        currency = self.env["res.currency"].browse(currency_id)
        rules = tuple(
            rule._oms_engine_rule(currency, day)
            for rule in self.rule_ids.filtered("active").sorted(lambda r: (r.sequence, r.id))
        )
        return rules, NEAREST_FALLBACK if self._oms_places_every_line() else None

    def _oms_places_every_line(self):
        """Whether sourcing places every storable line of the strategy's orders (a rule,
        else the nearest site with stock): no line keeps the order's own warehouse."""
        self.ensure_one()
        return self.fallback == "nearest"
