from odoo import api
from odoo import models

# What a channel (and so the client) is told. A suspected counterfeit is never announced
# as such: the client only learns that the item is under review.
CHANNEL_STATES = {
    "draft": "requested",
    "requested": "requested",
    "received": "received",
    "checking": "inspecting",
    "authentic": "inspecting",
    "suspected": "under_review",
    "quarantined": "under_review",
    "refunded": "refunded",
    "exchanged": "exchanged",
    "closed": "closed",
    "cancel": "cancelled",
}


class LuxuryReturn(models.Model):
    """Returns as the channels and the till see them: requested through the
    ``luxury.return.request`` service, reported without the authenticity verdict."""

    _inherit = "luxury.return"

    @api.model
    def _create_from_channel(self, channel, sale_order, lines, reason, origin="api"):
        """Open a return requested through ``channel`` for ``sale_order``.

        ``lines`` is a list of ``{"sku", "qty", "serial"}``; ``reason`` a return reason code.
        Everything is validated before anything is written: an unknown SKU or serial, a
        quantity above what was delivered, an item never sold to this client or a closed
        return window raise a ValidationError naming the line, and nothing is created.
        Called by the channel API's ``request_return``.
        """
        return self.env["luxury.return.request"]._create_from_request(
            channel, sale_order, lines, reason, origin=origin
        )

    @api.model
    def _returnable_lines_summary(self, order):
        """What the client may still return from ``order``, for a front end to choose from
        (see ``luxury.return.request._returnable_lines_summary``)."""
        return self.env["luxury.return.request"]._returnable_lines_summary(order)

    @api.model
    def _oms_return_status_for_order(self, order):
        """Returns of ``order`` as a channel may see them, for ``get_order_status``.

        Never exposes the authenticity verdict itself: a suspected counterfeit reads
        ``under_review``.
        """
        returns = self.sudo().search([("sale_order_id", "=", order.id)], order="id")
        return [rma._channel_status() for rma in returns]

    def _channel_status(self):
        self.ensure_one()
        return {
            "ref": self.name,
            "state": CHANNEL_STATES[self.state],
            "lines": [
                {
                    "sku": line.product_id.default_code or "",
                    "qty": line.qty,
                    "serial": line.lot_id.name or None,
                }
                for line in self.line_ids
            ],
        }
