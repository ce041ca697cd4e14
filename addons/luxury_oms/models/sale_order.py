from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from ..engine import fraud as fraud_engine
from ..engine import sourcing
from ..engine.boutique import MAX_PICKUP_CODE_ATTEMPTS
from ..engine.boutique import attempts_left
from ..engine.boutique import generate_pickup_code
from ..engine.boutique import normalize_pickup_code
from ..engine.boutique import pickup_code_matches
from .luxury_oms_availability import Demand
from .luxury_oms_carrier_rule import SERVICE_LEVELS

# Candidate sites kept on a plan besides the chosen ones: enough to answer "why not Rome?".
PLAN_CANDIDATES_KEPT = 10

OPEN_PICKUP_STATES = ("waiting", "ready")
DEFAULT_PICKUP_DAYS = 10
DEFAULT_PICKUP_VIP_RANK = 900
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


class SaleOrder(models.Model):
    _inherit = "sale.order"

    oms_channel_id = fields.Many2one(
        "luxury.oms.channel",
        string="Channel",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="Where the order came from; its sites and rules apply to the order.",
    )
    oms_client_tier_id = fields.Many2one(related="partner_id.oms_tier_id", string="Client Tier")
    oms_external_ref = fields.Char(
        string="External Reference",
        copy=False,
        readonly=True,
        help="The order's reference in its channel (web shop, app): unique per channel.",
    )
    oms_service_level = fields.Selection(
        SERVICE_LEVELS,
        string="Service Level",
        default="standard",
        help="The delivery service the client chose; carrier rules use it.",
    )
    oms_single_parcel = fields.Boolean(
        string="One Parcel",
        compute="_compute_oms_single_parcel",
        store=True,
        readonly=False,
        help="Ship the order in one parcel: items at other sites are first transferred to "
        "a consolidation site. Defaults to the channel's preference.",
    )
    # OMS users only (who may read plans): a salesperson reads orders without them.
    oms_sourcing_plan_ids = fields.One2many(
        "luxury.oms.sourcing.plan",
        "order_id",
        string="Sourcing Plans",
        groups="luxury_oms.group_oms_user",
    )
    oms_sourcing_plan_id = fields.Many2one(
        "luxury.oms.sourcing.plan",
        compute="_compute_oms_sourcing_plan_id",
        store=True,
        string="Sourcing Plan",
    )
    oms_sourcing_explanation = fields.Text(
        related="oms_sourcing_plan_id.explanation", string="Why These Sites"
    )
    can_oms_resource = fields.Boolean(compute="_compute_can_oms_resource")

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
        [
            ("none", "Not Held"),
            ("held", "Held"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
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
    oms_fraud_line_ids = fields.One2many(
        "luxury.oms.fraud.score.line", "order_id", string="Fraud Score Breakdown", copy=False
    )
    oms_fraud_reasons = fields.Char(string="Fraud Reasons", compute="_compute_oms_fraud_reasons")
    oms_fraud_reviewer_id = fields.Many2one(
        "res.users", string="Fraud Decision By", copy=False, readonly=True
    )
    oms_fraud_review_date = fields.Datetime(string="Fraud Decision On", copy=False, readonly=True)
    oms_fraud_decision_note = fields.Text(string="Fraud Decision Reason", copy=False, readonly=True)
    oms_can_be_fraud_reviewed = fields.Boolean(compute="_compute_oms_can_be_fraud_reviewed")

    _oms_external_ref_unique = models.UniqueIndex(
        "(oms_channel_id, oms_external_ref) WHERE oms_external_ref IS NOT NULL",
        "An order with this external reference already exists for this channel.",
    )

    # Click & collect ---------------------------------------------------------------------
    oms_pickup_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Pickup Boutique",
        check_company=True,
        tracking=True,
        domain="[('oms_click_collect', '=', True)]",
        help="The client collects the order in this boutique (click & collect, reserve in "
        "boutique). Leave empty to ship.",
    )
    oms_pickup_code = fields.Char(
        string="Pickup Code",
        readonly=True,
        copy=False,
        groups="luxury_oms.group_oms_user",
        help="Sent to the client with the 'ready for pickup' notification; checked at "
        "collection.",
    )
    oms_pickup_state = fields.Selection(
        [
            ("waiting", "Preparing"),
            ("ready", "Ready for Pickup"),
            ("collected", "Collected"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        string="Pickup Status",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
    )
    oms_pickup_expiry = fields.Datetime(
        string="Collect Before",
        readonly=True,
        copy=False,
        tracking=True,
        help="Unclaimed after this date, the order is cancelled and its stock released.",
    )
    oms_pickup_failed_attempts = fields.Integer(
        string="Wrong Pickup Codes", readonly=True, copy=False
    )
    oms_pickup_collected_date = fields.Datetime(string="Collected On", readonly=True, copy=False)
    can_be_marked_pickup_ready = fields.Boolean(compute="_compute_pickup_actions")
    can_unlock_pickup = fields.Boolean(compute="_compute_pickup_actions")

    _oms_pickup_code_unique = models.UniqueIndex(
        "(oms_pickup_code) WHERE oms_pickup_state IN ('waiting', 'ready')",
        "This pickup code is already used by another open pickup.",
    )

    @api.depends("oms_channel_id")
    def _compute_oms_single_parcel(self):
        for order in self:
            order.oms_single_parcel = order.oms_channel_id.single_parcel

    @api.depends("oms_sourcing_plan_ids.is_current")
    def _compute_oms_sourcing_plan_id(self):
        for order in self:
            current = order.oms_sourcing_plan_ids.filtered("is_current")
            order.oms_sourcing_plan_id = current[:1]

    @api.depends("state", "oms_sourcing_plan_id")
    def _compute_can_oms_resource(self):
        for order in self:
            order.can_oms_resource = order.state == "sale" and bool(order.oms_sourcing_plan_id)

    @api.depends("oms_fraud_line_ids.reason")
    def _compute_oms_fraud_reasons(self):
        for order in self:
            order.oms_fraud_reasons = ", ".join(order.oms_fraud_line_ids.mapped("reason"))

    @api.depends("oms_fraud_state")
    @api.depends_context("uid")
    def _compute_oms_can_be_fraud_reviewed(self):
        is_reviewer = self.env.user.has_group("luxury_oms.group_oms_fraud")
        for order in self:
            order.oms_can_be_fraud_reviewed = is_reviewer and order.oms_fraud_state == "held"

    @api.depends("state", "oms_pickup_state", "oms_pickup_failed_attempts")
    def _compute_pickup_actions(self):
        for order in self:
            order.can_be_marked_pickup_ready = (
                order.state == "sale" and order.oms_pickup_state == "waiting"
            )
            order.can_unlock_pickup = (
                order.oms_pickup_state in OPEN_PICKUP_STATES
                and order.oms_pickup_failed_attempts >= MAX_PICKUP_CODE_ATTEMPTS
            )

    @api.constrains("oms_pickup_warehouse_id")
    def _check_pickup_warehouse(self):
        for order in self.filtered("oms_pickup_warehouse_id"):
            if not order.oms_pickup_warehouse_id.oms_click_collect:
                raise ValidationError(
                    self.env._(
                        "Pickup Boutique: %(site)s does not offer click & collect.",
                        site=order.oms_pickup_warehouse_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        if FRAUD_PROTECTED_FIELDS.intersection(vals) and not self.env.su:
            raise AccessError(
                self.env._(
                    "Fraud screening fields are set by screening and by the fraud team's "
                    "Approve / Reject decisions only."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        """Source the lines, take the stock atomically where the plan found it before
        anything is written or picked from it, then screen for fraud."""
        self._oms_check_not_fraud_rejected()
        self._oms_source_pickups()
        self._oms_plan_sourcing()
        self._oms_take_stock()
        result = super().action_confirm()
        self._oms_create_consolidation_transfers()
        self.order_line._oms_refresh_availability()
        self.filtered("oms_pickup_warehouse_id")._oms_open_pickups()
        # After super: the stock is reserved, so a held order keeps its units. As
        # superuser: the facts span orders (and rules) the confirming user may not see.
        self.sudo()._oms_screen_fraud()
        return result

    def action_draft(self):
        self._oms_check_not_fraud_rejected()
        return super().action_draft()

    def _action_cancel(self):
        # A held order cancelled for another reason (client, channel) leaves the queue.
        held = self.filtered(lambda order: order.oms_fraud_state == "held")
        held.activity_unlink([FRAUD_ACTIVITY_TYPE])
        held.sudo().oms_fraud_state = "none"
        result = super()._action_cancel()
        self.filtered(lambda order: order.oms_pickup_state in OPEN_PICKUP_STATES).write(
            {"oms_pickup_state": "cancelled"}
        )
        self.order_line._oms_refresh_availability()
        return result

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

    def action_oms_resource(self):
        """Open the wizard that re-sources the order away from a failing site."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Re-source %(order)s", order=self.name),
            "res_model": "luxury.oms.resource.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_oms_view_sourcing_plans(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sourcing of %(order)s", order=self.name),
            "res_model": "luxury.oms.sourcing.plan",
            "view_mode": "list,form",
            "domain": [("order_id", "=", self.id)],
        }

    def action_oms_pickup_ready(self):
        self._oms_mark_pickup_ready()
        return True

    def action_oms_pickup_unlock(self):
        """A manager resets the wrong-code counter, after checking the client's identity."""
        if not self.env.user.has_group("luxury_oms.group_oms_boutique_manager"):
            raise UserError(self.env._("Only a boutique manager may unlock a pickup."))
        for order in self.filtered("can_unlock_pickup"):
            order.oms_pickup_failed_attempts = 0
            order.message_post(body=self.env._("Pickup code unlocked after identity check."))
        return True

    # ------------------------------------------------------------------
    # Stock
    # ------------------------------------------------------------------

    def _oms_take_stock(self):
        """Refuse the confirmation, with every short line named, unless all lines are
        available to sell where they are sourced, for this client and channel (the
        oversell invariant).
        """
        Availability = self.env["luxury.oms.availability"]
        for order in self:
            demands = order._oms_stock_demands()
            if not demands:
                continue
            preorders = Availability._take(
                demands,
                channel=order.oms_channel_id or None,
                partner=order.partner_id,
                accept_preorder=order.oms_channel_id.allow_preorder,
            )
            if preorders:
                order._oms_note_preorders(preorders)

    def _oms_note_preorders(self, preorders):
        """Tell the team which lines wait for incoming stock (the channel accepts
        pre-orders): their deliveries ship when the stock arrives."""
        lines = [
            self.env._(
                "%(product)s at %(site)s: %(missing)s of %(requested)s on incoming stock",
                product=self.env["product.product"].browse(shortage.product_id).display_name,
                site=self.env["stock.warehouse"].browse(shortage.warehouse_id).name,
                missing=shortage.requested - shortage.available,
                requested=shortage.requested,
            )
            for shortage in preorders
        ]
        self.message_post(
            body=self.env._("Pre-order:\n%(lines)s", lines="\n".join(lines)),
        )

    def _action_confirm(self):
        result = super()._action_confirm()
        template = self.env.ref("luxury_oms.mail_template_oms_order_confirmed")
        for order in self.filtered("oms_channel_id"):
            order.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        return result

    def _oms_invoice_handover(self):
        """Create and post the invoice of what was just handed over. Any failure raises, so
        that the handover rolls back with it."""
        self.ensure_one()
        if self.invoice_status != "to invoice":
            return self.env["account.move"]
        # Ownership passes at handover: pieces bill when they leave, whatever the products'
        # invoicing policy (a piece that failed quality control, or ships later from
        # another site, is not billed with this parcel).
        shipped = {
            line: max(line.qty_delivered - line.qty_invoiced, 0.0)
            for line in self.order_line
            if line.product_id.is_storable
        }
        invoice = self._create_invoices()
        for invoice_line in invoice.invoice_line_ids:
            sale_line = invoice_line.sale_line_ids[:1]
            if sale_line in shipped and invoice_line.quantity > shipped[sale_line]:
                invoice_line.quantity = shipped[sale_line]
        invoice.invoice_line_ids.filtered(
            lambda line: line.sale_line_ids and not line.quantity
        ).unlink()
        if not invoice.invoice_line_ids.sale_line_ids:
            invoice.unlink()
            return self.env["account.move"]
        invoice.action_post()
        return invoice

    def _oms_request_resourcing(self, order_lines, site):
        """A piece reserved at ``site`` cannot ship (failed quality control): source the
        lines again, another piece of the same site included. Return whether it worked;
        when no site can, nothing changes and customer service gets an activity."""
        self.ensure_one()
        reason = self.env._("a piece failed quality control.")
        try:
            with self.env.cr.savepoint():
                self._oms_resource_lines(order_lines, site, reason, exclude_site=False)
            return True
        except UserError as error:
            failure = error.args[0]
        products = ", ".join(order_lines.product_id.mapped("display_name"))
        self.message_post(
            body=self.env._(
                "%(products)s from %(site)s cannot ship and must be sourced again "
                "(not done automatically: %(why)s).",
                products=products,
                site=site.name,
                why=failure,
            )
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Re-source %(products)s", products=products),
            note=self.env._(
                "The piece reserved at %(site)s failed quality control.", site=site.name
            ),
            user_id=(self.user_id or self.env.user).id,
        )
        return False

    def _oms_stock_demands(self):
        """What to take: each line at its site, or, for a sourced order, each allocation
        of the current plan where its stock sits (for a consolidated order, not the site
        shipping the parcel). Quantities no site could serve are asked of the line's
        warehouse, so that taking them fails with the line named.
        """
        self.ensure_one()
        plan = self.oms_sourcing_plan_id
        if not plan:
            return self.order_line._oms_stock_demands()
        return [
            Demand(
                allocation.product_id,
                allocation.warehouse_id or line.warehouse_id,
                line.product_uom_id._compute_quantity(allocation.quantity, line.product_id.uom_id),
                line,
            )
            for allocation in plan.line_ids
            for line in allocation.sale_line_id
        ]

    def _oms_outgoing_pickings(self):
        """Deliveries to the client (not transfers between sites)."""
        return self.picking_ids.filtered(lambda picking: picking.picking_type_code == "outgoing")

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
        rules = self.env["luxury.oms.fraud.rule"].search(
            [("company_id", "in", orders.company_id.ids)]
        )
        facts_by_order = orders._oms_fraud_facts(rules)
        for order in orders:
            policy = order._oms_fraud_policy()
            engine_rules = [
                rule._to_engine_rule(order.company_id, order.date_order)
                for rule in rules
                if order._oms_fraud_rule_applies(rule)
            ]
            assessment = fraud_engine.score_order(
                facts_by_order[order], engine_rules, policy._oms_fraud_tier_policy()
            )
            order._oms_apply_fraud_assessment(assessment, policy.oms_fraud_threshold)

    def _oms_fraud_policy(self):
        """Channel policy, else the company's default."""
        self.ensure_one()
        return self.oms_channel_id or self.company_id

    def _oms_fraud_rule_applies(self, rule):
        self.ensure_one()
        return rule.company_id == self.company_id and (
            not rule.channel_ids or self.oms_channel_id in rule.channel_ids
        )

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

    def _oms_fraud_facts(self, rules):
        """``{order: OrderFacts}`` for these orders, in two bulk reads."""
        previous = self._oms_fraud_previous_orders()
        history = self._oms_fraud_history(rules)
        facts = {}
        for order in self:
            client = order.partner_id.commercial_partner_id
            prior_count, addresses = previous.get(client, (0, set()))
            facts[order] = fraud_engine.OrderFacts(
                amount=order._oms_amount_in_company_currency(),
                currency_id=order.currency_id.id,
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
        """Recent orders of these clients or cards, over the widest velocity window.

        Rejected orders count: an attacker's refused attempts are velocity too.
        """
        windows = rules.filtered(
            lambda rule: rule.condition
            in (fraud_engine.VELOCITY_ORDERS, fraud_engine.VELOCITY_AMOUNT)
        ).mapped("velocity_hours")
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
        """Tell the fraud team: a chatter note and an approval activity with the breakdown."""
        self.ensure_one()
        breakdown = self._oms_fraud_breakdown_html()
        self.message_post(body=breakdown)
        self.activity_schedule(
            FRAUD_ACTIVITY_TYPE,
            summary=self.env._("Fraud review: score %(score)s", score=self.oms_fraud_score),
            note=breakdown,
            user_id=self._oms_fraud_reviewer().id,
        )

    def _oms_fraud_breakdown_html(self):
        self.ensure_one()
        items = Markup().join(
            Markup("<li>%s: %s (%+g)</li>") % (line.name, line.reason, line.points)
            for line in self.oms_fraud_line_ids
        )
        header = self.env._(
            "Held for fraud review: score %(score)s reaches %(threshold)s.",
            score=self.oms_fraud_score,
            threshold=self.oms_fraud_threshold,
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
        """Release fulfilment of held orders."""
        self._oms_check_fraud_reviewable()
        self._oms_fraud_decide("approved", reason)

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

    # ------------------------------------------------------------------
    # Sourcing
    # ------------------------------------------------------------------

    def _oms_plan_sourcing(self):
        """Decide which site prepares each line, before stock is taken.

        Orders without a channel, or whose channel has no sourcing strategy, keep
        their own warehouse on every line (plain Odoo behaviour).
        """
        for order in self.filtered(lambda o: o.oms_channel_id.sourcing_strategy_id):
            lines = order.order_line.filtered(lambda line: line.is_storable)
            if lines:
                order._oms_source_lines({line: line.product_uom_qty for line in lines})

    def _oms_source_lines(self, quantities, excluded_sites=None, hub=None):
        """Source ``quantities`` ({sale.order.line: qty}) and store the plan.

        Returns the new current plan, or an empty recordset when no rule applies
        and the strategy keeps the order's warehouse.
        """
        self.ensure_one()
        excluded_sites = excluded_sites or self.env["stock.warehouse"]
        # Strategies and sites are configuration the engine reads whoever confirms
        # (e.g. a channel's API user, who may not read them): read as superuser.
        channel = self.oms_channel_id.sudo()
        strategy = channel.sourcing_strategy_id
        sites = channel._oms_selling_sites()
        lines = self.env["sale.order.line"].concat(*quantities)
        date = self.date_order or fields.Datetime.now()
        rules, fallback = strategy._oms_engine_rules(self.currency_id, date)
        plan = sourcing.plan_order(
            rules,
            self._oms_sourcing_order(quantities, excluded_sites, hub),
            sites._oms_sourcing_sites(),
            self._oms_sourcing_ats(lines.product_id, sites),
            fallback,
        )
        if plan is None:
            return self.env["luxury.oms.sourcing.plan"]
        # Plans record the engine's decision, not a user's edit: written as superuser.
        self.sudo().oms_sourcing_plan_ids.is_current = False
        record = self._oms_store_plan(plan, strategy, excluded_sites)
        self._oms_assign_line_sites(record)
        return record.with_env(self.env)

    def _oms_sourcing_order(self, quantities, excluded_sites, hub=None):
        """The order as engine data: destination, client, value, lines with categories."""
        destination = self.partner_shipping_id
        country = destination.country_id
        latitude, longitude = self._oms_destination_coordinates()
        regions = self.env["res.country.group"].search([("country_ids", "in", country.ids)])
        return sourcing.Order(
            lines=tuple(
                sourcing.Line(
                    id=line.id,
                    product_id=line.product_id.id,
                    qty=qty,
                    categ_ids=frozenset(
                        int(categ_id)
                        for categ_id in (line.product_id.categ_id.parent_path or "").split("/")
                        if categ_id
                    ),
                )
                for line, qty in quantities.items()
            ),
            channel_id=self.oms_channel_id.id,
            country_id=country.id or None,
            region_ids=frozenset(regions.ids),
            latitude=latitude,
            longitude=longitude,
            tier_rank=self.partner_id.oms_tier_id.rank if self.partner_id.oms_tier_id else None,
            amount=self.amount_total,
            single_parcel=self.oms_single_parcel,
            excluded_site_ids=frozenset(excluded_sites.ids),
            consolidation_site_id=hub.id if hub else None,
            pickup_site_id=self.oms_pickup_warehouse_id.id or None,
        )

    def _oms_destination_coordinates(self):
        """The shipping address's coordinates; without them, the mean of the channel's
        sites in the destination country; else unknown (distance then ranks no site)."""
        destination = self.partner_shipping_id
        if destination.partner_latitude or destination.partner_longitude:
            return destination.partner_latitude, destination.partner_longitude
        local_sites = (
            self.oms_channel_id.sudo()
            ._oms_selling_sites()
            .filtered(lambda site: site.oms_country_id == destination.country_id)
        )
        if not destination.country_id or not local_sites:
            return None, None
        return (
            sum(local_sites.mapped("oms_latitude")) / len(local_sites),
            sum(local_sites.mapped("oms_longitude")) / len(local_sites),
        )

    def _oms_sourcing_ats(self, products, sites):
        """Available to sell per (product id, site id) for this order's channel and client."""
        availability = self.env["luxury.oms.availability"]._compute_availability(
            products, sites, channel=self.oms_channel_id, partner=self.partner_id
        )
        return {key: value.available_to_sell for key, value in availability.items()}

    def _oms_store_plan(self, plan, strategy, excluded_sites):
        hub = plan.consolidation_site_id
        candidates = [
            candidate
            for rank, candidate in enumerate(plan.candidates)
            if candidate.chosen or rank < PLAN_CANDIDATES_KEPT
        ]
        rank_of = {c.site_id: rank for rank, c in enumerate(plan.candidates, start=1)}
        transfers = set(sourcing.transfers(plan))
        return (
            self.env["luxury.oms.sourcing.plan"]
            .sudo()
            .create(
                {
                    "order_id": self.id,
                    "strategy_id": strategy.id,
                    "rule_id": plan.rule_id or False,
                    "consolidation_warehouse_id": hub or False,
                    "excluded_warehouse_ids": [fields.Command.set(excluded_sites.ids)],
                    "is_split": plan.is_split,
                    "is_short": sourcing.REASON_SHORT in plan.reasons
                    or sourcing.REASON_NO_SITE in plan.reasons,
                    "explanation": self._oms_explain_plan(plan),
                    "line_ids": [
                        fields.Command.create(
                            {
                                "sale_line_id": allocation.line_id,
                                "warehouse_id": allocation.site_id or False,
                                "quantity": allocation.qty,
                                "is_short": allocation.short,
                                "is_transfer": (
                                    allocation.line_id,
                                    allocation.site_id,
                                    allocation.qty,
                                )
                                in transfers,
                            }
                        )
                        for allocation in plan.allocations
                    ],
                    "candidate_ids": [
                        fields.Command.create(
                            {
                                "rank": rank_of[candidate.site_id],
                                "warehouse_id": candidate.site_id,
                                "chosen": candidate.chosen,
                                "total_score": candidate.total * 100,
                                "distance_km": candidate.distance_km or 0.0,
                                "servable_qty": candidate.servable_qty,
                                "serves_all": candidate.serves_all,
                                **{
                                    f"score_{kind}": score * 100
                                    for kind, score in candidate.scores.items()
                                },
                            }
                        )
                        for candidate in candidates
                    ],
                }
            )
        )

    def _oms_explain_plan(self, plan):
        """The plan in sentences, for customer service ("why Milan?")."""
        sites = self.env["stock.warehouse"].browse(
            [c.site_id for c in plan.candidates[:3]] + plan.site_ids
        )
        name = {site.id: site.name for site in sites}
        rule = self.env["luxury.oms.sourcing.rule"].browse(plan.rule_id or [])
        sentences = [
            self.env._("Rule %(rule)s matched the order.", rule=rule.name)
            if rule
            else self.env._("No rule matched: the nearest sites with stock were preferred.")
        ]
        if plan.candidates:
            sentences.append(
                self.env._(
                    "Best scores: %(scores)s.",
                    scores=", ".join(
                        f"{name[c.site_id]} {c.total * 100:.0f}" for c in plan.candidates[:3]
                    ),
                )
            )
        reasons = plan.reasons
        if sourcing.REASON_SINGLE_SITE in reasons:
            sentences.append(
                self.env._(
                    "%(site)s has every line in stock and scores best of the sites that do: "
                    "one parcel, no split.",
                    site=name[plan.site_ids[0]],
                )
            )
        elif sourcing.REASON_SPLIT in reasons and plan.site_ids:
            sentences.append(
                self.env._(
                    "No single site has every line in stock: %(sites)s share the order.",
                    sites=", ".join(name[site_id] for site_id in plan.site_ids),
                )
            )
        if sourcing.REASON_CONSOLIDATION in reasons:
            hub = self.env["stock.warehouse"].browse(plan.consolidation_site_id)
            sentences.append(
                self.env._(
                    "One parcel is wanted: the other sites transfer their items to %(hub)s, "
                    "which ships the parcel.",
                    hub=hub.name,
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

    def _oms_assign_line_sites(self, plan):
        """Point each line at the site its delivery leaves from (sale_stock's warehouse_id)."""
        hub = plan.consolidation_warehouse_id
        quantity_by_line = defaultdict(lambda: defaultdict(float))
        for allocation in plan.line_ids.filtered(lambda a: not a.is_short):
            site_quantities = quantity_by_line[allocation.sale_line_id]
            site_quantities[allocation.warehouse_id] += allocation.quantity
        for line, quantities in quantity_by_line.items():
            main_site = max(quantities, key=lambda site: (quantities[site], -site.id))
            line.warehouse_id = hub or main_site

    # ------------------------------------------------------------------
    # Consolidation: other sites -> transit -> consolidation site -> client
    # ------------------------------------------------------------------

    def _oms_create_consolidation_transfers(self):
        for order in self:
            plan = order.oms_sourcing_plan_id
            if plan.consolidation_warehouse_id:
                order._oms_transfer_to_hub(plan.line_ids.filtered("is_transfer"))

    def _oms_transfer_to_hub(self, allocations):
        """Chain each allocation's site to the hub's delivery, the resupply way.

        For each allocation: an outgoing move at the source site to the transit
        location, a receipt at the hub, and the matching part of the hub's delivery
        move split off to wait for that receipt instead of the hub's own stock.
        """
        self.ensure_one()
        hub = allocations.plan_id.consolidation_warehouse_id
        transit = self.company_id.internal_transit_location_id
        moves = waiting_parts = self.env["stock.move"]
        for allocation in allocations:
            delivery = allocation.sale_line_id._oms_hub_delivery_move(hub)
            if not delivery:
                continue
            waiting = delivery._oms_split_off(allocation.quantity)
            waiting_parts |= waiting
            values = {
                "product_id": allocation.product_id.id,
                "product_uom_qty": allocation.quantity,
                "product_uom": allocation.sale_line_id.product_uom_id.id,
                "origin": self.name,
                "reference_ids": [fields.Command.set(self.stock_reference_ids.ids)],
                "company_id": self.company_id.id,
                "partner_id": self.partner_shipping_id.id,
                # Like Odoo's resupply chains: the transfers show on the order.
                "sale_line_id": allocation.sale_line_id.id,
            }
            receipt = moves.create(
                {
                    **values,
                    "location_id": transit.id,
                    "location_dest_id": hub.lot_stock_id.id,
                    "picking_type_id": hub.in_type_id.id,
                    "warehouse_id": hub.id,
                    "move_dest_ids": [fields.Command.link(waiting.id)],
                }
            )
            source = allocation.warehouse_id
            moves |= receipt | moves.create(
                {
                    **values,
                    "location_id": source.lot_stock_id.id,
                    "location_dest_id": transit.id,
                    "picking_type_id": source.out_type_id.id,
                    "warehouse_id": source.id,
                    "move_dest_ids": [fields.Command.link(receipt.id)],
                }
            )
        moves._action_confirm(merge=False)
        moves._action_assign()
        waiting_parts._recompute_state()

    # ------------------------------------------------------------------
    # Re-sourcing
    # ------------------------------------------------------------------

    def _oms_resource(self, failing_site, reason):
        """Re-plan what ``failing_site`` has not prepared yet, excluding that site.

        Done work stays: only the site's open moves from its own stock (and what
        waits on them) are cancelled; the missing quantities are sourced again
        among the other sites and procured. A failing consolidation site stays the
        meeting point of the parcel: only its own items are sourced elsewhere.
        """
        self.ensure_one()
        lines = self._oms_cancel_open_work_at(failing_site)
        return self._oms_resource_lines(lines, failing_site, reason)

    def _oms_resource_lines(self, lines, from_site, reason, exclude_site=True):
        """Source again what ``lines`` miss (ordered, no longer procured), take it and
        procure it. With ``exclude_site``, ``from_site`` is left out (the site failed);
        without, it may serve another piece (one piece failed). An order that was never
        sourced can only take another piece where its lines ship. Raises a UserError when
        nothing can, before anything is written."""
        missing = {line: line.product_uom_qty - line._get_qty_procurement() for line in lines}
        missing = {line: qty for line, qty in missing.items() if qty > 0}
        if self.oms_sourcing_plan_id or self.oms_channel_id.sudo().sourcing_strategy_id:
            why = self._oms_resource_missing(missing, lines, from_site, exclude_site)
        elif exclude_site:
            raise UserError(
                self.env._(
                    "Order %(order)s follows no sourcing strategy: it ships from %(site)s.",
                    order=self.name,
                    site=from_site.name,
                )
            )
        else:
            self.env["luxury.oms.availability"]._take(
                [(line.product_id, line.warehouse_id, qty, line) for line, qty in missing.items()],
                channel=self.oms_channel_id or None,
                partner=self.partner_id,
            )
            why = self.env._("another piece is taken at %(site)s.", site=from_site.name)
        self.message_post(
            body=self.env._(
                "Re-sourced away from %(site)s: %(reason)s\n%(why)s",
                site=from_site.name,
                reason=reason,
                why=why,
            )
        )
        lines._action_launch_stock_rule()
        plan = self.oms_sourcing_plan_id
        if plan.consolidation_warehouse_id:
            self._oms_transfer_to_hub(plan.line_ids.filtered("is_transfer"))
        self._oms_open_moves_of(lines)._action_assign()
        lines._oms_refresh_availability()
        return plan

    def _oms_resource_missing(self, missing, lines, from_site, exclude_site):
        """Plan ``missing`` quantities again and take them; return the plan's reasons."""
        previous = self.oms_sourcing_plan_id
        excluded = previous.excluded_warehouse_ids
        if exclude_site:
            excluded |= from_site
        plan = self._oms_source_lines(missing, excluded, previous.consolidation_warehouse_id)
        if not plan or plan.is_short:
            raise UserError(
                self.env._(
                    "No other site can prepare %(products)s of order %(order)s: it stays "
                    "at %(site)s.",
                    products=", ".join(lines.product_id.mapped("display_name")),
                    order=self.name,
                    site=from_site.name,
                )
            )
        # The new plan covers only what is missing: take exactly that, where it now sits.
        self._oms_take_stock()
        return plan.explanation

    def _oms_open_moves_of(self, lines):
        return lines.move_ids.filtered(
            lambda move: move.state in ("confirmed", "waiting", "partially_available")
        )

    def _oms_cancel_open_work_at(self, site):
        """Cancel what ``site`` still has to prepare from its own stock for this order,
        with the moves waiting on it; return the order lines concerned."""
        own_work = self._oms_open_moves_at(site).filtered(
            lambda move: all(orig.location_id.warehouse_id == site for orig in move.move_orig_ids)
        )
        if not own_work:
            raise UserError(
                self.env._(
                    "Order %(order)s has nothing left to prepare at %(site)s.",
                    order=self.name,
                    site=site.name,
                )
            )
        chain = own_work | own_work.move_dest_ids | own_work.move_dest_ids.move_dest_ids
        chain.filtered(lambda move: move.state not in ("done", "cancel"))._action_cancel()
        return chain.sale_line_id

    def _oms_open_moves_at(self, site):
        """Moves of this order leaving ``site`` that are neither done nor cancelled."""
        return self.env["stock.move"].search(
            [
                ("reference_ids", "in", self.stock_reference_ids.ids),
                ("location_id.warehouse_id", "=", site.id),
                ("state", "not in", ("done", "cancel")),
            ]
        )

    # ------------------------------------------------------------------
    # Click & collect
    # ------------------------------------------------------------------

    def _oms_source_pickups(self):
        """A pickup order is served from its boutique's own stock when the boutique has it
        all; the delivery then reserves the units there until collection. Otherwise the lines
        keep their site (sourcing and transfers to the boutique are not decided here)."""
        pickups = self.filtered(
            lambda order: order.oms_pickup_warehouse_id
            and order.state in ("draft", "sent")
            and not order.oms_channel_id.sourcing_strategy_id
        )
        Availability = self.env["luxury.oms.availability"]
        for order in pickups:
            boutique = order.oms_pickup_warehouse_id
            demands = order.order_line._oms_stock_demands()
            if not demands or order.warehouse_id == boutique:
                continue
            products = self.env["product.product"].union(*(demand.product for demand in demands))
            availability = Availability._compute_availability(
                products, boutique, channel=order.oms_channel_id or None, partner=order.partner_id
            )
            needed = {}
            for demand in demands:
                needed[demand.product.id] = needed.get(demand.product.id, 0.0) + demand.qty
            if all(
                availability[product_id, boutique.id].available_to_sell >= qty
                for product_id, qty in needed.items()
            ):
                order.warehouse_id = boutique

    def _oms_open_pickups(self):
        for order in self:
            order.write(
                {
                    "oms_pickup_state": "waiting",
                    "oms_pickup_code": self._oms_new_pickup_code(),
                    "oms_pickup_failed_attempts": 0,
                }
            )
            order._oms_alert_vip_pickup()

    def _oms_new_pickup_code(self):
        def is_taken(code):
            return bool(
                self.sudo().search_count(
                    [
                        ("oms_pickup_code", "=", code),
                        ("oms_pickup_state", "in", OPEN_PICKUP_STATES),
                    ],
                    limit=1,
                )
            )

        return generate_pickup_code(is_taken)

    def _oms_alert_vip_pickup(self):
        """Boutique staff prepare a welcome when a VIP will come to collect."""
        self.ensure_one()
        threshold = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("luxury_oms.pickup_vip_rank", DEFAULT_PICKUP_VIP_RANK)
        )
        if not self.partner_id.oms_tier_id or self.partner_id.oms_tier_rank < threshold:
            return
        boutique = self.oms_pickup_warehouse_id
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=(boutique.oms_manager_id or self.user_id or self.env.user).id,
            summary=self.env._("VIP pickup: %(client)s", client=self.partner_id.name),
            note=self.env._(
                "%(client)s (%(tier)s) will collect %(order)s at %(site)s. Prepare the welcome.",
                client=self.partner_id.name,
                tier=self.partner_id.oms_tier_id.name,
                order=self.name,
                site=boutique.name,
            ),
        )

    def _oms_mark_pickup_ready(self):
        for order in self:
            if not order.can_be_marked_pickup_ready:
                raise UserError(
                    self.env._("%(order)s is not a pickup being prepared.", order=order.name)
                )
            if not order._oms_goods_at_boutique():
                raise UserError(
                    self.env._(
                        "%(order)s: the goods are not all reserved at %(site)s yet.",
                        order=order.name,
                        site=order.oms_pickup_warehouse_id.name,
                    )
                )
            days = int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("luxury_oms.pickup_days", DEFAULT_PICKUP_DAYS)
            )
            order.write(
                {
                    "oms_pickup_state": "ready",
                    "oms_pickup_expiry": fields.Datetime.now() + timedelta(days=days),
                }
            )
            order._oms_notify("luxury_oms.mail_template_pickup_ready")

    def _oms_handover_pickings(self):
        self.ensure_one()
        return self.picking_ids.filtered(
            lambda picking: picking.picking_type_code == "outgoing"
            and picking.state not in ("done", "cancel")
        )

    def _oms_goods_at_boutique(self):
        pickings = self._oms_handover_pickings()
        return bool(pickings) and all(
            picking.state == "assigned"
            and picking.picking_type_id.warehouse_id == self.oms_pickup_warehouse_id
            for picking in pickings
        )

    def _oms_notify(self, template_xmlid):
        self.ensure_one()
        template = self.env.ref(template_xmlid)
        self.with_context(lang=self.partner_id.lang).message_post_with_source(
            template, subtype_xmlid="mail.mt_comment"
        )

    @api.model
    def _oms_search_pickups(self, boutique, query):
        if not isinstance(query, str) or len(query.strip()) < 2:
            raise ValidationError(self.env._("query: type at least 2 characters."))
        query = query.strip()
        domain = [
            ("oms_pickup_warehouse_id", "=", boutique.id),
            ("oms_pickup_state", "in", OPEN_PICKUP_STATES),
            "|",
            "|",
            "|",
            "|",
            ("oms_pickup_code", "=", normalize_pickup_code(query)),
            ("name", "ilike", query),
            ("partner_id.name", "ilike", query),
            ("partner_id.email", "ilike", query),
            ("partner_id.phone", "ilike", query),
        ]
        return self.search(domain, limit=20, order="date_order desc")

    def _oms_pickup_summary(self):
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name,
            "partner": self.partner_id.display_name,
            "state": self.oms_pickup_state,
            "expiry": fields.Datetime.to_string(self.oms_pickup_expiry) or False,
            "amount_total": self.amount_total,
            "currency": self.currency_id.name,
            "locked": self.oms_pickup_failed_attempts >= MAX_PICKUP_CODE_ATTEMPTS,
            "lines": [
                {"product": line.product_id.display_name, "qty": line.product_uom_qty}
                for line in self.order_line
                if not line.display_type
            ],
        }

    def _oms_collect(self, code):
        """Verify ``code`` and hand the order over. A wrong code is refused with the attempt
        logged (so this returns a refusal instead of raising: the log must be kept)."""
        self.ensure_one()
        self._oms_check_collectable()
        if not pickup_code_matches(self.oms_pickup_code, code):
            return self._oms_refuse_code()
        invoice = self._oms_hand_over()
        return {
            "collected": True,
            "order": self.name,
            "invoice": invoice.name,
            "message": self.env._("%(order)s handed over.", order=self.name),
        }

    def _oms_check_collectable(self):
        refusals = {
            "collected": self.env._("%(order)s was already collected.", order=self.name),
            "cancelled": self.env._(
                "%(order)s was cancelled: nothing to hand over.", order=self.name
            ),
            "expired": self.env._(
                "%(order)s expired unclaimed: its stock was released.", order=self.name
            ),
            "waiting": self.env._("%(order)s is not ready for pickup yet.", order=self.name),
        }
        if not self.oms_pickup_state:
            raise UserError(self.env._("%(order)s is not a pickup order.", order=self.name))
        if self.oms_pickup_state in refusals:
            raise UserError(refusals[self.oms_pickup_state])
        if self.oms_pickup_failed_attempts >= MAX_PICKUP_CODE_ATTEMPTS:
            raise UserError(
                self.env._(
                    "%(order)s is locked after %(count)s wrong codes: a boutique manager must "
                    "check the client's identity and unlock it.",
                    order=self.name,
                    count=self.oms_pickup_failed_attempts,
                )
            )

    def _oms_refuse_code(self):
        self.oms_pickup_failed_attempts += 1
        left = attempts_left(self.oms_pickup_failed_attempts)
        self.message_post(
            body=self.env._(
                "Wrong pickup code entered by %(user)s (attempt %(count)s, %(left)s left).",
                user=self.env.user.name,
                count=self.oms_pickup_failed_attempts,
                left=left,
            )
        )
        message = (
            self.env._("Wrong pickup code. %(left)s attempt(s) left.", left=left)
            if left
            else self.env._(
                "Wrong pickup code. The pickup is now locked: a boutique manager must check "
                "the client's identity."
            )
        )
        return {"collected": False, "attempts_left": left, "message": message}

    def _oms_hand_over(self):
        """Deliver what the boutique reserved, then invoice: ownership passes at handover."""
        pickings = self._oms_handover_pickings()
        if not self._oms_goods_at_boutique():
            raise UserError(
                self.env._("%(order)s: the goods are not all reserved here.", order=self.name)
            )
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings._action_done()
        invoice = self._create_invoices()
        invoice.action_post()
        self.write(
            {"oms_pickup_state": "collected", "oms_pickup_collected_date": fields.Datetime.now()}
        )
        self.message_post(body=self.env._("Collected in boutique; invoice %s.", invoice.name))
        return invoice

    @api.model
    def _cron_expire_pickups(self):
        expired = self.search(
            [
                ("oms_pickup_state", "=", "ready"),
                ("oms_pickup_expiry", "<=", fields.Datetime.now()),
            ]
        )
        expired._oms_expire_pickups()

    def _oms_expire_pickups(self):
        for order in self:
            order._action_cancel()
            order.oms_pickup_state = "expired"
            order._oms_notify("luxury_oms.mail_template_pickup_expired")

    # POS -------------------------------------------------------------------------------------

    @api.model
    def _oms_create_from_pos(self, config, product, site, partner, qty):
        """An order placed by a boutique advisor, shipped from ``site`` to the client."""
        # One savepoint: a refused confirmation leaves no draft order behind.
        with self.env.cr.savepoint():
            order = self.create(
                {
                    "partner_id": partner.id,
                    "oms_channel_id": config.oms_channel_id.id,
                    "company_id": config.company_id.id,
                    "warehouse_id": site.id,
                    "user_id": self.env.uid,
                    "origin": config.name,
                    "order_line": [
                        fields.Command.create({"product_id": product.id, "product_uom_qty": qty})
                    ],
                }
            )
            order.action_confirm()
        return order
