from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from ..engine.availability import find_shortages
from ..engine.boutique import REASON_BUFFER
from ..engine.boutique import REASON_HELD
from ..engine.boutique import REASON_NO_STOCK
from ..engine.boutique import REASON_RESERVED
from ..engine.boutique import explain_shortage
from .pos_config import MAX_BADGE_PRODUCTS


class PosConfig(models.Model):
    """What a boutique's till may sell, and why not: the checks of an order's lines, the
    product cards' badges, the network's figures, and who the units here are promised to."""

    _inherit = "pos.config"

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

    def _oms_shortages_at_site(self, demands, partner):
        """Shortages of ``{product: qty}`` here, as the engine sees them."""
        site = self.oms_warehouse_id
        products = self.env["product.product"].union(*demands)
        availability = self.env["luxury.oms.availability"]._compute_availability(
            products, site, channel=self.oms_channel_id or None, partner=partner
        )
        needed = {(product.id, site.id): qty for product, qty in demands.items()}
        return find_shortages(needed, availability), availability

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

    def _oms_network(self):
        """The OMS sites of this till's company: here and everywhere a piece may come from."""
        return (
            self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)])
            ._oms_sites()
        ) | self.oms_warehouse_id
