from psycopg2.errors import UniqueViolation

from odoo import api
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import ConcurrencyError
from odoo.exceptions import ValidationError
from odoo.tools import split_every

from ..engine import api_payload
from ..engine import passport
from ..engine.api_payload import PayloadError
from . import api_boundary

CHANNEL_CLIENT_INDEX = "res_partner_oms_channel_client_email_unique"

# XML-RPC as served by Odoo cannot carry None: absent values are answered as False.
NONE = False
# Sites whose availability is read at a time when choosing an order's site: a channel that
# sells from hundreds of sites usually finds one among the first few.
SHIPPING_SITE_BATCH = 50


class LuxuryOmsApi(models.AbstractModel):
    """The external channel API (XML-RPC ``execute_kw`` and JSON-2).

    Its public methods are the contract of DESIGN.md. The caller must be an integration
    user bound to the channel it names; the group gives no access to any model, so every
    method checks the caller first and then works with superuser rights, scoped to that
    channel. Every failure is a ValidationError or AccessError whose message starts with
    the field path: ``lines[2].qty: must be a positive number``.
    """

    _name = "luxury.oms.api"
    _description = "Channel API"

    # Contract -----------------------------------------------------------------------
    # Each method crosses the boundary (api_boundary.py: clean context, bounded replays on
    # contention, no traceback to the caller) and delegates to its ``_api_*`` counterpart,
    # which extensions override.

    @api.model
    @api.readonly
    def get_availability(self, skus, sites=None, channel=None):
        """Availability per SKU and site: figures, incoming stock and the total to sell."""
        return api_boundary.call(self, "_api_get_availability", skus, sites, channel)

    @api.model
    def place_order(self, order):
        """Create and confirm an order, or refuse it and create nothing.

        Idempotent on (channel, external_ref): a retry gets the first answer back with
        ``replayed: True``.
        """
        return api_boundary.call(self, "_api_place_order", order)

    @api.model
    @api.readonly
    def get_order_status(self, channel, external_ref):
        return api_boundary.call(self, "_api_get_order_status", channel, external_ref)

    @api.model
    def cancel_order(self, channel, external_ref, reason):
        """Cancel the order and free its stock; refused once handed to a carrier."""
        return api_boundary.call(self, "_api_cancel_order", channel, external_ref, reason)

    @api.model
    @api.readonly
    def get_piece_passport(self, channel, serial):
        """The life of a piece the channel sold to its client: events, sites, certificate."""
        return api_boundary.call(self, "_api_get_piece_passport", channel, serial)

    # Work of the contract's methods ----------------------------------------------------

    def _api_get_availability(self, skus, sites, channel):
        request = self._api_validate(
            api_payload.validate_availability_request, skus, sites, channel
        )
        env = self._api_sudo_env()
        if request["channel"]:
            channel = self._api_channel(request["channel"])
            allowed_sites = channel._oms_selling_sites()
        else:
            channel = None
            allowed_sites = self._api_user_channels()._oms_selling_sites()
        products = self._api_products(request["skus"], "skus[{}]")
        warehouses = self._api_sites(request["sites"], allowed_sites)
        availability = env["luxury.oms.availability"]._compute_availability(
            products, warehouses, channel=channel
        )
        return {
            product.default_code: self._api_product_availability(product, warehouses, availability)
            for product in products
        }

    def _api_place_order(self, order):
        payload = self._api_validate(api_payload.validate_order, order, self._api_qty_digits())
        channel = self._api_channel(payload["channel"])
        Request = self._api_sudo_env()["luxury.oms.api.request"]
        payload_hash = api_payload.payload_hash(payload)
        previous = Request._oms_find(channel, payload["external_ref"])
        if previous:
            return self._api_replay(previous, payload_hash)
        request = Request._oms_claim(channel, payload["external_ref"], payload_hash, payload)
        order = self._api_as_channel(channel)._api_create_order(channel, payload)
        # The channel is answered once the stock is taken; the deliveries follow right
        # after the commit (luxury_oms_order_pipeline.py).
        order.sudo().oms_deliveries_pending = True
        order.action_confirm()
        answer = self._api_order_answer(order)
        request._oms_record_answer(order, answer)
        return answer

    def _api_get_order_status(self, channel, external_ref):
        channel_code, external_ref = self._api_validate(
            api_payload.validate_reference, channel, external_ref
        )
        order = self._api_order(self._api_channel(channel_code), external_ref)
        # The client's own parcels; pieces travelling between sites are listed apart.
        legs = order._oms_outgoing_pickings().filtered(lambda p: p._oms_is_internal_leg())
        return {
            "order_ref": order.name,
            "state": self._api_status(order),
            "fraud": self._api_fraud_state(order),
            "shipments": [
                self._api_shipment(picking) for picking in order._oms_outgoing_pickings() - legs
            ],
            "transfers": [self._api_shipment(picking) for picking in legs],
            "pickup": self._api_pickup(order),
            "invoices": order.invoice_ids.filtered(lambda move: move.state == "posted").mapped(
                "name"
            ),
        }

    def _api_cancel_order(self, channel, external_ref, reason):
        channel_code, external_ref = self._api_validate(
            api_payload.validate_reference, channel, external_ref
        )
        reason = self._api_validate(api_payload.validate_reason, reason)
        order = self._api_order(self._api_channel(channel_code), external_ref)
        if order.state != "cancel":
            self._api_cancel(order, reason)
        return {"order_ref": order.name, "state": self._api_status(order)}

    def _api_get_piece_passport(self, channel, serial):
        channel_code, serial = self._api_validate(
            passport.validate_passport_request, channel, serial
        )
        channel_record = self._api_channel(channel_code)
        lots = self._api_sudo_env()["stock.lot"].search([("name", "=", serial)])
        answers = [lot._passport_for_channel(channel_record) for lot in lots]
        answers = [answer for answer in answers if answer]
        if len(answers) != 1:
            # A serial of another channel's client reads as one that does not exist.
            raise ValidationError(self.env._("serial: unknown serial %(serial)r.",
                                             serial=serial))  # fmt: skip
        return answers[0]

    # Caller, channel, payload ---------------------------------------------------------

    def _api_validate(self, validator, *args):
        try:
            return validator(*args)
        except PayloadError as error:
            raise ValidationError(str(error)) from None

    def _api_qty_digits(self):
        """Decimals of stored quantities: a smaller quantity is refused, not stored as 0."""
        return self.env["decimal.precision"].precision_get("Product Unit")

    def _api_sudo_env(self):
        return self.env(su=True)

    def _api_as_channel(self, channel):
        """Superuser rights in the channel's company; the integration user does not
        follow the records it creates."""
        return (
            self.with_env(self._api_sudo_env())
            .with_company(channel.company_id)
            .with_context(mail_create_nosubscribe=True)
        )

    def _api_check_caller(self):
        if not self.env.user.has_group("luxury_oms.group_oms_integration"):
            raise AccessError(self.env._("Only integration users may call the channel API."))

    def _api_user_channels(self):
        self._api_check_caller()
        return self._api_sudo_env()["luxury.oms.channel"].search([("user_ids", "in", self.env.uid)])

    def _api_channel(self, code):
        """The channel ``code`` if it is active and the caller is one of its integration
        users. An archived channel sells nothing, whoever asks."""
        self._api_check_caller()
        channel = self._api_sudo_env()["luxury.oms.channel"]._oms_get_by_code(code)
        if self.env.user not in channel.user_ids:
            raise AccessError(self.env._("channel: not allowed for this user (%(code)s).",
                                         code=code))  # fmt: skip
        if not channel.active:
            raise ValidationError(self.env._("channel: %(code)s is archived.", code=code))
        return channel

    def _api_products(self, skus, field_format):
        """Active products by SKU, in the order asked, in one query; ``field_format`` names
        the field of the i-th SKU in an error, e.g. "lines[{}].sku"."""
        products = (
            self._api_sudo_env()["product.product"]
            .with_context(active_test=False)
            .search([("default_code", "in", skus)], order="active desc, id")
        )
        by_sku = {}
        for product in products:
            by_sku.setdefault(product.default_code, product)
        for index, sku in enumerate(skus):
            product = by_sku.get(sku)
            if not product:
                raise ValidationError(self.env._("%(field)s: unknown SKU %(sku)r.",
                                                 field=field_format.format(index),
                                                 sku=sku))  # fmt: skip
            if not product.active:
                raise ValidationError(self.env._("%(field)s: %(sku)s is archived.",
                                                 field=field_format.format(index),
                                                 sku=sku))  # fmt: skip
        return products.browse([by_sku[sku].id for sku in skus])

    def _api_sites(self, codes, allowed_sites, path="sites"):
        """The sites ``codes`` (all allowed sites when None), each among ``allowed_sites``."""
        if codes is None:
            return allowed_sites
        by_code = {site.code: site for site in allowed_sites}
        for index, code in enumerate(codes):
            if code not in by_code:
                raise ValidationError(self.env._("%(field)s: unknown site %(code)r.",
                                                 field=f"{path}[{index}]", code=code))  # fmt: skip
        return allowed_sites.browse([by_code[code].id for code in codes])

    def _api_order(self, channel, external_ref):
        """The channel's order ``external_ref``; another channel's orders do not exist."""
        order = (
            self._api_sudo_env()["sale.order"]
            .with_context(active_test=False)
            .search(
                [("oms_channel_id", "=", channel.id), ("oms_external_ref", "=", external_ref)],
                limit=1,
            )
        )
        if not order:
            raise ValidationError(self.env._("external_ref: unknown order %(ref)r.",
                                             ref=external_ref))  # fmt: skip
        return order

    # Availability -------------------------------------------------------------------

    def _api_product_availability(self, product, warehouses, availability):
        sites = {}
        for warehouse in warehouses:
            figures = availability.get((product.id, warehouse.id))
            sites[warehouse.code] = self._api_site_figures(figures)
        return {
            "sites": sites,
            "available_to_sell": sum(site["available_to_sell"] for site in sites.values()),
        }

    def _api_site_figures(self, figures):
        """The figures of one site; a product that is not stored has none."""
        if figures is None:
            return dict.fromkeys(
                ("on_hand", "reserved", "buffer", "held", "available_to_sell"), 0.0
            ) | {"incoming": []}
        return {
            "on_hand": figures.on_hand,
            "reserved": figures.reserved,
            "buffer": float(figures.buffer),
            "held": figures.held,
            "available_to_sell": figures.available_to_sell,
            "incoming": [{"date": day.isoformat(), "qty": qty} for day, qty in figures.incoming],
        }

    # Orders -------------------------------------------------------------------------

    def _api_replay(self, previous, payload_hash):
        if previous.payload_hash != payload_hash:
            raise ValidationError(
                self.env._(
                    "external_ref: %(ref)r was already used with different content.",
                    ref=previous.external_ref,
                )
            )
        return previous._oms_answer()

    def _api_create_order(self, channel, payload):
        """Check everything that needs the database, then create client and order.

        Any error raised here or by the confirmation rolls the whole call back: the
        request row, the client, the address and the order are one transaction.
        """
        self._api_check_currency(channel, payload["currency"])
        products = self._api_products([line["sku"] for line in payload["lines"]], "lines[{}].sku")
        self._api_check_quantities(payload["lines"], products)
        delivery = payload["delivery"]
        pickup_site = self._api_pickup_site(channel, delivery)
        carrier = self._api_carrier(delivery["carrier"])
        countries = self._api_countries(payload)
        lang = self._api_lang(payload["customer"]["lang"])
        partner = self._api_partner(payload["customer"], countries, lang, channel)
        shipping = self._api_shipping_address(partner, delivery["address"], countries)
        site = pickup_site or self._api_shipping_site(channel, products, payload["lines"])
        values = {
            "partner_id": partner.id,
            "partner_shipping_id": shipping.id,
            "company_id": channel.company_id.id,
            "oms_channel_id": channel.id,
            "oms_external_ref": payload["external_ref"],
            "client_order_ref": payload["external_ref"],
            "oms_pickup_warehouse_id": pickup_site.id if pickup_site else False,
            "warehouse_id": site.id,
            "user_id": False,
            "order_line": [
                (0, 0, {"product_id": product.id, "product_uom_qty": line["qty"],
                        "price_unit": line["price_unit"]})
                for product, line in zip(products, payload["lines"], strict=True)
            ],
        }  # fmt: skip
        if channel.pricelist_id:
            values["pricelist_id"] = channel.pricelist_id.id
        if channel.team_id:
            values["team_id"] = channel.team_id.id
        if carrier:
            values["carrier_id"] = carrier.id
        if delivery["single_parcel"] is not None:
            values["oms_single_parcel"] = delivery["single_parcel"]
        if payment := payload["payment"]:
            card_country = countries.get(payment["card_country"])
            values["oms_card_country_id"] = card_country.id if card_country else False
            values["oms_card_fingerprint"] = payment["card_fingerprint"] or False
        return self.env["sale.order"].create(values)

    def _api_check_currency(self, channel, code):
        if code != channel.currency_id.name:
            raise ValidationError(
                self.env._(
                    "currency: channel %(channel)s sells in %(expected)s, not %(code)s.",
                    channel=channel.code,
                    expected=channel.currency_id.name,
                    code=code,
                )
            )

    def _api_check_quantities(self, lines, products):
        for index, (line, product) in enumerate(zip(lines, products, strict=True)):
            if product.tracking == "serial" and line["qty"] != int(line["qty"]):
                raise ValidationError(
                    self.env._(
                        "lines[%(index)s].qty: %(sku)s is sold by the piece (serial number), "
                        "%(qty)s is not a whole number.",
                        index=index,
                        sku=line["sku"],
                        qty=line["qty"],
                    )
                )
            if not product.sale_ok:
                raise ValidationError(self.env._("lines[%(index)s].sku: %(sku)s is not sold.",
                                                 index=index, sku=line["sku"]))  # fmt: skip

    def _api_pickup_site(self, channel, delivery):
        if delivery["mode"] != "pickup":
            return None
        sites = channel._oms_selling_sites().filtered("oms_click_collect")
        code = delivery["pickup_site"]
        site = sites.filtered(lambda warehouse: warehouse.code == code)
        if not site:
            raise ValidationError(
                self.env._(
                    "delivery.pickup_site: %(code)r is not a click & collect site of channel "
                    "%(channel)s.",
                    code=code,
                    channel=channel.code,
                )
            )
        return site

    def _api_carrier(self, name):
        if not name:
            return None
        carrier = self.env["delivery.carrier"].search([("name", "=", name)], limit=1)
        if not carrier:
            raise ValidationError(self.env._("delivery.carrier: unknown carrier %(name)r.",
                                             name=name))  # fmt: skip
        return carrier

    def _api_countries(self, payload):
        """Countries by ISO code, for every country field of the payload, in one query."""
        fields_codes = {
            "customer.country": payload["customer"]["country"],
            "delivery.address.country": (payload["delivery"]["address"] or {}).get("country"),
            "payment.card_country": (payload["payment"] or {}).get("card_country"),
        }
        codes = {code for code in fields_codes.values() if code}
        countries = self.env["res.country"].search([("code", "in", list(codes))])
        by_code = {country.code: country for country in countries}
        for field, code in fields_codes.items():
            if code and code not in by_code:
                raise ValidationError(self.env._("%(field)s: unknown country %(code)r.",
                                                 field=field, code=code))  # fmt: skip
        return by_code

    def _api_lang(self, code):
        if not code:
            return None
        if not self.env["res.lang"]._lang_get(code):
            raise ValidationError(
                self.env._("customer.lang: %(code)r is not an active language.", code=code)
            )
        return code

    def _api_partner(self, customer, countries, lang, channel):
        """The client with this email (a contact of its own, not a company's address),
        or a new one. An existing client's details are not overwritten by a channel."""
        Partner = self.env["res.partner"]
        partner = Partner.search(
            [
                ("email_normalized", "=", customer["email"]),
                ("type", "=", "contact"),
                ("parent_id", "=", False),
                # Another company's client cannot be the customer of this channel's orders.
                ("company_id", "in", [False, channel.company_id.id]),
            ],
            order="id",
            limit=1,
        )
        if partner:
            return partner
        country = countries.get(customer["country"])
        try:
            with self.env.cr.savepoint():
                return Partner.with_context(mail_create_nolog=True).create(
                    {
                        "name": customer["name"],
                        "email": customer["email"],
                        "phone": customer["phone"] or False,
                        "lang": lang or False,
                        "country_id": country.id if country else False,
                        "company_id": False,
                        "oms_source_channel_id": channel.id,
                    }
                )
        except UniqueViolation as error:
            if error.diag.constraint_name != CHANNEL_CLIENT_INDEX:
                raise
            # A concurrent first order of the same new client committed it: replay the
            # request, which then finds that client.
            raise ConcurrencyError("client created by a concurrent order") from error

    def _api_shipping_address(self, partner, address, countries):
        """The client's delivery address with these details, reused or created."""
        if not address:
            return partner
        values = {
            "street": address["street"],
            "city": address["city"],
            "zip": address["zip"] or False,
            "country_id": countries[address["country"]].id,
        }
        existing = partner.child_ids.filtered(
            lambda child: child.type == "delivery"
            and (child.street, child.city, child.zip or False, child.country_id.id)
            == tuple(values.values())
        )
        if existing:
            return existing[0]
        # No "contact created" note: the order that brought the address says it.
        return (
            self.env["res.partner"]
            .with_context(mail_create_nolog=True)
            .create({**values, "type": "delivery", "parent_id": partner.id, "name": partner.name})
        )

    def _api_shipping_site(self, channel, products, lines):
        """The order's warehouse: the first of the channel's parcel-shipping sites that
        can serve every line, else the first of them (the confirmation then refuses the
        order, naming each short line). Availability is read a batch of sites at a time, in
        the channel's order, until one can serve. A channel with a sourcing strategy
        re-sources the lines on confirmation; when its strategy falls back on the nearest
        site, no line keeps the order's warehouse and nothing is read."""
        # Ids in one statement: a channel may sell from a thousand sites, and the first
        # batch nearly always serves.
        sites = self.env["stock.warehouse"].browse(channel._oms_parcel_site_ids())
        if not sites:
            raise ValidationError(
                self.env._("channel: %(channel)s sells from no site.", channel=channel.code)
            )
        strategy = channel.sudo().sourcing_strategy_id
        if strategy and strategy._oms_places_every_line():
            # The order's own warehouse ships none of the lines sourcing places at
            # confirmation: reading availability to choose it would be a read for nothing.
            return sites[:1]
        needed = {}
        for product, line in zip(products, lines, strict=True):
            needed[product.id] = needed.get(product.id, 0.0) + line["qty"]
        storable = products.filtered("is_storable")
        Availability = self.env["luxury.oms.availability"]
        for batch in split_every(SHIPPING_SITE_BATCH, sites.ids, sites.browse):
            availability = Availability._compute_availability(storable, batch, channel=channel)
            for site in batch:
                if all(
                    availability[product.id, site.id].available_to_sell >= needed[product.id]
                    for product in storable
                ):
                    return site
        return sites[0]

    def _api_order_answer(self, order):
        return {
            "order_ref": order.name,
            "state": self._api_order_state(order),
            "lines": [
                {
                    "sku": line.product_id.default_code,
                    "qty": line.product_uom_qty,
                    "site": line.warehouse_id.code or NONE,
                }
                for line in order.order_line
                if not line.display_type
            ],
            "replayed": False,
        }

    def _api_order_state(self, order):
        """State of a confirmed order: "on_hold" while fraud review holds it."""
        return "on_hold" if order.oms_fraud_state == "held" else "confirmed"

    def _api_fraud_state(self, order):
        """ "none" | "held" | "approved" | "rejected"."""
        return order.oms_fraud_state or "none"

    def _api_status(self, order):
        if order.state == "cancel":
            return "cancelled"
        if order.state in ("draft", "sent"):
            return "draft"
        if order.delivery_status == "full":
            return "shipped"
        if order.delivery_status == "partial":
            return "partially_shipped"
        return self._api_order_state(order)

    def _api_shipment(self, picking):
        return {
            "site": picking.picking_type_id.warehouse_id.code or NONE,
            "carrier": picking.carrier_id.name or NONE,
            "tracking_ref": picking.carrier_tracking_ref or NONE,
            "state": picking.state,
        }

    def _api_pickup(self, order):
        """Click & collect details, False for a shipped order."""
        if not order.oms_pickup_warehouse_id:
            return NONE
        # The channel shows the client their code once the order is ready to collect.
        ready = order.oms_pickup_state == "ready"
        return {
            "site": order.oms_pickup_warehouse_id.code,
            "ready": ready,
            "code": (order.sudo().oms_pickup_code if ready else None) or NONE,
        }

    def _api_cancel(self, order, reason):
        if order._oms_outgoing_pickings().filtered(lambda picking: picking.state == "done"):
            raise ValidationError(
                self.env._(
                    "external_ref: order %(order)s was handed to a carrier and can no longer "
                    "be cancelled.",
                    order=order.name,
                )
            )
        order._action_cancel()
        order.message_post(body=self.env._("Cancelled by the channel: %(reason)s", reason=reason))
        order.order_line._oms_refresh_availability()
