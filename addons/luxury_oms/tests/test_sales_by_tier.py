from odoo.tools.safe_eval import safe_eval

from .common import LuxuryOmsPosCase


class TestSalesByTier(LuxuryOmsPosCase):
    """Sales analysis by channel and by the tier the client had when buying, web orders and
    till sales alike."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.oms_tier_id = cls.tier_gold
        cls._set_stock(cls.product, cls.dc, 2)
        cls._set_stock(cls.product, cls.milan, 1)

    def _web_order(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.client.id,
                "oms_channel_id": self.channel.id,
                "warehouse_id": self.dc.id,
                "order_line": [
                    (
                        0,
                        0,
                        {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 3000},
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def _sales_by_tier_and_channel(self):
        groups = self.env["sale.report"]._read_group(
            [("partner_id", "=", self.client.id), ("state", "not in", ("draft", "sent", "cancel"))],
            ["oms_client_tier_id", "oms_channel_id"],
            ["price_total:sum"],
        )
        return {(tier.name, channel.name): total for tier, channel, total in groups}

    def test_orders_keep_the_tier_the_client_had_when_buying(self):
        web_order = self._web_order()
        till_order = self._sync(
            self._ui_order(self._open_session(), [(self.product, 1)], self.client)
        )
        self.assertEqual(web_order.oms_client_tier_id, self.tier_gold)
        self.assertEqual(till_order.oms_client_tier_id, self.tier_gold)

        self.client.oms_tier_id = self.tier_icon
        self.env.flush_all()

        self.assertEqual(web_order.oms_client_tier_id, self.tier_gold)
        self.assertEqual(
            self._sales_by_tier_and_channel(),
            {
                ("Test Gold", "Test Web"): 3000.0,
                ("Test Gold", "Test Boutique Milan"): till_order.amount_total,
            },
        )
        later = self._web_order()
        self.assertEqual(later.oms_client_tier_id, self.tier_icon)

    def test_an_order_held_for_fraud_is_no_sale_yet(self):
        order = self._web_order()
        action = self.env.ref("luxury_oms.sale_report_action_tier")
        domain = [*safe_eval(action.domain), ("order_reference", "=", f"sale.order,{order.id}")]
        self.assertTrue(self.env["sale.report"].search(domain))
        order.oms_fraud_state = "held"
        self.env.flush_all()
        self.assertFalse(self.env["sale.report"].search(domain))

    def test_sales_by_tier_opens_on_the_tier_pivot(self):
        action = self.env.ref("luxury_oms.sale_report_action_tier")
        pivot = self.env["sale.report"].get_views([(action.view_ids[0].view_id.id, "pivot")])
        arch = pivot["views"]["pivot"]["arch"]
        self.assertIn('name="oms_client_tier_id" type="row"', arch)
        self.assertIn('name="oms_channel_id" type="col"', arch)
