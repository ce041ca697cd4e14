from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command
from odoo import fields
from odoo.addons.luxury_oms.tests.common import LuxuryOmsPosCase
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LuxuryReturnsCase


@tagged("post_install", "-at_install")
class TestReturnFromPos(LuxuryReturnsCase, LuxuryOmsPosCase):
    """The client bought a serial bag and two scarves at the Milan boutique, and a web order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.bag | cls.scarf).write({"available_in_pos": True, "taxes_id": [Command.clear()]})
        cls.lot_pos = cls.env["stock.lot"].create(
            {"name": "TSN-POS-1", "product_id": cls.bag.id, "luxury_hidden_mark": "HM-POS"}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.bag, cls.milan.lot_stock_id, 1, lot_id=cls.lot_pos
        )
        cls._set_stock(cls.scarf, cls.milan, 5)

    def setUp(self):
        super().setUp()
        session = self._open_session()
        self.pos_order = self._sync(
            self._ui_order(
                session, [(self.bag, 1, "TSN-POS-1"), (self.scarf, 2)], partner=self.client
            )
        )
        self.pos_bag_line = self.pos_order.lines.filtered(lambda line: line.product_id == self.bag)
        self.till = self.pos_config.with_user(self.cashier)

    def _returns(self):
        return self.env["luxury.return"].search([("partner_id", "=", self.client.id)])

    def _till_return(self, lines, order=None, reason="size", partner=None):
        order = order or self.pos_order
        return self.till.oms_request_return(
            (partner or self.client).id, order._name, order.id, lines, reason
        )

    def _purchases(self):
        result = self.till.oms_returnable_purchases(self.client.id)
        return {(order["model"], order["id"]): order for order in result["orders"]}, result

    def test_till_lists_web_and_boutique_purchases_with_serials(self):
        orders, result = self._purchases()
        self.assertIn(("sale.order", self.order.id), orders)
        boutique = orders["pos.order", self.pos_order.id]
        lines = {line["sku"]: line for line in boutique["lines"]}
        self.assertEqual(lines["T-SBAG"]["serials"], ["TSN-POS-1"])
        self.assertTrue(lines["T-SBAG"]["tracked"])
        self.assertEqual(lines["T-SCARF"]["qty"], 2)
        self.assertTrue(lines["T-SCARF"]["deadline"], "the 30-day default window applies")
        web_bag = next(line for line in orders["sale.order", self.order.id]["lines"])
        self.assertEqual(sorted(web_bag["serials"]), ["TSN-001", "TSN-002"])
        self.assertIn("size", [reason["code"] for reason in result["reasons"]])

    def test_till_opens_a_partial_return_of_a_boutique_sale(self):
        answer = self._till_return(
            [{"sku": "T-SBAG", "qty": 1, "serial": "TSN-POS-1"}, {"sku": "T-SCARF", "qty": 1}]
        )
        rma = self._returns()
        self.assertEqual(answer["name"], rma.name)
        self.assertEqual(
            answer["message"], f"RMA {rma.name} created: hand the piece to the authenticity desk."
        )
        self.assertEqual(rma.state, "requested")
        self.assertEqual(rma.origin, "pos")
        self.assertEqual(rma.pos_order_id, self.pos_order)
        self.assertFalse(rma.sale_order_id)
        self.assertEqual(rma.site_id, self.milan)
        self.assertEqual(rma.channel_id, self.pos_channel)
        self.assertEqual(rma.currency_id, self.pos_order.currency_id)
        self.assertEqual(rma.line_ids.pos_line_id, self.pos_order.lines)
        self.assertEqual(rma.line_ids.filtered("lot_id").lot_id, self.lot_pos)
        self.assertEqual(rma.amount_total, 5000 + 400)
        orders, _result = self._purchases()
        remaining = orders["pos.order", self.pos_order.id]["lines"]
        self.assertEqual([(line["sku"], line["qty"]) for line in remaining], [("T-SCARF", 1)])

    def test_till_return_of_a_web_order_goes_to_this_boutique(self):
        self.client.oms_preferred_warehouse_id = self.rome
        self._till_return([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-002"}], order=self.order)
        rma = self._returns()
        self.assertEqual(rma.sale_order_id, self.order)
        self.assertEqual(rma.site_id, self.milan, "handed over at this boutique")
        self.assertEqual(rma.channel_id, self.pos_channel)
        self.assertEqual(rma.line_ids.sale_line_id, self.bag_line)

    def test_till_refuses_bad_requests_and_creates_nothing(self):
        stranger = self.env["res.partner"].create({"name": "Not The Client"})
        cases = [
            ([{"sku": "T-SCARF", "qty": 3}], {}, "only 2.0 delivered"),
            ([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}], {}, "never sold"),
            ([{"sku": "T-SBAG", "qty": 1, "serial": "NOPE-1"}], {}, "unknown serial"),
            ([{"sku": "T-SCARF", "qty": 1}], {"partner": stranger}, "was not sold to"),
            ([{"sku": "T-SCARF", "qty": 1}], {"reason": "whim"}, "unknown return reason"),
        ]
        for lines, kwargs, message in cases:
            with self.subTest(message=message), self.assertRaisesRegex(ValidationError, message):
                self._till_return(lines, **kwargs)
        self.assertFalse(self._returns())

    def test_till_refuses_a_boutique_sale_past_its_window(self):
        old = fields.Datetime.now() - timedelta(days=40)
        self.pos_order.picking_ids.move_ids.write({"date": old})
        with self.assertRaisesRegex(ValidationError, "window closed"):
            self._till_return([{"sku": "T-SCARF", "qty": 1}])
        orders, _result = self._purchases()
        self.assertNotIn(("pos.order", self.pos_order.id), orders)
        self.assertFalse(self._returns())

    def test_till_return_needs_boutique_staff_and_a_client(self):
        with self.assertRaisesRegex(ValidationError, "select the client"):
            self.till.oms_returnable_purchases(False)
        stranger = self._create_user("not_boutique", "luxury_oms.group_oms_customer_service")
        with self.assertRaises(AccessError):
            self.pos_config.with_user(stranger).oms_request_return(
                self.client.id, "pos.order", self.pos_order.id, [{"sku": "T-SCARF"}], "size"
            )
        with self.assertRaisesRegex(ValidationError, "unknown order"):
            self._till_return([{"sku": "T-SCARF"}], order=self.client)

    def test_authentic_boutique_return_restocks_and_credits_in_the_pos_currency(self):
        self._till_return([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-POS-1"}])
        rma = self._returns()
        line = rma.line_ids
        self.assertEqual(line.sold_lot_ids, self.lot_pos)
        self._receive_and_check(rma, {line: "TSN-POS-1"}, {line: "HM-POS"})
        rma.action_conclude()
        self.assertEqual(rma.state, "authentic")
        rma.action_refund()
        credit_note = rma.credit_note_id
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.currency_id, self.pos_order.currency_id)
        self.assertEqual(credit_note.partner_id, self.client)
        self.assertAlmostEqual(credit_note.amount_untaxed, self.pos_bag_line.price_unit, places=2)
        quant = self.env["stock.quant"].search(
            [("lot_id", "=", self.lot_pos.id), ("location_id", "=", self.milan.lot_stock_id.id)]
        )
        self.assertEqual(quant.quantity, 1, "the genuine piece is sellable again at Milan")

    def test_returns_clerk_processes_a_boutique_return(self):
        clerk = self._create_user("returns_clerk", "luxury_returns.group_returns_user")
        self._till_return([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-POS-1"}])
        rma = self._returns().with_user(clerk)
        self.assertEqual(rma.amount_total, 5000)
        line = rma.line_ids
        self._receive_and_check(rma, {line: "TSN-POS-1"}, {line: "HM-POS"})
        rma.action_conclude()
        rma.action_refund()
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(rma.sudo().credit_note_id.invoice_user_id, clerk)

    def test_invoiced_boutique_sale_is_credited_against_its_invoice(self):
        self.pos_order.action_pos_order_invoice()
        invoice = self.pos_order.account_move
        self.assertEqual(invoice.state, "posted")
        self._till_return([{"sku": "T-SCARF", "qty": 1}])
        rma = self._returns()
        self._receive_and_check(rma, {}, {})
        rma.action_conclude()
        rma.action_refund()
        self.assertEqual(rma.credit_note_id.reversed_entry_id, invoice)
        self.assertEqual(rma.credit_note_id.journal_id, invoice.journal_id)
        self.assertAlmostEqual(rma.credit_note_id.amount_untaxed, 400, places=2)

    def test_suspected_boutique_return_blocks_the_refund(self):
        self._till_return([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-POS-1"}])
        rma = self._returns()
        line = rma.line_ids
        self._receive_and_check(rma, {line: "TSN-POS-1"}, {line: "HM-WRONG"})
        rma.action_conclude()
        self.assertEqual(rma.state, "suspected")
        with self.assertRaisesRegex(UserError, "suspected counterfeit"):
            rma.action_refund()
        self.assertFalse(rma.credit_note_id)

    def test_return_comes_from_exactly_one_order(self):
        vals = {
            "partner_id": self.client.id,
            "reason_id": self.reason.id,
            "site_id": self.milan.id,
        }
        Return = self.env["luxury.return"]
        for sources in ({"sale_order_id": self.order.id, "pos_order_id": self.pos_order.id}, {}):
            with (
                self.subTest(sources=sources),
                self.assertRaisesRegex(IntegrityError, "one_source_order"),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                Return.create({**vals, **sources})
        rma = Return.create({**vals, "pos_order_id": self.pos_order.id})
        with (
            self.assertRaisesRegex(IntegrityError, "one_sold_line"),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            rma.line_ids = [
                Command.create(
                    {"sale_line_id": self.scarf_line.id, "pos_line_id": self.pos_bag_line.id}
                )
            ]
            rma.flush_recordset()

    def test_back_office_return_of_a_boutique_sale_is_validated_on_request(self):
        rma = self.env["luxury.return"].create(
            {
                "partner_id": self.client.id,
                "pos_order_id": self.pos_order.id,
                "reason_id": self.reason.id,
                "line_ids": [Command.create({"pos_line_id": self.pos_bag_line.id})],
            }
        )
        self.assertEqual(rma.channel_id, self.pos_channel, "the channel the piece was sold on")
        with self.assertRaisesRegex(ValidationError, r"^lines\[0\]\.serial: is required"):
            rma.action_request()
        rma.line_ids.lot_id = self.lot_pos
        rma.action_request()
        self.assertEqual(rma.state, "requested")
        self.assertEqual(self.pos_order.luxury_return_count, 1)
