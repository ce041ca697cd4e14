import dataclasses
import re

from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..engine import sourcing
from .stock_warehouse import CAPABILITY_FIELDS
from .stock_warehouse import SourcingRow

CHANNEL_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


class LuxuryOmsChannel(models.Model):
    """Where an order comes from: a web shop, an app, a boutique POS, a marketplace."""

    _name = "luxury.oms.channel"
    _description = "Sales Channel"
    _inherit = ["mail.thread", "luxury.oms.fraud.policy.mixin"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Identifier the channel sends in API calls, e.g. web-FR.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    channel_type = fields.Selection(
        [
            ("web", "Web shop"),
            ("app", "Mobile app"),
            ("pos", "Boutique POS"),
            ("clienteling", "Clienteling"),
            ("marketplace", "Marketplace"),
        ],
        required=True,
        default="web",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        tracking=True,
        default=lambda self: self.env.company.currency_id,
        help="Currency the channel sells in; API orders in another currency are refused.",
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse",
        "luxury_oms_channel_warehouse_rel",
        "channel_id",
        "warehouse_id",
        string="Sites",
        check_company=True,
        help="Sites whose stock this channel may sell. Global availability is the sum "
        "over these sites.",
    )
    warehouse_count = fields.Integer(compute="_compute_warehouse_count", string="Site Count")
    sells_from_description = fields.Char(compute="_compute_warehouse_count", string="Sells From")
    buffer_rule_ids = fields.Many2many(
        "luxury.oms.buffer.rule",
        compute="_compute_buffer_rule_ids",
        string="Buffers",
        help="The active buffer rules that can withhold stock from this channel: its own and "
        "those for every channel, at its sites or at every site.",
    )
    buffer_rule_count = fields.Integer(compute="_compute_buffer_rule_ids", string="Buffer Count")
    single_parcel = fields.Boolean(
        string="Prefer One Parcel",
        help="Orders of this channel are consolidated into one parcel unless the client "
        "says otherwise.",
    )
    allow_preorder = fields.Boolean(
        string="Allow Pre-orders",
        help="When stock is short, accept the order on incoming stock instead of refusing it.",
    )
    user_ids = fields.Many2many(
        "res.users",
        "luxury_oms_channel_user_rel",
        "channel_id",
        "user_id",
        string="Integration Users",
        help="API users allowed to act for this channel. Each one sees only its own "
        "channels' orders.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        help="Sales team set on the orders of this channel, for reporting.",
    )
    pricelist_id = fields.Many2one("product.pricelist", check_company=True)
    sourcing_strategy_id = fields.Many2one(
        "luxury.oms.sourcing.strategy",
        string="Sourcing Strategy",
        check_company=True,
        tracking=True,
        help="Decides which site prepares each line of this channel's orders. Without one, "
        "orders are prepared at their own warehouse.",
    )
    color = fields.Integer()

    _code_unique = models.Constraint("unique (code)", "A channel with this code already exists.")

    @api.depends("warehouse_ids")
    def _compute_warehouse_count(self):
        for channel in self:
            count = len(channel.warehouse_ids)
            channel.warehouse_count = count
            if not count:
                channel.sells_from_description = self.env._("No site yet")
            elif count == 1:
                channel.sells_from_description = self.env._("1 site")
            else:
                channel.sells_from_description = self.env._("%(count)s sites", count=count)

    @api.depends("warehouse_ids", "company_id")
    def _compute_buffer_rule_ids(self):
        Rule = self.env["luxury.oms.buffer.rule"]
        for channel in self:
            rules = Rule.search(
                [
                    ("company_id", "=", channel.company_id.id),
                    ("channel_id", "in", [channel._origin.id, False]),
                    ("warehouse_id", "in", [*channel.warehouse_ids._origin.ids, False]),
                ]
            )
            channel.buffer_rule_ids = rules
            channel.buffer_rule_count = len(rules)

    def write(self, vals):
        result = super().write(vals)
        if "warehouse_ids" in vals:
            # Each worker keeps the channel's selling sites (_oms_selling_site_rows).
            self.env.registry.clear_cache()
        if "warehouse_ids" in vals or "active" in vals:
            # The maison's sites changed: the cron makes and drops their snapshot rows.
            self.env.ref("luxury_oms.ir_cron_refresh_availability").sudo()._trigger()
        return result

    @api.constrains("code")
    def _check_code(self):
        for channel in self:
            if not CHANNEL_CODE_PATTERN.match(channel.code or ""):
                raise ValidationError(
                    self.env._(
                        "Channel code %(code)r must be 1 to 32 letters, digits, dots, dashes "
                        "or underscores, starting with a letter or digit.",
                        code=channel.code,
                    )
                )

    @api.constrains("pricelist_id", "currency_id")
    def _check_pricelist_currency(self):
        for channel in self:
            if channel.pricelist_id and channel.pricelist_id.currency_id != channel.currency_id:
                raise ValidationError(
                    self.env._(
                        "The pricelist of channel %(channel)s is in %(pricelist_currency)s but "
                        "the channel sells in %(currency)s.",
                        channel=channel.name,
                        pricelist_currency=channel.pricelist_id.currency_id.name,
                        currency=channel.currency_id.name,
                    )
                )

    @api.constrains("sourcing_strategy_id", "warehouse_ids")
    def _check_sourcing_sites_located(self):
        """Sourcing ranks sites by distance: refuse unlocated sites when configuring."""
        for channel in self.filtered("sourcing_strategy_id"):
            unlocated = channel.warehouse_ids.filtered(
                lambda site: not site.oms_country_id
                or not (site.oms_latitude or site.oms_longitude)
            )
            if unlocated:
                raise ValidationError(
                    self.env._(
                        "Channel %(channel)s sources its orders with a strategy, but sites "
                        "%(sites)s have no country or no coordinates: set them on the site "
                        "(address country, latitude and longitude).",
                        channel=channel.name,
                        sites=", ".join(unlocated.mapped("name")),
                    )
                )

    @api.constrains("company_id", "user_ids")
    def _check_integration_users_company(self):
        """A channel's key acts for the channel's company only: the API creates the orders
        in that company, so its integration users must belong to it."""
        for channel in self:
            strangers = channel.user_ids.filtered(
                lambda user, c=channel: user.company_id != c.company_id
            )
            if strangers:
                raise ValidationError(
                    self.env._(
                        "user_ids: %(users)s belong to another company than channel "
                        "%(channel)s (%(company)s).",
                        users=", ".join(strangers.mapped("login")),
                        channel=channel.name,
                        company=channel.company_id.name,
                    )
                )

    @api.constrains("company_id")
    def _check_orders_company(self):
        """An order takes its channel's company: a channel with orders keeps its company."""
        groups = (
            self.env["sale.order"]
            .sudo()
            ._read_group([("oms_channel_id", "in", self.ids)], ["oms_channel_id", "company_id"])
        )
        moved = [channel for channel, company in groups if company != channel.company_id]
        if moved:
            raise ValidationError(
                self.env._(
                    "company_id: channel %(channel)s has orders in another company; it keeps "
                    "its company.",
                    channel=moved[0].name,
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_buffer_rules(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "luxury_oms.luxury_oms_buffer_rule_action"
        )
        action["domain"] = [("id", "in", self.buffer_rule_ids.ids)]
        action["context"] = {"default_channel_id": self.id}
        action["display_name"] = self.env._("Buffers of %(channel)s", channel=self.name)
        return action

    def action_revoke_api_keys(self):
        """A leaked or retired key: every key of the channel's integration users stops
        working at once, without the identity check Odoo asks of a user removing their own."""
        self.check_access("write")
        self._revoke_api_keys()
        return True

    def _revoke_api_keys(self):
        for channel in self:
            keys = (
                self.env["res.users.apikeys"]
                .sudo()
                .search([("user_id", "in", channel.user_ids.ids)])
            )
            keys.unlink()
            channel.message_post(
                body=self.env._(
                    "%(count)s API key(s) of %(users)s revoked.",
                    count=len(keys),
                    users=", ".join(channel.user_ids.mapped("login")),
                )
            )

    def _oms_selling_sites(self):
        """The sites the channel sells from: an archived site sells nothing (the relation
        keeps archived warehouses, whatever the context). Not to be confused with
        ``stock.warehouse._oms_sites``, the warehouses the OMS governs."""
        return self.warehouse_ids.filtered("active")

    def _oms_parcel_site_ids(self):
        """The ids of the selling sites that ship parcels, in their order; of every selling
        site when none does. Every channel order without a strategy reads them."""
        rows = self._oms_selling_site_rows()
        return [row.id for row in rows if row.oms_ships_parcels] or [row.id for row in rows]

    @tools.ormcache("self.id")
    def _oms_selling_site_rows(self):
        """What sourcing reads of the selling sites (``SourcingRow``), in their order (the
        sites'), in one statement, kept by each worker: every channel order reads them, and
        they change with the maison's configuration (a site's fields or address time zone,
        the channel's sites), which clears them (stock.warehouse, res.partner, ``write``)."""
        self.ensure_one()
        Site = self.env["stock.warehouse"]
        fnames = [field for field in SourcingRow._fields if field.startswith("oms_")]
        Site.flush_model([*fnames, "partner_id", "company_id", "active", "sequence"])
        self.env["res.company"].flush_model(["partner_id"])
        self.env["res.partner"].flush_model(["tz"])
        self.flush_recordset(["warehouse_ids"])
        rows = self.env.execute_query(
            SQL(
                """SELECT site.id, COALESCE(partner.tz, company_partner.tz), %s
                     FROM luxury_oms_channel_warehouse_rel rel
                     JOIN stock_warehouse site ON site.id = rel.warehouse_id
                     JOIN res_company company ON company.id = site.company_id
                LEFT JOIN res_partner partner ON partner.id = site.partner_id
                LEFT JOIN res_partner company_partner ON company_partner.id = company.partner_id
                    WHERE rel.channel_id = %s AND site.active
                 ORDER BY site.sequence, site.id""",
                SQL(", ").join(SQL.identifier("site", fname) for fname in fnames),
                self.id,
            )
        )
        return tuple(SourcingRow(*row) for row in rows)

    @tools.ormcache("self.id")
    def _oms_engine_sites(self):
        """The selling sites as sourcing engine data, kept by each worker with the rows they
        come from; their capacity left is the whole day's until ``_oms_sourcing_sites``
        counts the parcels started today."""
        return tuple(
            sourcing.Site(
                id=row.id,
                site_type=row.oms_site_type or False,
                latitude=row.oms_latitude or 0.0,
                longitude=row.oms_longitude or 0.0,
                capabilities=frozenset(
                    name for name, fname in CAPABILITY_FIELDS.items() if getattr(row, fname)
                ),
                daily_capacity=row.oms_daily_capacity or 0,
                capacity_left=row.oms_daily_capacity or 0,
                cost=row.oms_fulfilment_cost or 0.0,
            )
            for row in self._oms_selling_site_rows()
        )

    def _oms_sourcing_sites(self, counted_site_ids):
        """The selling sites as sourcing engine data for one order, the parcels started
        today counted (one statement) at ``counted_site_ids``: the sites whose capacity the
        order's plan weighs (``engine/sourcing.py`` ``capacity_site_ids``: those with stock
        for it, and the hubs where a one-parcel order's parts may meet), a few of the
        channel's sites."""
        self.ensure_one()
        tz_by_site = {
            row.id: row.tz for row in self._oms_selling_site_rows() if row.id in counted_site_ids
        }
        started = (
            self.env["stock.warehouse"].browse(tz_by_site)._oms_parcels_started_today(tz_by_site)
        )
        return [
            dataclasses.replace(site, capacity_left=site.daily_capacity - started[site.id])
            if site.id in started
            else site
            for site in self._oms_engine_sites()
        ]

    @api.model
    def _oms_get_by_code(self, code):
        """Return the channel with ``code``, archived or not (the caller says what an archived
        one may do), or raise a user-facing error."""
        channels = self.with_context(active_test=False)
        channel = channels.search([("code", "=", code)], limit=1) if isinstance(code, str) else None
        if not channel:
            raise ValidationError(self.env._("channel: unknown channel %(code)r.", code=code))
        return channel
