from odoo import Command
from odoo import fields
from odoo.tests import tagged

from .common import LuxuryOmsCase


@tagged("post_install", "-at_install")
class TestConfigCache(LuxuryOmsCase):
    """Sourcing and fraud rules are read once per worker as engine data; a change to a rule,
    a criterion, a tier or a currency rate clears the cache here at once and, at commit,
    in every other worker (the registry's cache signal)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.strategy = cls.env["luxury.oms.sourcing.strategy"].create(
            {
                "name": "Cached",
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Nearest",
                            "criterion_ids": [
                                Command.create({"criterion_type": "distance", "weight": 60}),
                            ],
                        }
                    )
                ],
            }
        )
        cls.rule = cls.strategy.rule_ids
        cls.currency = cls.env.company.currency_id
        cls.today = fields.Date.context_today(cls.env["res.users"])

    def _sourcing_rules(self):
        return self.strategy._oms_cached_engine_rules(self.currency.id, self.today)[0]

    def _fraud_rules(self):
        return self.env["luxury.oms.fraud.rule"]._oms_cached_engine_rules(
            self.env.company.id, self.today
        )

    def _assert_cleared_everywhere(self):
        # What registry.signal_changes() sends to the other workers at commit.
        self.assertIn("default", self.env.registry.cache_invalidated)
        self.env.registry.cache_invalidated.clear()

    def test_sourcing_rules_are_read_once(self):
        self.assertIs(self._sourcing_rules(), self._sourcing_rules())

    def test_sourcing_rule_or_criterion_change_clears_the_cache(self):
        before = self._sourcing_rules()
        self.env.registry.cache_invalidated.clear()
        self.rule.name = "Nearest site first"
        self._assert_cleared_everywhere()
        self.assertEqual(self._sourcing_rules()[0].name, "Nearest site first")
        self.assertIsNot(self._sourcing_rules(), before)
        self.rule.criterion_ids.weight = 80
        self._assert_cleared_everywhere()
        self.assertEqual(self._sourcing_rules()[0].criteria[0].weight, 80)
        self.rule.active = False
        self.env["luxury.oms.sourcing.rule"].create(
            {
                "name": "Replacement",
                "strategy_id": self.strategy.id,
                "criterion_ids": [Command.create({"criterion_type": "cost", "weight": 50})],
            }
        )
        self.assertEqual([rule.name for rule in self._sourcing_rules()], ["Replacement"])

    def test_fraud_rule_change_applies_to_the_next_order(self):
        self.assertEqual(self._fraud_rules(), ())
        rule = self.env["luxury.oms.fraud.rule"].create(
            {"name": "New client", "condition": "new_client", "points": 10}
        )
        self._assert_cleared_everywhere()
        self.channel.oms_fraud_threshold = 50
        self._set_stock(self.product, self.dc, 5)
        first = self._confirmed_order()
        self.assertEqual((first.oms_fraud_score, first.oms_fraud_state), (10, "none"))
        self.assertIs(self._fraud_rules(), self._fraud_rules())
        rule.points = 60
        self._assert_cleared_everywhere()
        newcomer = self.env["res.partner"].create({"name": "Another new client"})
        second = self._confirmed_order(newcomer)
        self.assertEqual((second.oms_fraud_score, second.oms_fraud_state), (60, "held"))

    def test_currency_rate_change_clears_converted_amounts(self):
        self._sourcing_rules()
        self.env.registry.cache_invalidated.clear()
        other = self.env.ref("base.EUR" if self.currency.name != "EUR" else "base.USD")
        other.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": other.id, "rate": 3.0, "name": self.today}
        )
        self._assert_cleared_everywhere()

    def test_regions_are_read_once_per_country_until_a_group_changes(self):
        france = self.env.ref("base.fr")
        SaleOrder = self.env["sale.order"]
        before = SaleOrder._oms_region_ids(france.id)
        self.assertIs(SaleOrder._oms_region_ids(france.id), before)
        self.env.registry.cache_invalidated.clear()
        group = self.env["res.country.group"].create(
            {"name": "Cached Europe", "country_ids": [Command.link(france.id)]}
        )
        self._assert_cleared_everywhere()
        self.assertIn(group.id, SaleOrder._oms_region_ids(france.id))

    def _confirmed_order(self, partner=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.client).id,
                "warehouse_id": self.dc.id,
                "oms_channel_id": self.channel.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        order.action_confirm()
        return order

    def test_availability_keeps_rules_families_ranks_and_watches_until_they_change(self):
        """What every availability read and sourcing asks besides the stock itself: the
        buffer rules, the products' families, the tiers' ranks, the watched products."""
        Availability = self.env["luxury.oms.availability"]
        company = self.env.company.id
        index = Availability._buffer_rule_index(company, None)
        self.assertIs(Availability._buffer_rule_index(company, None), index)
        self.env.registry.cache_invalidated.clear()
        rule = self.env["luxury.oms.buffer.rule"].create({"value": 1})
        self._assert_cleared_everywhere()
        self.assertIn(rule.id, [r.id for r in Availability._buffer_rule_index(company, None)
                                .catalogue_wide])  # fmt: skip

        family = self.env["product.category"].create({"name": "Cached family"})
        Availability._category_chains(self.product.ids)
        self.product.categ_id = family
        self._assert_cleared_everywhere()
        self.assertEqual(Availability._category_chains(self.product.ids)[self.product.id][0],
                         family.id)  # fmt: skip
        family.parent_id = self.env["product.category"].create({"name": "Cached parent"})
        self._assert_cleared_everywhere()
        self.assertEqual(Availability._category_chains(self.product.ids)[self.product.id][1],
                         family.parent_id.id)  # fmt: skip
        self.product.is_storable = False
        self._assert_cleared_everywhere()
        self.assertNotIn(self.product.id, Availability._category_chains(self.product.ids))

        Tier = self.env["luxury.oms.tier"]
        self.assertEqual(Tier._oms_rank_of(self.tier_gold.id), self.tier_gold.rank)
        self.tier_gold.rank += 1000
        self._assert_cleared_everywhere()
        self.assertEqual(Tier._oms_rank_of(self.tier_gold.id), self.tier_gold.rank)

        Watch = self.env["luxury.oms.availability.watch"]
        self.assertNotIn(self.product.id, Watch._oms_watched_product_ids())
        Watch.create({"product_id": self.product.id, "threshold": 1})
        self._assert_cleared_everywhere()
        self.assertIn(self.product.id, Watch._oms_watched_product_ids())

    def _selling_sites(self):
        """{site id: (row, engine site)} of the channel's selling sites, as kept."""
        channel = self.channel.sudo()
        rows, sites = channel._oms_selling_site_rows(), channel._oms_engine_sites()
        return {row.id: (row, site) for row, site in zip(rows, sites, strict=True)}

    def test_selling_sites_are_read_once_until_a_site_or_the_channel_changes(self):
        """Every channel order reads its channel's selling sites: kept per worker, cleared by
        what they are made of (the sites' sourcing fields, their order, their addresses' and
        companies' time zones, the channel's sites)."""
        channel = self.channel.sudo()
        self.assertIs(channel._oms_selling_site_rows(), channel._oms_selling_site_rows())
        self.assertIs(channel._oms_engine_sites(), channel._oms_engine_sites())
        self.assertEqual(list(self._selling_sites()), [self.dc.id, self.milan.id])
        self.env.registry.cache_invalidated.clear()

        for fname, value, seen in (
            ("oms_daily_capacity", 7, lambda row, site: site.daily_capacity == 7),
            ("oms_site_type", "outlet", lambda row, site: site.site_type == "outlet"),
            ("oms_latitude", 45.0, lambda row, site: site.latitude == 45.0),
            ("oms_gift_wrap", True, lambda row, site: "gift_wrap" in site.capabilities),
            ("oms_fulfilment_cost", 12.5, lambda row, site: site.cost == 12.5),
        ):
            self.milan[fname] = value
            self._assert_cleared_everywhere()
            self.assertTrue(seen(*self._selling_sites()[self.milan.id]), fname)

        self.milan.partner_id.tz = "Asia/Tokyo"
        self._assert_cleared_everywhere()
        self.assertEqual(self._selling_sites()[self.milan.id][0].tz, "Asia/Tokyo")
        self.dc.partner_id.tz = False
        self.dc.company_id.partner_id.tz = "Europe/Paris"
        self._assert_cleared_everywhere()
        self.assertEqual(self._selling_sites()[self.dc.id][0].tz, "Europe/Paris", "company's")
        self.client.tz = "America/New_York"
        self.assertFalse(self.env.registry.cache_invalidated, "a client's time zone is not kept")

        self.milan.sequence = self.dc.sequence - 1
        self._assert_cleared_everywhere()
        self.assertEqual(list(self._selling_sites()), [self.milan.id, self.dc.id])
        self.channel.warehouse_ids = [Command.link(self.rome.id)]
        self._assert_cleared_everywhere()
        self.assertIn(self.rome.id, self._selling_sites())
        self.rome.oms_channel_ids = [Command.clear()]
        self._assert_cleared_everywhere()
        self.assertNotIn(self.rome.id, self._selling_sites())
        self.milan.active = False
        self._assert_cleared_everywhere()
        self.assertEqual(list(self._selling_sites()), [self.dc.id])
