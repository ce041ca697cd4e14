from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from ..engine.boutique import MAX_PICKUP_CODE_ATTEMPTS
from ..engine.boutique import attempts_left
from ..engine.boutique import generate_pickup_code
from ..engine.boutique import normalize_pickup_code
from ..engine.boutique import pickup_code_matches

OPEN_PICKUP_STATES = ("waiting", "ready")
DEFAULT_PICKUP_DAYS = 10
DEFAULT_PICKUP_VIP_RANK = 900


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # Click & collect ---------------------------------------------------------------------
    oms_pickup_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Pickup Boutique",
        check_company=True,
        tracking=True,
        domain="[('oms_click_collect', '=', True)]",
        help="The client collects the order in this boutique (click & collect, reserve in "
        "boutique). Leave empty to ship.",
    )
    oms_pickup_code = fields.Char(
        string="Pickup Code",
        readonly=True,
        copy=False,
        groups="luxury_oms.group_oms_user",
        help="Sent to the client with the 'ready for pickup' notification; checked at "
        "collection.",
    )
    oms_pickup_state = fields.Selection(
        [
            ("waiting", "Preparing"),
            ("ready", "Ready for Pickup"),
            ("collected", "Collected"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        string="Pickup Status",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
    )
    oms_pickup_expiry = fields.Datetime(
        string="Collect Before",
        readonly=True,
        copy=False,
        tracking=True,
        help="Unclaimed after this date, the order is cancelled and its stock released.",
    )
    oms_pickup_collect_by = fields.Date(
        string="Collect By",
        compute="_compute_oms_pickup_collect_by",
        help="The last day the client can collect the order, in the boutique's time zone "
        "(the date the client's mail gives).",
    )
    oms_pickup_failed_attempts = fields.Integer(
        string="Wrong Pickup Codes", readonly=True, copy=False
    )
    oms_pickup_collected_date = fields.Datetime(string="Collected On", readonly=True, copy=False)
    can_be_marked_pickup_ready = fields.Boolean(compute="_compute_pickup_actions")
    can_unlock_pickup = fields.Boolean(compute="_compute_pickup_actions")

    _oms_pickup_code_unique = models.UniqueIndex(
        "(oms_pickup_code) WHERE oms_pickup_state IN ('waiting', 'ready')",
        "This pickup code is already used by another open pickup.",
    )

    @api.depends("oms_pickup_expiry", "oms_pickup_warehouse_id.partner_id.tz")
    def _compute_oms_pickup_collect_by(self):
        for order in self:
            tz = order.oms_pickup_warehouse_id.partner_id.tz or order.partner_id.tz or "UTC"
            expiry = order.oms_pickup_expiry
            local = expiry and fields.Datetime.context_timestamp(order.with_context(tz=tz), expiry)
            order.oms_pickup_collect_by = local and local.date()

    @api.depends("state", "oms_pickup_state", "oms_pickup_failed_attempts")
    def _compute_pickup_actions(self):
        for order in self:
            order.can_be_marked_pickup_ready = (
                order.state == "sale" and order.oms_pickup_state == "waiting"
            )
            order.can_unlock_pickup = (
                order.oms_pickup_state in OPEN_PICKUP_STATES
                and order.oms_pickup_failed_attempts >= MAX_PICKUP_CODE_ATTEMPTS
            )

    @api.constrains("oms_pickup_warehouse_id")
    def _check_pickup_warehouse(self):
        for order in self.filtered("oms_pickup_warehouse_id"):
            if not order.oms_pickup_warehouse_id.oms_click_collect:
                raise ValidationError(
                    self.env._(
                        "Pickup Boutique: %(site)s does not offer click & collect.",
                        site=order.oms_pickup_warehouse_id.name,
                    )
                )

    def _action_cancel(self):
        result = super()._action_cancel()
        self.filtered(lambda order: order.oms_pickup_state in OPEN_PICKUP_STATES).write(
            {"oms_pickup_state": "cancelled"}
        )
        return result

    def action_oms_pickup_ready(self):
        self._oms_mark_pickup_ready()
        return True

    def action_oms_pickup_unlock(self):
        """A manager resets the wrong-code counter, after checking the client's identity."""
        if not self.env.user.has_group("luxury_oms.group_oms_boutique_manager"):
            raise UserError(self.env._("Only a boutique manager may unlock a pickup."))
        for order in self.filtered("can_unlock_pickup"):
            order.oms_pickup_failed_attempts = 0
            order.message_post(body=self.env._("Pickup code unlocked after identity check."))
        return True

    # ------------------------------------------------------------------
    # Click & collect
    # ------------------------------------------------------------------

    def _oms_source_pickups(self):
        """A pickup order is served from its boutique's own stock when the boutique has it
        all; the delivery then reserves the units there until collection. Otherwise the lines
        keep their site (sourcing and transfers to the boutique are not decided here)."""
        pickups = self.filtered(
            lambda order: order.oms_pickup_warehouse_id
            and order.state in ("draft", "sent")
            and not order.oms_channel_id.sourcing_strategy_id
        )
        Availability = self.env["luxury.oms.availability"]
        for order in pickups:
            boutique = order.oms_pickup_warehouse_id
            demands = order.order_line._oms_stock_demands()
            if not demands or order.warehouse_id == boutique:
                continue
            products = self.env["product.product"].union(*(demand.product for demand in demands))
            availability = Availability._compute_availability(
                products, boutique, channel=order.oms_channel_id or None, partner=order.partner_id
            )
            needed = {}
            for demand in demands:
                needed[demand.product.id] = needed.get(demand.product.id, 0.0) + demand.qty
            if all(
                availability[product_id, boutique.id].available_to_sell >= qty
                for product_id, qty in needed.items()
            ):
                order.warehouse_id = boutique

    def _oms_open_pickups(self):
        for order in self:
            order.write(
                {
                    "oms_pickup_state": "waiting",
                    "oms_pickup_code": self._oms_new_pickup_code(),
                    "oms_pickup_failed_attempts": 0,
                }
            )
            order._oms_alert_vip_pickup()

    def _oms_new_pickup_code(self):
        def is_taken(code):
            return bool(
                self.sudo().search_count(
                    [
                        ("oms_pickup_code", "=", code),
                        ("oms_pickup_state", "in", OPEN_PICKUP_STATES),
                    ],
                    limit=1,
                )
            )

        return generate_pickup_code(is_taken)

    def _oms_alert_vip_pickup(self):
        """Boutique staff prepare a welcome when a VIP will come to collect."""
        self.ensure_one()
        threshold = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("luxury_oms.pickup_vip_rank", DEFAULT_PICKUP_VIP_RANK)
        )
        if not self.partner_id.oms_tier_id or self.partner_id.oms_tier_rank < threshold:
            return
        boutique = self.oms_pickup_warehouse_id
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=(boutique.oms_manager_id or self.user_id or self.env.user).id,
            summary=self.env._("VIP pickup: %(client)s", client=self.partner_id.name),
            note=self.env._(
                "%(client)s (%(tier)s) will collect %(order)s at %(site)s. Prepare the welcome.",
                client=self.partner_id.name,
                tier=self.partner_id.oms_tier_id.name,
                order=self.name,
                site=boutique.name,
            ),
        )

    def _oms_mark_pickup_ready(self):
        for order in self:
            if not order.can_be_marked_pickup_ready:
                raise UserError(
                    self.env._("%(order)s is not a pickup being prepared.", order=order.name)
                )
            if not order._oms_goods_at_boutique():
                raise UserError(
                    self.env._(
                        "%(order)s: the goods are not all reserved at %(site)s yet.",
                        order=order.name,
                        site=order.oms_pickup_warehouse_id.name,
                    )
                )
            days = int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("luxury_oms.pickup_days", DEFAULT_PICKUP_DAYS)
            )
            order.write(
                {
                    "oms_pickup_state": "ready",
                    "oms_pickup_expiry": fields.Datetime.now() + timedelta(days=days),
                }
            )
            order._oms_notify("luxury_oms.mail_template_pickup_ready")

    def _oms_handover_pickings(self):
        self.ensure_one()
        return self.picking_ids.filtered(
            lambda picking: picking.picking_type_code == "outgoing"
            and picking.state not in ("done", "cancel")
        )

    def _oms_goods_at_boutique(self):
        pickings = self._oms_handover_pickings()
        return bool(pickings) and all(
            picking.state == "assigned"
            and picking.picking_type_id.warehouse_id == self.oms_pickup_warehouse_id
            for picking in pickings
        )

    def _oms_notify(self, template_xmlid):
        self.ensure_one()
        template = self.env.ref(template_xmlid)
        self.with_context(lang=self.partner_id.lang).message_post_with_source(
            template, subtype_xmlid="mail.mt_comment"
        )

    @api.model
    def _oms_search_pickups(self, boutique, query):
        if not isinstance(query, str) or len(query.strip()) < 2:
            raise ValidationError(self.env._("query: type at least 2 characters."))
        query = query.strip()
        domain = [
            ("oms_pickup_warehouse_id", "=", boutique.id),
            ("oms_pickup_state", "in", OPEN_PICKUP_STATES),
            "|",
            "|",
            "|",
            "|",
            ("oms_pickup_code", "=", normalize_pickup_code(query)),
            ("name", "ilike", query),
            ("partner_id.name", "ilike", query),
            ("partner_id.email", "ilike", query),
            ("partner_id.phone", "ilike", query),
        ]
        return self.search(domain, limit=20, order="date_order desc")

    def _oms_pickup_summary(self):
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name,
            "partner": self.partner_id.display_name,
            "state": self.oms_pickup_state,
            "expiry": fields.Datetime.to_string(self.oms_pickup_expiry) or False,
            "amount_total": self.amount_total,
            "currency": self.currency_id.name,
            "locked": self.oms_pickup_failed_attempts >= MAX_PICKUP_CODE_ATTEMPTS,
            "lines": [
                {"product": line.product_id.display_name, "qty": line.product_uom_qty}
                for line in self.order_line
                if not line.display_type
            ],
        }

    def _oms_collect(self, code):
        """Verify ``code`` and hand the order over. A wrong code is refused with the attempt
        logged (so this returns a refusal instead of raising: the log must be kept)."""
        self.ensure_one()
        self._oms_check_collectable()
        if not pickup_code_matches(self.oms_pickup_code, code):
            return self._oms_refuse_code()
        invoice = self._oms_hand_over()
        return {
            "collected": True,
            "order": self.name,
            "invoice": invoice.name,
            "message": self.env._("%(order)s handed over.", order=self.name),
        }

    def _oms_check_collectable(self):
        refusals = {
            "collected": self.env._("%(order)s was already collected.", order=self.name),
            "cancelled": self.env._(
                "%(order)s was cancelled: nothing to hand over.", order=self.name
            ),
            "expired": self.env._(
                "%(order)s expired unclaimed: its stock was released.", order=self.name
            ),
            "waiting": self.env._("%(order)s is not ready for pickup yet.", order=self.name),
        }
        if not self.oms_pickup_state:
            raise UserError(self.env._("%(order)s is not a pickup order.", order=self.name))
        if self.oms_pickup_state in refusals:
            raise UserError(refusals[self.oms_pickup_state])
        if self.oms_pickup_failed_attempts >= MAX_PICKUP_CODE_ATTEMPTS:
            raise UserError(
                self.env._(
                    "%(order)s is locked after %(count)s wrong codes: a boutique manager must "
                    "check the client's identity and unlock it.",
                    order=self.name,
                    count=self.oms_pickup_failed_attempts,
                )
            )

    def _oms_refuse_code(self):
        self.oms_pickup_failed_attempts += 1
        left = attempts_left(self.oms_pickup_failed_attempts)
        self.message_post(
            body=self.env._(
                "Wrong pickup code entered by %(user)s (attempt %(count)s, %(left)s left).",
                user=self.env.user.name,
                count=self.oms_pickup_failed_attempts,
                left=left,
            )
        )
        message = (
            self.env._("Wrong pickup code. %(left)s attempt(s) left.", left=left)
            if left
            else self.env._(
                "Wrong pickup code. The pickup is now locked: a boutique manager must check "
                "the client's identity."
            )
        )
        return {"collected": False, "attempts_left": left, "message": message}

    def _oms_hand_over(self):
        """Deliver what the boutique reserved, then invoice: ownership passes at handover."""
        pickings = self._oms_handover_pickings()
        if not self._oms_goods_at_boutique():
            raise UserError(
                self.env._("%(order)s: the goods are not all reserved here.", order=self.name)
            )
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings._action_done()
        invoice = self._create_invoices()
        invoice.action_post()
        self.write(
            {"oms_pickup_state": "collected", "oms_pickup_collected_date": fields.Datetime.now()}
        )
        self.message_post(body=self.env._("Collected in boutique; invoice %s.", invoice.name))
        return invoice

    @api.model
    def _cron_expire_pickups(self):
        expired = self.search(
            [
                ("oms_pickup_state", "=", "ready"),
                ("oms_pickup_expiry", "<=", fields.Datetime.now()),
            ]
        )
        expired._oms_expire_pickups()

    def _oms_expire_pickups(self):
        for order in self:
            order._action_cancel()
            order.oms_pickup_state = "expired"
            order._oms_notify("luxury_oms.mail_template_pickup_expired")
