from odoo.tests import TransactionCase
from odoo.tests import new_test_user
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestOverview(TransactionCase):
    """The app's home: one card per queue, counted for whoever looks, one click to the list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fraud = new_test_user(
            cls.env, login="overview-fraud", groups="luxury_oms.group_oms_fraud"
        )
        cls.floor = new_test_user(
            cls.env, login="overview-floor", groups="luxury_oms.group_oms_floor"
        )
        cls.queue = cls.env.ref("luxury_oms.queue_fraud_review")

    def test_a_card_counts_its_queue_and_opens_its_list(self):
        orders = self.env["sale.order"].with_user(self.fraud)
        held = orders.search_count([("oms_fraud_state", "=", "held")])
        self.assertEqual(self.queue.with_user(self.fraud).count, held)
        action = self.queue.with_user(self.fraud).action_open()
        self.assertEqual(action["res_model"], "sale.order")
        self.assertEqual(action["domain"], [("oms_fraud_state", "=", "held")])

    def test_a_card_of_another_role_is_hidden(self):
        slots = self.env.ref("luxury_oms.queue_stock_alerts")
        self.assertFalse(slots.with_user(self.fraud).has_access("read"))

    def test_each_role_sees_the_cards_of_its_work(self):
        Queue = self.env["luxury.oms.queue"]
        fraud_cards = Queue.with_user(self.fraud).search([])
        floor_cards = Queue.with_user(self.floor).search([])
        self.assertIn(self.queue, fraud_cards)
        self.assertNotIn(self.queue, floor_cards)
        self.assertIn(self.env.ref("luxury_oms.queue_floor_pick"), floor_cards)

    def test_the_app_opens_on_the_overview(self):
        root = self.env.ref("luxury_oms.luxury_oms_menu_root")
        first = root.child_id.sorted("sequence")[:1]
        self.assertEqual(first.action, self.env.ref("luxury_oms.luxury_oms_queue_action_overview"))
