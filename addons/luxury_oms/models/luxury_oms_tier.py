from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.exceptions import ValidationError


class LuxuryOmsTier(models.Model):
    """A client tier (e.g. Client, Gold, Platinum, Icon).

    The rank orders tiers: OMS rules compare ranks ("tier Gold or above"), so a
    maison can rename or add tiers without touching its sourcing, hold or fraud
    rules.
    """

    _name = "luxury.oms.tier"
    _inherit = ["luxury.oms.config.cache"]
    _description = "Client Tier"
    _order = "rank desc, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable identifier used by the channel API.")
    rank = fields.Integer(
        required=True,
        default=0,
        help="Higher ranks are more valued clients. Rules such as 'tier Gold or above' "
        "compare ranks.",
    )
    color = fields.Integer()
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    partner_count = fields.Integer(string="Clients", compute="_compute_partner_count")
    rank_description = fields.Text(compute="_compute_rank_description", string="What The Rank Does")

    _code_unique = models.Constraint("unique (code)", "A tier with this code already exists.")
    _rank_unique = models.Constraint(
        "unique (rank)",
        "Two tiers cannot share a rank: rules compare ranks to order tiers.",
    )

    @api.model
    def _oms_rank_of(self, tier_id):
        """The rank of tier ``tier_id``, None without one: every sourced order and every
        availability read for a client asks, so the ranks are kept per worker (tiers are
        configuration: any change clears them)."""
        return self._oms_ranks().get(tier_id) if tier_id else None

    @tools.ormcache()
    def _oms_ranks(self):
        tiers = self.sudo().with_context(active_test=False).search_fetch([], ["rank"])
        return {tier.id: tier.rank for tier in tiers}

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("oms_tier_id", "in", self.ids)], ["oms_tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    @api.depends("rank", "name")
    def _compute_rank_description(self):
        tiers = self.search([])
        for tier in self:
            above = (tiers - tier._origin).filtered(lambda other, tier=tier: other.rank > tier.rank)
            if not above:
                tier.rank_description = self.env._(
                    'The highest tier: a rule for "%(tier)s or above" takes its clients ' "only.",
                    tier=tier.name or self.env._("this tier"),
                )
                continue
            tier.rank_description = self.env._(
                'A rule for "%(tier)s or above" (holds, sourcing, fraud, floor alerts) '
                "also takes the clients of %(above)s, ranked higher.",
                tier=tier.name or self.env._("this tier"),
                above=", ".join(above.sorted("rank").mapped("name")),
            )

    @api.constrains("rank")
    def _check_rank(self):
        for tier in self:
            if tier.rank < 0:
                raise ValidationError(
                    self.env._("The rank of tier %(tier)s cannot be negative.", tier=tier.name)
                )

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("%(tier)s clients", tier=self.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("oms_tier_id", "=", self.id)],
            "context": {"default_oms_tier_id": self.id},
        }
