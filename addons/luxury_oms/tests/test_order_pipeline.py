import importlib.util
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .test_fulfilment import FulfilmentCase

STAGES = ("check", "source", "take", "confirm", "consolidate", "screen", "release", "queue")


@tagged("post_install", "-at_install")
class TestOrderPipeline(FulfilmentCase):
    """The order's stages in order; fraud screened before the floor; the after-commit work
    (the client's notifications) run, retried and told on the order when it keeps failing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fraud_user = cls._create_user_in("fraud-fabio", "luxury_oms.group_oms_fraud")
        cls.channel.write({"oms_fraud_threshold": 50, "oms_fraud_reviewer_id": cls.fraud_user.id})
        cls.Pipeline = cls.env["luxury.oms.order.pipeline"]

    def _order(self, product=None):
        return self.env["sale.order"].create(
            {
                "partner_id": self.client.id,
                "warehouse_id": self.dc.id,
                "oms_channel_id": self.channel.id,
                "order_line": [(0, 0, {"product_id": (product or self.bag).id})],
            }
        )

    def _hold_new_clients(self):
        self.env["luxury.oms.fraud.rule"].create(
            {"name": "New client", "condition": "new_client", "points": 60}
        )

    def _subjects(self, order):
        return order.message_ids.filtered("subject").sorted("id").mapped("subject")

    def test_stages_in_order(self):
        self.assertEqual(self.Pipeline._intake_stages(), STAGES)

    def test_an_order_goes_through_every_stage_in_order(self):
        ran = []
        Pipeline = type(self.Pipeline)

        def recorder(stage):
            original = getattr(Pipeline, f"_stage_{stage}")

            def record(pipeline, orders):
                # Floor work exists only from the release stage on.
                ran.append((stage, bool(orders.picking_ids.sudo().oms_task_ids)))
                return original(pipeline, orders)

            return record

        order = self._order()
        patches = [patch.object(Pipeline, f"_stage_{stage}", recorder(stage)) for stage in STAGES]
        for stage_patch in patches:
            stage_patch.start()
            self.addCleanup(stage_patch.stop)
        self.assertTrue(order.action_confirm())
        self.assertEqual([stage for stage, _tasks in ran], list(STAGES))
        self.assertFalse(any(has_tasks for _stage, has_tasks in ran[:-1]))
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.oms_pipeline_state, "released")
        self.assertTrue(self._tasks(order, "pick"))

    def test_held_order_gets_no_floor_work_until_approved(self):
        self._hold_new_clients()
        order = self._order()
        order.action_confirm()
        self.assertEqual(order.oms_fraud_state, "held")
        self.assertEqual(order.oms_pipeline_state, "received")
        self.assertEqual(order.picking_ids.move_ids.mapped("state"), ["assigned"], "stock kept")
        self.assertFalse(order.picking_ids.sudo().oms_task_ids, "no startable pick task")
        order.with_user(self.fraud_user)._oms_fraud_approve("Card verified")
        self.assertEqual(order.oms_pipeline_state, "released")
        pick = self._tasks(order, "pick")
        self.assertEqual(pick.state, "ready")
        pick.with_user(self.manager).action_start()
        self.assertEqual(pick.state, "in_progress")

    def test_only_the_pipeline_releases_an_order(self):
        self._hold_new_clients()
        order = self._order()
        order.action_confirm()
        salesman = self._create_user_in("sales-sam", "sales_team.group_sale_salesman_all_leads")
        with self.assertRaises(AccessError):
            order.with_user(salesman).write({"oms_pipeline_state": "released"})
        with self.assertRaises(AccessError):
            order.with_user(salesman).write({"oms_work_state": False})
        self.assertFalse(order.picking_ids.sudo().oms_task_ids)

    def test_rejected_order_is_cancelled_without_floor_work(self):
        self._hold_new_clients()
        order = self._order()
        order.action_confirm()
        order.with_user(self.fraud_user)._oms_fraud_reject("Stolen card")
        self.assertEqual(order.state, "cancel")
        self.assertFalse(order.picking_ids.sudo().oms_task_ids)

    def test_client_not_held_is_told_confirmed_once(self):
        """The fraud decision is made at intake: the client gets one mail, "confirmed", not
        "received" and "confirmed" at the same instant."""
        order = self._order()
        order.action_confirm()
        self.assertEqual(order.oms_work_state, "pending")
        self.assertEqual(order.oms_pending_work, "notify_confirmed")
        self.assertFalse(self._subjects(order), "nothing rendered before the commit")
        self.assertTrue(self.env["sale.order"]._oms_run_pending_work())
        self.assertEqual(self._subjects(order), [f"Your order {order.name} is confirmed"])
        self.assertFalse(order.oms_work_state)
        self.assertFalse(order.oms_pending_work)

    def test_upgrade_drops_the_retired_plan_explanation_step(self):
        """Plans are explained when read since 19.0.1.1.0: orders queued before the
        upgrade keep their other steps, and those left with none are done."""
        migration = importlib.util.spec_from_file_location(
            "luxury_oms_post_migration",
            file_path("luxury_oms/migrations/19.0.1.1.0/post-migration.py"),
        )
        module = importlib.util.module_from_spec(migration)
        migration.loader.exec_module(module)
        both, only = self._order(), self._order(self.watch)
        for order in both | only:
            order.action_confirm()
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE sale_order SET oms_pending_work = CASE WHEN id = %s
                   THEN 'explain_plan notify_confirmed' ELSE 'explain_plan' END
                WHERE id IN %s""",
            (both.id, (both | only)._ids),
        )
        module.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(
            (both.oms_pending_work, both.oms_work_state), ("notify_confirmed", "pending")
        )
        self.assertEqual((only.oms_pending_work, only.oms_work_state), (False, False))

    def test_received_mail_speaks_the_clients_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["luxury_oms"], ["fr_FR"])
        self.client.lang = "fr_FR"
        self._hold_new_clients()
        order = self._order()
        order.action_confirm()
        self.env["sale.order"]._oms_run_pending_work()
        received = order.message_ids.filtered("subject").sorted("id")[0]
        self.assertEqual(received.subject, f"Nous avons bien reçu votre commande {order.name}")
        self.assertIn("dès qu'elle sera confirmée", received.body)

    def test_held_client_is_told_confirmed_only_after_approval(self):
        self._hold_new_clients()
        order = self._order()
        order.action_confirm()
        self.env["sale.order"]._oms_run_pending_work()
        self.assertEqual(self._subjects(order), [f"We have received your order {order.name}"])
        order.with_user(self.fraud_user)._oms_fraud_approve("Card verified")
        self.env["sale.order"]._oms_run_pending_work()
        self.assertEqual(self._subjects(order)[-1], f"Your order {order.name} is confirmed")

    def test_intake_wakes_the_work_cron_up(self):
        cron = self.env.ref("luxury_oms.ir_cron_oms_order_work")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self._order().action_confirm()
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), len(triggers)
        )

    def test_a_cron_run_out_of_time_wakes_itself_up_again(self):
        """Odoo stops a cron job after its time and reschedules it, which a cron worker
        sees at its next poll only: the work cron triggers itself for the orders left."""
        cron = self.env.ref("luxury_oms.ir_cron_oms_order_work")
        # Only this test's orders wait (the database's own are done).
        self.env["sale.order"].sudo().search([("oms_work_state", "=", "pending")]).write(
            {"oms_work_state": False}
        )
        orders = self._order() | self._order(self.watch)
        orders.action_confirm()
        Trigger = self.env["ir.cron.trigger"]
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=0.0):
            self.env["sale.order"]._cron_run_pending_work()
        self.assertEqual(orders.mapped("oms_work_state"), [False, "pending"], "time was up")
        self.assertTrue(Trigger.search_count([("cron_id", "=", cron.id)]))

    def test_failing_work_is_retried_then_told_on_the_order(self):
        order = self._order()
        order.action_confirm()
        other = self._order(self.watch)
        other.action_confirm()
        SaleOrder = type(self.env["sale.order"])
        original = SaleOrder._oms_work_notify_confirmed

        def fail_for_order(records):
            if records == order:
                raise ConnectionError("mail server unreachable")
            return original(records)

        with patch.object(SaleOrder, "_oms_work_notify_confirmed", fail_for_order):
            for attempt in (1, 2):
                self.env["sale.order"]._oms_run_pending_work()
                self.assertEqual(order.oms_work_attempts, attempt)
                self.assertEqual(order.oms_work_state, "pending")
                self.assertIn("mail server unreachable", order.oms_work_error)
                self.assertFalse(order.activity_ids)
            self.assertFalse(other.oms_work_state, "another order's work is not held up")
            self.env["sale.order"]._oms_run_pending_work()
        self.assertEqual(order.oms_work_state, "failed")
        self.assertEqual(order.oms_pending_work, "notify_confirmed")
        self.assertEqual(
            order.activity_ids.summary, "Order work failed: mail the client: order confirmed"
        )
        self.assertEqual(order.oms_pending_work_label, "mail the client: order confirmed")
        self.assertEqual(
            order.with_context(lang="fr_FR").oms_pending_work_label,
            "écrire au client : commande confirmée",
            "read in the reader's language",
        )
        self.assertIn("mail server unreachable", order.message_ids[0].body)
        # Failed work is no longer retried by the cron, until someone retries it.
        self.env["sale.order"]._oms_run_pending_work()
        self.assertEqual(order.oms_work_attempts, 3)
        order.action_oms_retry_work()
        self.assertFalse(order.oms_work_state)
        self.assertEqual(self._subjects(order)[-1], f"Your order {order.name} is confirmed")
