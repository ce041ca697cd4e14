from odoo import api
from odoo import fields
from odoo import models
from odoo.fields import Domain

from ..engine.client_matching import find_duplicates
from ..engine.client_matching import phone_key
from ..engine.suggestions import suggest_products

ADVISOR_GROUP = "luxury_clienteling.group_clienteling_advisor"
RECENT_PURCHASES = 10
SERVICE_MODELS = (
    "luxury.client.special.order",
    "luxury.client.repair",
    "luxury.client.loan",
    "luxury.client.piece.transfer",
)
# final states of special orders, repairs, loans and piece transfers
CLOSED_SERVICE_STATES = ("delivered", "returned", "arrived", "cancel")
SUGGESTION_CANDIDATES = 200


class ResPartner(models.Model):
    """Client 360: who serves the client, what they like, bought, asked for and attended."""

    _inherit = "res.partner"

    clienteling_advisor_id = fields.Many2one(
        "res.users",
        string="Client Advisor",
        index="btree_not_null",
        tracking=True,
        domain=lambda self: [("all_group_ids", "in", self.env.ref(ADVISOR_GROUP).ids)],
    )
    clienteling_alert = fields.Boolean(
        string="Alert Boutique Manager",
        tracking=True,
        groups=ADVISOR_GROUP,
        copy=False,
        help="The boutique manager gets a to-do when this client is expected or walks in.",
    )
    clienteling_alert_reason = fields.Char(string="Alert Reason", groups=ADVISOR_GROUP, copy=False)
    clienteling_passport_number = fields.Char(
        string="Passport Number",
        groups=ADVISOR_GROUP,
        copy=False,
        help="Printed on tax-free export forms of visitors.",
    )
    clienteling_tier_history_ids = fields.One2many(
        "luxury.client.tier.history", "partner_id", string="Tier History", groups=ADVISOR_GROUP
    )
    clienteling_preference_ids = fields.One2many(
        "luxury.client.preference", "partner_id", string="Preferences", groups=ADVISOR_GROUP
    )
    clienteling_date_ids = fields.One2many(
        "luxury.client.date", "partner_id", string="Important Dates", groups=ADVISOR_GROUP
    )
    clienteling_next_date = fields.Date(
        string="Next Important Date", compute="_compute_clienteling_next_date", groups=ADVISOR_GROUP
    )
    clienteling_interaction_ids = fields.One2many(
        "luxury.client.interaction", "partner_id", string="Interactions", groups=ADVISOR_GROUP
    )
    clienteling_note_ids = fields.One2many(
        "luxury.client.note", "partner_id", string="Personal Notes", groups=ADVISOR_GROUP
    )
    clienteling_interest_ids = fields.One2many(
        "luxury.client.interest", "partner_id", string="Products of Interest", groups=ADVISOR_GROUP
    )
    clienteling_event_ids = fields.Many2many(
        "luxury.client.event",
        "luxury_client_event_attendee_rel",
        "partner_id",
        "event_id",
        string="Events Attended",
        groups=ADVISOR_GROUP,
        copy=False,
    )
    clienteling_purchase_ids = fields.One2many(
        "luxury.client.purchase", "partner_id", string="Purchases", groups=ADVISOR_GROUP
    )
    clienteling_last_purchase_date = fields.Datetime(
        string="Last Purchase", compute="_compute_clienteling_purchase_stats", groups=ADVISOR_GROUP
    )
    clienteling_purchase_count = fields.Integer(
        string="Purchase Count",
        compute="_compute_clienteling_purchase_stats",
        groups=ADVISOR_GROUP,
    )
    clienteling_open_order_ids = fields.Many2many(
        "sale.order",
        string="Open Orders",
        compute="_compute_clienteling_open_order_ids",
        groups=ADVISOR_GROUP,
        help="Confirmed orders not fully delivered yet.",
    )
    clienteling_special_order_ids = fields.One2many(
        "luxury.client.special.order", "partner_id", string="Special Orders", groups=ADVISOR_GROUP
    )
    clienteling_repair_ids = fields.One2many(
        "luxury.client.repair", "partner_id", string="Repairs", groups=ADVISOR_GROUP
    )
    clienteling_loan_ids = fields.One2many(
        "luxury.client.loan", "partner_id", string="Loans", groups=ADVISOR_GROUP
    )
    clienteling_open_service_count = fields.Integer(
        string="Open Services",
        compute="_compute_clienteling_open_service_count",
        groups=ADVISOR_GROUP,
        help="Open orders, special orders, repairs, loans and piece transfers.",
    )
    clienteling_suggested_product_ids = fields.Many2many(
        "product.product",
        string="Suggestions",
        compute="_compute_clienteling_suggested_product_ids",
        groups=ADVISOR_GROUP,
        help="Products in the categories the client bought lately or matching their "
        "preferences, which they do not own yet.",
    )
    clienteling_phone_key = fields.Char(
        compute="_compute_clienteling_phone_key",
        store=True,
        index="btree_not_null",
        help="Trailing digits of the phone number, to recognise the same client.",
    )
    clienteling_duplicate_of_id = fields.Many2one(
        "res.partner",
        string="Possible Duplicate Of",
        index="btree_not_null",
        readonly=True,
        copy=False,
        tracking=True,
        help="An older client with the same email or phone: merge them, or dismiss.",
    )
    clienteling_duplicate_ids = fields.One2many(
        "res.partner", "clienteling_duplicate_of_id", string="Possible Duplicates"
    )

    @api.depends("clienteling_date_ids.next_date")
    def _compute_clienteling_next_date(self):
        for partner in self:
            dates = partner.clienteling_date_ids.mapped("next_date")
            partner.clienteling_next_date = min(dates) if dates else False

    def _compute_clienteling_purchase_stats(self):
        stats = {
            partner: (count, last_date)
            for partner, count, last_date in self.env["luxury.client.purchase"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count", "date:max"],
            )
        }
        for partner in self:
            count, last_date = stats.get(partner.commercial_partner_id, (0, False))
            partner.clienteling_purchase_count = count
            partner.clienteling_last_purchase_date = last_date

    def _compute_clienteling_open_order_ids(self):
        orders = self.env["sale.order"].search(
            [
                ("partner_id", "child_of", self.commercial_partner_id.ids),
                ("state", "=", "sale"),
                ("delivery_status", "!=", "full"),
            ]
        )
        for partner in self:
            partner.clienteling_open_order_ids = orders.filtered(
                lambda order, p=partner: order.partner_id.commercial_partner_id
                == p.commercial_partner_id
            )

    def _compute_clienteling_open_service_count(self):
        counts = dict.fromkeys(self.ids, 0)
        for model in SERVICE_MODELS:
            for partner, count in self.env[model]._read_group(
                [("partner_id", "in", self.ids), ("state", "not in", CLOSED_SERVICE_STATES)],
                ["partner_id"],
                ["__count"],
            ):
                counts[partner.id] += count
        for partner in self:
            partner.clienteling_open_service_count = counts.get(partner.id, 0) + len(
                partner.clienteling_open_order_ids
            )

    def _compute_clienteling_suggested_product_ids(self):
        for partner in self:
            partner.clienteling_suggested_product_ids = partner._clienteling_suggest_products()

    @api.depends("phone")
    def _compute_clienteling_phone_key(self):
        for partner in self:
            partner.clienteling_phone_key = phone_key(partner.phone)

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered("oms_tier_id")._clienteling_log_tier_change({})
        partners._clienteling_flag_duplicates()
        return partners

    def write(self, vals):
        tier_changes = "oms_tier_id" in vals
        old_tiers = {partner.id: partner.oms_tier_id for partner in self} if tier_changes else {}
        result = super().write(vals)
        if tier_changes:
            changed = self.filtered(lambda p: p.oms_tier_id != old_tiers[p.id])
            changed._clienteling_log_tier_change(old_tiers)
        if {"email", "phone"} & vals.keys():
            self._clienteling_flag_duplicates()
        return result

    def action_clienteling_merge_duplicate(self):
        """Open Odoo's merge wizard on this client and the client it duplicates."""
        self.ensure_one()
        partners = self | self.clienteling_duplicate_of_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "base.partner.merge.automatic.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "res.partner", "active_ids": partners.ids},
        }

    def action_clienteling_dismiss_duplicate(self):
        self.clienteling_duplicate_of_id = False
        return True

    def _clienteling_log_tier_change(self, old_tiers):
        """Record each partner's move from its old tier (``{partner id: tier}``) to its current."""
        self.env["luxury.client.tier.history"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "old_tier_id": old_tiers.get(partner.id, self.env["luxury.oms.tier"]).id,
                    "new_tier_id": partner.oms_tier_id.id,
                }
                for partner in self
            ]
        )

    def _clienteling_flag_duplicates(self):
        """Point each partner sharing an email or phone with an older client to that client.

        Clients are never refused (a web or POS order must go through): they are
        flagged so that a manager merges them.
        """
        persons = self.filtered(
            lambda p: p.type == "contact" and (p.email_normalized or p.clienteling_phone_key)
        )
        if not persons:
            return
        emails = [email for email in persons.mapped("email_normalized") if email]
        phone_keys = [key for key in persons.mapped("clienteling_phone_key") if key]
        fields_to_fetch = ["email_normalized", "clienteling_phone_key", "commercial_partner_id"]
        existing = (
            self.sudo()
            .with_context(active_test=True)
            .search_fetch(
                Domain("type", "=", "contact")
                & Domain("id", "not in", persons.ids)
                & (
                    Domain("email_normalized", "in", emails)
                    | Domain("clienteling_phone_key", "in", phone_keys)
                ),
                fields_to_fetch,
            )
        )

        def as_rows(partners):
            return [
                (p.id, p.email_normalized, p.clienteling_phone_key, p.commercial_partner_id.id)
                for p in partners
            ]

        matches = find_duplicates(as_rows(persons), as_rows(existing))
        for partner in persons:
            original = self.browse(matches.get(partner.id))
            if partner.clienteling_duplicate_of_id != original:
                partner.clienteling_duplicate_of_id = original

    def _clienteling_suggest_products(self, limit=5):
        """Products to propose to this client, consistent with recent purchases."""
        self.ensure_one()
        client = self.commercial_partner_id
        lines = self.env["luxury.client.purchase.line"]
        recent = lines.search_fetch(
            [("partner_id", "=", client.id)], ["categ_id"], limit=RECENT_PURCHASES
        )
        owned = {
            product.id
            for [product] in lines._read_group([("partner_id", "=", client.id)], ["product_id"])
        }
        preferences = [value.lower() for value in self.clienteling_preference_ids.mapped("value")]
        domain = Domain("sale_ok", "=", True) & Domain("id", "not in", list(owned))
        candidate_domain = Domain("categ_id", "in", recent.categ_id.ids)
        for value in preferences:
            candidate_domain |= Domain("name", "ilike", value)
        candidates = self.env["product.product"].search_fetch(
            domain & candidate_domain,
            ["name", "categ_id", "all_product_tag_ids"],
            limit=SUGGESTION_CANDIDATES,
        )
        ranked = suggest_products(
            [line.categ_id.id for line in recent],
            [
                (
                    product.id,
                    product.categ_id.id,
                    " ".join([product.name, *product.all_product_tag_ids.mapped("name")]).lower(),
                )
                for product in candidates
            ],
            preferences,
            owned,
            limit=limit,
        )
        return self.env["product.product"].browse([product_id for product_id, _score in ranked])
