from odoo.tests import TransactionCase


class LuxuryOmsCase(TransactionCase):
    """Shared fixtures: a small maison of three sites, a channel and two tiers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.france = cls.env.ref("base.fr")
        cls.italy = cls.env.ref("base.it")
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.dc = cls._create_site("TDC", "Test DC Paris", "dc", cls.france, 48.86, 2.35)
        cls.milan = cls._create_site("TMIL", "Test Milan", "boutique", cls.italy, 45.46, 9.19)
        cls.rome = cls._create_site("TROM", "Test Rome", "boutique", cls.italy, 41.90, 12.50)
        cls.channel = cls.env["luxury.oms.channel"].create(
            {
                "name": "Test Web",
                "code": "test-web",
                "currency_id": cls.eur.id,
                "warehouse_ids": [(6, 0, (cls.dc | cls.milan).ids)],
            }
        )
        cls.tier_gold = cls.env["luxury.oms.tier"].create(
            {"name": "Test Gold", "code": "test-gold", "rank": 910}
        )
        cls.tier_icon = cls.env["luxury.oms.tier"].create(
            {"name": "Test Icon", "code": "test-icon", "rank": 990}
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "Test Client", "email": "client@example.com", "country_id": cls.france.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Test Bag", "default_code": "T-BAG", "is_storable": True, "list_price": 3000}
        )

    @classmethod
    def _create_site(cls, code, name, site_type, country, latitude, longitude, **extra):
        partner = cls.env["res.partner"].create({"name": name, "country_id": country.id})
        return cls.env["stock.warehouse"].create(
            {
                "name": name,
                "code": code,
                "partner_id": partner.id,
                "oms_site_type": site_type,
                "oms_latitude": latitude,
                "oms_longitude": longitude,
                **extra,
            }
        )

    @classmethod
    def _set_stock(cls, product, site, quantity, location=None):
        cls.env["stock.quant"]._update_available_quantity(
            product, location or site.lot_stock_id, quantity
        )
