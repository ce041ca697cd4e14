from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessDenied
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from ..engine.availability import find_shortages
from ..engine.boutique import REASON_BUFFER
from ..engine.boutique import REASON_HELD
from ..engine.boutique import REASON_NO_STOCK
from ..engine.boutique import REASON_RESERVED
from ..engine.boutique import explain_shortage

MAX_BADGE_PRODUCTS = 2000
HOLD_FROM_TILL_DAYS = 7


class PosConfig(models.Model):
    """A boutique POS is an OMS channel selling from the site of its operation type.

    The methods called from the POS UI (``oms_*``) are small public RPC entry points: they
    check who calls, then delegate to the availability service and the sale order, which
    run under the same lock as every other taker.
    """

    _inherit = "pos.config"

    oms_channel_id = fields.Many2one(
        "luxury.oms.channel",
        string="Sales Channel",
        domain="[('channel_type', '=', 'pos')]",
        check_company=True,
        help="The boutique channel of this POS: its sales take stock under the OMS invariant, "
        "in real time, and its buffer rules apply.",
    )
    oms_warehouse_id = fields.Many2one(
        related="picking_type_id.warehouse_id", string="Sells the Stock of", readonly=True
    )

    @api.constrains("oms_channel_id", "picking_type_id")
    def _check_oms_channel_site(self):
        for config in self.filtered("oms_channel_id"):
            if config.oms_warehouse_id not in config.oms_channel_id.warehouse_ids:
                raise ValidationError(
                    self.env._(
                        "Sales Channel: %(channel)s does not sell from %(site)s, the site of "
                        "the operation type of %(pos)s.",
                        channel=config.oms_channel_id.name,
                        site=config.oms_warehouse_id.name or "-",
                        pos=config.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        configs = super().create(vals_list)
        configs.filtered("oms_channel_id")._oms_require_existing_serials()
        return configs

    def write(self, vals):
        result = super().write(vals)
        if {"oms_channel_id", "picking_type_id"} & vals.keys():
            self.filtered("oms_channel_id")._oms_require_existing_serials()
        return result

    @api.model
    def _load_pos_data_read(self, records, config):
        data = super()._load_pos_data_read(records, config)
        is_manager = self.env.user.has_group("luxury_oms.group_oms_boutique_manager")
        for record in data:
            record["_oms_is_boutique_manager"] = is_manager
            record["_oms_boutique_address"] = self.browse(record["id"])._oms_boutique_address()
        return data

    def _oms_boutique_address(self):
        """The boutique's name and address, as printed on its receipts."""
        site = self.sudo().oms_warehouse_id
        if not self.oms_channel_id or not site.partner_id:
            return False
        address = site.partner_id._display_address(without_company=True).strip()
        return "\n".join(line for line in [site.name, *address.splitlines()] if line.strip())

    # POS RPC ------------------------------------------------------------------------------

    def oms_check_lines(self, lines, partner_id=False, order_uuid=False):
        """Availability here of ``lines`` (``[{"product_id", "qty", "lot_names"}]``) for
        the client, checked when a piece is added to the order and again before payment.

        Returns ``{"ok", "lines": [{"product_id", "product", "qty", "available", "short",
        "reason", "promised", "lots_promised", "other_pieces", "elsewhere"}]}``: ``reason``
        says what withholds the units when a line is short, ``promised`` to whom (web
        orders, holds, and whether a hold is this client's), ``lots_promised`` the chosen
        serials promised to someone else, ``other_pieces`` the free serials here and
        ``elsewhere`` the sites that have it (the alternatives to offer).
        """
        self.ensure_one()
        self._oms_check_boutique_user()
        demands = self._oms_demands_from_ui(lines)
        partner = self._oms_partner(partner_id)
        result = self._oms_check_demands(demands, partner)
        lots = self._oms_lots_from_ui(lines)
        overridden = self._oms_overridden_qty(order_uuid)
        for line in result["lines"]:
            product = self.env["product.product"].browse(line["product_id"])
            line.update(self.sudo()._oms_explain_line(product, lots.get(product, ()), partner))
            line["overridden"] = overridden.get(product.id, 0.0) >= line["qty"]
            line["ok"] = line["overridden"] or not (line["short"] or line["lots_promised"])
        result["ok"] = all(line["ok"] or not line["short"] for line in result["lines"])
        return result

    def oms_stock_badges(self, product_ids, partner_id=False):
        """ATS here and in the rest of the network for the till's product cards, in one
        batch: ``{product_id: {"here", "network"}}`` (storable products only)."""
        self.ensure_one()
        self._oms_check_boutique_user()
        if not isinstance(product_ids, list) or len(product_ids) > MAX_BADGE_PRODUCTS:
            raise ValidationError(
                self.env._("product_ids: a list of at most %s ids.", MAX_BADGE_PRODUCTS)
            )
        ids = [pid for pid in product_ids if isinstance(pid, int) and not isinstance(pid, bool)]
        products = self.env["product.product"].sudo().browse(ids).exists()
        products = products.filtered("is_storable")
        partner = self._oms_partner(partner_id)
        sites = self._oms_network()
        availability = (
            self.env["luxury.oms.availability"]
            .sudo()
            ._compute_availability(
                products, sites, channel=self.oms_channel_id or None, partner=partner
            )
        )
        here = self.oms_warehouse_id.id
        badges = {}
        for product in products:
            figures = {
                site.id: availability[product.id, site.id].available_to_sell
                for site in sites
                if (product.id, site.id) in availability
            }
            badges[str(product.id)] = {
                "here": figures.get(here, 0.0),
                "network": sum(qty for site_id, qty in figures.items() if site_id != here),
            }
        return badges

    def oms_reserve_elsewhere(self, product_id, warehouse_id, partner_id, qty=1):
        """Reserve a piece at another site for the client at the counter: a VIP hold for
        them, under the same lock as every taker."""
        self.ensure_one()
        self._oms_check_boutique_user()
        product = self._oms_product(product_id)
        partner = self._oms_partner(partner_id)
        if not partner:
            raise ValidationError(self.env._("partner_id: choose the client to reserve for."))
        if not isinstance(qty, int | float) or isinstance(qty, bool) or qty <= 0:
            raise ValidationError(self.env._("qty: a positive quantity is needed."))
        site = self._oms_network().filtered(lambda wh: wh.id == warehouse_id)
        if not site:
            raise ValidationError(self.env._("warehouse_id: unknown site %s.", warehouse_id))
        hold = (
            self.env["luxury.oms.hold"]
            .sudo()
            .create(
                {
                    "warehouse_id": site.id,
                    "product_id": product.id,
                    "quantity": qty,
                    "beneficiary_type": "client",
                    "partner_id": partner.id,
                    "date_expiry": fields.Datetime.now() + timedelta(days=HOLD_FROM_TILL_DAYS),
                    "note": self.env._(
                        "Reserved from the till %(pos)s by %(user)s.",
                        pos=self.name,
                        user=self.env.user.name,
                    ),
                }
            )
        )
        return {"id": hold.id, "name": hold.name, "date_expiry": hold.date_expiry.isoformat()}

    def oms_manager_override(
        self,
        order_uuid,
        lines,
        reason,
        partner_id=False,
        approver_login=False,
        approver_password=False,
    ):
        """A boutique manager lets the POS sell short lines anyway; logged per product.

        The approver is the user at the till when a boutique manager, else the manager
        whose login and password are given: the server checks both, whatever the till says.
        """
        self.ensure_one()
        approver = self._oms_override_approver(approver_login, approver_password)
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError(self.env._("reason: an override needs a reason."))
        if not order_uuid or not isinstance(order_uuid, str):
            raise ValidationError(self.env._("order_uuid: the POS order is missing."))
        demands = self._oms_demands_from_ui(lines)
        partner = self._oms_partner(partner_id)
        check = self._oms_check_demands(demands, partner)
        short_lines = [line for line in check["lines"] if line["short"]]
        overrides = (
            self.env["luxury.oms.pos.override"]
            .sudo()
            .create(
                [
                    {
                        **self._oms_override_vals(line, partner, order_uuid, reason.strip()),
                        "approver_id": approver.id,
                    }
                    for line in short_lines
                ]
            )
        )
        return {"override_ids": overrides.ids}

    def oms_availability_elsewhere(self, product_id, partner_id=False):
        """ATS of a product here, in the other boutiques and the DCs of the company."""
        self.ensure_one()
        self._oms_check_boutique_user()
        product = self._oms_product(product_id)
        partner = self._oms_partner(partner_id)
        return {
            "product_id": product.id,
            "product": product.display_name,
            "sites": self._oms_sites_availability(product, partner),
        }

    def oms_order_elsewhere(self, product_id, warehouse_id, partner_id, qty=1):
        """Turn a stock-out into a sale: an order shipped to the client from another site.

        The order is confirmed at once, so it takes stock under the invariant like any
        order; a refusal comes back as a clear error and nothing is created.
        """
        self.ensure_one()
        self._oms_check_boutique_user()
        product = self._oms_product(product_id)
        partner = self._oms_partner(partner_id)
        if not partner:
            raise ValidationError(self.env._("partner_id: choose the client to ship to."))
        if not (partner.street and partner.city and partner.country_id):
            raise ValidationError(
                self.env._(
                    "partner_id: %(client)s has no complete address (street, city, country) "
                    "to ship to.",
                    client=partner.display_name,
                )
            )
        if not isinstance(qty, int | float) or isinstance(qty, bool) or qty <= 0:
            raise ValidationError(self.env._("qty: a positive quantity is needed."))
        site = self.env["stock.warehouse"].sudo().browse(warehouse_id).exists()
        if not site or site.company_id != self.company_id:
            raise ValidationError(self.env._("warehouse_id: unknown site %s.", warehouse_id))
        order = (
            self.env["sale.order"].sudo()._oms_create_from_pos(self, product, site, partner, qty)
        )
        return {"id": order.id, "name": order.name}

    def oms_find_pickups(self, query):
        """Open pickup orders at this boutique matching a code, client or order reference."""
        self.ensure_one()
        self._oms_check_boutique_user()
        orders = self.env["sale.order"].sudo()._oms_search_pickups(self.oms_warehouse_id, query)
        return [order._oms_pickup_summary() for order in orders]

    def oms_collect_pickup(self, order_id, code):
        """Verify the client's code and hand the pickup over (delivery done, invoice posted)."""
        self.ensure_one()
        self._oms_check_boutique_user()
        order = self.env["sale.order"].sudo().browse(order_id).exists()
        if not order or order.oms_pickup_warehouse_id != self.oms_warehouse_id:
            raise UserError(self.env._("This pickup order is not collected at this boutique."))
        return order._oms_collect(code)

    # Helpers --------------------------------------------------------------------------------

    def _oms_network(self):
        """The OMS sites of this till's company: here and everywhere a piece may come from."""
        return (
            self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)])
            ._oms_sites()
        ) | self.oms_warehouse_id

    def _oms_override_approver(self, login, password):
        manager_group = "luxury_oms.group_oms_boutique_manager"
        if not login and self.env.user.has_group(manager_group):
            return self.env.user
        refused = self.env._("Only a boutique manager may override a stock refusal.")
        if not (isinstance(login, str) and login and isinstance(password, str) and password):
            raise AccessError(refused)
        Users = self.env["res.users"].sudo()
        try:
            with Users._assert_can_auth(user=login):
                approver = Users.search([("login", "=", login)], limit=1)
                if not approver:
                    raise AccessDenied()
                approver.with_user(approver)._check_credentials(
                    {"type": "password", "password": password}, {"interactive": True}
                )
        except AccessDenied:
            raise AccessError(self.env._("Manager approval: wrong login or password.")) from None
        if not approver.has_group(manager_group) or self.company_id not in approver.company_ids:
            raise AccessError(refused)
        return approver

    def _oms_overridden_qty(self, order_uuid):
        """``{product_id: qty}`` a manager let this till sell for the unsynced order."""
        if not order_uuid or not isinstance(order_uuid, str):
            return {}
        overrides = (
            self.env["luxury.oms.pos.override"]
            .sudo()
            .search(
                [
                    ("config_id", "=", self.id),
                    ("pos_order_uuid", "=", order_uuid),
                    ("kind", "=", "override"),
                    ("pos_order_id", "=", False),
                ]
            )
        )
        quantities = {}
        for override in overrides:
            product_id = override.product_id.id
            quantities[product_id] = max(quantities.get(product_id, 0.0), override.quantity)
        return quantities

    def _oms_lots_from_ui(self, lines):
        """``{product: [serial names]}`` chosen on the order's lines."""
        lots = {}
        for line in lines:
            names = line.get("lot_names") or []
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ValidationError(self.env._("lines: lot_names must be a list of names."))
            if names:
                lots.setdefault(self._oms_product(line.get("product_id")), []).extend(names)
        return lots

    def _oms_explain_line(self, product, lot_names, partner):
        """Who the units here are promised to, and the alternatives to offer."""
        site = self.oms_warehouse_id
        promised = self._oms_promises(product, partner)
        chosen = set(lot_names)
        lots_promised = [
            {**promise, "lots": sorted(chosen & set(promise["lots"]))}
            for promise in promised
            if chosen & set(promise["lots"]) and not promise["for_this_client"]
        ]
        taken = {lot for promise in promised for lot in promise["lots"]}
        quants = self.env["stock.quant"].search_fetch(
            [
                ("product_id", "=", product.id),
                ("location_id", "in", site._oms_sellable_locations_by_site().get(site.id, [])),
                ("lot_id", "!=", False),
                ("quantity", ">", 0),
            ],
            ["lot_id"],
        )
        free_here = sorted(set(quants.lot_id.mapped("name")) - taken - chosen)
        network = self._oms_network().ids
        elsewhere = [
            row
            for row in self._oms_sites_availability(product, partner)
            if not row["here"] and row["available"] > 0 and row["warehouse_id"] in network
        ]
        return {
            "promised": promised,
            "lots_promised": lots_promised,
            "other_pieces": free_here,
            "elsewhere": elsewhere,
        }

    def _oms_promises(self, product, partner):
        """``[{"kind", "reference", "client", "until", "lots", "for_this_client"}]``: the web
        and back-office orders reserving ``product`` here, then its active holds."""
        site = self.oms_warehouse_id
        move_lines = self.env["stock.move.line"].search(
            [
                ("product_id", "=", product.id),
                ("location_id.warehouse_id", "=", site.id),
                ("state", "not in", ("done", "cancel")),
                ("quantity", ">", 0),
            ]
        )
        by_order = {}
        for move_line in move_lines:
            order = move_line.move_id._oms_sale_orders()[:1]
            key = order or move_line.picking_id
            by_order.setdefault(key, self.env["stock.lot"])
            by_order[key] |= move_line.lot_id
        promises = [
            {
                "kind": "order" if record._name == "sale.order" else "transfer",
                "reference": record.name,
                "channel": record.oms_channel_id.name or "" if record._name == "sale.order" else "",
                "client": record.partner_id.name or "",
                "until": False,
                "lots": lots.mapped("name"),
                "for_this_client": bool(partner) and record.partner_id == partner,
            }
            for record, lots in by_order.items()
        ]
        holds = self.env["luxury.oms.hold"].search(
            [
                ("state", "=", "active"),
                ("product_id", "=", product.id),
                ("warehouse_id", "=", site.id),
                ("remaining_qty", ">", 0),
            ],
            order="date_expiry",
        )
        promises += [
            {
                "kind": "hold",
                "reference": hold.name,
                "channel": "",
                "client": hold.partner_id.name
                or hold.event_name
                or self.env._("%(tier)s and above", tier=hold.tier_id.name),
                "until": fields.Datetime.to_string(hold.date_expiry),
                "lots": [],
                "for_this_client": self._oms_hold_serves(hold, partner),
            }
            for hold in holds
        ]
        return promises

    def _oms_hold_serves(self, hold, partner):
        """Whether the client at the counter may buy what ``hold`` keeps (as the
        availability service decides it)."""
        if not partner:
            return False
        buyers = partner | partner.commercial_partner_id
        if hold.beneficiary_type == "tier":
            return bool(partner.oms_tier_id) and hold.tier_id.rank <= partner.oms_tier_rank
        guests = hold.partner_id if hold.beneficiary_type == "client" else hold.event_partner_ids
        return bool(guests & buyers)

    def _oms_check_boutique_user(self):
        if not self.env.user.has_group("luxury_oms.group_oms_boutique"):
            raise AccessError(self.env._("Only boutique staff may use the OMS in the POS."))
        if not self.oms_channel_id:
            raise UserError(
                self.env._("%(pos)s is not an OMS boutique (no OMS channel).", pos=self.name)
            )

    def _oms_sites_availability(self, product, partner):
        """ATS of ``product`` at every site of the company, this boutique first."""
        sites = self.env["stock.warehouse"].sudo().search([("company_id", "=", self.company_id.id)])
        availability = (
            self.env["luxury.oms.availability"]
            .sudo()
            ._compute_availability(
                product, sites, channel=self.oms_channel_id or None, partner=partner
            )
        )
        here = self.oms_warehouse_id
        rows = [
            {
                "warehouse_id": site.id,
                "name": site.name,
                "code": site.code,
                "site_type": site.oms_site_type,
                "available": availability[product.id, site.id].available_to_sell,
                "here": site == here,
                "ships_parcels": site.oms_ships_parcels,
            }
            for site in sites
            if (product.id, site.id) in availability
        ]
        rows.sort(key=lambda row: (not row["here"], -row["available"], row["name"]))
        return rows

    def _oms_require_existing_serials(self):
        """Boutiques sell the serial they hold: the POS asks for an existing lot/serial."""
        self.picking_type_id.sudo().write({"use_existing_lots": True, "use_create_lots": False})

    def _oms_product(self, product_id):
        product = (
            self.env["product.product"].sudo().browse(product_id).exists()
            if isinstance(product_id, int) and not isinstance(product_id, bool)
            else None
        )
        if not product:
            raise ValidationError(self.env._("product_id: unknown product %s.", product_id))
        return product

    def _oms_partner(self, partner_id):
        if not partner_id:
            return self.env["res.partner"]
        partner = self.env["res.partner"].sudo().browse(partner_id).exists()
        if not partner:
            raise ValidationError(self.env._("partner_id: unknown client %s.", partner_id))
        return partner

    def _oms_demands_from_ui(self, lines):
        """``[{"product_id", "qty"}]`` -> ``{product: qty}`` of storable products sold here."""
        if not isinstance(lines, list):
            raise ValidationError(self.env._("lines: expected a list of product lines."))
        demands = {}
        for line in lines:
            qty = line.get("qty") if isinstance(line, dict) else None
            if not isinstance(qty, int | float) or isinstance(qty, bool):
                raise ValidationError(self.env._("lines: each line needs a numeric qty."))
            product = self._oms_product(line.get("product_id"))
            if product.is_storable and qty > 0:
                demands[product] = demands.get(product, 0.0) + qty
        return demands

    def _oms_check_demands(self, demands, partner):
        site = self.oms_warehouse_id
        products = self.env["product.product"].union(*demands)
        availability = (
            self.env["luxury.oms.availability"]
            .sudo()
            ._compute_availability(
                products, site, channel=self.oms_channel_id or None, partner=partner
            )
        )
        lines = []
        for product, qty in demands.items():
            figures = availability[product.id, site.id]
            reasons = explain_shortage(figures, qty)
            lines.append(
                {
                    "product_id": product.id,
                    "product": product.display_name,
                    "qty": qty,
                    "available": figures.available_to_sell,
                    "short": bool(reasons),
                    "reason": self._oms_format_reasons(product, reasons),
                }
            )
        return {"ok": not any(line["short"] for line in lines), "lines": lines}

    def _oms_format_reasons(self, product, reasons):
        if not reasons:
            return ""
        labels = {
            REASON_RESERVED: lambda qty: self.env._(
                "%(qty)s reserved for orders already placed (web, app, back office)", qty=qty
            ),
            REASON_HELD: lambda qty: self.env._(
                "%(qty)s held for a VIP until %(date)s",
                qty=qty,
                date=self._oms_next_hold_expiry(product) or "-",
            ),
            REASON_BUFFER: lambda qty: self.env._("%(qty)s kept as safety stock", qty=qty),
            REASON_NO_STOCK: lambda qty: self.env._("only %(qty)s in stock here", qty=qty),
        }
        # whole pieces read "1", not "1.0"
        return "; ".join(labels[reason](f"{qty:g}") for reason, qty in reasons)

    def _oms_next_hold_expiry(self, product):
        hold = (
            self.env["luxury.oms.hold"]
            .sudo()
            .search(
                [
                    ("state", "=", "active"),
                    ("product_id", "=", product.id),
                    ("warehouse_id", "=", self.oms_warehouse_id.id),
                ],
                order="date_expiry",
                limit=1,
            )
        )
        return fields.Datetime.to_string(hold.date_expiry) if hold else False

    def _oms_override_vals(self, line, partner, order_uuid, reason):
        return {
            "kind": "override",
            "state": "granted",
            "reason": reason,
            "config_id": self.id,
            "session_id": self.current_session_id.id,
            "warehouse_id": self.oms_warehouse_id.id,
            "pos_order_uuid": order_uuid,
            "partner_id": partner.id,
            "product_id": line["product_id"],
            "quantity": line["qty"],
            "available_qty": line["available"],
            "shortage_reason": line["reason"],
            "user_id": self.env.uid,
        }

    def _oms_shortages_at_site(self, demands, partner):
        """Shortages of ``{product: qty}`` here, as the engine sees them."""
        site = self.oms_warehouse_id
        products = self.env["product.product"].union(*demands)
        availability = self.env["luxury.oms.availability"]._compute_availability(
            products, site, channel=self.oms_channel_id or None, partner=partner
        )
        needed = {(product.id, site.id): qty for product, qty in demands.items()}
        return find_shortages(needed, availability), availability
