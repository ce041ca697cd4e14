"""The trust boundary: what a caller sends as context switches nothing off, archived records
do nothing, and what goes wrong inside reaches the caller as a clear refusal.

The context is given with ``with_context``, which is what Odoo does with the ``context`` an
XML-RPC or JSON-2 caller sends (odoo/service/model.py ``call_kw``); tests/test_server_trust.py
sends the same keys over the wire.
"""

from datetime import timedelta
from unittest.mock import patch

from psycopg2.errors import SerializationFailure

from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import ConcurrencyError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user
from odoo.tests import tagged

from ..models import api_boundary
from ..models.luxury_oms_api import LuxuryOmsApi
from .common import LuxuryOmsCase


@tagged("post_install", "-at_install")
class TestTrustBoundary(LuxuryOmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.integration_user = new_test_user(
            cls.env, login="api-trust", groups="luxury_oms.group_oms_integration"
        )
        cls.channel.user_ids = cls.integration_user
        cls._set_stock(cls.product, cls.dc, 1)
        cls.vip = cls.env["res.partner"].create({"name": "VIP", "email": "vip@example.com"})
        cls.held = cls.env["luxury.oms.hold"].create(
            {
                "product_id": cls.product.id,
                "warehouse_id": cls.dc.id,
                "quantity": 1,
                "date_expiry": fields.Datetime.now() + timedelta(days=3),
                "beneficiary_type": "client",
                "partner_id": cls.vip.id,
            }
        )
        cls.api = cls.env["luxury.oms.api"].with_user(cls.integration_user)

    def _order(self, ref, sku="T-BAG", email="buyer@example.com"):
        return {
            "channel": "test-web",
            "external_ref": ref,
            "currency": "EUR",
            "customer": {"email": email, "name": "Buyer", "country": "FR"},
            "lines": [{"sku": sku, "qty": 1, "price_unit": 3000.0}],
            "delivery": {"mode": "ship", "address": {"street": "1 rue de la Paix",
                                                     "city": "Paris", "country": "FR"}},
        }  # fmt: skip

    def _orders(self):
        return self.env["sale.order"].search([("oms_channel_id", "=", self.channel.id)])

    # The caller's context -----------------------------------------------------------

    def test_context_cannot_free_a_held_piece(self):
        hostile = self.api.with_context(
            oms_exclude_hold_ids=self.held.ids, active_test=False, tracking_disable=True
        )
        with self.assertRaisesRegex(UserError, "Not enough stock"):
            hostile.place_order(self._order("HELD-1"))
        figures = hostile.get_availability(["T-BAG"], ["TDC"], "test-web")["T-BAG"]
        self.assertEqual(figures["available_to_sell"], 0)
        self.assertEqual((self.held.state, self.held.remaining_qty), ("active", 1))
        self.assertFalse(self._orders())

    def test_the_api_runs_with_a_clean_context(self):
        seen = []

        def spy(api, *args):
            seen.append(dict(api.env.context))
            return {}

        with patch.object(LuxuryOmsApi, "_api_get_availability", spy):
            self.api.with_context(
                oms_exclude_hold_ids=[1], active_test=False, lang="fr_FR", tz="Europe/Paris",
                allowed_company_ids=[1], tracking_disable=True,
            ).get_availability(["T-BAG"])  # fmt: skip
        self.assertEqual(seen, [{"lang": "fr_FR", "tz": "Europe/Paris"}])

    def test_resizing_a_hold_still_excludes_only_itself(self):
        """The hold being resized is excluded by an argument now, not by the context."""
        self.held.quantity = 1  # same size: fits, since its own unit is not counted twice
        self._set_stock(self.product, self.dc, 1)
        self.held.quantity = 2
        self.assertEqual(self.held.remaining_qty, 2)
        with self.assertRaisesRegex(UserError, "Not enough stock"):
            self.held.quantity = 3

    def test_hold_state_is_not_set_by_hand(self):
        user = new_test_user(
            self.env, login="cs-trust", groups="luxury_oms.group_oms_customer_service"
        )
        self.held.action_release()
        with self.assertRaises(AccessError):
            self.held.with_user(user).write({"state": "active"})
        with self.assertRaises(ValidationError):
            self.held.with_user(user).with_context(oms_expiring=True).write(
                {"date_expiry": fields.Datetime.now() - timedelta(days=1)}
            )
        self.assertEqual(self.held.state, "released")

    def test_what_the_oms_sets_is_not_set_when_creating_an_order(self):
        """An order's screening, pipeline and sourcing fields are the OMS's: whoever may
        create orders cannot create one already approved, released or pointing at another
        order's plan (writing them is refused the same way)."""
        salesman = new_test_user(
            self.env, login="sales-trust", groups="sales_team.group_sale_salesman_all_leads"
        )
        sourced = self.env["sale.order"].create(
            {"partner_id": self.vip.id, "warehouse_id": self.dc.id}
        )
        plan = self.env["luxury.oms.sourcing.plan"].create({"order_id": sourced.id})
        Order = self.env["sale.order"].with_user(salesman)
        before = Order.sudo().search_count([])
        for fname, value, refusal in (
            ("oms_fraud_state", "approved", "set by screening"),
            ("oms_fraud_score", 0.0, "set by screening"),
            ("oms_pipeline_state", "released", "set by the OMS"),
            ("oms_deliveries_pending", False, "set by the OMS"),
            ("oms_sourcing_plan_id", plan.id, "set by sourcing"),
        ):
            with self.subTest(fname), self.assertRaisesRegex(AccessError, refusal):
                Order.create({"partner_id": self.vip.id, fname: value})
        self.assertEqual(Order.sudo().search_count([]), before, "no order half created")
        order = Order.create({"partner_id": self.vip.id})
        self.assertEqual(order.oms_fraud_state, "none", "an order without them is created")
        self.assertFalse(order.oms_sourcing_plan_id)

    def test_no_context_silences_a_holds_history(self):
        """The class's environment itself runs with ``tracking_disable`` (LuxuryOmsCase)."""
        silenced = self.env["luxury.oms.hold"].with_context(
            tracking_disable=True, mail_notrack=True, mail_create_nolog=True
        )
        self._set_stock(self.product, self.dc, 2)
        hold = silenced.create(
            {
                "product_id": self.product.id,
                "warehouse_id": self.dc.id,
                "quantity": 1,
                "date_expiry": fields.Datetime.now() + timedelta(days=3),
                "beneficiary_type": "client",
                "partner_id": self.vip.id,
            }
        )
        self.assertTrue(hold.message_ids, "the creation is logged")
        # Odoo tracks a record's changes from the transaction after its creation.
        self.env.cr.precommit.run()
        hold.with_context(tracking_disable=True, mail_notrack=True).quantity = 2
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written before the commit
        hold.invalidate_recordset(["message_ids"])
        tracked = hold.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "quantity"
        )
        self.assertEqual((tracked.old_value_float, tracked.new_value_float), (1, 2))

    # Archived means off -------------------------------------------------------------

    def test_archived_channel_sells_nothing(self):
        self.held.action_release()
        self.channel.action_archive()
        hostile = self.api.with_context(active_test=False)
        with self.assertRaisesRegex(ValidationError, "^channel: test-web is archived"):
            hostile.place_order(self._order("ARCH-1"))
        with self.assertRaisesRegex(ValidationError, "^channel: test-web is archived"):
            hostile.get_availability(["T-BAG"], None, "test-web")
        self.assertFalse(self._orders())

    def test_archived_sku_is_not_sold(self):
        self.held.action_release()
        self.product.action_archive()
        hostile = self.api.with_context(active_test=False)
        with self.assertRaisesRegex(ValidationError, r"^lines\[0\].sku: T-BAG is archived"):
            hostile.place_order(self._order("ARCH-2"))
        with self.assertRaisesRegex(ValidationError, r"^skus\[0\]: T-BAG is archived"):
            hostile.get_availability(["T-BAG"], None, "test-web")
        self.assertFalse(self._orders())

    def test_archived_site_is_not_a_site_of_the_channel(self):
        self.milan.action_archive()
        with self.assertRaisesRegex(ValidationError, r"^sites\[0\]: unknown site 'TMIL'"):
            self.api.with_context(active_test=False).get_availability(
                ["T-BAG"], ["TMIL"], "test-web"
            )

    def test_revoking_a_channels_keys(self):
        """A manager revokes every key of the channel's integration users, in the chatter;
        a user who may not edit the channel may not. (That a revoked key stops working on a
        server is tests/test_server_trust.py's.)"""
        Keys = self.env["res.users.apikeys"].sudo()
        Keys.with_user(self.integration_user)._generate(
            None, "Web", fields.Datetime.now() + timedelta(hours=12)
        )
        support = new_test_user(
            self.env, login="cs-keys", groups="luxury_oms.group_oms_customer_service"
        )
        with self.assertRaises(AccessError):
            self.channel.with_user(support).action_revoke_api_keys()
        self.assertTrue(Keys.search([("user_id", "=", self.integration_user.id)]))
        self.assertIs(self.channel.action_revoke_api_keys(), True)
        self.assertFalse(Keys.search([("user_id", "=", self.integration_user.id)]))
        self.assertIn("1 API key(s) of api-trust revoked", self.channel.message_ids[0].body)

    # Failures -----------------------------------------------------------------------

    def test_unexpected_error_answers_an_incident_reference(self):
        def broken(*args):
            raise KeyError(False)

        with (
            patch.object(LuxuryOmsApi, "_api_create_order", broken),
            patch.object(api_boundary, "_rollback"),
            self.assertLogs("odoo.addons.luxury_oms.models.api_boundary", "ERROR") as logs,
            self.assertRaisesRegex(UserError, r"^internal error: incident [0-9A-F]{10};") as caught,
        ):
            self.held.action_release()
            self.api.place_order(self._order("BUG-1"))
        reference = str(caught.exception).split()[3].rstrip(";")
        self.assertIn(reference, logs.output[0])
        self.assertIn("Traceback", logs.output[0], "the traceback stays in the server log")
        self.assertNotIn("KeyError", str(caught.exception))

    def test_contention_is_replayed_then_answered(self):
        """A call that loses a race is replayed inside the boundary, with nothing written
        by the lost try; one that keeps losing is refused as busy."""
        self.held.action_release()
        real = LuxuryOmsApi._api_place_order
        tries = []

        def loses_once(api, order):
            tries.append(order["external_ref"])
            if len(tries) == 1:
                raise SerializationFailure("could not serialize access")
            return real(api, order)

        with (
            patch.object(LuxuryOmsApi, "_api_place_order", loses_once),
            patch.object(api_boundary, "_rollback") as rollback,
        ):
            answer = self.api.place_order(self._order("RACE-1"))
        self.assertEqual((answer["state"], tries), ("confirmed", ["RACE-1", "RACE-1"]))
        self.assertEqual(rollback.call_count, 1)

        def always_loses(api, order):
            raise ConcurrencyError("client created by a concurrent order")

        with (
            patch.object(LuxuryOmsApi, "_api_place_order", always_loses),
            patch.object(api_boundary, "_rollback"),
            patch.object(api_boundary, "BUSY_AFTER_SECONDS", 0.05),
            self.assertRaisesRegex(UserError, "^busy: .*nothing was written, retry") as caught,
        ):
            self.api.place_order(self._order("RACE-2"))
        self.assertIsInstance(caught.exception, api_boundary.ApiBusyError)

    def test_expected_refusals_pass_unchanged(self):
        with self.assertRaisesRegex(ValidationError, r"^lines\[0\].sku: unknown SKU 'NOPE'"):
            self.api.place_order(self._order("NOPE-1", sku="NOPE"))
        outsider = new_test_user(self.env, login="not-api", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["luxury.oms.api"].with_user(outsider).get_availability(["T-BAG"])
