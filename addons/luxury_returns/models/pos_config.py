from odoo import models
from odoo.exceptions import UserError


class PosConfig(models.Model):
    """Returns at the boutique counter: the client's orders they can return here, and the
    return request itself, received and checked at this boutique."""

    _inherit = "pos.config"

    def oms_returnable_orders(self, partner_id):
        """The client's delivered orders with what can still be returned, newest first."""
        self.ensure_one()
        self._oms_check_boutique_user()
        partner = self._oms_return_client(partner_id)
        Return = self.env["luxury.return"].sudo()
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partner.commercial_partner_id.id),
                    ("state", "=", "sale"),
                    ("company_id", "=", self.company_id.id),
                ],
                order="date_order desc",
                limit=20,
            )
        )
        result = []
        for order in orders:
            lines = self._oms_returnable_lines(order, Return._sold_lines(order))
            if lines:
                result.append({"id": order.id, "name": order.name, "lines": lines})
        return {"orders": result, "reasons": self._oms_return_reasons()}

    def oms_request_return(self, order_id, lines, reason):
        """Open the return (RMA) of ``lines`` (``[{"sku", "qty", "serial"}]``) of the order,
        received at this boutique. Validated as a whole: nothing is created on an error."""
        self.ensure_one()
        self._oms_check_boutique_user()
        order = self.env["sale.order"].sudo().browse(order_id).exists()
        if not order or order.company_id != self.company_id:
            raise UserError(self.env._("This order cannot be returned at this boutique."))
        rma = (
            self.env["luxury.return"]
            .sudo()
            ._create_from_channel(
                self.oms_channel_id, order, lines, reason, origin="pos", site=self.oms_warehouse_id
            )
        )
        rma.message_post(
            body=self.env._(
                "Requested at %(pos)s by %(user)s.", pos=self.name, user=self.env.user.name
            )
        )
        return {
            "name": rma.name,
            "message": self.env._(
                "Return %(rma)s opened: hand the piece to the authenticity desk of %(site)s.",
                rma=rma.name,
                site=self.oms_warehouse_id.name,
            ),
        }

    def _oms_returnable_lines(self, order, sold_lines):
        names = {line.id: line.product_id.display_name for line in order.order_line}
        return [
            {
                "sku": sold.sku,
                "product": names[sold.line_id],
                "returnable_qty": sold.delivered_qty - sold.already_returned_qty,
                "serials": [s for s in sold.serials if s not in sold.returned_serials],
            }
            for sold in sold_lines
            if sold.delivered_qty - sold.already_returned_qty > 0
        ]

    def _oms_return_client(self, partner_id):
        partner = self.env["res.partner"].sudo().browse(partner_id).exists() if partner_id else None
        if not partner:
            raise UserError(self.env._("Select the client first: returns are per client."))
        return partner

    def _oms_return_reasons(self):
        reasons = self.env["luxury.return.reason"].sudo().search([])
        return [{"code": reason.code, "name": reason.name} for reason in reasons]
