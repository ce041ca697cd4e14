from odoo.tests import tagged

from .common import LuxuryReturnsCase


@tagged("post_install", "-at_install")
class TestReturnOfAProductWithoutOptionalFields(LuxuryReturnsCase):
    """A product sold in the back office with no category, barcode, weight, image or SKU (Odoo
    requires none) is returned like any other: the front end names it as the returnable lines
    summary does, by its name, and the return window and checks of "every other product"
    apply."""

    def test_return_without_sku_or_category_is_checked_and_refunded(self):
        pouch = self.env["product.product"].create(
            {"name": "Test Bare Pouch", "is_storable": True, "list_price": 250,
             "invoice_policy": "order"}
        )  # fmt: skip
        self.assertFalse(any((pouch.categ_id, pouch.default_code, pouch.barcode, pouch.weight)))
        self._set_stock(pouch, self.dc, 1)
        order = self._sell({pouch: 1})
        [summary] = self.env["luxury.return"]._returnable_lines_summary(order)
        self.assertEqual(summary["sku"], "Test Bare Pouch")
        rma = self._request([{"sku": summary["sku"], "qty": 1}], order=order)
        self._receive_and_check(rma, {}, {})
        rma.action_conclude()
        rma.action_refund()
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(rma.credit_note_id.invoice_line_ids.product_id, pouch)
        self.assertEqual(order.order_line.qty_delivered, 0)
