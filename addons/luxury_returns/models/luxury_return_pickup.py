from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

# Changing one of these on a requested return reschedules its white-glove pickup.
PICKUP_FIELDS = {"return_mode", "pickup_date", "pickup_address_id", "pickup_carrier_id", "site_id"}


class LuxuryReturn(models.Model):
    """White-glove pickup of a return: the courier collects the piece at the client's address.

    Submitting a pickup return schedules an incoming transfer at the appointment; changing
    the appointment reschedules it, cancelling the return or going back to a boutique return
    cancels it, and when the checks conclude that transfer books the piece into stock or
    quarantine (see ``_picking_to_complete``).
    """

    _inherit = "luxury.return"

    pickup_address_id = fields.Many2one(
        "res.partner",
        string="Pickup Address",
        compute="_compute_pickup_address_id",
        store=True,
        precompute=True,
        readonly=False,
    )
    pickup_date = fields.Datetime(string="Pickup Appointment")
    pickup_carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Courier",
        check_company=True,
        help="White-glove courier collecting the piece at the client's address.",
    )
    pickup_picking_id = fields.Many2one(
        "stock.picking",
        string="Pickup Transfer",
        readonly=True,
        copy=False,
        help="Incoming transfer scheduled at the pickup appointment; it becomes the "
        "restock or quarantine transfer once the checks conclude.",
    )
    pickup_tracking_ref = fields.Char(
        related="pickup_picking_id.carrier_tracking_ref", readonly=False, string="Pickup Tracking"
    )

    @api.depends("partner_id", "return_mode")
    def _compute_pickup_address_id(self):
        for rma in self:
            if rma.return_mode == "pickup" and not rma.pickup_address_id:
                rma.pickup_address_id = rma.sale_order_id.partner_shipping_id or rma.partner_id

    def write(self, vals):
        res = super().write(vals)
        if PICKUP_FIELDS & vals.keys():
            # Rescheduled as soon as the appointment is complete (the form requires it).
            for rma in self.filtered(lambda rma: rma.state == "requested"):
                if rma.return_mode != "pickup" or (rma.pickup_date and rma.pickup_address_id):
                    rma._schedule_pickup()
        return res

    def action_request(self):
        res = super().action_request()
        for rma in self:
            rma._schedule_pickup()
        return res

    def action_cancel(self):
        res = super().action_cancel()
        self._cancel_pickup()
        return res

    def action_view_pickup(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "view_mode": "form",
            "res_id": self.pickup_picking_id.id,
        }

    def _check_requestable(self):
        super()._check_requestable()
        self._check_pickup_details()

    def _picking_to_complete(self):
        """The courier's collection transfer becomes the restock or quarantine transfer:
        it keeps the courier and tracking of the collection."""
        return self._open_pickup_picking()

    def _open_pickup_picking(self):
        self.ensure_one()
        return self.pickup_picking_id.filtered(
            lambda picking: picking.state not in ("done", "cancel")
        )

    def _schedule_pickup(self):
        """Keep the courier collection of a requested white-glove return in the books.

        The collection is an incoming transfer from the client's address to the return
        site's quality-control location, scheduled at the appointment with the courier, so
        the site's logistics see it with their receipts. The piece reaches sellable stock
        or quarantine only when the checks conclude (see ``_create_done_picking``).
        """
        self.ensure_one()
        if self.return_mode != "pickup":
            self._cancel_pickup()
            return
        self._check_pickup_details()
        picking = self._open_pickup_picking()
        if picking and picking.picking_type_id != self.site_id.in_type_id:
            self._cancel_pickup()
            picking = self.env["stock.picking"]
        if picking:
            picking.write(self._prepare_pickup_picking_vals(with_moves=False))
            return
        picking = self.env["stock.picking"].create(self._prepare_pickup_picking_vals())
        picking.action_confirm()
        self.pickup_picking_id = picking
        self.message_post(
            body=self.env._(
                "White-glove pickup %(picking)s scheduled on %(date)s.",
                picking=picking.name,
                date=fields.Datetime.to_string(self.pickup_date),
            )
        )

    def _check_pickup_details(self):
        self.ensure_one()
        if self.return_mode == "pickup" and not (self.pickup_date and self.pickup_address_id):
            raise UserError(
                self.env._(
                    "Return %(name)s: a white-glove pickup needs an address and an "
                    "appointment date.",
                    name=self.name,
                )
            )

    def _prepare_pickup_picking_vals(self, with_moves=True):
        vals = {
            "partner_id": self.pickup_address_id.id,
            "scheduled_date": self.pickup_date,
            "carrier_id": self.pickup_carrier_id.id,
        }
        if not with_moves:
            return vals
        customer = self.env.ref("stock.stock_location_customers")
        desk = self.site_id._luxury_unsellable_location("quality")
        return {
            **vals,
            "picking_type_id": self.site_id.in_type_id.id,
            "location_id": customer.id,
            "location_dest_id": desk.id,
            "origin": self.name,
            "luxury_return_id": self.id,
            "move_ids": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.qty,
                        "product_uom": line.product_id.uom_id.id,
                        "location_id": customer.id,
                        "location_dest_id": desk.id,
                        "partner_id": self.pickup_address_id.id,
                        "origin": self.name,
                    }
                )
                for line in self.line_ids
            ],
        }

    def _cancel_pickup(self):
        for rma in self:
            picking = rma._open_pickup_picking()
            if picking:
                picking.action_cancel()
                rma.message_post(
                    body=self.env._(
                        "White-glove pickup %(picking)s cancelled.", picking=picking.name
                    )
                )
