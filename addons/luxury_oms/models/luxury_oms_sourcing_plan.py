import pytz
from babel import dates as babel_dates

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools.misc import babel_locale_parse
from odoo.tools.misc import get_lang

from ..engine import sourcing

# The sourcing criteria a candidate site is scored on (luxury.oms.sourcing.plan.candidate).
SCORE_KINDS = ("distance", "fewest_parcels", "site_type", "stock_depth", "capacity", "cost")


class LuxuryOmsSourcingPlan(models.Model):
    """Where each line of an order is prepared, and why: kept for customer service.

    Re-sourcing adds a newer plan for what is left; older plans stay as history.
    """

    _name = "luxury.oms.sourcing.plan"
    _description = "Sourcing Plan"
    _order = "order_id, id desc"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, precompute=True)
    strategy_id = fields.Many2one("luxury.oms.sourcing.strategy", ondelete="set null")
    rule_id = fields.Many2one(
        "luxury.oms.sourcing.rule",
        string="Matched Rule",
        ondelete="set null",
        help="Empty when no rule matched and the strategy's fallback ranked the sites.",
    )
    is_current = fields.Boolean(
        string="Current",
        compute="_compute_is_current",
        search="_search_is_current",
        help="Unset when a newer plan replaces this one.",
    )
    consolidation_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Consolidation Site",
        help="The other sites transfer their part here; one parcel leaves from this site.",
    )
    excluded_warehouse_ids = fields.Many2many(
        "stock.warehouse",
        "luxury_oms_sourcing_plan_excluded_rel",
        "plan_id",
        "warehouse_id",
        string="Excluded Sites",
        help="Sites that could not fulfil the order (e.g. a failed quality check).",
    )
    is_split = fields.Boolean(string="Several Sites")
    is_short = fields.Boolean(string="Short", help="Some quantity found no site with stock.")
    explanation = fields.Text(
        string="Why",
        compute="_compute_explanation",
        help="The plan in sentences, in the reader's language: the rule that matched, the "
        "best scores, why one site or several, where the parcel is consolidated.",
    )
    reasons = fields.Char(
        string="Reason Codes",
        readonly=True,
        help="The sourcing engine's reasons, from which the explanation is written.",
    )
    line_ids = fields.One2many("luxury.oms.sourcing.plan.line", "plan_id", string="Allocations")
    candidate_ids = fields.One2many(
        "luxury.oms.sourcing.plan.candidate", "plan_id", string="Candidate Sites"
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse", compute="_compute_warehouse_ids", string="Sites"
    )
    # Which criteria scored anything: the candidate table shows only those columns.
    has_score_distance = fields.Boolean(compute="_compute_has_scores")
    has_score_fewest_parcels = fields.Boolean(compute="_compute_has_scores")
    has_score_site_type = fields.Boolean(compute="_compute_has_scores")
    has_score_stock_depth = fields.Boolean(compute="_compute_has_scores")
    has_score_capacity = fields.Boolean(compute="_compute_has_scores")
    has_score_cost = fields.Boolean(compute="_compute_has_scores")

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        # An order's newest plan is its current one; the older ones stay as history.
        for plan in plans:
            plan.order_id.sudo().oms_sourcing_plan_id = plan
        return plans

    @api.depends("order_id.oms_sourcing_plan_id")
    def _compute_is_current(self):
        for plan in self:
            plan.is_current = plan.order_id.oms_sourcing_plan_id == plan

    def _search_is_current(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        # Whoever searches plans may search them all by their orders' pointer.
        current = (
            self.env["sale.order"]
            .sudo()
            ._search([("oms_sourcing_plan_id", "!=", False)])
            .subselect("oms_sourcing_plan_id")
        )
        wants_current = True in value
        return [("id", "in" if wants_current == (operator == "in") else "not in", current)]

    @api.depends("line_ids.warehouse_id")
    def _compute_warehouse_ids(self):
        for plan in self:
            plan.warehouse_ids = plan.line_ids.warehouse_id

    @api.depends(*(f"candidate_ids.score_{kind}" for kind in SCORE_KINDS))
    def _compute_has_scores(self):
        for plan in self:
            for kind in SCORE_KINDS:
                plan[f"has_score_{kind}"] = any(plan.candidate_ids.mapped(f"score_{kind}"))

    @api.depends("order_id.name", "create_date")
    @api.depends_context("tz", "lang")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = self.env._(
                "Plan of %(order)s, %(date)s",
                order=plan.order_id.name,
                date=plan._oms_short_datetime(plan.create_date),
            )

    @api.depends(
        "reasons",
        "rule_id.name",
        "candidate_ids.total_score",
        "line_ids.warehouse_id",
        "consolidation_warehouse_id",
        "order_id.oms_pickup_warehouse_id",
    )
    @api.depends_context("lang")
    def _compute_explanation(self):
        for plan in self:
            plan.explanation = plan._oms_explain()

    def _oms_explain(self):
        """The plan in sentences, for customer service ("why Milan?")."""
        self.ensure_one()
        reasons = (self.reasons or "").split()
        candidates = self.candidate_ids.sorted("rank")[:3]
        site_ids = sorted(
            {
                line.warehouse_id.id
                for line in self.line_ids
                if line.warehouse_id and not line.is_short
            }
        )
        name = {site.id: site.name for site in self.env["stock.warehouse"].browse(site_ids)}
        sentences = [
            self.env._("Rule “%(rule)s” matched the order.", rule=self.rule_id.name)
            if self.rule_id
            else self.env._("No rule matched: the nearest sites with stock were preferred.")
        ]
        if candidates:
            sentences.append(
                self.env._(
                    "Best scores (out of 100): %(scores)s.",
                    scores=", ".join(
                        f"{c.warehouse_id.name} {c.total_score:.0f}" for c in candidates
                    ),
                )
            )
        if sourcing.REASON_SINGLE_SITE in reasons and site_ids:
            sentences.append(
                self.env._(
                    "%(site)s has every line in stock and scores best of the sites that do: "
                    "one parcel, no split.",
                    site=name[site_ids[0]],
                )
            )
        elif sourcing.REASON_SPLIT in reasons and site_ids:
            sentences.append(
                self.env._(
                    "No single site has every line in stock: %(sites)s share the order.",
                    sites=", ".join(name[site_id] for site_id in site_ids),
                )
            )
        if sourcing.REASON_CONSOLIDATION in reasons:
            sentence = (
                self.env._(
                    "The client collects the order at %(hub)s: the other sites transfer "
                    "their items there."
                )
                if self.order_id.oms_pickup_warehouse_id
                else self.env._(
                    "One parcel is wanted: the other sites transfer their items to %(hub)s, "
                    "which ships the parcel."
                )
            )
            sentences.append(sentence % {"hub": self.consolidation_warehouse_id.name})
        if sourcing.REASON_BEST_HUB_FULL in reasons:
            sentences.append(self.env._("The DC best placed for it had no parcels left today."))
        if sourcing.REASON_HUBS_FULL in reasons:
            sentences.append(
                self.env._(
                    "Every DC with luxury packaging had started all the parcels its day "
                    "allows: the parcel leaves on the next day."
                )
            )
        if sourcing.REASON_NO_CONSOLIDATION_SITE in reasons:
            sentences.append(
                self.env._(
                    "One parcel was wanted but no DC with luxury packaging can consolidate: "
                    "the order ships in several parcels."
                )
            )
        if sourcing.REASON_NO_SITE in reasons or sourcing.REASON_SHORT in reasons:
            sentences.append(self.env._("Some quantities found no site with stock to sell."))
        return "\n".join(sentences)

    def _oms_short_datetime(self, value):
        """``value`` as a person writes it: day, month and minute in the user's time zone
        and language ("7 Dec 14:07", "Dec 7 2:07 PM"), the year only when not this one."""
        if not value:
            return ""
        tz_name = self.env.context.get("tz") or self.env.user.tz or "UTC"
        try:
            zone = pytz.timezone(tz_name)
        except pytz.UnknownTimeZoneError:
            zone = pytz.utc
        local = pytz.utc.localize(value).astimezone(zone)
        locale = babel_locale_parse(get_lang(self.env).code)
        skeleton = "MMMd" if local.year == fields.Datetime.now().year else "yMMMd"
        day = babel_dates.format_skeleton(skeleton, local, locale=locale)
        return f"{day} {babel_dates.format_time(local, 'short', locale=locale)}"

    def _oms_insert_candidates(self, vals_list):
        """Store the plan's candidate sites (``vals_list``: their values, as for ``create``)
        with one INSERT: every sourced order keeps a dozen of these plain figures, with no
        computed field or constraint to run. Each value is converted as the ORM writes it
        (its rounding), and the audit columns are set as it sets them."""
        self.ensure_one()
        if not vals_list:
            return
        Candidate = self.env["luxury.oms.sourcing.plan.candidate"]
        fnames = sorted({fname for vals in vals_list for fname in vals})
        fields_ = [Candidate._fields[fname] for fname in fnames]
        uid, now = self.env.uid, self.env.cr.now()
        rows = [
            (
                self.id,
                *(
                    field.convert_to_column_insert(vals[field.name], Candidate, vals)
                    if field.name in vals
                    else None
                    for field in fields_
                ),
                uid,
                now,
                uid,
                now,
            )
            for vals in vals_list
        ]
        columns = ["plan_id", *fnames, "create_uid", "create_date", "write_uid", "write_date"]
        self.env.execute_query(
            SQL(
                "INSERT INTO %s (%s) VALUES %s",
                SQL.identifier(Candidate._table),
                SQL(", ").join(SQL.identifier(column) for column in columns),
                # psycopg2 writes each tuple as one row of values
                SQL(", ").join(SQL("%s", row) for row in rows),
            )
        )
        self.invalidate_recordset(["candidate_ids"])
