from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

HOLD_GRACE = timedelta(days=1)
"""How long after the appointment the piece stays held for the client."""

TRANSFER_STATES = [
    ("draft", "Draft"),
    ("in_transit", "In transit"),
    ("arrived", "Arrived"),
    ("cancel", "Cancelled"),
]


class LuxuryClientPieceTransfer(models.Model):
    """Bring a unique piece (a serial) to another boutique for a client's appointment.

    Confirming pins the serial on an internal transfer from the site that holds
    it: the reservation keeps it from being sold or lent meanwhile. The
    appointment is logged at the destination, which alerts its manager for
    flagged clients. On arrival an OMS VIP hold keeps the piece for the client
    until the day after the appointment.
    """

    _name = "luxury.client.piece.transfer"
    _description = "Unique Piece Transfer"
    _inherit = ["luxury.client.service.mixin"]
    _sequence_code = "luxury.client.piece.transfer"

    warehouse_id = fields.Many2one(string="Appointment Boutique")
    state = fields.Selection(
        TRANSFER_STATES, required=True, default="draft", tracking=True, copy=False
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial",
        required=True,
        tracking=True,
        domain="[('product_id.tracking', '=', 'serial')]",
    )
    product_id = fields.Many2one(related="lot_id.product_id", string="Piece")
    appointment_date = fields.Datetime(required=True, tracking=True)
    source_warehouse_id = fields.Many2one(
        "stock.warehouse", string="From Site", readonly=True, copy=False
    )
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True, copy=False)
    interaction_id = fields.Many2one(
        "luxury.client.interaction", string="Appointment", readonly=True, copy=False
    )
    hold_id = fields.Many2one("luxury.oms.hold", string="VIP Hold", readonly=True, copy=False)
    can_confirm = fields.Boolean(compute="_compute_can")
    can_receive = fields.Boolean(compute="_compute_can")
    can_cancel = fields.Boolean(compute="_compute_can")

    @api.depends("state")
    def _compute_can(self):
        for transfer in self:
            transfer.can_confirm = transfer.state == "draft"
            transfer.can_receive = transfer.state == "in_transit"
            transfer.can_cancel = transfer.state in ("draft", "in_transit") and bool(transfer.id)

    def _client_status_text(self):
        boutique = self.warehouse_id.name
        return {
            "draft": self.env._("We are arranging for the piece to come to %(b)s.", b=boutique),
            "in_transit": self.env._(
                "The piece is on its way to %(b)s for your appointment.", b=boutique
            ),
            "arrived": self.env._("The piece awaits you at %(b)s.", b=boutique),
            "cancel": self.env._("This transfer was cancelled."),
        }[self.state]

    def action_confirm(self):
        self._ensure_state(["draft"], self.env._("confirm"))
        for transfer in self:
            transfer._send_piece()
        return True

    def action_receive(self):
        self._ensure_state(["in_transit"], self.env._("receive"))
        for transfer in self:
            transfer.picking_id._clienteling_validate()
            transfer.hold_id = (
                self.env["luxury.oms.hold"].sudo().create(transfer._prepare_hold_vals())
            )
        self.state = "arrived"
        return True

    def action_cancel(self):
        """Cancel the transfer: its reservation is released, the piece stays where it is."""
        self._ensure_state(["draft", "in_transit"], self.env._("cancel"))
        self.picking_id.sudo().action_cancel()
        self.state = "cancel"
        return True

    def _send_piece(self):
        self.ensure_one()
        quant = self.lot_id._clienteling_free_quants()
        source = quant.location_id.warehouse_id
        if source == self.warehouse_id:
            raise UserError(
                self.env._(
                    "Serial %(lot)s is already at %(site)s: no transfer needed.",
                    lot=self.lot_id.name,
                    site=source.name,
                )
            )
        picking = self.env["stock.picking"]._clienteling_create_serial_transfer(
            quant,
            self.warehouse_id.lot_stock_id,
            source.int_type_id,
            partner_id=self.partner_id.id,
            origin=self.name,
            scheduled_date=fields.Datetime.now(),
        )
        interaction = self.env["luxury.client.interaction"].create(self._prepare_appointment_vals())
        self.write(
            {
                "state": "in_transit",
                "source_warehouse_id": source.id,
                "picking_id": picking.id,
                "interaction_id": interaction.id,
            }
        )

    def _prepare_hold_vals(self):
        expiry = max(self.appointment_date, fields.Datetime.now()) + HOLD_GRACE
        return {
            "warehouse_id": self.warehouse_id.id,
            "location_id": self.picking_id.location_dest_id.id,
            "product_id": self.product_id.id,
            "quantity": 1,
            "beneficiary_type": "client",
            "partner_id": self.partner_id.id,
            "date_expiry": expiry,
            "note": self.env._(
                "Serial %(lot)s brought for the appointment %(ref)s.",
                lot=self.lot_id.name,
                ref=self.name,
            ),
        }

    def _prepare_appointment_vals(self):
        return {
            "partner_id": self.partner_id.id,
            "interaction_type": "appointment",
            "date": self.appointment_date,
            "warehouse_id": self.warehouse_id.id,
            "user_id": (self.user_id or self.env.user).id,
            "summary": self.env._(
                "Appointment to see %(piece)s (%(lot)s)",
                piece=self.product_id.display_name,
                lot=self.lot_id.name,
            ),
        }
