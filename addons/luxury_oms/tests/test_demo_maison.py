from unittest import SkipTest

from odoo.tests import TransactionCase
from odoo.tests import tagged

# code: (site type, country, ships parcels, click & collect, luxury packaging, gift wrap)
SITES = {
    "PDC": ("dc", "FR", True, False, True, True),
    "PAR": ("flagship", "FR", True, True, True, True),
    "LON": ("flagship", "GB", True, True, True, True),
    "MIL": ("boutique", "IT", False, True, False, True),
    "TYO": ("boutique", "JP", False, True, False, True),
    "DXB": ("airport", "AE", False, True, False, True),
    "NYC": ("corner", "US", False, True, False, False),
}
# code: (currency, site codes)
CHANNELS = {
    "web-FR": ("EUR", {"PDC", "PAR"}),
    "web-UK": ("GBP", {"PDC", "LON"}),
    "app": ("EUR", set(SITES)),
    "pos-PAR": ("EUR", {"PAR"}),
    "pos-LON": ("GBP", {"LON"}),
    "pos-MIL": ("EUR", {"MIL"}),
    "pos-TYO": ("JPY", {"TYO"}),
    "pos-DXB": ("AED", {"DXB"}),
    "pos-NYC": ("USD", {"NYC"}),
}


@tagged("post_install", "-at_install")
class TestDemoMaison(TransactionCase):
    """The demo maison that `make run` shows and the other tests' stories rely on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("luxury_oms.site_paris_dc", raise_if_not_found=False):
            raise SkipTest("The demo maison is loaded only with --with-demo.")
        cls.maison = cls.env.ref("luxury_oms.company_maison")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.maison.ids))
        cls.sites = cls.env["stock.warehouse"].search([("code", "in", list(SITES))])
        cls.site_by_code = {site.code: site for site in cls.sites}

    def _internal_quants(self, sku):
        return self.env["stock.quant"].search(
            [("product_id.default_code", "=", sku), ("location_id.usage", "=", "internal")]
        )

    def test_the_clients_languages_speak_odoo_too(self):
        """Odoo's own terms are loaded for the demo's languages, not only the OMS's."""
        field = self.env["ir.model.fields"]._get("sale.order", "partner_id")
        self.assertEqual(field.with_context(lang="fr_FR").field_description, "Client")
        self.assertNotEqual(field.with_context(lang="ja_JP").field_description, "Customer")

    def test_sites_have_their_type_country_and_capabilities(self):
        self.assertEqual(set(self.site_by_code), set(SITES))
        for code, expected in SITES.items():
            site = self.site_by_code[code]
            actual = (
                site.oms_site_type,
                site.oms_country_id.code,
                site.oms_ships_parcels,
                site.oms_click_collect,
                site.oms_luxury_packaging,
                site.oms_gift_wrap,
            )
            self.assertEqual(actual, expected, code)
            self.assertTrue(site.oms_latitude and site.oms_longitude, code)
            self.assertGreater(site.oms_daily_capacity, 0, code)
            self.assertEqual(site.oms_sellable_location_ids, site.lot_stock_id, code)

    def test_sites_sit_where_their_city_is(self):
        tokyo, new_york = self.site_by_code["TYO"], self.site_by_code["NYC"]
        self.assertAlmostEqual(tokyo.oms_latitude, 35.67, delta=0.1)
        self.assertAlmostEqual(tokyo.oms_longitude, 139.77, delta=0.1)
        self.assertAlmostEqual(new_york.oms_longitude, -73.98, delta=0.1)
        self.assertEqual(self.site_by_code["DXB"].partner_id.country_id.currency_id.name, "AED")

    def test_channels_sell_from_their_sites_in_their_currency(self):
        channels = self.env["luxury.oms.channel"].search([("code", "in", list(CHANNELS))])
        self.assertEqual(set(channels.mapped("code")), set(CHANNELS))
        for channel in channels:
            currency, site_codes = CHANNELS[channel.code]
            self.assertEqual(channel.currency_id.name, currency, channel.code)
            self.assertTrue(channel.currency_id.active, channel.code)
            self.assertEqual(channel.pricelist_id.currency_id, channel.currency_id, channel.code)
            self.assertEqual(set(channel.warehouse_ids.mapped("code")), site_codes, channel.code)
        self.assertTrue(self.env.ref("luxury_oms.channel_app").allow_preorder)
        self.assertEqual(
            self.site_by_code["PAR"].oms_channel_ids.mapped("code"),
            ["web-FR", "app", "pos-PAR"],
        )

    def test_catalogue_is_tracked_by_category(self):
        products = self.env["product.product"].search(
            [("categ_id", "child_of", self.env.ref("luxury_oms.product_category_luxury").id)]
        )
        self.assertGreaterEqual(len(products), 15)
        self.assertTrue(all(products.mapped("is_storable")))
        tracking_by_category = {}
        for product in products:
            tracking_by_category.setdefault(product.categ_id.complete_name, set()).add(
                product.tracking
            )
        self.assertEqual(
            tracking_by_category,
            {
                "Luxury / Leather Goods / Bags": {"serial"},
                "Luxury / Leather Goods / Small Leather Goods": {"none"},
                "Luxury / Watches": {"serial"},
                "Luxury / Jewellery": {"serial"},
                "Luxury / Fragrances": {"lot"},
            },
        )
        self.assertEqual(len(set(products.mapped("default_code"))), len(products))
        lots_group = self.env.ref("stock.group_production_lot")
        self.assertIn(lots_group, self.env.ref("base.group_user").all_implied_ids)

    def test_each_serial_unit_has_its_own_serial_number(self):
        quants = self._internal_quants("WAT-ORBITE-38-STEEL")
        self.assertEqual(sum(quants.mapped("quantity")), 13)
        self.assertEqual(set(quants.mapped("quantity")), {1})
        self.assertEqual(len(quants.lot_id), 13)
        self.assertEqual(len(quants.warehouse_id), 6)

    def test_some_skus_are_scarce_and_others_deep(self):
        for sku, code in [
            ("BAG-CELESTE-28-ROUGE", "PAR"),
            ("BAG-MINUIT-CROCO-NOIR", "DXB"),
            ("WAT-TOURBILLON-42-PLAT", "TYO"),
            ("JWL-NECKLACE-ETOILE-WG", "LON"),
        ]:
            quants = self._internal_quants(sku)
            self.assertEqual(sum(quants.mapped("quantity")), 1, sku)
            self.assertEqual(quants.warehouse_id, self.site_by_code[code], sku)
        self.assertFalse(self._internal_quants("BAG-CELESTE-25-CROCO-ROSE"))
        perfume = self._internal_quants("FRG-NUIT-AMBRE-100")
        self.assertEqual(perfume.warehouse_id, self.sites)
        self.assertEqual(perfume.lot_id.name, "NA-2609")
        self.assertEqual(sum(perfume.mapped("quantity")), 226)

    def test_client_names_in_every_script_round_trip(self):
        Partner = self.env["res.partner"]
        for name, lang, tier, site in [
            ("山田 花子", "ja_JP", "gold", "TYO"),
            ("王伟", "zh_CN", "platinum", "PAR"),
            ("محمد الفارسي", "ar_001", "icon", "DXB"),
            ("Niccolò Ferrè", "it_IT", "gold", "MIL"),
        ]:
            # The client, not the delivery addresses the channels' orders added.
            client = Partner.search([("name", "=", name), ("parent_id", "=", False)])
            self.assertEqual(len(client), 1, name)
            self.assertEqual(client.read(["name"])[0]["name"], name)
            self.assertEqual(client.lang, lang, name)
            self.assertEqual(client.oms_tier_id.code, tier, name)
            self.assertEqual(client.oms_preferred_warehouse_id.code, site, name)
            self.assertTrue(client.email and client.phone and client.country_id, name)
        hanako = Partner.search([("name", "ilike", "花子")])
        self.assertEqual(hanako.email, "hanako.yamada@example.jp")

    def test_tiers_are_ordered_and_used(self):
        tiers = self.env["luxury.oms.tier"].search(
            [("code", "in", ["client", "silver", "gold", "platinum", "icon"])]
        )
        self.assertEqual(tiers.mapped("code"), ["icon", "platinum", "gold", "silver", "client"])
        self.assertEqual(tiers.mapped("rank"), [50, 40, 30, 20, 10])
        self.assertTrue(all(tiers.mapped("partner_count")))
