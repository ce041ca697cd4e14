from collections import namedtuple
from datetime import datetime
from datetime import time

import pytz

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..engine.fulfilment import handover_deadline

# The engine's site capabilities and the fields saying them.
CAPABILITY_FIELDS = {
    "ships_parcels": "oms_ships_parcels",
    "click_collect": "oms_click_collect",
    "luxury_packaging": "oms_luxury_packaging",
    "gift_wrap": "oms_gift_wrap",
}
# What a site's routes and rules follow from, beside its rules and routes themselves.
ROUTING_FIELDS = frozenset(
    {"route_ids", "delivery_steps", "reception_steps", "resupply_wh_ids", "lot_stock_id",
     "active", "company_id"}
)  # fmt: skip
# What sourcing reads of a site (``luxury.oms.channel._oms_selling_site_rows``).
SourcingRow = namedtuple(
    "SourcingRow",
    ["id", "tz", "oms_site_type", "oms_latitude", "oms_longitude", "oms_country_id",
     "oms_daily_capacity", "oms_fulfilment_cost", *CAPABILITY_FIELDS.values()],
)  # fmt: skip
# What the channels' selling sites, as each worker keeps them for sourcing, follow from
# (besides the sites' and their companies' addresses' time zones, see res.partner).
SOURCING_FIELDS = frozenset(
    {*SourcingRow._fields[2:], "partner_id", "company_id", "active", "sequence",
     "oms_channel_ids"}
)  # fmt: skip

SITE_TYPES = [
    ("dc", "Distribution centre"),
    ("flagship", "Flagship"),
    ("boutique", "Boutique"),
    ("corner", "Department-store corner"),
    ("airport", "Airport store"),
    ("outlet", "Outlet"),
]


class StockWarehouse(models.Model):
    """A warehouse that a channel sells from is an OMS site: a DC or a boutique of the
    maison. Any other warehouse works as in plain Odoo (see ``_oms_sites``)."""

    _inherit = "stock.warehouse"

    # Not required: a column of Odoo's own table, which warehouses created by code that
    # knows nothing of the OMS (another module, an import) must not need to fill.
    oms_site_type = fields.Selection(SITE_TYPES, string="Site Type", default="boutique")
    oms_latitude = fields.Float(string="Latitude", digits=(10, 6))
    oms_longitude = fields.Float(string="Longitude", digits=(10, 6))
    oms_country_id = fields.Many2one(
        related="partner_id.country_id", string="Site Country", store=True
    )
    oms_daily_capacity = fields.Integer(
        string="Daily Capacity",
        default=100,
        help="Orders the site can prepare per day; sourcing prefers sites with capacity left.",
    )
    oms_ships_parcels = fields.Boolean(string="Ships Parcels", default=True)
    oms_courier_cutoff = fields.Float(
        string="Courier Cut-off",
        default=16.0,
        help="Parcels of the channels' orders released to the floor before this time (the "
        "site's local time) are due to the courier the same day, later ones at the next "
        "courier day's cut-off (Monday to Saturday). The floor shows them late after it.",
    )
    oms_click_collect = fields.Boolean(string="Click & Collect")
    oms_luxury_packaging = fields.Boolean(string="Special Luxury Packaging")
    oms_gift_wrap = fields.Boolean(string="Gift Wrap")
    oms_fulfilment_cost = fields.Float(
        string="Cost per Parcel",
        digits=(10, 2),
        help="What preparing and shipping one parcel from this site costs, in the company "
        "currency; sourcing rules may prefer cheaper sites.",
    )
    oms_currency_id = fields.Many2one(related="company_id.currency_id", string="Site Currency")
    oms_sellable_location_ids = fields.Many2many(
        "stock.location",
        "luxury_oms_warehouse_sellable_location_rel",
        "warehouse_id",
        "location_id",
        string="Sellable Locations",
        compute="_compute_oms_sellable_location_ids",
        store=True,
        readonly=False,
        domain="[('usage', '=', 'internal'), ('warehouse_id', '=', id)]",
        help="Stock in these locations and their children is available to sell, except in "
        "children marked as quarantine, quality control, repair or display only.",
    )
    oms_manager_id = fields.Many2one(
        "res.users",
        string="Boutique Manager",
        help="Gets the site's staff alerts: VIP pickup orders, boutique sales short of stock.",
    )
    oms_channel_ids = fields.Many2many(
        "luxury.oms.channel",
        "luxury_oms_channel_warehouse_rel",
        "warehouse_id",
        "channel_id",
        string="Channels",
        readonly=True,
        # Those who may read channels and workflows; the OMS reads them for anyone else
        # through ``_oms_sites``.
        groups="luxury_oms.group_oms_user,luxury_oms.group_oms_boutique",
        # A copy is a new warehouse: a channel sells from it once its manager adds it.
        copy=False,
    )
    oms_workflow_ids = fields.One2many(
        "luxury.oms.fulfilment.workflow",
        "warehouse_id",
        string="Fulfilment Workflows",
        groups="luxury_oms.group_oms_user,luxury_oms.group_oms_boutique",
    )
    oms_floor_manager_id = fields.Many2one(
        "res.users",
        string="Floor Manager",
        help="Receives the quality control failures and the alerts about top-tier clients.",
    )
    oms_vip_alert_rank = fields.Integer(
        string="Alert From Tier Rank",
        help="When a parcel of a client whose tier rank is at least this reaches a step, the "
        "floor manager gets an activity. 0 disables the alert.",
    )
    # What the screens show and set: a tier, by name; the rank above is what the floor compares.
    oms_vip_alert_tier_id = fields.Many2one(
        "luxury.oms.tier",
        string="Alert From Tier",
        compute="_compute_oms_vip_alert_tier_id",
        inverse="_inverse_oms_vip_alert_tier_id",
        help="When a parcel of a client of this tier or above reaches a step, the floor "
        "manager gets an activity. Empty: no alert.",
    )

    _oms_daily_capacity_positive = models.Constraint(
        "CHECK (oms_daily_capacity >= 0)", "The daily capacity of a site cannot be negative."
    )
    _oms_courier_cutoff_time = models.Constraint(
        "CHECK (oms_courier_cutoff >= 0 AND oms_courier_cutoff < 24)",
        "A site's courier cut-off is a time of day, from 00:00 to 23:59.",
    )
    _oms_latitude_range = models.Constraint(
        "CHECK (oms_latitude BETWEEN -90 AND 90)", "A latitude lies between -90 and 90 degrees."
    )
    _oms_longitude_range = models.Constraint(
        "CHECK (oms_longitude BETWEEN -180 AND 180)",
        "A longitude lies between -180 and 180 degrees.",
    )

    def _oms_sites(self):
        """The warehouses of ``self`` that the OMS governs: the sites of a channel. On them
        the oversell invariant holds and parcels follow the floor workflow; every other
        warehouse behaves exactly as in plain Odoo. Read as superuser: whether a warehouse
        is a site is decided for whoever sells or ships from it, with or without the right
        to read channels."""
        return self.filtered(lambda warehouse: warehouse.sudo().oms_channel_ids)

    @api.depends("oms_vip_alert_rank")
    def _compute_oms_vip_alert_tier_id(self):
        tiers = self.env["luxury.oms.tier"].sudo().search([], order="rank")
        for warehouse in self:
            rank = warehouse.oms_vip_alert_rank
            # The lowest tier whose clients trigger the alert; none when it is off.
            alerting = tiers.filtered(lambda tier, rank=rank: rank and tier.rank >= rank)
            warehouse.oms_vip_alert_tier_id = alerting[:1]

    def _inverse_oms_vip_alert_tier_id(self):
        for warehouse in self:
            warehouse.oms_vip_alert_rank = warehouse.oms_vip_alert_tier_id.rank

    @api.depends("lot_stock_id")
    def _compute_oms_sellable_location_ids(self):
        for warehouse in self:
            if not warehouse.oms_sellable_location_ids:
                warehouse.oms_sellable_location_ids = warehouse.lot_stock_id

    @api.constrains("oms_sellable_location_ids")
    def _check_oms_sellable_location_ids(self):
        for warehouse in self:
            for location in warehouse.oms_sellable_location_ids:
                if location.usage != "internal" or location.warehouse_id != warehouse:
                    raise ValidationError(
                        self.env._(
                            "Sellable location %(location)s must be an internal location of "
                            "site %(site)s.",
                            location=location.display_name,
                            site=warehouse.name,
                        )
                    )
                if location.oms_unsellable_reason:
                    raise ValidationError(
                        self.env._(
                            "Location %(location)s is marked as not sellable and cannot be a "
                            "sellable location of site %(site)s.",
                            location=location.display_name,
                            site=warehouse.name,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        # A site may be created selling for a channel: its sourcing sites changed.
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        result = super().write(vals)
        if {"oms_sellable_location_ids", "company_id"} & vals.keys():
            self.env["stock.location"]._oms_sellable_changed(self)
        if (ROUTING_FIELDS | SOURCING_FIELDS) & vals.keys():
            # The take keeps whether a product's lines take the site's stock, which
            # follows the site's routes (sale.order.line._oms_takes_site_stock); sourcing
            # keeps the channels' selling sites (luxury.oms.channel._oms_engine_sites).
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    def _oms_sellable_locations_by_site(self):
        """Map each site of ``self`` to the ids of its sellable internal locations."""
        self._oms_flush_sellable_locations()
        result = {warehouse_id: [] for warehouse_id in self.ids}
        for location_id, warehouse_id in self.env.execute_query(
            self._oms_sellable_locations_sql(self.ids)
        ):
            result[warehouse_id].append(location_id)
        return result

    def _oms_flush_sellable_locations(self):
        self.flush_model(["oms_sellable_location_ids"])
        self.env["stock.location"].flush_model(
            ["parent_path", "warehouse_id", "usage", "active", "oms_unsellable_reason"]
        )

    @api.model
    def _oms_sellable_locations_sql(self, warehouse_ids):
        """Rows (location_id, site_id) of the sellable locations of ``warehouse_ids``.

        A location is sellable when it is an active internal location lying under a
        sellable root of its site and under no active location marked unsellable. Plain
        SQL, so that availability reads can use it as a sub-query of their own statement.
        """
        return SQL(
            """SELECT DISTINCT location.id AS location_id, location.warehouse_id AS site_id
                 FROM stock_location location
                 JOIN luxury_oms_warehouse_sellable_location_rel root_rel
                   ON root_rel.warehouse_id = location.warehouse_id
                 JOIN stock_location root ON root.id = root_rel.location_id
                WHERE location.warehouse_id = ANY(%(sites)s)
                  AND location.usage = 'internal' AND location.active
                  AND location.parent_path LIKE root.parent_path || '%%'
                  AND location.parent_path NOT LIKE ALL (ARRAY(
                      SELECT blocked.parent_path || '%%'
                        FROM stock_location blocked
                       WHERE blocked.warehouse_id = ANY(%(sites)s)
                         AND blocked.oms_unsellable_reason IS NOT NULL
                         AND blocked.usage = 'internal' AND blocked.active))""",
            sites=list(warehouse_ids),
        )

    def _oms_qc_location(self):
        """The site's quality control location, created on first need: pieces there are
        never available to sell. Created as superuser because the floor staff who fail the
        first check of a site do not administer locations."""
        self.ensure_one()
        Location = self.env["stock.location"]
        location = Location.search(
            [
                ("warehouse_id", "=", self.id),
                ("usage", "=", "internal"),
                ("oms_unsellable_reason", "=", "quality"),
            ],
            limit=1,
        )
        return location or Location.sudo().create(
            {
                "name": self.env._("Quality Control"),
                "usage": "internal",
                "location_id": self.view_location_id.id,
                "oms_unsellable_reason": "quality",
                "company_id": self.company_id.id,
            }
        )

    @api.constrains("oms_latitude", "oms_longitude", "partner_id")
    def _check_oms_located_for_sourcing(self):
        # A stock manager without OMS groups may edit a site's address: read as superuser.
        self.sudo().oms_channel_ids._check_sourcing_sites_located()

    def _oms_parcels_started_today(self, tz_by_site=None):
        """Outgoing transfers created since each site's day began, per site id: what its
        daily capacity (the parcels it prepares) already spent. A till's sale handed over
        at the counter is no parcel; one of its orders shipped later is. One statement;
        ``tz_by_site`` ({site id: time zone name or None}, as ``_oms_selling_site_rows``
        reads them) spares reading the sites."""
        if tz_by_site is None:
            tz_by_site = {site.id: site._oms_tz_name() for site in self}
        day_start_by_tz = {}  # sites share a few time zones: one conversion each
        for tz in set(tz_by_site.values()):
            day_start_by_tz[tz] = self._oms_day_start_in(tz)
        started = dict.fromkeys(self.ids, 0)
        if not started:
            return started
        self.env["stock.picking"].flush_model(
            ["picking_type_id", "state", "create_date", "pos_session_id", "pos_order_id"]
        )
        self.env["pos.order"].flush_model(["shipping_date"])
        self.env["stock.picking.type"].flush_model(["warehouse_id", "code"])
        day_starts = {site_id: day_start_by_tz[tz_by_site[site_id]] for site_id in started}
        started.update(self.env.execute_query(self._oms_parcels_started_sql(day_starts)))
        return started

    @api.model
    def _oms_parcels_started_sql(self, day_starts):
        """The statement counting the outgoing transfers created at each site since
        ``day_starts[site id]`` (a UTC datetime). The earliest day start, written as a
        constant, lets PostgreSQL read only the recent transfers through the create date
        index (stock.picking): a site's years of parcels are not read for each order."""
        return SQL(
            """SELECT kind.warehouse_id, COUNT(*)
                 FROM stock_picking picking
                 JOIN stock_picking_type kind ON kind.id = picking.picking_type_id
                 JOIN unnest(%s::int[], %s::timestamp[]) AS site(id, day_start)
                   ON site.id = kind.warehouse_id
            LEFT JOIN pos_order till_sale ON till_sale.id = picking.pos_order_id
                WHERE kind.code = 'outgoing' AND picking.state != 'cancel'
                  AND picking.create_date >= %s AND picking.create_date >= site.day_start
                  AND (picking.pos_session_id IS NULL OR till_sale.shipping_date IS NOT NULL)
             GROUP BY kind.warehouse_id""",
            list(day_starts),
            list(day_starts.values()),
            min(day_starts.values()),
        )

    def _oms_handover_deadline(self):
        """The courier cut-off a parcel released now must make, as a UTC datetime."""
        self.ensure_one()
        tz = self._oms_zone(self._oms_tz_name())
        return self._oms_to_utc(
            handover_deadline(self._oms_now_in(tz), self.oms_courier_cutoff), tz
        )

    def _oms_tz_name(self):
        """The site's time zone: its address's, else its company's, else none (UTC). Never
        the user's or the caller's: a site's day and cut-off are the same for everyone."""
        self.ensure_one()
        return self.partner_id.tz or self.company_id.partner_id.tz

    def _oms_day_start(self):
        """When the site's current day began, as a UTC datetime (how Odoo stores them): at
        midnight in the site's time zone."""
        self.ensure_one()
        return self._oms_day_start_in(self._oms_tz_name())

    def _oms_day_start_in(self, tz_name):
        """When the current day began in time zone ``tz_name`` (else UTC), as a UTC
        datetime."""
        tz = self._oms_zone(tz_name)
        return self._oms_to_utc(datetime.combine(self._oms_now_in(tz).date(), time.min), tz)

    def _oms_zone(self, tz_name):
        """Time zone ``tz_name`` (a site's, see ``_oms_tz_name``), else UTC."""
        return pytz.timezone(tz_name) if tz_name else pytz.utc

    def _oms_now_in(self, tz):
        """Now in ``tz``, without time zone, by the transaction's clock (the one that
        stamps create_date)."""
        return pytz.utc.localize(self.env.cr.now()).astimezone(tz).replace(tzinfo=None)

    def _oms_to_utc(self, local, tz):
        """A datetime of ``tz`` without time zone as UTC, as Odoo stores datetimes."""
        return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
