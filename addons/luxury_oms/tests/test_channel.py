from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import LuxuryOmsCase


class TestChannel(LuxuryOmsCase):
    def test_channel_sells_from_its_sites(self):
        self.assertEqual(self.channel.warehouse_ids, self.dc | self.milan)
        self.assertEqual(self.channel.warehouse_count, 2)

    @mute_logger("odoo.sql_db")
    def test_channel_code_is_unique(self):
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["luxury.oms.channel"].create(
                {"name": "Copy", "code": "test-web", "currency_id": self.eur.id}
            )

    def test_channel_code_format(self):
        with self.assertRaisesRegex(ValidationError, "must be 1 to 32 letters"):
            self.env["luxury.oms.channel"].create(
                {"name": "Bad", "code": "web FR!", "currency_id": self.eur.id}
            )

    def test_get_by_code(self):
        Channel = self.env["luxury.oms.channel"]
        self.assertEqual(Channel._oms_get_by_code("test-web"), self.channel)
        with self.assertRaisesRegex(ValidationError, "channel: unknown channel 'nope'"):
            Channel._oms_get_by_code("nope")
        with self.assertRaisesRegex(ValidationError, "channel: unknown channel 42"):
            Channel._oms_get_by_code(42)

    def test_archived_channel_is_found_by_its_code(self):
        """Found, so that the API can say it is archived (test_trust_boundary): whatever the
        context, an archived channel sells nothing."""
        self.channel.action_archive()
        Channel = self.env["luxury.oms.channel"].with_context(active_test=True)
        self.assertEqual(Channel._oms_get_by_code("test-web"), self.channel)

    def test_pricelist_must_match_channel_currency(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        pricelist = self.env["product.pricelist"].create({"name": "USD", "currency_id": usd.id})
        with self.assertRaisesRegex(ValidationError, "the channel sells in EUR"):
            self.channel.pricelist_id = pricelist

    def test_a_channel_s_quotation_is_priced_from_the_channel_s_price_list(self):
        """Customer service keying an order for the web shop quotes the web's shelf price,
        not the client's default price list."""
        shelf = self.env["product.pricelist"].create(
            {
                "name": "Test Web EUR",
                "currency_id": self.eur.id,
                "item_ids": [
                    (0, 0, {"applied_on": "0_product_variant", "product_id": self.product.id,
                            "fixed_price": 3200.0})
                ],
            }
        )  # fmt: skip
        self.channel.pricelist_id = shelf
        quotation = self.env["sale.order"].create(
            {
                "partner_id": self.client.id,
                "oms_channel_id": self.channel.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        self.assertEqual(quotation.pricelist_id, shelf)
        self.assertEqual(quotation.order_line.price_unit, 3200.0)
        plain = self.env["sale.order"].create({"partner_id": self.client.id})
        self.assertNotEqual(plain.pricelist_id, shelf)
