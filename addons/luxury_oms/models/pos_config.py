from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from ..engine.availability import find_shortages
from ..engine.boutique import REASON_BUFFER
from ..engine.boutique import REASON_HELD
from ..engine.boutique import REASON_NO_STOCK
from ..engine.boutique import REASON_RESERVED
from ..engine.boutique import explain_shortage


class PosConfig(models.Model):
    """A boutique POS is an OMS channel selling from the site of its operation type.

    The methods called from the POS UI (``oms_*``) are small public RPC entry points: they
    check who calls, then delegate to the availability service and the sale order, which
    run under the same lock as every other taker.
    """

    _inherit = "pos.config"

    oms_channel_id = fields.Many2one(
        "luxury.oms.channel",
        string="OMS Channel",
        domain="[('channel_type', '=', 'pos')]",
        check_company=True,
        help="The boutique channel of this POS: its sales take stock under the OMS invariant, "
        "in real time, and its buffer rules apply.",
    )
    oms_warehouse_id = fields.Many2one(
        related="picking_type_id.warehouse_id", string="OMS Site", readonly=True
    )

    @api.constrains("oms_channel_id", "picking_type_id")
    def _check_oms_channel_site(self):
        for config in self.filtered("oms_channel_id"):
            if config.oms_warehouse_id not in config.oms_channel_id.warehouse_ids:
                raise ValidationError(
                    self.env._(
                        "OMS Channel: %(channel)s does not sell from %(site)s, the site of "
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
        for record in data:
            record["_oms_is_boutique_manager"] = self.env.user.has_group(
                "luxury_oms.group_oms_boutique_manager"
            )
        return data

    # POS RPC ------------------------------------------------------------------------------

    def oms_check_lines(self, lines, partner_id=False):
        """Availability here of ``lines`` (``[{"product_id", "qty"}]``) for the client.

        Returns ``{"ok", "lines": [{"product_id", "product", "qty", "available", "short",
        "reason"}]}``; ``reason`` says what withholds the units when a line is short.
        """
        self.ensure_one()
        self._oms_check_boutique_user()
        demands = self._oms_demands_from_ui(lines)
        partner = self._oms_partner(partner_id)
        return self._oms_check_demands(demands, partner)

    def oms_manager_override(self, order_uuid, lines, reason, partner_id=False):
        """A boutique manager lets the POS sell short lines anyway; logged per product."""
        self.ensure_one()
        if not self.env.user.has_group("luxury_oms.group_oms_boutique_manager"):
            raise AccessError(self.env._("Only a boutique manager may override a stock refusal."))
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
                    self._oms_override_vals(line, partner, order_uuid, reason.strip())
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
        return "; ".join(labels[reason](qty) for reason, qty in reasons)

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
