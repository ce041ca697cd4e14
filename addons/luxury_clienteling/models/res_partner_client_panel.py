from odoo import fields
from odoo import models
from odoo.tools import format_amount
from odoo.tools import format_date
from odoo.tools import format_datetime

from .res_partner import CLOSED_SERVICE_STATES

PANEL_PIECES = 6
PANEL_EVENTS = 3
PANEL_NOTES = 3


def _service_piece(service):
    """The name of the piece a service is about (a repair's serial's product, a loan's
    pieces, a special order's base model)."""
    if "lot_ids" in service:
        products = service.lot_ids.product_id
    elif "lot_product_id" in service:
        products = service.lot_product_id or service.product_id
    else:
        products = service.product_id
    return ", ".join(products.mapped("name"))


class ResPartner(models.Model):
    """The client at the counter: what the till shows when the advisor selects them."""

    _inherit = "res.partner"

    def clienteling_pos_panel(self, config_id=None):
        """The client's 360 for the till of ``config_id``: tier, advisor, preferences,
        recent pieces (pictures and names), services in progress (pickups waiting at this
        boutique included), upcoming events, the notes the seller may read, and what they
        spent, in the till's currency. Labels are in the seller's language; the client's
        name and the pieces as they are written.

        Any user who may read the client gets the panel, so that every seller of the
        boutique recognises the client; personal notes follow their own record rules.
        Selecting a flagged client at the till is a walk-in: it is logged, and so alerts
        the boutique manager, once a day.
        """
        self.ensure_one()
        self.check_access("read")
        client = self.sudo()
        config = self.env["pos.config"].sudo().browse(config_id).exists() if config_id else None
        warehouse = config.picking_type_id.warehouse_id if config else None
        if warehouse and client.clienteling_alert:
            client._clienteling_log_walk_in(warehouse)
        currency = config.currency_id if config else self.env.company.currency_id
        return {
            "name": client.name,
            "lang": client._clienteling_lang_name(),
            "tier": client.oms_tier_id.name or False,
            "advisor": client.clienteling_advisor_id.name or False,
            "home_boutique": client.oms_preferred_warehouse_id.name or False,
            "alert": client.clienteling_alert and (client.clienteling_alert_reason or True),
            "spent": client._clienteling_panel_spent(currency),
            "preferences": client._clienteling_panel_preferences(),
            "pieces": client._clienteling_panel_pieces(),
            "services": client._clienteling_panel_services(warehouse),
            "events": client._clienteling_panel_events(),
            "notes": self._clienteling_panel_notes(),
        }

    def _clienteling_log_walk_in(self, warehouse):
        """Log the client's visit of ``warehouse`` unless one is logged for the boutique's
        day already (since midnight where the boutique is)."""
        self.ensure_one()
        if not warehouse:
            return
        Interaction = self.env["luxury.client.interaction"].sudo()
        if Interaction.search_count(
            [
                ("partner_id", "=", self.id),
                ("warehouse_id", "=", warehouse.id),
                ("interaction_type", "=", "visit"),
                ("date", ">=", warehouse._oms_day_start()),
            ],
            limit=1,
        ):
            return
        Interaction.create(
            {
                "partner_id": self.id,
                "interaction_type": "visit",
                "warehouse_id": warehouse.id,
                "user_id": self.env.user.id,
                "summary": self.env._("Selected at the till"),
            }
        )

    def _clienteling_lang_name(self):
        lang = self.env["res.lang"]._get_data(code=self.lang) if self.lang else None
        return lang.name if lang else False

    def _clienteling_panel_spent(self, currency):
        """Lifetime purchases converted into ``currency`` at each purchase's date."""
        purchases = self.env["luxury.client.purchase"].search(
            [("partner_id", "=", self.commercial_partner_id.id)]
        )
        total = sum(
            purchase.currency_id._convert(
                purchase.amount_total,
                currency,
                purchase.company_id or self.env.company,
                purchase.date or fields.Date.today(),
            )
            for purchase in purchases
        )
        return {"amount": format_amount(self.env, total, currency), "count": len(purchases)}

    def _clienteling_panel_preferences(self):
        kinds = dict(
            self.env["luxury.client.preference"]._fields["kind"]._description_selection(self.env)
        )
        return [
            {"kind": kinds[preference.kind], "value": preference.value}
            for preference in self.clienteling_preference_ids
        ]

    def _clienteling_panel_pieces(self, limit=PANEL_PIECES):
        """The latest products bought, once each, newest first, with their picture."""
        lines = self.env["luxury.client.purchase.line"].search_fetch(
            [("partner_id", "=", self.commercial_partner_id.id), ("quantity", ">", 0)],
            ["product_id", "date"],
            limit=limit * 4,
        )
        pieces, seen = [], set()
        for line in lines:
            product = line.product_id
            if product in seen or product.type != "consu":
                continue
            seen.add(product)
            pieces.append(
                {
                    "product_id": product.id,
                    "name": product.name,
                    "image_url": f"/web/image/product.product/{product.id}/image_128",
                    "date": format_date(self.env, line.date),
                }
            )
            if len(pieces) == limit:
                break
        return pieces

    def _clienteling_panel_services(self, warehouse):
        """Services in progress, in the seller's words: repairs, special orders, loans,
        piece transfers, and the pickups waiting at this boutique."""
        labels = {
            "luxury.client.special.order": self.env._("Special order"),
            "luxury.client.repair": self.env._("Repair"),
            "luxury.client.loan": self.env._("Loan"),
            "luxury.client.piece.transfer": self.env._("Piece transfer"),
        }
        services = []
        for model, label in labels.items():
            Model = self.env[model]
            states = dict(Model._fields["state"]._description_selection(self.env))
            records = Model.search(
                [("partner_id", "=", self.id), ("state", "not in", CLOSED_SERVICE_STATES)]
            )
            services += [
                {
                    "kind": label,
                    "reference": record.name,
                    "status": states.get(record.state, ""),
                    "piece": _service_piece(record),
                }
                for record in records
            ]
        if warehouse:
            services += self._clienteling_panel_pickups(warehouse)
        return services

    def _clienteling_panel_pickups(self, warehouse):
        pickups = self.env["sale.order"].search(
            [
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("oms_pickup_warehouse_id", "=", warehouse.id),
                ("oms_pickup_state", "in", ("waiting", "ready")),
            ]
        )
        states = dict(
            self.env["sale.order"]._fields["oms_pickup_state"]._description_selection(self.env)
        )
        return [
            {
                "kind": self.env._("Pickup here"),
                "reference": order.name,
                "status": states[order.oms_pickup_state],
                "piece": ", ".join(order.order_line.product_id.mapped("name")),
            }
            for order in pickups
        ]

    def _clienteling_panel_events(self, limit=PANEL_EVENTS):
        events = self.env["luxury.client.event"].search(
            [("attendee_ids", "in", self.ids), ("date_begin", ">=", fields.Datetime.now())],
            order="date_begin",
            limit=limit,
        )
        return [
            {
                "name": event.name,
                "date": format_datetime(self.env, event.date_begin, dt_format="short"),
                "boutique": event.warehouse_id.name or "",
            }
            for event in events
        ]

    def _clienteling_panel_notes(self, limit=PANEL_NOTES):
        """The latest personal notes the seller may read (never more: notes stay private
        to the client's advisor, home boutique team and managers)."""
        Note = self.env["luxury.client.note"]
        if not Note.has_access("read"):
            return []
        notes = Note.search([("partner_id", "=", self.id)], limit=limit)
        return [
            {
                "body": note.body,
                "author": note.user_id.sudo().name,
                "date": format_date(self.env, note.create_date),
            }
            for note in notes
        ]
