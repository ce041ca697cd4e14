from odoo import models
from odoo.exceptions import ValidationError

from ..engine.return_payload import validate_till_client
from ..engine.return_payload import validate_till_order

# How many of a client's most recent orders of each kind the till offers to return from.
RECENT_ORDERS = 20


class PosConfig(models.Model):
    """Returns at the boutique till: list what a client may return, open the RMA here.

    Like the OMS RPCs of the POS, these check the boutique user, then act in sudo: boutique
    staff open returns without holding the back-office returns rights; the RMA records who
    asked and the authenticity desk receives and checks it in the back office.
    """

    _inherit = "pos.config"

    def oms_returnable_purchases(self, partner_id):
        """The client's recent sale and boutique orders with what may still be returned.

        Returns ``{"orders": [{"model", "id", "name", "date", "kind", "lines": [...]}],
        "reasons": [{"code", "name"}]}``; ``lines`` as in
        ``luxury.return._returnable_lines_summary``.
        """
        self.ensure_one()
        self._oms_check_boutique_user()
        partner = self._oms_return_client(partner_id)
        Return = self.env["luxury.return"].sudo()
        orders = []
        for order in self._oms_client_orders(partner):
            lines = Return._returnable_lines_summary(order)
            if lines:
                orders.append(
                    {
                        "model": order._name,
                        "id": order.id,
                        "name": order.name,
                        "date": order.date_order.date().isoformat(),
                        "kind": order._description,
                        "lines": lines,
                    }
                )
        reasons = self.env["luxury.return.reason"].sudo().search([])
        return {
            "orders": orders,
            "reasons": [{"code": reason.code, "name": reason.name} for reason in reasons],
        }

    def oms_request_return(self, partner_id, order_model, order_id, lines, reason):
        """Open an RMA at this boutique for the client's order; returns ``{"name", "message"}``.

        ``lines``: ``[{"sku", "qty", "serial"}]``; ``reason``: a return reason code. Checked
        as a whole (quantities, serials sold to this client, return window) before anything
        is written: a bad request raises a ValidationError and creates nothing.
        """
        self.ensure_one()
        self._oms_check_boutique_user()
        partner = self._oms_return_client(partner_id)
        order = self._oms_return_order(order_model, order_id)
        if order.partner_id.commercial_partner_id != partner.commercial_partner_id:
            raise ValidationError(
                self.env._(
                    "partner_id: order %(order)s was not sold to %(client)s.",
                    order=order.name,
                    client=partner.display_name,
                )
            )
        rma = (
            self.env["luxury.return.request"]
            .sudo()
            ._create_from_request(
                self.oms_channel_id, order, lines, reason, origin="pos", site=self.oms_warehouse_id
            )
        )
        rma.message_post(
            body=self.env._(
                "Requested at the till of %(pos)s by %(user)s.",
                pos=self.name,
                user=self.env.user.name,
            )
        )
        return {
            "name": rma.name,
            "message": self.env._(
                "RMA %(name)s created: hand the piece to the authenticity desk.", name=rma.name
            ),
        }

    def _oms_return_client(self, partner_id):
        return self._oms_partner(self._oms_validate_till(validate_till_client, partner_id))

    def _oms_return_order(self, order_model, order_id):
        order_model, order_id = self._oms_validate_till(validate_till_order, order_model, order_id)
        order = self.env[order_model].sudo().browse(order_id).exists()
        if not order or order.company_id != self.company_id:
            raise ValidationError(
                self.env._("order: unknown order %(model)s %(id)s.", model=order_model, id=order_id)
            )
        return order

    def _oms_validate_till(self, validator, *args):
        """What the till sent, checked by the engine and refused as the channel API's
        payloads are: ``path: problem``, before anything is read."""
        return self.env["luxury.oms.api"]._api_validate(validator, *args)

    def _oms_client_orders(self, partner):
        """The client's most recent confirmed sale orders and paid boutique orders."""
        client_domain = [
            ("partner_id", "child_of", partner.commercial_partner_id.id),
            ("company_id", "=", self.company_id.id),
        ]
        sale_orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [*client_domain, ("state", "=", "sale")],
                order="date_order desc",
                limit=RECENT_ORDERS,
            )
        )
        pos_orders = (
            self.env["pos.order"]
            .sudo()
            .search(
                [*client_domain, ("state", "in", ("paid", "done")), ("is_refund", "=", False)],
                order="date_order desc",
                limit=RECENT_ORDERS,
            )
        )
        return [*sale_orders, *pos_orders]
