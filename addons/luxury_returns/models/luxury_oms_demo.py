import base64

from odoo import api
from odoo import models


class LuxuryOmsDemo(models.AbstractModel):
    """The demo maison's returns, requested through the channel API and checked at the
    authenticity desk as its people do (demo data only)."""

    _inherit = "luxury.oms.demo"

    @api.model
    def _load_demo_returns(self):
        maison = self._maison()
        # The maison's return window and authenticity checklist, like the shipped defaults.
        for default in ("return_window_default", "check_template_default"):
            self.env.ref(f"luxury_returns.{default}").copy({"company_id": maison.id})
        self.with_company(maison)._return_demo_pieces()
        return True

    @api.model
    def _return_demo_pieces(self):
        genuine = self._demo_return("DEMO-RETURNED-REFUNDED", "size", received_serial=None)
        genuine.action_conclude()
        genuine.action_refund()
        fake = self._demo_return("DEMO-COUNTERFEIT-QUARANTINED", "defect", "AUR-FAKE-0193")
        fake.action_conclude()
        fake.action_quarantine()

    @api.model
    def _demo_return(self, reference, reason, received_serial):
        """Request the return of the order's piece, receive it and run its checks."""
        order = self.env["sale.order"].search([("oms_external_ref", "=", reference)])
        lot = order.picking_ids.move_line_ids.lot_id[:1]
        # The private mark the workshop recorded when it made the piece (stored hashed:
        # nobody reads it back, the desk types it from the piece).
        mark = f"MARK-{lot.name}"
        lot.luxury_hidden_mark = mark
        answer = self._api_user(order.oms_channel_id.code).request_return(
            order.oms_channel_id.code,
            reference,
            [{"sku": lot.product_id.default_code, "qty": 1, "serial": lot.name}],
            reason,
        )
        rma = self.env["luxury.return"].search([("name", "=", answer["return_ref"])])
        rma.action_receive()
        self.env["ir.attachment"].create(
            {
                "name": f"{lot.name}.png",
                "res_model": "luxury.return",
                "res_id": rma.id,
                "mimetype": "image/png",
                "raw": base64.b64decode(lot.product_id.image_1920),
            }
        )
        for line in rma.line_ids:
            line.received_serial = received_serial or lot.name
            for check in line.check_ids:
                if check.check_type == "hidden_mark":
                    check.hidden_mark_entry = mark
                elif check.can_tick:
                    check.action_pass()
        return rma
