from datetime import timedelta

from odoo import Command
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon
from odoo.tests import new_test_user
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPosClientPanel(TestPointOfSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(su=True)  # the accounting test user may not configure tiers
        advisor = new_test_user(
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

    def test_panel_data_has_no_personal_notes(self):
        panel = self.countess.with_user(self.pos_user).clienteling_pos_panel()
        self.assertEqual(panel["tier"], "Panel Icon")
        self.assertEqual(panel["advisor"], "Panel Advisor")
        self.assertEqual(panel["preferences"], [{"kind": "Colour", "value": "Burgundy"}])
        self.assertEqual(panel["purchases"][0]["source"], "Sale order")
        self.assertIn("Client Repair", [service["kind"] for service in panel["services"]])
        self.assertNotIn("Secret note", str(panel))

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
