from unittest import SkipTest

from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestReturnClerkDemoTour(HttpCase):
    """The demo maison's returns clerk (login service) checks a returned piece on the demo
    data and refunds it, as the screens show it: quantities, amounts and the refund with
    their currency, the hidden mark in its own entry."""

    def _delivered_demo_piece(self):
        """The bracelet of the demo order handed over to its client, not returned yet."""
        order = self.env["sale.order"].search([("oms_external_ref", "=", "DEMO-HANDED-OVER")])
        if self.env["luxury.return"].search_count([("sale_order_id", "=", order.id)]):
            raise SkipTest("The demo bracelet handed over was already returned.")
        delivered = order.picking_ids.filtered(lambda picking: picking.state == "done")
        return order, delivered.move_line_ids.lot_id

    def test_clerk_checks_and_refunds_a_demo_return(self):
        maison = self.env.ref("luxury_oms.company_maison", raise_if_not_found=False)
        if not maison:
            raise SkipTest("The demo maison is loaded only with --with-demo.")
        order, lot = self._delivered_demo_piece()
        lot.luxury_hidden_mark = "MARK-TOUR-001"
        rma = (
            self.env["luxury.return"]
            .with_company(maison)
            ._create_from_channel(
                order.oms_channel_id,
                order,
                [{"sku": lot.product_id.default_code, "qty": 1, "serial": lot.name}],
                "size",
            )
        )
        self.assertEqual(rma.line_ids.lot_id, lot)
        rma.action_receive()
        self.env["ir.attachment"].create(
            {
                "name": "piece.png",
                "res_model": "luxury.return",
                "res_id": rma.id,
                "mimetype": "image/png",
                "raw": b"\x89PNG\r\n\x1a\n",
            }
        )
        self.browser_size = "1440x900"
        self.start_tour(
            f"/odoo/action-luxury_returns.luxury_return_action/{rma.id}",
            "LuxuryReturnsClerkDemoTour",
            login="service",
        )
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(rma.credit_note_id.state, "posted")
        self.assertEqual(rma.refund_currency_id, order.currency_id)
