from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from ..engine import sourcing
from .stock_warehouse import SITE_TYPES

CRITERION_TYPES = [
    ("distance", "Distance to destination"),
    ("fewest_parcels", "Fewest parcels"),
    ("site_type", "Site type preference"),
    ("stock_depth", "Stock left after the sale"),
    ("capacity", "Capacity left today"),
    ("cost", "Fulfilment cost"),
]


class LuxuryOmsSourcingCriterion(models.Model):
    """One weighted ranking criterion of a sourcing rule."""

    _name = "luxury.oms.sourcing.criterion"
    _inherit = ["luxury.oms.config.cache"]
    _description = "Sourcing Ranking Criterion"
    _order = "rule_id, sequence, id"

    rule_id = fields.Many2one(
        "luxury.oms.sourcing.rule", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    criterion_type = fields.Selection(CRITERION_TYPES, string="Criterion", required=True)
    weight = fields.Integer(
        default=50,
        required=True,
        help="Importance of this criterion, from 0 (ignored) to 100. A site's score is "
        "the weighted mean of its criterion scores.",
    )
    preferred_site_type = fields.Selection(
        SITE_TYPES, help="Sites of this type score best (site type criterion)."
    )
    second_site_type = fields.Selection(
        SITE_TYPES, string="Then", help="Sites of this type score half (site type criterion)."
    )
    needs_site_type = fields.Boolean(compute="_compute_needs_site_type")

    _weight_range = models.Constraint(
        f"CHECK (weight BETWEEN {sourcing.WEIGHT_MIN} AND {sourcing.WEIGHT_MAX})",
        "A criterion weight lies between 0 and 100.",
    )

    @api.depends("criterion_type")
    def _compute_needs_site_type(self):
        for criterion in self:
            criterion.needs_site_type = criterion.criterion_type == "site_type"

    @api.constrains("criterion_type", "weight", "preferred_site_type", "second_site_type")
    def _check_criterion(self):
        for criterion in self:
            try:
                sourcing.check_criterion(criterion._oms_engine_criterion())
            except sourcing.ConfigurationError:
                raise ValidationError(criterion._oms_error_message()) from None
        # A weight set to 0 may leave the rule with no weighted criterion.
        self.rule_id._check_rule()

    def _oms_sentence(self):
        """The criterion in words, with the site types it prefers."""
        self.ensure_one()
        labels = dict(self._fields["criterion_type"]._description_selection(self.env))
        text = labels.get(self.criterion_type, "")
        if self.criterion_type == "site_type" and self.preferred_site_type:
            types = dict(self._fields["preferred_site_type"]._description_selection(self.env))
            preferred = [types[self.preferred_site_type]]
            if self.second_site_type:
                preferred.append(types[self.second_site_type])
            text = f"{text}: {', then '.join(preferred)}"
        return text

    def unlink(self):
        rules = self.rule_id
        result = super().unlink()
        rules.exists()._check_rule()
        return result

    def _oms_error_message(self):
        self.ensure_one()
        label = dict(self._fields["criterion_type"]._description_selection(self.env))[
            self.criterion_type
        ]
        if not sourcing.WEIGHT_MIN <= self.weight <= sourcing.WEIGHT_MAX:
            return self.env._(
                "Rule %(rule)s: the weight of criterion %(criterion)s is %(weight)s; "
                "weights lie between 0 and 100.",
                rule=self.rule_id.name,
                criterion=label,
                weight=self.weight,
            )
        return self.env._(
            "Rule %(rule)s: criterion %(criterion)s needs a preferred site type.",
            rule=self.rule_id.name,
            criterion=label,
        )

    def _oms_engine_criterion(self):
        self.ensure_one()
        site_types = tuple(
            site_type
            for site_type in (self.preferred_site_type, self.second_site_type)
            if site_type and self.criterion_type == "site_type"
        )
        return sourcing.Criterion(self.criterion_type, self.weight, site_types)
