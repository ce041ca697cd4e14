from odoo import Command
from odoo import fields
from odoo.tests import new_test_user
from odoo.tests import tagged

from .pos_tour_common import OmsBoutiqueTourCase


@tagged("post_install", "-at_install")
class TestLuxuryOmsPosTour(OmsBoutiqueTourCase):
    """The boutique POS in a real browser: ATS badges on the cards (read again when the bus
    says stock moved), a promised piece caught when added or its quantity raised on the
    keypad (who it is promised to, the alternatives, the override secondary and approved
    by a manager the server checks), a receipt in the client's language, and a pickup
    handover."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        config = cls.main_pos_config
        site = cls.site
        site.oms_click_collect = True
        bag, scarf, belt = cls.env["product.product"].create(
            [
                {
                    "name": name,
                    "is_storable": True,
                    "available_in_pos": True,
                    "list_price": 100,
                    "taxes_id": [(5, 0, 0)],
                }
                for name in ("OMS Tour Bag", "OMS Tour Scarf", "OMS Tour Belt")
            ]
        )
        dc = cls.env["stock.warehouse"].create(
            {
                "name": "Tour DC",
                "code": "TDC",
                "oms_site_type": "dc",
                "company_id": config.company_id.id,
            }
        )
        cls.env["luxury.oms.channel"].create(
            {
                "name": "Tour Web",
                "code": "tour-web",
                "company_id": config.company_id.id,
                "currency_id": config.currency_id.id,
                "warehouse_ids": [Command.set((site | dc).ids)],
            }
        )
        for product, location in (
            (bag, site.lot_stock_id),
            (scarf, site.lot_stock_id),
            (belt, site.lot_stock_id),
            (bag, dc.lot_stock_id),
        ):
            cls.env["stock.quant"]._update_available_quantity(product, location, 1)
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["res.partner"].create({"name": "Tour Client FR", "lang": "fr_FR"})
        bag.with_context(lang="fr_FR").name = "Sac de tournée"
        client = cls.env["res.partner"].create({"name": "Tour Pickup Client"})
        web_client = cls.env["res.partner"].create({"name": "Tour Web Client"})
        cls.manager = new_test_user(
            cls.env,
            "tour_manager",
            password="tour-manager-pw",
            groups="base.group_user,luxury_oms.group_oms_boutique_manager",
            company_id=config.company_id.id,
        )
        web_order, cls.pickup = cls.env["sale.order"].create(
            [
                {
                    "partner_id": web_client.id,
                    "warehouse_id": site.id,
                    "order_line": [fields.Command.create({"product_id": bag.id})],
                },
                {
                    "partner_id": client.id,
                    "warehouse_id": site.id,
                    "oms_pickup_warehouse_id": site.id,
                    "order_line": [fields.Command.create({"product_id": scarf.id})],
                },
            ]
        )
        (web_order | cls.pickup).action_confirm()
        cls._promised_watch(site, web_client)
        cls.pickup.oms_pickup_code = "TOUR23"
        cls.pickup.action_oms_pickup_ready()

    @classmethod
    def _promised_watch(cls, site, web_client):
        """Two serials here, TW-1 reserved for a web order, TW-2 free."""
        watch = cls.env["product.product"].create(
            {
                "name": "OMS Tour Watch",
                "is_storable": True,
                "tracking": "serial",
                "available_in_pos": True,
                "list_price": 900,
                "taxes_id": [(5, 0, 0)],
            }
        )
        lots = cls.env["stock.lot"].create(
            [{"name": name, "product_id": watch.id} for name in ("TW-1", "TW-2")]
        )
        cls.env["stock.quant"]._update_available_quantity(
            watch, site.lot_stock_id, 1, lot_id=lots[0]
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": web_client.id,
                "warehouse_id": site.id,
                "order_line": [fields.Command.create({"product_id": watch.id})],
            }
        )
        order.action_confirm()
        cls.env["stock.quant"]._update_available_quantity(
            watch, site.lot_stock_id, 1, lot_id=lots[1]
        )

    def test_boutique_check_on_add_override_and_pickup_handover(self):
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("LuxuryOmsBoutiqueTour", login="pos_user")
        sale = self.env["pos.order"].search([("config_id", "=", self.main_pos_config.id)])
        self.assertEqual(len(sale), 1, "only the approved sale was paid")
        override = sale.oms_override_ids
        self.assertEqual(override.kind, "override")
        self.assertEqual(override.approver_id, self.manager)
        self.assertEqual(override.user_id, self.pos_user)
        self.assertEqual(override.reason, "Client leaves for Tokyo tonight")
        self.assertEqual(self.pickup.oms_pickup_state, "collected")
        self.assertEqual(self.pickup.oms_pickup_failed_attempts, 1)
        self.assertEqual(self.pickup.invoice_ids.state, "posted")
