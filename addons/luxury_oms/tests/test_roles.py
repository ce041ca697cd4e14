from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form
from odoo.tests import new_test_user

from .test_fulfilment import FulfilmentCase

# The role matrix of the README ("Roles and rights"), one user per role.
ROLES = {
    "customer_service": "luxury_oms.group_oms_customer_service",
    "floor": "luxury_oms.group_oms_floor",
    "stock_controller": "luxury_oms.group_oms_stock_controller",
    "fraud_reviewer": "luxury_oms.group_oms_fraud",
    "oms_manager": "luxury_oms.group_oms_manager",
    "boutique_advisor": "luxury_oms.group_oms_boutique",
    "integration": "luxury_oms.group_oms_integration",
}


class TestRoles(FulfilmentCase):
    """What each role can and cannot do: each group implies only what the job needs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            role: new_test_user(cls.env, login=f"role-{role}", groups=group)
            for role, group in ROLES.items()
        }
        cls.fraud_rule = cls.env["luxury.oms.fraud.rule"].create(
            {"name": "Role test: new client", "condition": "new_client", "points": 1}
        )

    def _user(self, role):
        return self.users[role]

    def _can(self, role, model, operation="read"):
        return self.env[model].with_user(self._user(role)).has_access(operation)

    def _apply_count(self, role, quantity=7):
        """An inventory adjustment of the bag at the DC, applied by ``role``."""
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.product.id,
                    "location_id": self.dc.lot_stock_id.id,
                    "inventory_quantity": quantity,
                }
            )
        )
        quant.with_user(self._user(role)).action_apply_inventory()
        return quant

    def _refresh_all(self, role):
        return self.env["luxury.oms.stock.slot"].with_user(self._user(role)).action_refresh_all()

    def _held_order(self):
        """An order that customer service confirms and screening holds (every client of the
        test is new to the maison, and the channel holds at one point)."""
        self.channel.oms_fraud_threshold = 1
        order = (
            self.env["sale.order"]
            .with_user(self._user("customer_service"))
            .create(
                {
                    "partner_id": self.client.id,
                    "warehouse_id": self.dc.id,
                    "oms_channel_id": self.channel.id,
                    "order_line": [(0, 0, {"product_id": self.bag.id, "product_uom_qty": 1})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.oms_fraud_state, "held")
        return order

    # Inventory adjustment -------------------------------------------------------------------

    def test_only_stock_controllers_and_managers_adjust_inventory(self):
        for role in ("customer_service", "floor", "fraud_reviewer", "boutique_advisor"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self._apply_count(role)
        for role in ("stock_controller", "oms_manager"):
            with self.subTest(role=role):
                quant = self._apply_count(role, quantity=5)
                self.assertEqual(quant.quantity, 5)

    def test_no_role_but_stock_control_implies_the_inventory_user_group(self):
        """In Odoo 19 stock.group_stock_user applies inventory adjustments."""
        stock_user = self.env.ref("stock.group_stock_user")
        for role in ("customer_service", "floor", "fraud_reviewer", "integration"):
            with self.subTest(role=role):
                self.assertNotIn(stock_user, self._user(role).all_group_ids)
        self.assertIn(stock_user, self._user("stock_controller").all_group_ids)

    # Availability ---------------------------------------------------------------------------

    def test_only_stock_controllers_and_managers_refresh_all_availability(self):
        for role in ("customer_service", "floor", "fraud_reviewer", "boutique_advisor"):
            with self.subTest(role=role), self.assertRaisesRegex(AccessError, "stock controllers"):
                self._refresh_all(role)
        for role in ("stock_controller", "oms_manager"):
            with self.subTest(role=role):
                self.assertEqual(self._refresh_all(role)["tag"], "display_notification")

    def test_buffer_rules_are_kept_by_stock_controllers(self):
        self.assertTrue(self._can("stock_controller", "luxury.oms.buffer.rule", "create"))
        for role in ("customer_service", "floor", "fraud_reviewer"):
            with self.subTest(role=role):
                self.assertTrue(self._can(role, "luxury.oms.buffer.rule"))
                self.assertFalse(self._can(role, "luxury.oms.buffer.rule", "write"))

    def test_customer_service_holds_stock_for_a_client_and_the_floor_does_not(self):
        values = {
            "product_id": self.bag.id,
            "warehouse_id": self.dc.id,
            "quantity": 1,
            "date_expiry": fields.Datetime.now() + timedelta(days=3),
            "beneficiary_type": "client",
            "partner_id": self.client.id,
        }
        hold = self.env["luxury.oms.hold"].with_user(self._user("customer_service")).create(values)
        self.assertEqual(hold.state, "active")
        self.assertTrue(self._can("stock_controller", "luxury.oms.hold", "create"))
        self.assertFalse(self._can("floor", "luxury.oms.hold", "create"))

    # Fraud ----------------------------------------------------------------------------------

    def test_fraud_rules_and_scores_only_for_the_fraud_team_and_managers(self):
        for model in ("luxury.oms.fraud.rule", "luxury.oms.fraud.score.line"):
            for role in ("customer_service", "floor", "stock_controller", "boutique_advisor"):
                with self.subTest(model=model, role=role):
                    self.assertFalse(self._can(role, model))
            for role in ("fraud_reviewer", "oms_manager"):
                with self.subTest(model=model, role=role):
                    self.assertTrue(self._can(role, model))
        self.assertFalse(self._can("fraud_reviewer", "luxury.oms.fraud.rule", "write"))
        self.assertTrue(self._can("oms_manager", "luxury.oms.fraud.rule", "write"))

    def test_customer_service_sees_the_hold_not_its_reasons(self):
        order = self._held_order().with_user(self._user("customer_service"))
        self.assertEqual(order.oms_fraud_state, "held")
        with self.assertRaises(AccessError):
            order.oms_fraud_line_ids.mapped("reason")
        self.assertFalse(order.oms_can_be_fraud_reviewed)
        with self.assertRaises(AccessError):
            order.action_oms_fraud_approve()

    def test_fraud_reviewer_approves_a_held_order(self):
        order = self._held_order().with_user(self._user("fraud_reviewer"))
        self.assertEqual(order.oms_fraud_line_ids.rule_id, self.fraud_rule)
        action = order.action_oms_fraud_approve()
        wizard_model = self.env[action["res_model"]].with_user(self._user("fraud_reviewer"))
        with Form(wizard_model.with_context(**action["context"])) as wizard:
            wizard.reason = "Called the client"
        wizard.record.action_confirm()
        self.assertEqual(order.oms_fraud_state, "approved")
        self.assertEqual(order.oms_fraud_reviewer_id, self._user("fraud_reviewer"))

    # Floor ----------------------------------------------------------------------------------

    def test_floor_staff_finish_their_tasks(self):
        order = self._confirm(self.bag)
        pick = self._tasks(order, "pick").with_user(self._user("floor"))
        self._scan_all(pick)
        pick.action_done()
        self.assertEqual(pick.state, "done")
        qc = self._tasks(order, "qc").with_user(self._user("floor"))
        qc.check_ids.result = "pass"
        qc.action_done()
        self.assertEqual(qc.state, "done")
        for role in ("customer_service", "fraud_reviewer", "stock_controller"):
            with self.subTest(role=role):
                self.assertFalse(self._can(role, "luxury.oms.fulfilment.task", "write"))

    # Integration ----------------------------------------------------------------------------

    def test_integration_user_reads_no_model(self):
        """The channel API runs in sudo after checking the group: the key itself reads
        nothing, not even the OMS's own models."""
        api = self._user("integration")
        models = self.env["ir.model"].search([("model", "=like", "luxury.oms.%")]).mapped("model")
        models += ["sale.order", "res.partner", "product.product", "stock.quant", "stock.picking"]
        for model in models:
            if self.env[model]._abstract:
                continue
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(api).has_access("read"))
        with self.assertRaisesRegex(AccessError, "stock controllers"):
            self._refresh_all("integration")
