from datetime import timedelta

from odoo import Command
from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import LuxuryOmsCase
from .common import MultiCompanyMixin

# Maison-wide on purpose (see security/luxury_oms_company_rules.xml); private marks are read
# by no user of any company (only their hashes' comparisons leave them, in sudo).
SHARED_MODELS = {
    "luxury.oms.tier",
    "luxury.oms.qc.checklist",
    "luxury.oms.qc.checklist.item",
    # The overview's cards: each counts what the viewer's companies and rights let them read.
    "luxury.oms.queue",
    "luxury.oms.piece.mark",
}


@tagged("post_install", "-at_install")
class TestOmsMultiCompany(MultiCompanyMixin, LuxuryOmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls._set_stock(cls.product, cls.dc, 5)
        order = env["sale.order"].create(
            {
                "partner_id": cls.client.id,
                "oms_channel_id": cls.channel.id,
                "warehouse_id": cls.dc.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        hold = env["luxury.oms.hold"].create(
            {
                "warehouse_id": cls.dc.id,
                "product_id": cls.product.id,
                "partner_id": cls.client.id,
                "quantity": 2,
                "date_expiry": fields.Datetime.now() + timedelta(days=7),
            }
        )
        hold._consume(1, cls.client, order.order_line)
        workflow = env["luxury.oms.fulfilment.workflow"].create(
            {
                "name": "Test DC parcels",
                "warehouse_id": cls.dc.id,
                "step_ids": [Command.create({"name": "Pick", "step_type": "pick"})],
            }
        )
        picking = env["stock.picking"].create(
            {"picking_type_id": cls.dc.out_type_id.id, "partner_id": cls.client.id}
        )
        task = env["luxury.oms.fulfilment.task"].create(
            {
                "name": "Pick",
                "picking_id": picking.id,
                "step_id": workflow.step_ids.id,
                "sequence": 10,
                "check_ids": [Command.create({"name": "Stitching"})],
            }
        )
        strategy = env["luxury.oms.sourcing.strategy"].create(
            {
                "name": "Test nearest",
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Nearest",
                            "criterion_ids": [
                                Command.create({"criterion_type": "distance", "weight": 100})
                            ],
                        }
                    )
                ],
            }
        )
        plan = env["luxury.oms.sourcing.plan"].create(
            {
                "order_id": order.id,
                "line_ids": [
                    Command.create(
                        {"sale_line_id": order.order_line.id, "warehouse_id": cls.dc.id,
                         "quantity": 1}
                    )
                ],
                "candidate_ids": [Command.create({"rank": 1, "warehouse_id": cls.dc.id})],
            }
        )  # fmt: skip
        lot = env["stock.lot"].create(
            {"name": "MC-PIECE-1", "product_id": cls.product.id, "company_id": cls.company_a.id}
        )
        certificate = env["luxury.oms.certificate"].create(
            {
                "lot_id": lot.id,
                "company_id": cls.company_a.id,
                "partner_id": cls.client.id,
                "lang": "en_US",
            }
        )
        piece_check = env["luxury.oms.piece.check"]._record(lot, {"engraving": True}, lot)
        cls.records = [
            cls.channel,
            certificate,
            piece_check,
            env["luxury.oms.api.request"].create(
                {"channel_id": cls.channel.id, "external_ref": "MC-1", "payload_hash": "0"}
            ),
            env["luxury.oms.buffer.rule"].create(
                {"warehouse_id": cls.dc.id, "product_id": cls.product.id, "value": 1}
            ),
            env["luxury.oms.carrier.rule"].create(
                {"carrier_id": env.ref("delivery.free_delivery_carrier").id}
            ),
            env["luxury.oms.fraud.rule"].create(
                {"name": "Test new client", "condition": "new_client", "points": 10}
            ),
            env["luxury.oms.fraud.score.line"].create(
                {"order_id": order.id, "name": "New client", "reason": "First order",
                 "points": 10}
            ),
            workflow,
            workflow.step_ids,
            task,
            task.check_ids,
            hold,
            hold.consumption_ids,
            env["luxury.oms.pos.override"].create(
                {"kind": "exception", "state": "to_review", "warehouse_id": cls.dc.id,
                 "product_id": cls.product.id, "quantity": 1}
            ),
            strategy,
            strategy.rule_ids,
            strategy.rule_ids.criterion_ids,
            plan,
            plan.line_ids,
            plan.candidate_ids,
            env["luxury.oms.stock.slot"].search(
                [("product_id", "=", cls.product.id), ("warehouse_id", "=", cls.dc.id)]
            ),
            env["luxury.oms.availability.watch"].create(
                {"product_id": cls.product.id, "warehouse_id": cls.dc.id}
            ),
            # Of a product the tests do not sell: a promise keeps its units.
            env["luxury.oms.stock.promise"].create(
                {"order_id": order.id, "warehouse_id": cls.dc.id, "quantity": 1,
                 "location_id": cls.dc.lot_stock_id.id,
                 "product_id": env["product.product"].create({"name": "Promised"}).id}
            ),
        ]  # fmt: skip

    def test_every_oms_model_is_checked(self):
        self.assertEveryModelCovered("luxury.oms.", self.records, SHARED_MODELS)

    def test_records_stay_in_their_company(self):
        self.assertOwnCompanyOnly(self.records)

    # What company B does in its own company ----------------------------------------

    def _london_channel(self):
        channel = self.env["luxury.oms.channel"].create(
            {"name": "Test Web UK", "code": "test-web-uk", "company_id": self.company_b.id,
             "currency_id": self.gbp.id, "warehouse_ids": [Command.set(self.london.ids)]}
        )  # fmt: skip
        self._set_stock(self.product, self.london, 3)
        return channel

    def test_channel_order_belongs_to_the_channel_company(self):
        channel = self._london_channel()
        key = new_test_user(
            self.env, "api-test-web-uk", groups="luxury_oms.group_oms_integration",
            company_id=self.company_b.id, company_ids=[Command.set(self.company_b.ids)],
        )  # fmt: skip
        channel.user_ids = key
        # The same email as a back-office client of company A: not a client company B
        # may sell to, so the channel gets a client of its own.
        french = self.env["res.partner"].create(
            {"name": "Hanako FR", "email": "hanako@example.jp", "company_id": self.company_a.id}
        )
        answer = (
            self.env["luxury.oms.api"]
            .with_user(key)
            .place_order(
                {"channel": "test-web-uk", "external_ref": "UK-1", "currency": "GBP",
                 "customer": {"email": "hanako@example.jp", "name": "Hanako", "country": "GB"},
                 "lines": [{"sku": "T-BAG", "qty": 1, "price_unit": 2600.0}],
                 "delivery": {"mode": "ship", "address": {"street": "1 Bond St",
                              "city": "London", "zip": "W1", "country": "GB"}}}
            )
        )  # fmt: skip
        self.assertEqual(answer["lines"], [{"sku": "T-BAG", "qty": 1.0, "site": "TLON"}])
        Order = self.env["sale.order"]
        order = Order.search([("name", "=", answer["order_ref"])])
        self.assertEqual(order.company_id, self.company_b)
        self.assertNotEqual(order.partner_id, french)
        self.assertFalse(order.partner_id.company_id, "a channel's client is the maison's")
        self.assertEqual(Order.with_user(self.manager_b).search([("id", "=", order.id)]), order)
        self.assertFalse(Order.with_user(self.manager_a).search([("id", "=", order.id)]))
        Request = self.env["luxury.oms.api.request"]
        self.assertTrue(Request.with_user(self.manager_b).search([("order_id", "=", order.id)]))
        self.assertFalse(Request.with_user(self.manager_a).search([("order_id", "=", order.id)]))

    def test_company_b_manager_holds_stock_at_its_own_site(self):
        self._london_channel()
        hold = (
            self.env["luxury.oms.hold"]
            .with_user(self.manager_b)
            .create(
                {"warehouse_id": self.london.id, "product_id": self.product.id,
                 "partner_id": self.client.id, "quantity": 2,
                 "date_expiry": fields.Datetime.now() + timedelta(days=7)}
            )
        )  # fmt: skip
        self.assertEqual(hold.company_id, self.company_b)
        availability = self.env["luxury.oms.availability"].with_user(self.manager_b)
        figures = availability._compute_availability(self.product, self.london)
        self.assertEqual(figures[self.product.id, self.london.id].available_to_sell, 1.0)
        self.assertFalse(hold.with_user(self.manager_a).search([("id", "=", hold.id)]))

    def test_company_b_manager_sells_from_its_own_site(self):
        """The whole confirmation (take, sourcing, fraud, floor) runs for a user who cannot
        see company A, while company A holds stock of the same product."""
        channel = self._london_channel()
        channel.sourcing_strategy_id = self.env["luxury.oms.sourcing.strategy"].create(
            {"name": "Test UK nearest", "company_id": self.company_b.id,
             "rule_ids": [Command.create(
                 {"name": "Nearest", "criterion_ids": [
                     Command.create({"criterion_type": "distance", "weight": 100})]})]}
        )  # fmt: skip
        self.env["luxury.oms.hold"].create(
            {"warehouse_id": self.dc.id, "product_id": self.product.id, "quantity": 3,
             "partner_id": self.client.id,
             "date_expiry": fields.Datetime.now() + timedelta(days=7)}
        )  # fmt: skip
        order = (
            self.env["sale.order"]
            .with_user(self.manager_b)
            .create(
                {"partner_id": self.client.id, "oms_channel_id": channel.id,
                 "order_line": [Command.create({"product_id": self.product.id,
                                                "product_uom_qty": 2})]}
            )
        )  # fmt: skip
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.company_id, self.company_b)
        self.assertEqual(order.order_line.warehouse_id, self.london)
        self.assertEqual(order.oms_sourcing_plan_ids.company_id, self.company_b)
        slot = (
            self.env["luxury.oms.stock.slot"]
            .with_user(self.manager_b)
            .search([("product_id", "=", self.product.id)])
        )
        self.assertEqual(slot.warehouse_id, self.london)

    def test_buffer_rules_withhold_at_their_company_sites_only(self):
        """A company A rule for every site withholds at company A's sites, not London's."""
        self.env["luxury.oms.buffer.rule"].create({"product_id": self.product.id, "value": 2})
        self._set_stock(self.product, self.london, 3)
        figures = self.env["luxury.oms.availability"]._compute_availability(
            self.product, self.milan | self.london
        )
        self.assertEqual(figures[self.product.id, self.milan.id].buffer, 2.0)
        self.assertEqual(figures[self.product.id, self.london.id].buffer, 0.0)
        self.assertEqual(figures[self.product.id, self.london.id].available_to_sell, 3.0)

    def test_carrier_rules_of_another_company_do_not_apply(self):
        courier = self.env.ref("delivery.free_delivery_carrier")
        self.env["luxury.oms.carrier.rule"].create({"carrier_id": courier.id})
        CarrierRule = self.env["luxury.oms.carrier.rule"]
        self.assertEqual(CarrierRule._oms_select_carrier(self.france, self.dc, 100, ""), courier)
        self.assertFalse(CarrierRule._oms_select_carrier(self.uk, self.london, 100, ""))

    # One company per channel ----------------------------------------------------------

    def test_integration_user_of_another_company_is_refused(self):
        channel = self._london_channel()
        key = new_test_user(self.env, "api-test-wrong", groups="luxury_oms.group_oms_integration")
        with self.assertRaisesRegex(ValidationError, "user_ids: api-test-wrong belong"):
            channel.user_ids = key

    def test_channel_with_orders_keeps_its_company(self):
        self.env["sale.order"].create(
            {"partner_id": self.client.id, "oms_channel_id": self.channel.id}
        )
        with self.assertRaisesRegex(ValidationError, "company_id: channel Test Web has orders"):
            self.channel.company_id = self.company_b

    def test_rule_amounts_are_in_their_company_s_currency(self):
        """A rule made for the UK company by someone working in the French one (an import,
        the demo's loader) counts its amounts in pounds, unless a currency is chosen."""
        strategy = self.env["luxury.oms.sourcing.strategy"].create(
            {
                "name": "UK strategy",
                "company_id": self.company_b.id,
                "rule_ids": [
                    Command.create(
                        {
                            "name": "UK orders",
                            "min_amount": 5000,
                            "criterion_ids": [
                                Command.create({"criterion_type": "distance", "weight": 100})
                            ],
                        }
                    )
                ],
            }
        )
        sourcing = strategy.rule_ids
        fraud = self.env["luxury.oms.fraud.rule"].create(
            {
                "name": "UK large order",
                "company_id": self.company_b.id,
                "condition": "amount_over",
                "amount": 8000,
                "points": 40,
            }
        )
        self.assertEqual(sourcing.currency_id, self.gbp)
        self.assertEqual(fraud.currency_id, self.gbp)
        chosen = self.env["luxury.oms.fraud.rule"].create(
            {
                "name": "UK large order in euros",
                "company_id": self.company_b.id,
                "condition": "amount_over",
                "amount": 9000,
                "currency_id": self.eur.id,
                "points": 40,
            }
        )
        self.assertEqual(chosen.currency_id, self.eur)
