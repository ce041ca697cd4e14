from unittest import SkipTest

from odoo import Command
from odoo.addons.luxury_oms.models.luxury_oms_demo_orders import DEMO_ORDERS
from odoo.tests import TransactionCase
from odoo.tests import tagged

TILL_CODES = ("PAR", "LON", "MIL", "TYO", "DXB", "NYC")
# A web channel and the till selling in its currency, in the country of the till.
WEB_AND_TILL = (("web-FR", "PAR", "base.fr"), ("web-UK", "LON", "base.uk"))


@tagged("post_install", "-at_install")
class TestDemoLiving(TransactionCase):
    """The demo maison as its people meet it: its own company, tills that open, one price
    per currency and orders in every state."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("luxury_oms.company_maison", raise_if_not_found=False):
            raise SkipTest("The demo maison is loaded only with --with-demo.")
        cls.maison = cls.env.ref("luxury_oms.company_maison")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.maison.ids))
        cls.admin = cls.env.ref("base.user_admin")
        cls.tills = cls.env["pos.config"].search([("oms_channel_id", "!=", False)])
        cls.catalogue = cls.env["product.product"].search(
            [("categ_id", "child_of", cls.env.ref("luxury_oms.product_category_luxury").id)]
        )

    def _order(self, reference):
        return self.env["sale.order"].search(
            ["|", ("oms_external_ref", "=", reference), ("client_order_ref", "=", reference)]
        )

    def _tasks(self, order):
        return order.picking_ids.oms_task_ids

    def test_admin_lands_in_the_maison_in_euros(self):
        self.assertEqual(self.admin.company_id, self.maison)
        self.assertEqual(self.maison.currency_id.name, "EUR")
        self.assertEqual(self.maison.account_fiscal_country_id.code, "FR")
        self.assertTrue(self.maison.logo)
        self.assertEqual(
            set(self.env["stock.warehouse"].search([]).filtered("oms_channel_ids").company_id.ids),
            set(self.maison.ids),
        )

    def test_the_maison_s_default_taxes_are_french_and_active(self):
        """A new product gets the house's default taxes: archived defaults would leave it
        without (and break Odoo's own multi-company product tests)."""
        for tax in (self.maison.account_sale_tax_id, self.maison.account_purchase_tax_id):
            self.assertTrue(tax.active, tax.name)
            self.assertEqual(tax.amount, 20.0, tax.name)
            self.assertEqual(tax.country_id.code, "FR", tax.name)
        self.assertEqual(self.maison.account_purchase_tax_id.type_tax_use, "purchase")

    def test_each_boutique_has_a_till_that_opens(self):
        self.assertEqual(sorted(self.tills.oms_warehouse_id.mapped("code")), sorted(TILL_CODES))
        for till in self.tills:
            channel = till.oms_channel_id
            self.assertEqual(till.currency_id, channel.currency_id, till.name)
            self.assertEqual(till.pricelist_id, channel.pricelist_id, till.name)
            self.assertTrue(till.limit_categories, till.name)
            self.assertEqual(
                till.iface_available_categ_ids.mapped("name"),
                ["Bags", "Small Leather Goods", "Watches", "Jewellery", "Fragrances"],
            )
            self.assertEqual(till.payment_method_ids.journal_id.mapped("type"), ["cash", "bank"])
            till.with_user(self.admin).open_ui()
            self.assertEqual(till.current_session_id.state, "opened", till.name)

    def test_the_tills_sell_the_maison_s_pieces_only_with_pictures(self):
        categories = self.tills.iface_available_categ_ids
        sold_at_tills = self.env["product.product"].search(
            [("available_in_pos", "=", True), ("pos_categ_ids", "in", categories.ids)]
        )
        self.assertEqual(sold_at_tills, self.catalogue)
        self.assertTrue(all(self.catalogue.mapped("image_128")))

    def test_the_till_charges_the_shelf_price_of_its_currency(self):
        for till in self.tills:
            position = till.default_fiscal_position_id
            for product in self.catalogue:
                shelf = till.pricelist_id._get_product_price(product, 1.0)
                price = product._get_tax_included_unit_price_from_price(
                    shelf, product.taxes_id, fiscal_position=position
                )
                taxes = position.map_tax(product.taxes_id)
                total = taxes.compute_all(price, till.currency_id, 1, product)
                if till.oms_warehouse_id.code == "NYC":
                    # American shelf prices are before the sales tax added at the till.
                    self.assertEqual(total["total_excluded"], shelf, product.default_code)
                    self.assertGreater(total["total_included"], shelf)
                else:
                    self.assertEqual(total["total_included"], shelf, product.default_code)

    def test_the_web_and_the_till_ask_the_same_price_in_one_currency(self):
        product = self.env.ref("luxury_oms.product_bag_celeste_28_noir")
        for channel_code, site_code, country_xmlid in WEB_AND_TILL:
            channel = self.env["luxury.oms.channel"].search([("code", "=", channel_code)])
            till = self.tills.filtered(lambda t, code=site_code: t.oms_warehouse_id.code == code)
            client = self.env["res.partner"].create(
                {"name": "Price Check", "country_id": self.env.ref(country_xmlid).id}
            )
            order = self.env["sale.order"].create(
                {
                    "partner_id": client.id,
                    "oms_channel_id": channel.id,
                    "pricelist_id": channel.pricelist_id.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
            )
            shelf = till.pricelist_id._get_product_price(product, 1.0)
            self.assertEqual(order.currency_id, till.currency_id)
            self.assertEqual(order.order_line.price_total, shelf, channel_code)

    def test_every_demo_order_is_in_the_state_its_name_says(self):
        orders = {reference: self._order(reference) for reference, *_spec in DEMO_ORDERS}
        self.assertTrue(all(len(order) == 1 for order in orders.values()), orders)
        self.assertEqual(orders["DEMO-TO-CONFIRM"].state, "draft")
        held = orders["DEMO-FRAUD-HELD"]
        self.assertEqual((held.state, held.oms_fraud_state), ("sale", "held"))
        self.assertGreaterEqual(held.oms_fraud_score, held.oms_fraud_threshold)
        picking = self._tasks(orders["DEMO-PICKING"])
        self.assertEqual(picking.filtered(lambda t: t.step_type == "pick").state, "ready")
        qc = self._tasks(orders["DEMO-QC-RESOURCED"]).filtered(lambda t: t.step_type == "qc")
        self.assertIn("cancel", qc.mapped("state"), "the failed piece's QC task is dropped")
        self.assertIn(
            "Re-sourced", " ".join(orders["DEMO-QC-RESOURCED"].message_ids.mapped("body"))
        )
        packed = self._tasks(orders["DEMO-PACKED"])
        self.assertEqual(packed.filtered(lambda t: t.step_type == "pack").state, "done")
        self.assertEqual(packed.filtered(lambda t: t.step_type == "handover").state, "ready")
        for reference in ("DEMO-HANDED-OVER", "DEMO-RETURNED-REFUNDED", "DEMO-COLLECTED"):
            order = orders[reference]
            delivery = order.picking_ids.filtered(lambda p: p.location_dest_id.usage == "customer")
            self.assertEqual(delivery.mapped("state"), ["done"], reference)
            self.assertIn("posted", order.invoice_ids.mapped("state"), reference)
        self.assertEqual(orders["DEMO-PICKUP-READY"].oms_pickup_state, "ready")
        self.assertEqual(orders["DEMO-COLLECTED"].oms_pickup_state, "collected")
        self.assertEqual(orders["DEMO-CANCELLED"].state, "cancel")

    def test_vip_alerts_fire_with_the_shipped_tiers(self):
        pickup = self._order("DEMO-PICKUP-READY")
        alert = pickup.activity_ids.filtered(lambda a: "VIP pickup" in (a.summary or ""))
        self.assertEqual(alert.user_id, pickup.oms_pickup_warehouse_id.oms_manager_id)
        self.assertTrue(alert.user_id)

    def test_no_oms_screen_shows_another_company_s_warehouse(self):
        self.env["luxury.oms.stock.slot"]._oms_ensure_all()
        slots = self.env["luxury.oms.stock.slot"].with_user(self.admin).search([])
        self.assertTrue(slots)
        self.assertEqual(slots.warehouse_id.company_id, self.maison)
        orders = self.env["sale.order"].with_user(self.admin).search([])
        self.assertEqual(orders.company_id, self.maison)
        self.assertFalse(orders.partner_id.filtered(lambda p: "Gemini" in (p.name or "")))
        tills = self.env["pos.config"].with_user(self.admin).search([])
        self.assertEqual(tills, self.tills, "Odoo's furniture, bakery and clothes shops stay out")

    def test_the_boutiques_sold_to_clients_of_every_tier(self):
        """Sales by client tier show the boutiques' till sales beside the web's orders."""
        sales = (
            self.env["sale.report"]
            .with_user(self.admin)
            ._read_group(
                [
                    ("company_id", "=", self.maison.id),
                    ("state", "not in", ("draft", "sent", "cancel")),
                ],
                ["oms_channel_id", "oms_client_tier_id"],
                ["price_total:sum"],
            )
        )
        till_channels = self.tills.oms_channel_id
        sold_at_tills = [
            (channel, tier) for channel, tier, _total in sales if channel in till_channels
        ]
        self.assertEqual({channel for channel, _tier in sold_at_tills}, set(till_channels))
        self.assertGreaterEqual(len({tier for _channel, tier in sold_at_tills if tier}), 4)
        self.assertTrue(any(not tier for _channel, tier in sold_at_tills), "a walk-in")
        paid = self.env["pos.order"].search([("config_id", "in", self.tills.ids)])
        self.assertEqual(set(paid.mapped("state")), {"paid"})
        for order in paid:
            self.assertEqual(order.amount_paid, order.amount_total, order.name)

    def test_foreign_sales_are_counted_in_euros_at_the_maison_s_rate(self):
        tokyo = self.tills.filtered(lambda till: till.oms_warehouse_id.code == "TYO")
        sale = self.env["pos.order"].search([("config_id", "=", tokyo.id)], limit=1)
        self.assertEqual(sale.currency_id.name, "JPY")
        self.assertGreater(sale.currency_rate, 100, "one euro buys more than a hundred yen")
        [(in_euros,)] = self.env["sale.report"]._read_group(
            [("oms_channel_id", "=", tokyo.oms_channel_id.id)], [], ["price_total:sum"]
        )
        self.assertAlmostEqual(in_euros, sale.amount_total / sale.currency_rate, delta=1)

    def test_sites_keep_their_local_time(self):
        """Courier cut-offs and a site's day are read in the site's own time zone."""
        sites = self.env["stock.warehouse"].search([("company_id", "=", self.maison.id)])
        zones = {site.code: site.partner_id.tz for site in sites}
        self.assertEqual(zones["TYO"], "Asia/Tokyo")
        self.assertEqual(zones["NYC"], "America/New_York")
        self.assertTrue(all(zones.values()), zones)
