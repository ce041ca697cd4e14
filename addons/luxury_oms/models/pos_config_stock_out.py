from datetime import timedelta

from odoo import fields
from odoo import models
from odoo.exceptions import AccessDenied
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

# How long a piece reserved from the till stays held for the client.
HOLD_FROM_TILL_DAYS = 7


class PosConfig(models.Model):
    """What the till does when a piece is not here for the client: reserve it elsewhere,
    order it shipped from another site, or, with a boutique manager's approval, sell a
    short line anyway; and the client's click & collect orders handed over at the counter."""

    _inherit = "pos.config"

    def oms_reserve_elsewhere(self, product_id, warehouse_id, partner_id, qty=1):
        """Reserve a piece at another site for the client at the counter: a VIP hold for
        them, under the same lock as every taker."""
        product, partner = self._oms_counter_request(
            product_id, partner_id, qty, self.env._("partner_id: choose the client to reserve for.")
        )
        site = self._oms_network().filtered(lambda wh: wh.id == warehouse_id)
        if not site:
            raise ValidationError(self.env._("warehouse_id: unknown site %s.", warehouse_id))
        hold = (
            self.env["luxury.oms.hold"]
            .sudo()
            .create(
                {
                    "warehouse_id": site.id,
                    "product_id": product.id,
                    "quantity": qty,
                    "beneficiary_type": "client",
                    "partner_id": partner.id,
                    "date_expiry": fields.Datetime.now() + timedelta(days=HOLD_FROM_TILL_DAYS),
                    "note": self.env._(
                        "Reserved from the till %(pos)s by %(user)s.",
                        pos=self.name,
                        user=self.env.user.name,
                    ),
                }
            )
        )
        return {"id": hold.id, "name": hold.name, "date_expiry": hold.date_expiry.isoformat()}

    def oms_order_elsewhere(self, product_id, warehouse_id, partner_id, qty=1):
        """Turn a stock-out into a sale: an order shipped to the client from another site.

        The order is confirmed at once, so it takes stock under the invariant like any
        order; a refusal comes back as a clear error and nothing is created.
        """
        product, partner = self._oms_counter_request(
            product_id, partner_id, qty, self.env._("partner_id: choose the client to ship to.")
        )
        if not (partner.street and partner.city and partner.country_id):
            raise ValidationError(
                self.env._(
                    "partner_id: %(client)s has no complete address (street, city, country) "
                    "to ship to.",
                    client=partner.display_name,
                )
            )
        site = self.env["stock.warehouse"].sudo().browse(warehouse_id).exists()
        if not site or site.company_id != self.company_id:
            raise ValidationError(self.env._("warehouse_id: unknown site %s.", warehouse_id))
        order = (
            self.env["sale.order"].sudo()._oms_create_from_pos(self, product, site, partner, qty)
        )
        return {"id": order.id, "name": order.name}

    def _oms_counter_request(self, product_id, partner_id, qty, no_client):
        """The product and client of what the till asks for the client at the counter,
        the quantity checked; ``no_client``: the error when no client is chosen."""
        self.ensure_one()
        self._oms_check_boutique_user()
        product = self._oms_product(product_id)
        partner = self._oms_partner(partner_id)
        if not partner:
            raise ValidationError(no_client)
        if not isinstance(qty, int | float) or isinstance(qty, bool) or qty <= 0:
            raise ValidationError(self.env._("qty: a positive quantity is needed."))
        return product, partner

    def oms_manager_override(
        self,
        order_uuid,
        lines,
        reason,
        partner_id=False,
        approver_login=False,
        approver_password=False,
    ):
        """A boutique manager lets the POS sell short lines anyway; logged per product.

        The approver is the user at the till when a boutique manager, else the manager
        whose login and password are given: the server checks both, whatever the till says.
        """
        self.ensure_one()
        approver = self._oms_override_approver(approver_login, approver_password)
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
                    {
                        **self._oms_override_vals(line, partner, order_uuid, reason.strip()),
                        "approver_id": approver.id,
                    }
                    for line in short_lines
                ]
            )
        )
        return {"override_ids": overrides.ids}

    def _oms_override_approver(self, login, password):
        manager_group = "luxury_oms.group_oms_boutique_manager"
        if not login and self.env.user.has_group(manager_group):
            return self.env.user
        refused = self.env._("Only a boutique manager may override a stock refusal.")
        if not (isinstance(login, str) and login and isinstance(password, str) and password):
            raise AccessError(refused)
        Users = self.env["res.users"].sudo()
        try:
            with Users._assert_can_auth(user=login):
                approver = Users.search([("login", "=", login)], limit=1)
                if not approver:
                    raise AccessDenied()
                approver.with_user(approver)._check_credentials(
                    {"type": "password", "password": password}, {"interactive": True}
                )
        except AccessDenied:
            raise AccessError(self.env._("Manager approval: wrong login or password.")) from None
        if not approver.has_group(manager_group) or self.company_id not in approver.company_ids:
            raise AccessError(refused)
        return approver

    def _oms_overridden_qty(self, order_uuid):
        """``{product_id: qty}`` a manager let this till sell for the unsynced order."""
        if not order_uuid or not isinstance(order_uuid, str):
            return {}
        overrides = (
            self.env["luxury.oms.pos.override"]
            .sudo()
            .search(
                [
                    ("config_id", "=", self.id),
                    ("pos_order_uuid", "=", order_uuid),
                    ("kind", "=", "override"),
                    ("pos_order_id", "=", False),
                ]
            )
        )
        quantities = {}
        for override in overrides:
            product_id = override.product_id.id
            quantities[product_id] = max(quantities.get(product_id, 0.0), override.quantity)
        return quantities

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
