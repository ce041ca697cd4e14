from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from ..engine import fraud as fraud_engine

FRAUD_ACTIVITY_TYPE = "luxury_oms.mail_activity_type_fraud_review"
# Orders in these fraud states must not ship.
FRAUD_BLOCKING_STATES = ("held", "rejected")
# Only screening and fraud decisions write these, as superuser after their own checks.
FRAUD_PROTECTED_FIELDS = frozenset(
    {
        "oms_fraud_state",
        "oms_fraud_score",
        "oms_fraud_threshold",
        "oms_fraud_reviewer_id",
        "oms_fraud_review_date",
        "oms_fraud_decision_note",
    }
)

# An order's fraud review, as the order and the sales analysis show it.
FRAUD_STATES = [
    ("none", "Not Held"),
    ("held", "Held"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    oms_card_country_id = fields.Many2one(
        "res.country",
        string="Card Issuer Country",
        copy=False,
        tracking=True,
        help="Country of the bank that issued the paying card, as reported by the "
        "payment provider. Compared with billing and shipping countries by fraud rules.",
    )
    oms_card_fingerprint = fields.Char(
        string="Card Fingerprint",
        copy=False,
        index="btree_not_null",
        help="The payment provider's fingerprint of the paying card (never the card "
        "number). Velocity rules per card count orders sharing it.",
    )
    oms_fraud_state = fields.Selection(
        FRAUD_STATES,
        string="Fraud Review",
        default="none",
        # Not required: a column of Odoo's own table, which orders created by code that
        # knows nothing of the OMS must not need to fill (empty reads as not held).
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        help="Held orders keep their stock reserved but nothing ships until the fraud "
        "team approves them. Rejected orders are cancelled and never ship.",
    )
    oms_fraud_score = fields.Float(string="Fraud Score", copy=False, readonly=True)
    oms_fraud_threshold = fields.Float(
        string="Hold Score",
        copy=False,
        readonly=True,
        help="The hold score in force when the order was screened.",
    )
    # The score's reasons are for those who decide (a salesperson reads the order, not them).
    oms_fraud_line_ids = fields.One2many(
        "luxury.oms.fraud.score.line",
        "order_id",
        string="Fraud Score Breakdown",
        copy=False,
        groups="luxury_oms.group_oms_fraud,luxury_oms.group_oms_manager",
    )
    oms_fraud_reasons = fields.Char(
        string="Fraud Reasons",
        compute="_compute_oms_fraud_reasons",
        groups="luxury_oms.group_oms_fraud,luxury_oms.group_oms_manager",
    )
    oms_fraud_explanation = fields.Text(
        string="Why Held",
        compute="_compute_oms_fraud_explanation",
        groups="luxury_oms.group_oms_fraud,luxury_oms.group_oms_manager",
    )
    oms_fraud_reviewer_id = fields.Many2one(
        "res.users", string="Fraud Decision By", copy=False, readonly=True
    )
    oms_fraud_review_date = fields.Datetime(string="Fraud Decision On", copy=False, readonly=True)
    oms_fraud_decision_note = fields.Text(string="Fraud Decision Reason", copy=False, readonly=True)
    oms_can_be_fraud_reviewed = fields.Boolean(compute="_compute_oms_can_be_fraud_reviewed")

    @api.depends("oms_fraud_line_ids.reason_display")
    @api.depends_context("lang")
    def _compute_oms_fraud_reasons(self):
        for order in self:
            order.oms_fraud_reasons = ", ".join(order.oms_fraud_line_ids.mapped("reason_display"))

    @api.depends(
        "oms_fraud_state",
        "oms_fraud_score",
        "oms_fraud_threshold",
        "oms_fraud_line_ids.reason_display",
    )
    @api.depends_context("lang")
    def _compute_oms_fraud_explanation(self):
        for order in self:
            order.oms_fraud_explanation = (
                order._oms_fraud_explain() if order.oms_fraud_state == "held" else False
            )

    def _oms_fraud_explain(self):
        """Why the order is held, rule by rule, for the fraud reviewer."""
        self.ensure_one()
        policy = self._oms_fraud_policy()
        lines = [
            self.env._(
                "Held: its fraud score %(score)s reaches the hold score %(threshold)s "
                "of %(policy)s.",
                score=f"{self.oms_fraud_score:g}",
                threshold=f"{self.oms_fraud_threshold:g}",
                policy=policy.display_name,
            )
        ]
        lines += [
            self.env._(
                "%(rule)s (%(points)s): %(reason)s",
                rule=line.label,
                points=f"{line.points:+g}",
                reason=line.reason_display,
            )
            for line in self.oms_fraud_line_ids
        ]
        return "\n".join(lines)

    @api.depends("oms_fraud_state")
    @api.depends_context("uid")
    def _compute_oms_can_be_fraud_reviewed(self):
        is_reviewer = self.env.user.has_group("luxury_oms.group_oms_fraud")
        for order in self:
            order.oms_can_be_fraud_reviewed = is_reviewer and order.oms_fraud_state == "held"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._oms_check_fraud_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._oms_check_fraud_fields(vals)
        return super().write(vals)

    def _oms_check_fraud_fields(self, vals):
        """Refuse ``vals`` setting a screening field: only screening and the fraud team's
        decisions set them (as superuser), never an order's creator or editor."""
        if FRAUD_PROTECTED_FIELDS.intersection(vals) and not self.env.su:
            raise AccessError(
                self.env._(
                    "Fraud screening fields are set by screening and by the fraud team's "
                    "Approve / Reject decisions only."
                )
            )

    def _action_cancel(self):
        # A held order cancelled for another reason (client, channel) leaves the queue.
        held = self.filtered(lambda order: order.oms_fraud_state == "held")
        held.activity_unlink([FRAUD_ACTIVITY_TYPE])
        held.sudo().oms_fraud_state = "none"
        return super()._action_cancel()

    def action_draft(self):
        self._oms_check_not_fraud_rejected()
        return super().action_draft()

    def action_oms_fraud_approve(self):
        return self._oms_fraud_review_action("approve")

    def action_oms_fraud_reject(self):
        return self._oms_fraud_review_action("reject")

    def _oms_fraud_review_action(self, decision):
        self._oms_check_fraud_reviewable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve Order")
            if decision == "approve"
            else self.env._("Reject Order"),
            "res_model": "luxury.oms.fraud.review.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids, "default_decision": decision},
        }

    # ------------------------------------------------------------------
    # Fraud screening
    # ------------------------------------------------------------------

    def _oms_screen_fraud(self):
        """Score the confirmed orders and hold those reaching their hold score.

        Called by :meth:`action_confirm` (back office and channel API) once the
        order is confirmed and its stock reserved.
        """
        orders = self.filtered(lambda order: order.state == "sale")
        if not orders:
            return
        rules_by_order = {order: order._oms_fraud_engine_rules() for order in orders}
        facts_by_order = orders._oms_fraud_facts(rules_by_order)
        for order in orders:
            policy = order._oms_fraud_policy()
            assessment = fraud_engine.score_order(
                facts_by_order[order], rules_by_order[order], policy._oms_fraud_tier_policy()
            )
            order._oms_apply_fraud_assessment(assessment, policy.oms_fraud_threshold)

    def _oms_fraud_policy(self):
        """Channel policy, else the company's default."""
        self.ensure_one()
        return self.oms_channel_id or self.company_id

    def _oms_fraud_engine_rules(self):
        """The active rules of the order's company that apply to its channel, as engine
        data (cached per worker, see luxury.oms.fraud.rule._oms_cached_engine_rules)."""
        self.ensure_one()
        cached = self.env["luxury.oms.fraud.rule"]._oms_cached_engine_rules(
            self.company_id.id, fields.Date.to_date(self.date_order)
        )
        channel_id = self.oms_channel_id.id
        return [
            rule for channel_ids, rule in cached if not channel_ids or channel_id in channel_ids
        ]

    def _oms_amount_in_company_currency(self):
        self.ensure_one()
        return self.amount_total / self.currency_rate if self.currency_rate else self.amount_total

    @api.model
    def _oms_address_key(self, partner):
        """Two addresses are the same place when street, zip, city and country match."""
        return tuple(
            (value or "").strip().casefold()
            for value in (partner.street, partner.zip, partner.city, partner.country_id.code)
        )

    def _oms_fraud_facts(self, rules_by_order):
        """``{order: OrderFacts}`` for these orders, in two bulk reads."""
        previous = self._oms_fraud_previous_orders()
        history = self._oms_fraud_history(
            [rule for rules in rules_by_order.values() for rule in rules]
        )
        facts = {}
        for order in self:
            client = order.partner_id.commercial_partner_id
            prior_count, addresses = previous.get(client, (0, set()))
            facts[order] = fraud_engine.OrderFacts(
                amount=order._oms_amount_in_company_currency(),
                currency_id=order.currency_id.id,
                order_amount=order.amount_total,
                order_currency=order.currency_id.name,
                reference_currency=order.company_id.currency_id.name,
                prior_order_count=prior_count,
                shipping_address_seen=self._oms_address_key(order.partner_shipping_id) in addresses,
                tier_rank=order.oms_client_tier_id.rank if order.oms_client_tier_id else None,
                billing_country_id=order.partner_invoice_id.country_id.id or None,
                shipping_country_id=order.partner_shipping_id.country_id.id or None,
                card_country_id=order.oms_card_country_id.id or None,
                has_card=bool(order.oms_card_fingerprint),
                history=order._oms_fraud_history_for(history),
            )
        return facts

    def _oms_fraud_previous_orders(self):
        """``{client: (confirmed order count, shipping address keys)}`` of earlier orders.

        Held and rejected orders do not make a client "returning".
        """
        groups = self._read_group(
            [
                ("id", "not in", self.ids),
                ("state", "=", "sale"),
                ("oms_fraud_state", "not in", FRAUD_BLOCKING_STATES),
                ("partner_id", "child_of", self.partner_id.commercial_partner_id.ids),
            ],
            ["partner_id", "partner_shipping_id"],
            ["__count"],
        )
        previous = defaultdict(lambda: (0, set()))
        for partner, shipping_partner, count in groups:
            client = partner.commercial_partner_id
            prior_count, addresses = previous[client]
            previous[client] = (
                prior_count + count,
                addresses | {self._oms_address_key(shipping_partner)},
            )
        return previous

    def _oms_fraud_history(self, rules):
        """Recent orders of these clients or cards, over the widest velocity window of
        ``rules`` (engine rules).

        Rejected orders count: an attacker's refused attempts are velocity too.
        """
        windows = [
            rule.hours
            for rule in rules
            if rule.condition in (fraud_engine.VELOCITY_ORDERS, fraud_engine.VELOCITY_AMOUNT)
        ]
        if not windows:
            return self.browse()
        since = min(self.mapped("date_order")) - timedelta(hours=max(windows))
        fingerprints = [fp for fp in self.mapped("oms_card_fingerprint") if fp]
        return self.search_fetch(
            [
                ("id", "not in", self.ids),
                ("date_order", ">=", since),
                "|",
                ("state", "=", "sale"),
                ("oms_fraud_state", "=", "rejected"),
                "|",
                ("partner_id", "child_of", self.partner_id.commercial_partner_id.ids),
                ("oms_card_fingerprint", "in", fingerprints),
            ],
            ["partner_id", "date_order", "amount_total", "currency_rate", "oms_card_fingerprint"],
        )

    def _oms_fraud_history_for(self, history):
        self.ensure_one()
        client = self.partner_id.commercial_partner_id
        return tuple(
            fraud_engine.PastOrder(
                hours_ago=(self.date_order - past.date_order).total_seconds() / 3600,
                amount=past._oms_amount_in_company_currency(),
                same_client=past.partner_id.commercial_partner_id == client,
                same_card=bool(self.oms_card_fingerprint)
                and past.oms_card_fingerprint == self.oms_card_fingerprint,
            )
            for past in history
        )

    def _oms_apply_fraud_assessment(self, assessment, threshold):
        """Persist the score and its breakdown; hold the order when it reaches ``threshold``."""
        self.ensure_one()
        # Screening is the system's doing, whoever confirms: score lines are not
        # editable by sales users.
        self.sudo().oms_fraud_line_ids.unlink()
        self.env["luxury.oms.fraud.score.line"].sudo().create(
            [
                {
                    "order_id": self.id,
                    "rule_id": line.rule_id,
                    "name": line.name,
                    "reason": line.reason,
                    "reason_code": line.reason_code,
                    "reason_args": line.reason_args,
                    "points": line.points,
                }
                for line in assessment.lines
            ]
        )
        held = assessment.is_held(threshold)
        self.sudo().write(
            {
                "oms_fraud_score": assessment.score,
                "oms_fraud_threshold": threshold,
                "oms_fraud_state": "held" if held else "none",
            }
        )
        if held:
            self._oms_fraud_hold()

    def _oms_fraud_hold(self):
        """Tell the fraud team: a chatter note and an approval activity with the breakdown,
        both in the reviewer's language (whoever placed the order: an API user, say)."""
        self.ensure_one()
        reviewer = self._oms_fraud_reviewer()
        order = self.with_context(lang=reviewer.lang or self.env.lang)
        breakdown = order._oms_fraud_breakdown_html()
        order.message_post(body=breakdown)
        order.activity_schedule(
            FRAUD_ACTIVITY_TYPE,
            summary=order.env._("Fraud review: score %(score)s", score=f"{self.oms_fraud_score:g}"),
            note=breakdown,
            user_id=reviewer.id,
        )

    def _oms_fraud_breakdown_html(self):
        self.ensure_one()
        items = Markup().join(
            Markup("<li>%s: %s (%+g)</li>") % (line.label, line.reason_display, line.points)
            for line in self.oms_fraud_line_ids
        )
        header = self.env._(
            "Held for fraud review: score %(score)s reaches %(threshold)s.",
            score=f"{self.oms_fraud_score:g}",
            threshold=f"{self.oms_fraud_threshold:g}",
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (header, items)

    def _oms_fraud_reviewer(self):
        """Who reviews this order: the channel's (or company's) reviewer, else the
        activity type's default user, else the first fraud reviewer."""
        self.ensure_one()
        reviewer = self._oms_fraud_policy().oms_fraud_reviewer_id
        reviewer = reviewer or self.env.ref(FRAUD_ACTIVITY_TYPE).default_user_id
        return (
            reviewer
            or self.env["res.users"].search(
                [
                    ("all_group_ids", "in", self.env.ref("luxury_oms.group_oms_fraud").ids),
                    ("share", "=", False),
                ],
                order="id",
                limit=1,
            )
            or self.env.user
        )

    # ------------------------------------------------------------------
    # Fraud decisions
    # ------------------------------------------------------------------

    def _oms_check_fraud_reviewable(self):
        """Only fraud reviewers decide, and only on held orders.

        Called by the approve/reject actions and by the decisions themselves.
        """
        if not (self.env.su or self.env.user.has_group("luxury_oms.group_oms_fraud")):
            raise AccessError(self.env._("Only Fraud Reviewers may approve or reject held orders."))
        not_held = self.filtered(lambda order: order.oms_fraud_state != "held")
        if not_held:
            raise UserError(
                self.env._(
                    "These orders are not held for fraud review: %(orders)s.",
                    orders=", ".join(not_held.mapped("name")),
                )
            )

    def _oms_fraud_decide(self, state, reason):
        """Record who decided what and why, close the activity, log it."""
        self.sudo().write(
            {
                "oms_fraud_state": state,
                "oms_fraud_reviewer_id": self.env.user.id,
                "oms_fraud_review_date": fields.Datetime.now(),
                "oms_fraud_decision_note": reason,
            }
        )
        label = dict(self._fields["oms_fraud_state"]._description_selection(self.env))[state]
        for order in self:
            message = self.env._(
                "Fraud review: %(decision)s by %(user)s. Reason: %(reason)s",
                decision=label,
                user=self.env.user.name,
                reason=reason,
            )
            order.activity_feedback([FRAUD_ACTIVITY_TYPE], feedback=message)
            order.message_post(body=message)

    def _oms_fraud_approve(self, reason):
        """Release held orders to the floor; their clients are now told "confirmed"."""
        self._oms_check_fraud_reviewable()
        self._oms_fraud_decide("approved", reason)
        self._oms_release_to_floor()
        for order in self.filtered("oms_channel_id"):
            order._oms_queue_work(["notify_confirmed"])

    def _oms_fraud_reject(self, reason):
        """Cancel held orders, which frees their reserved stock, for good."""
        self._oms_check_fraud_reviewable()
        self._oms_fraud_decide("rejected", reason)
        self._action_cancel()

    def _oms_check_not_fraud_rejected(self):
        """A rejected order never goes back to quotation or confirmation.

        Called by :meth:`action_confirm` and :meth:`action_draft`.
        """
        rejected = self.filtered(lambda order: order.oms_fraud_state == "rejected")
        if rejected:
            raise UserError(
                self.env._(
                    "Orders %(orders)s were rejected by the fraud team and cannot be "
                    "reopened. Create a new order if the client's payment is now verified.",
                    orders=", ".join(rejected.mapped("name")),
                )
            )

    def _oms_check_fraud_released(self):
        """Refuse shipping held or rejected orders, naming them.

        Called by picking validation and by every move's ``_action_done``.
        """
        blocked = self.filtered(lambda order: order.oms_fraud_state in FRAUD_BLOCKING_STATES)
        if blocked:
            raise UserError(
                self.env._(
                    "Nothing can ship for %(orders)s: held or rejected by the fraud team. "
                    "A fraud reviewer must approve the order first.",
                    orders=", ".join(blocked.mapped("name")),
                )
            )
