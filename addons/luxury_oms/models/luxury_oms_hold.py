from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from .audit_trail import audited


class LuxuryOmsHold(models.Model):
    """Stock at a site kept for one client, a tier (and above) or a private-sale guest list.

    Only beneficiaries can buy held units; everyone else sees them as unavailable. A hold
    ends when consumed, released by staff, or at expiry (cron).
    """

    _name = "luxury.oms.hold"
    _description = "VIP Hold"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_expiry, id"

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    state = fields.Selection(
        string="Status",
        selection=[
            ("active", "Active"),
            ("consumed", "Consumed"),
            ("released", "Released"),
            ("expired", "Expired"),
        ],
        default="active",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(related="warehouse_id.company_id", store=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Site", required=True, tracking=True, index=True
    )
    location_id = fields.Many2one(
        "stock.location",
        compute="_compute_location_id",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        domain="[('warehouse_id', '=', warehouse_id), ('usage', '=', 'internal')]",
        help="Where the held pieces sit; it must be a sellable location of the site.",
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        domain="[('is_storable', '=', True)]",
        tracking=True,
        index=True,
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit", tracking=True)
    consumed_qty = fields.Float(
        string="Taken", compute="_compute_consumed_qty", store=True, digits="Product Unit"
    )
    remaining_qty = fields.Float(
        string="Left", compute="_compute_consumed_qty", store=True, digits="Product Unit"
    )
    beneficiary_type = fields.Selection(
        [("client", "One client"), ("tier", "A tier and above"), ("event", "Private sale")],
        string="Kept For",
        required=True,
        default="client",
        tracking=True,
    )
    partner_id = fields.Many2one("res.partner", string="Client", tracking=True)
    tier_id = fields.Many2one("luxury.oms.tier", tracking=True)
    event_name = fields.Char(string="Private Sale", tracking=True)
    event_partner_ids = fields.Many2many("res.partner", string="Guests")
    date_expiry = fields.Datetime(string="Expires On", required=True, tracking=True)
    note = fields.Text(string="Why")
    consumption_ids = fields.One2many("luxury.oms.hold.consumption", "hold_id")
    can_be_released = fields.Boolean(compute="_compute_can_be_released")
    beneficiary_description = fields.Char(compute="_compute_beneficiary_description", string="For")

    _quantity_positive = models.Constraint(
        "CHECK (quantity > 0)", "A hold must keep at least some stock."
    )

    @api.depends("warehouse_id")
    def _compute_location_id(self):
        for hold in self:
            if not hold.location_id or hold.location_id.warehouse_id != hold.warehouse_id:
                hold.location_id = hold.warehouse_id.lot_stock_id

    @api.depends("quantity", "consumption_ids.quantity")
    def _compute_consumed_qty(self):
        for hold in self:
            hold.consumed_qty = sum(hold.consumption_ids.mapped("quantity"))
            hold.remaining_qty = max(hold.quantity - hold.consumed_qty, 0.0)

    @api.depends("beneficiary_type", "partner_id", "tier_id", "event_name", "event_partner_ids")
    def _compute_beneficiary_description(self):
        for hold in self:
            if hold.beneficiary_type == "tier":
                text = self.env._("%(tier)s clients and above", tier=hold.tier_id.name or "?")
            elif hold.beneficiary_type == "event":
                guests = len(hold.event_partner_ids)
                text = (
                    self.env._("%(event)s (1 guest)", event=hold.event_name or "")
                    if guests == 1
                    else self.env._(
                        "%(event)s (%(count)s guests)", event=hold.event_name or "", count=guests
                    )
                )
            else:
                text = hold.partner_id.display_name or ""
            hold.beneficiary_description = text.strip()

    @api.depends("state")
    def _compute_can_be_released(self):
        for hold in self:
            # An unsaved hold keeps nothing yet: there is nothing to release.
            hold.can_be_released = hold.state == "active" and bool(hold._origin.id)

    @api.constrains("beneficiary_type", "partner_id", "tier_id", "event_partner_ids")
    def _check_beneficiary(self):
        required = {
            "client": ("partner_id", self.env._("a client")),
            "tier": ("tier_id", self.env._("a tier")),
            "event": ("event_partner_ids", self.env._("at least one guest")),
        }
        for hold in self:
            field_name, label = required[hold.beneficiary_type]
            if not hold[field_name]:
                raise ValidationError(
                    self.env._("Hold %(hold)s needs %(who)s.", hold=hold.name, who=label)
                )

    @api.constrains("location_id", "warehouse_id")
    def _check_location_sellable(self):
        sellable = self.warehouse_id._oms_sellable_locations_by_site()
        for hold in self:
            if hold.location_id.id not in sellable.get(hold.warehouse_id.id, []):
                raise ValidationError(
                    self.env._(
                        "Location %(location)s is not sellable at %(site)s: only sellable "
                        "stock can be held.",
                        location=hold.location_id.display_name,
                        site=hold.warehouse_id.name,
                    )
                )

    @api.constrains("product_id", "quantity")
    def _check_serial_quantity(self):
        for hold in self:
            if hold.product_id.tracking == "serial" and hold.quantity != int(hold.quantity):
                raise ValidationError(
                    self.env._(
                        "%(product)s is serial-tracked: hold whole pieces.",
                        product=hold.product_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            expiry = fields.Datetime.to_datetime(vals.get("date_expiry"))
            if expiry and expiry <= fields.Datetime.now():
                raise ValidationError(self.env._("A hold cannot expire in the past."))
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("luxury.oms.hold")
        self._take_for_holds(vals_list)
        holds = super(LuxuryOmsHold, audited(self)).create(vals_list)
        holds._oms_track_availability()
        return holds

    def write(self, vals):
        # A hold's state follows its life (release, expiry, consumption), written as
        # superuser by those: reactivated by hand, a hold would keep units it never took.
        if "state" in vals and not self.env.su:
            raise AccessError(
                self.env._("state: a hold is released, expires or is consumed; it is not set.")
            )
        if "date_expiry" in vals:
            expiry = fields.Datetime.to_datetime(vals["date_expiry"])
            if expiry <= fields.Datetime.now():
                raise ValidationError(self.env._("A hold cannot expire in the past."))
        if {"quantity", "product_id", "warehouse_id"} & vals.keys() and self.filtered(
            lambda hold: hold.state != "active" or hold.consumed_qty
        ):
            raise UserError(
                self.env._("Only an active, untouched hold can change its product, site or size.")
            )
        if {"quantity", "product_id", "warehouse_id"} & vals.keys():
            self._take_for_holds(
                [
                    {
                        "product_id": vals.get("product_id", hold.product_id.id),
                        "warehouse_id": vals.get("warehouse_id", hold.warehouse_id.id),
                        "quantity": vals.get("quantity", hold.quantity),
                    }
                    for hold in self
                ],
                excluded_holds=self,
            )
        self._oms_track_availability()  # where it was
        result = super(LuxuryOmsHold, audited(self)).write(vals)
        self._oms_track_availability()
        return result

    def unlink(self):
        self._oms_track_availability()
        return super().unlink()

    def action_release(self):
        self._release("released")
        return True

    @api.model
    def _cron_expire(self):
        expired = self.search(
            [("state", "=", "active"), ("date_expiry", "<=", fields.Datetime.now())]
        )
        expired._release("expired")

    def _release(self, final_state):
        if self.filtered(lambda hold: hold.state != "active"):
            raise UserError(self.env._("Only active holds can be released."))
        self.sudo().write({"state": final_state})

    @api.model
    def _take_for_holds(self, vals_list, excluded_holds=None):
        """A hold is a taker: it must fit in what is free for everyone, under the lock,
        checked before anything is written. ``excluded_holds``, the holds being resized,
        keep nothing during the check."""
        Product = self.env["product.product"]
        Warehouse = self.env["stock.warehouse"]
        self.env["luxury.oms.availability"]._take(
            [
                (
                    Product.browse(vals.get("product_id")),
                    Warehouse.browse(vals.get("warehouse_id")),
                    vals.get("quantity", 1.0),
                )
                for vals in vals_list
                if vals.get("product_id") and vals.get("warehouse_id")
            ],
            excluded_holds=excluded_holds,
        )

    def _oms_track_availability(self):
        """Created, resized, consumed, released or expired: the hold's (product, site)
        snapshot row is made exact at commit (after the write, as it reads the hold)."""
        self.env["luxury.oms.stock.slot"]._oms_track_pairs(
            (hold.product_id.id, hold.warehouse_id.id) for hold in self
        )

    def _consume(self, quantity, partner, origin):
        self.ensure_one()
        self.env["luxury.oms.hold.consumption"].create(
            {
                "hold_id": self.id,
                "quantity": quantity,
                "partner_id": partner.id,
                "origin": f"{origin._name},{origin.id}" if origin else False,
                "origin_name": origin.display_name if origin else partner.display_name,
            }
        )
        if self.remaining_qty <= 0:
            self.sudo().state = "consumed"
        self.message_post(
            body=self.env._(
                "%(qty)s taken by %(client)s for %(origin)s.",
                qty=quantity,
                client=partner.display_name,
                origin=origin.display_name if origin else "-",
            )
        )
