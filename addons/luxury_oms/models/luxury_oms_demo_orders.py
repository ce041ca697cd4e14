from odoo import api
from odoo import models

# The demo's orders, each named by the state the story leaves it in (its external
# reference on its channel). Every state is reached as the maison's people reach it: the
# channel API places and cancels, the floor works its tasks, the courier signs, the
# boutique checks the client's code. (reference, channel, client, SKU, delivery)
DEMO_ORDERS = (
    ("DEMO-TO-CONFIRM", "web-FR", "zoe.lefevre", "SLG-KEY-POUCH-ETOUPE", "ship"),
    ("DEMO-FRAUD-HELD", "web-FR", "alex.martin", "WAT-DAME-28-DIAM", "ship"),
    ("DEMO-PICKING", "web-FR", "camille.laurent", "FRG-OUD-ROYAL-75", "ship"),
    ("DEMO-QC-RESOURCED", "web-UK", "eleanor.whitfield", "BAG-VOYAGE-45-NOIR", "ship"),
    ("DEMO-PACKED", "web-FR", "wang.wei", "FRG-OUD-ROYAL-75", "ship"),
    ("DEMO-HANDED-OVER", "web-FR", "zoe.lefevre", "JWL-BRACELET-NOEUD-YG", "ship"),
    ("DEMO-RETURNED-REFUNDED", "web-FR", "zoe.lefevre", "BAG-CELESTE-35-ETOUPE", "ship"),
    ("DEMO-COUNTERFEIT-QUARANTINED", "web-FR", "luc.moreau", "BAG-CELESTE-28-NOIR", "ship"),
    ("DEMO-PICKUP-READY", "web-FR", "camille.laurent", "JWL-EARRINGS-PERLE", "PAR"),
    ("DEMO-COLLECTED", "web-FR", "zoe.lefevre", "FRG-NUIT-AMBRE-50", "PAR"),
    ("DEMO-CANCELLED", "web-FR", "zoe.lefevre", "FRG-JARDIN-SECRET-100", "ship"),
)
# Clients new to the maison: the channel creates them from the order.
NEW_CLIENTS = {
    "alex.martin": ("alex.martin@example.net", "Alex Martin"),
    "luc.moreau": ("luc.moreau@example.fr", "Luc Moreau"),
}
# The card of the order the fraud rules hold: issued in another country than the parcel's.
FRAUD_PAYMENT = {"method": "card", "card_country": "NG", "card_fingerprint": "fp-demo-4242"}


class LuxuryOmsDemo(models.AbstractModel):
    _inherit = "luxury.oms.demo"

    @api.model
    def _load_demo_orders(self):
        """Place the demo's orders, then move each to the state its reference names."""
        demo = self.with_company(self._maison())
        orders = {spec[0]: demo._place_demo_order(*spec) for spec in DEMO_ORDERS}
        # What a server's cron does after the channel's commit (the client's mails, the
        # plan's explanation) is done here before the orders move on, as it would be.
        demo.env["sale.order"]._oms_run_pending_work()
        demo._advance_demo_orders(orders)
        return True

    @api.model
    def _advance_demo_orders(self, orders):
        self._work_floor_tasks(orders["DEMO-QC-RESOURCED"], fail_qc=True)
        self._work_floor_tasks(orders["DEMO-PACKED"])
        # Returns (luxury_returns) start from parcels handed over to the client.
        for reference in (
            "DEMO-HANDED-OVER",
            "DEMO-RETURNED-REFUNDED",
            "DEMO-COUNTERFEIT-QUARANTINED",
        ):
            self._work_floor_tasks(orders[reference])
            self._hand_over(orders[reference])
        for reference in ("DEMO-PICKUP-READY", "DEMO-COLLECTED"):
            self._work_floor_tasks(orders[reference])
            self._send_to_boutique(orders[reference])
            orders[reference].with_user(self._demo_user("floor")).action_oms_pickup_ready()
        self._collect(orders["DEMO-COLLECTED"])
        self._api_user("web-FR").cancel_order(
            "web-FR", "DEMO-CANCELLED", "The client changed her mind by phone."
        )

    # Placing orders ---------------------------------------------------------------------

    @api.model
    def _place_demo_order(self, reference, channel_code, client_key, sku, delivery):
        channel = self.env["luxury.oms.channel"].search([("code", "=", channel_code)])
        email, name = NEW_CLIENTS.get(client_key, (None, None))
        client = self.env["res.partner"].search(
            [("email", "=ilike", f"{client_key}@%")], order="id", limit=1
        )
        if reference == "DEMO-TO-CONFIRM":
            return self._quotation(channel, client, sku)
        customer = {
            "email": email or client.email,
            "name": name or client.name,
            "country": client.country_id.code or "FR",
        }
        payload = self._prepare_demo_order_payload(
            reference, channel, customer, client, sku, delivery
        )
        answer = self._api_user(channel_code).place_order(payload)
        order = self.env["sale.order"].search([("name", "=", answer["order_ref"])])
        # The demo's stories go on at once: its deliveries are made now, not by the cron.
        order._oms_prepare_deliveries()
        return order

    @api.model
    def _prepare_demo_order_payload(self, reference, channel, customer, client, sku, delivery):
        lines = [{"sku": sku, "qty": 1, "price_unit": self._shelf_price(channel, sku)}]
        payload = {
            "channel": channel.code,
            "external_ref": reference,
            "currency": channel.currency_id.name,
            "customer": customer,
            "lines": lines,
        }
        if delivery == "ship":
            payload["delivery"] = {
                "mode": "ship",
                "address": {
                    "street": client.street or "8 Rue de Rivoli",
                    "city": client.city or "Paris",
                    "zip": client.zip or "75004",
                    "country": customer["country"],
                },
            }
        else:
            payload["delivery"] = {"mode": "pickup", "pickup_site": delivery}
        if reference == "DEMO-FRAUD-HELD":
            payload["payment"] = dict(FRAUD_PAYMENT, amount=lines[0]["price_unit"])
        return payload

    @api.model
    def _quotation(self, channel, client, sku):
        """A back-office quotation customer service has not confirmed yet."""
        products = self.env["product.product"].search([("default_code", "=", sku)])
        return (
            self.env["sale.order"]
            .with_user(self._demo_user("service"))
            .create(
                {
                    "partner_id": client.id,
                    "oms_channel_id": channel.id,
                    "client_order_ref": "DEMO-TO-CONFIRM",
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": 1})
                        for product in products
                    ],
                }
            )
        )

    @api.model
    def _shelf_price(self, channel, sku):
        product = self.env["product.product"].search([("default_code", "=", sku)])
        return channel.pricelist_id._get_product_price(product, 1.0)

    # Moving orders on, as their people do ------------------------------------------------

    @api.model
    def _work_floor_tasks(self, order, fail_qc=False):
        """The floor picks, checks and packs every open task up to the handover."""
        floor = self._demo_user("floor")
        for _step in range(10):
            tasks = order.picking_ids.oms_task_ids.filtered(
                lambda task: task.state == "ready" and task.step_type != "handover"
            )
            if not tasks:
                break
            for task in tasks.sorted("sequence").with_user(floor):
                if task.step_type == "qc" and fail_qc:
                    # The piece fails its check: the OMS re-sources it; the story stops here.
                    task.check_ids.result = "pass"
                    task.check_ids[:1].write({"result": "fail", "note": "Scratch on the clasp."})
                    task.action_done()
                    return
                if task.step_type == "qc":
                    task.check_ids.result = "pass"
                elif task.step_type in ("pick", "pack"):
                    for line in task.move_line_ids - task.scanned_move_line_ids:
                        task.action_scan(line.lot_id.name or line.product_id.barcode)
                task.action_done()

    @api.model
    def _send_to_boutique(self, order):
        """The legs that bring a pickup's pieces from another site to the boutique."""
        floor = self._demo_user("floor")
        for _leg in range(3):
            legs = order.picking_ids.filtered(
                lambda p: p.state == "assigned" and p.location_dest_id.usage != "customer"
            )
            if not legs:
                break
            for leg in legs:
                if leg.oms_task_ids.filtered(lambda t: t.step_type == "handover"):
                    self._hand_over_parcel(leg, courier="Maison courier, Saint-Ouen")
                else:
                    leg.with_user(floor).button_validate()
            self._work_floor_tasks(order)

    @api.model
    def _hand_over(self, order):
        picking = order.picking_ids.filtered(
            lambda p: p.oms_task_ids.filtered(lambda t: t.step_type == "handover")
        )[:1]
        self._hand_over_parcel(picking)

    @api.model
    def _hand_over_parcel(self, picking, courier="Karim, DHL Express"):
        wizard = (
            self.env["luxury.oms.handover.wizard"]
            .with_user(self._demo_user("floor"))
            .create(
                {
                    "picking_id": picking.id,
                    "parcel_barcode": picking.name,
                    "courier_name": courier,
                    "tracking_ref": f"TRK-{picking.name}",
                }
            )
        )
        wizard.action_hand_over()

    @api.model
    def _collect(self, order):
        till = self.env["pos.config"].search(
            [("oms_warehouse_id", "=", order.oms_pickup_warehouse_id.id)], limit=1
        )
        till.with_user(self._demo_user("advisor")).oms_collect_pickup(
            order.id, order.sudo().oms_pickup_code
        )

    @api.model
    def _demo_user(self, login):
        return self.env["res.users"].search([("login", "=", login)])

    @api.model
    def _api_user(self, channel_code):
        return self.env["luxury.oms.api"].with_user(self._demo_user(f"api-{channel_code}"))
