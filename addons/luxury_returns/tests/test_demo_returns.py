from unittest import SkipTest

from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestDemoReturns(TransactionCase):
    """The demo maison's returns reached their state through the channel API and the
    authenticity desk's buttons."""

    def test_demo_returns_are_refunded_and_quarantined(self):
        if not self.env.ref("luxury_oms.company_maison", raise_if_not_found=False):
            raise SkipTest("The demo maison is loaded only with --with-demo.")
        returns = self.env["luxury.return"].search(
            [("sale_order_id.oms_external_ref", "!=", False)]
        )
        state_by_order = {rma.sale_order_id.oms_external_ref: rma for rma in returns}
        genuine = state_by_order["DEMO-RETURNED-REFUNDED"]
        self.assertEqual(genuine.state, "refunded")
        self.assertEqual(genuine.credit_note_id.state, "posted")
        fake = state_by_order["DEMO-COUNTERFEIT-QUARANTINED"]
        self.assertEqual(fake.state, "quarantined")
        self.assertFalse(fake.credit_note_id)
        quarantine = self.env["stock.quant"].search(
            [("location_id.oms_unsellable_reason", "=", "quarantine"), ("quantity", ">", 0)]
        )
        self.assertIn(fake.line_ids.product_id, quarantine.product_id)
