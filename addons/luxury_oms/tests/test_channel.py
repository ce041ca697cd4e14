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
