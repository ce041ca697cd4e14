import json

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ConcurrencyError
from odoo.tools import SQL


class LuxuryOmsApiRequest(models.Model):
    """One accepted ``place_order`` per (channel, external_ref): what was asked (its hash),
    what was answered, and the order it created. A retry of the same request gets the
    same answer back; the same reference with other content is refused."""

    _name = "luxury.oms.api.request"
    _description = "Channel API Order Request"
    _order = "id desc"
    _rec_name = "external_ref"

    channel_id = fields.Many2one(
        "luxury.oms.channel", required=True, readonly=True, ondelete="cascade"
    )
    external_ref = fields.Char(required=True, readonly=True)
    payload_hash = fields.Char(
        required=True, readonly=True, help="SHA-256 of the normalised request."
    )
    payload = fields.Text(readonly=True, help="The normalised request, as JSON.")
    response = fields.Text(readonly=True, help="The first answer, as JSON.")
    order_id = fields.Many2one("sale.order", readonly=True, ondelete="set null", index=True)
    user_id = fields.Many2one("res.users", string="Integration User", readonly=True)
    order_partner_id = fields.Many2one(related="order_id.partner_id", string="Client")
    order_amount_total = fields.Monetary(
        related="order_id.amount_total", string="Total", currency_field="order_currency_id"
    )
    order_currency_id = fields.Many2one(related="order_id.currency_id", string="Currency")
    order_state = fields.Selection(related="order_id.state", string="Order Status")
    payload_pretty = fields.Text(string="Request", compute="_compute_pretty")
    response_pretty = fields.Text(string="Answer", compute="_compute_pretty")

    _channel_ref_unique = models.Constraint(
        "unique (channel_id, external_ref)",
        "This external reference was already used on this channel.",
    )

    @api.depends("payload", "response")
    def _compute_pretty(self):
        for request in self:
            request.payload_pretty = self._oms_pretty_json(request.payload)
            request.response_pretty = self._oms_pretty_json(request.response)

    @api.model
    def _oms_pretty_json(self, text):
        """``text`` (JSON) indented for a person; as it is when it is not JSON."""
        try:
            return json.dumps(json.loads(text), indent=2, ensure_ascii=False) if text else False
        except ValueError:
            return text

    @api.model
    def _oms_find(self, channel, external_ref):
        return self.search(
            [("channel_id", "=", channel.id), ("external_ref", "=", external_ref)], limit=1
        )

    @api.model
    def _oms_claim(self, channel, external_ref, payload_hash, payload):
        """Insert the request row before anything else is created.

        A concurrent retry of the same reference blocks on the unique index until this
        transaction ends; if this one commits, PostgreSQL (REPEATABLE READ) fails the twin
        with a serialization error, Odoo replays it and the replay finds this row.
        """
        rows = self.env.execute_query(
            SQL(
                """INSERT INTO luxury_oms_api_request
                          (channel_id, external_ref, payload_hash, payload, user_id,
                           create_uid, create_date, write_uid, write_date)
                   VALUES (%(channel)s, %(ref)s, %(hash)s, %(payload)s, %(uid)s,
                           %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC')
              ON CONFLICT (channel_id, external_ref) DO NOTHING
                RETURNING id""",
                channel=channel.id,
                ref=external_ref,
                hash=payload_hash,
                payload=json.dumps(payload, ensure_ascii=False),
                uid=self.env.uid,
            )
        )
        if not rows:
            # Committed by a twin after our snapshot was taken: replay the whole call.
            raise ConcurrencyError("external_ref claimed by a concurrent request")
        return self.browse(rows[0][0])

    def _oms_answer(self):
        self.ensure_one()
        return {**json.loads(self.response), "replayed": True}

    def _oms_record_answer(self, order, answer):
        self.ensure_one()
        self.write({"order_id": order.id, "response": json.dumps(answer, ensure_ascii=False)})
