from datetime import timedelta

from odoo import Command
from odoo import fields
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon
from odoo.tests import new_test_user
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPosClientPanel(TestPointOfSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(su=True)  # the accounting test user may not configure tiers
        cls.advisor = advisor = new_test_user(
            env,
            "panel.advisor",
            groups="luxury_clienteling.group_clienteling_advisor",
            name="Panel Advisor",
        )
        tier = env["luxury.oms.tier"].create({"name": "Panel Icon", "code": "panel", "rank": 995})
        cls.countess = env["res.partner"].create(
            {
                "name": "Countess Panel",
                "oms_tier_id": tier.id,
                "clienteling_advisor_id": advisor.id,
                "clienteling_preference_ids": [
                    Command.create({"kind": "colour", "value": "Burgundy"}),
                ],
                "clienteling_note_ids": [Command.create({"body": "Secret note"})],
            }
        )
        scarf = env["product.product"].create({"name": "Panel Scarf", "list_price": 450})
        order = env["sale.order"].create(
            {
                "partner_id": cls.countess.id,
                "order_line": [Command.create({"product_id": scarf.id})],
            }
        )
        order.action_confirm()
        boutique = cls.main_pos_config.picking_type_id.warehouse_id
        boutique.oms_click_collect = True
        cls.pickup = env["sale.order"].create(
            {
                "partner_id": cls.countess.id,
                "warehouse_id": boutique.id,
                "oms_pickup_warehouse_id": boutique.id,
                "order_line": [Command.create({"product_id": scarf.id})],
            }
        )
        cls.pickup.action_confirm()
        env["luxury.client.event"].create(
            [
                {
                    "name": name,
                    "date_begin": fields.Datetime.now() + timedelta(days=days),
                    "attendee_ids": [Command.link(cls.countess.id)],
                }
                for name, days in (("Haute Joaillerie Preview", 10), ("Last Year's Gala", -300))
            ]
        )
        watch = env["product.product"].create(
            {"name": "Panel Watch", "is_storable": True, "tracking": "serial"}
        )
        env["stock.lot"].create({"name": "PANEL-1", "product_id": watch.id})
        env["luxury.client.repair"].create(
            {
                "partner_id": cls.countess.id,
                "warehouse_id": cls.main_pos_config.picking_type_id.warehouse_id.id,
                "serial_number": "PANEL-1",
                "issue": "Glass scratched",
            }
        )

    def test_panel_is_the_clients_360_in_the_sellers_words(self):
        panel = self.countess.with_user(self.pos_user).clienteling_pos_panel(
            config_id=self.main_pos_config.id
        )
        self.assertEqual(panel["tier"], "Panel Icon")
        self.assertEqual(panel["advisor"], "Panel Advisor")
        self.assertEqual(panel["preferences"], [{"kind": "Colour", "value": "Burgundy"}])
        [piece] = panel["pieces"]
        self.assertEqual(piece["name"], "Panel Scarf", "pieces, not order numbers")
        self.assertIn("/web/image/product.product/", piece["image_url"])
        services = {(service["kind"], service["status"]) for service in panel["services"]}
        self.assertIn(("Repair", "Received"), services, "a label and a state, not a model name")
        self.assertIn(("Pickup here", "Preparing"), services)
        self.assertEqual([event["name"] for event in panel["events"]], ["Haute Joaillerie Preview"])
        self.assertEqual(panel["spent"]["count"], 2)
        currency = self.main_pos_config.currency_id
        self.assertIn(currency.symbol, panel["spent"]["amount"], "in the till's currency")

    def test_personal_notes_reach_only_who_may_read_them(self):
        panel = self.countess.with_user(self.pos_user).clienteling_pos_panel()
        self.assertNotIn("Secret note", str(panel))
        advisor_panel = self.countess.with_user(self.advisor).clienteling_pos_panel()
        self.assertEqual([note["body"] for note in advisor_panel["notes"]], ["Secret note"])

    def test_selecting_a_flagged_client_at_the_till_logs_one_walk_in(self):
        boutique = self.main_pos_config.picking_type_id.warehouse_id
        self.countess.sudo().clienteling_alert = True
        countess = self.countess.with_user(self.pos_user)
        countess.clienteling_pos_panel(config_id=self.main_pos_config.id)
        countess.clienteling_pos_panel(config_id=self.main_pos_config.id)
        visits = self.countess.sudo().clienteling_interaction_ids
        self.assertEqual(visits.interaction_type, "visit")
        self.assertEqual(visits.warehouse_id, boutique)

    def test_a_visit_before_the_boutiques_midnight_was_another_day(self):
        boutique = self.main_pos_config.picking_type_id.warehouse_id
        boutique.partner_id.sudo().tz = "Asia/Tokyo"
        self.countess.sudo().clienteling_alert = True
        yesterday = self.env["luxury.client.interaction"].sudo().create(
            {"partner_id": self.countess.id, "interaction_type": "visit", "summary": "Came by",
             "warehouse_id": boutique.id,
             "date": boutique._oms_day_start() - timedelta(minutes=1)}
        )  # fmt: skip
        countess = self.countess.with_user(self.pos_user)
        countess.clienteling_pos_panel(config_id=self.main_pos_config.id)
        countess.clienteling_pos_panel(config_id=self.main_pos_config.id)
        visits = self.countess.sudo().clienteling_interaction_ids
        self.assertEqual(len(visits - yesterday), 1)

    def test_unflagged_client_selection_logs_nothing(self):
        self.countess.with_user(self.pos_user).clienteling_pos_panel(
            config_id=self.main_pos_config.id
        )
        self.assertFalse(self.countess.sudo().clienteling_interaction_ids)

    def test_pos_shows_the_client_panel(self):
        boutique = self.main_pos_config.picking_type_id.warehouse_id
        self.countess.sudo().clienteling_alert = True
        boutique.sudo().oms_manager_id = self.env.ref("base.user_admin")
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("LuxuryClientelingPosPanel")
        visit = self.countess.sudo().clienteling_interaction_ids
        self.assertEqual(visit.interaction_type, "visit", "the walk-in is logged from the till")
        self.assertTrue(visit.manager_alerted)
