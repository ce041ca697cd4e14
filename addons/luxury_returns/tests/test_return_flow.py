from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import tagged

from .common import LuxuryReturnsCase


@tagged("post_install", "-at_install")
class TestReturnFlow(LuxuryReturnsCase):
    def _bag_quant(self, lot, location):
        return self.env["stock.quant"].search(
            [("lot_id", "=", lot.id), ("location_id", "=", location.id)]
        )

    def test_genuine_return_restocks_and_refunds(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        self.assertEqual(rma.state, "requested")
        self.assertEqual(rma.site_id, self.milan, "defaults to the preferred boutique")
        self.assertEqual(rma.line_ids.lot_id, self.lot_1)
        line = rma.line_ids
        self._receive_and_check(rma, {line: "TSN-001"}, {line: "HM-AAA"})
        self.assertEqual(rma.state, "checking")
        self.assertEqual(set(rma.check_ids.mapped("result")), {"pass"})
        rma.action_conclude()
        self.assertEqual(rma.state, "authentic")
        rma.action_refund()
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(self._bag_quant(self.lot_1, self.milan.lot_stock_id).quantity, 1)
        credit_note = rma.credit_note_id
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.invoice_line_ids.quantity, 1)
        self.assertAlmostEqual(credit_note.amount_untaxed, self.bag_line.price_unit, places=2)
        self.assertEqual(rma.refund_amount, credit_note.amount_total, "the form says what")
        self.assertEqual(rma.refund_currency_id, self.order.currency_id, "and in which currency")
        self.assertEqual(self.bag_line.qty_delivered, 1, "the return reduces the delivered qty")
        self.assertEqual(self.bag_line.qty_invoiced, 1, "the credit note reduces the invoiced qty")

    def test_serial_mismatch_is_suspected_and_quarantined(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        line = rma.line_ids
        self._receive_and_check(rma, {line: "FAKE-123"}, {line: "HM-AAA"})
        serial_check = line.check_ids.filtered(lambda c: c.check_type == "serial")
        self.assertEqual(serial_check.result, "fail")
        rma.action_conclude()
        self.assertEqual(rma.state, "suspected")
        with self.assertRaisesRegex(UserError, "no longer change"):
            line.received_serial = "TSN-001"
        self.assertFalse(rma.can_refund)
        with self.assertRaisesRegex(UserError, "suspected counterfeit"):
            rma.action_refund()
        with self.assertRaisesRegex(UserError, "suspected counterfeit"):
            rma.action_exchange()
        activity = rma.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn(
            activity.user_id,
            self.env.ref("luxury_returns.group_returns_authenticity").user_ids,
        )
        rma.action_quarantine()
        self.assertEqual(rma.state, "quarantined")
        quarantine = self.milan._luxury_unsellable_location("quarantine")
        self.assertEqual(quarantine.oms_unsellable_reason, "quarantine")
        self.assertNotIn(quarantine.id, self.milan._oms_sellable_locations_by_site()[self.milan.id])
        quant = self.env["stock.quant"].search([("location_id", "=", quarantine.id)])
        self.assertEqual(quant.lot_id.ref, "FAKE-123", "the fake keeps the serial it carried")
        self.assertNotEqual(quant.lot_id, self.lot_1, "the genuine serial is not restocked")
        self.assertFalse(rma.credit_note_id)
        self.assertEqual(self.bag_line.qty_delivered, 2)
        rma.action_close()
        self.assertEqual(rma.state, "closed")

    def test_wrong_hidden_identifier_is_suspected(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-002"}])
        line = rma.line_ids
        self._receive_and_check(rma, {line: "TSN-002"}, {line: "HM-AAA"})
        results = {check.check_type: check.result for check in line.check_ids}
        self.assertEqual(results["serial"], "pass")
        self.assertEqual(results["hidden_mark"], "fail")
        self.assertEqual(rma.verdict, "suspected")
        mark_check = line.check_ids.filtered(lambda c: c.check_type == "hidden_mark")
        with self.assertRaisesRegex(UserError, "already checked"):
            mark_check.hidden_mark_entry = "HM-BBB"
        self.assertEqual(mark_check.result, "fail", "no second guess")
        rma.action_conclude()
        self.assertEqual(rma.state, "suspected")

    def test_failed_manual_step_is_suspected_even_while_others_are_open(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        rma.action_receive()
        packaging = rma.check_ids.filtered(lambda c: c.check_type == "packaging")
        packaging.action_fail()
        packaging.action_reset()
        self.assertEqual(packaging.result, "pending", "a misclick can be undone")
        self.assertFalse(rma.can_conclude)
        packaging.action_fail()
        self.assertEqual(packaging.done_by_id, self.env.user)
        self.assertTrue(rma.can_conclude)
        rma.action_conclude()
        self.assertEqual(rma.state, "suspected")

    def test_photos_step_needs_an_image(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        rma.action_receive()
        photos = rma.check_ids.filtered(lambda c: c.check_type == "photos")
        with self.assertRaisesRegex(UserError, "Attach photos"):
            photos.action_pass()
        self.assertEqual(photos.result, "pending")

    def test_serial_and_mark_steps_cannot_be_ticked_by_hand(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        rma.action_receive()
        serial_check = rma.check_ids.filtered(lambda c: c.check_type == "serial")
        with self.assertRaisesRegex(UserError, "decided by the serial"):
            serial_check.action_pass()

    def test_conclude_needs_every_step(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        rma.action_receive()
        self.assertEqual(rma.verdict, "pending")
        with self.assertRaises(UserError):
            rma.action_conclude()

    def test_partial_return_refunds_only_returned_quantity(self):
        rma = self._request([{"sku": "T-SCARF", "qty": 2}])
        self.assertFalse(rma.check_ids, "steps are laid out at reception")
        self._receive_and_check(rma, {}, {})
        self.assertNotIn("serial", rma.check_ids.mapped("check_type"))
        rma.action_conclude()
        rma.action_refund()
        self.assertEqual(rma.credit_note_id.invoice_line_ids.quantity, 2)
        self.assertEqual(rma.credit_note_id.amount_untaxed, 2 * self.scarf_line.price_unit)
        self.assertEqual(self.scarf_line.qty_delivered, 1)
        with self.assertRaisesRegex(ValidationError, "only 1"):
            self._request([{"sku": "T-SCARF", "qty": 2}])
        self.assertEqual(len(self._request([{"sku": "T-SCARF", "qty": 1}]).line_ids), 1)

    def test_order_stage_follows_its_returns(self):
        """Customer service reads in the order list where the order stands after the sale:
        a return requested, part of the pieces back, all of them back."""
        self.assertEqual(self.order.oms_stage, "shipped")
        rma = self._request([{"sku": "T-SCARF", "qty": 2}])
        self.assertEqual(self.order.oms_stage, "return_requested")
        rma.action_receive()
        self.assertEqual(self.order.oms_stage, "partly_returned", "2 of 5 pieces are back")
        single = self._sell({self.scarf: 1})
        self.assertEqual(single.oms_stage, "shipped")
        self._request([{"sku": "T-SCARF", "qty": 1}], order=single).action_receive()
        self.assertEqual(single.oms_stage, "returned")
        self.assertEqual(
            single.with_user(
                self._create_user_in("sales-sam", "sales_team.group_sale_salesman_all_leads")
            ).oms_stage,
            "returned",
            "read by a salesperson, who cannot read returns",
        )

    def test_restock_to_repair(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        line = rma.line_ids
        self._receive_and_check(rma, {line: "TSN-001"}, {line: "HM-AAA"})
        rma.action_conclude()
        rma.restock_to_repair = True
        rma.action_refund()
        repair = self.milan._luxury_unsellable_location("repair")
        self.assertEqual(self._bag_quant(self.lot_1, repair).quantity, 1)
        self.assertFalse(self._bag_quant(self.lot_1, self.milan.lot_stock_id))

    def test_exchange_credits_and_opens_replacement_order(self):
        rma = self._request([{"sku": "T-SCARF", "qty": 1}])
        self._receive_and_check(rma, {}, {})
        rma.action_conclude()
        with self.assertRaisesRegex(UserError, "product to give in exchange"):
            rma.action_exchange()
        rma.exchange_product_id = self.product
        rma.action_exchange()
        self.assertEqual(rma.state, "exchanged")
        self.assertEqual(rma.credit_note_id.amount_untaxed, self.scarf_line.price_unit)
        exchange = rma.exchange_order_id
        self.assertEqual(exchange.partner_id, self.client)
        self.assertEqual(exchange.order_line.product_id, self.product)
        self.assertEqual(exchange.oms_channel_id, self.channel)
        self.assertEqual(exchange.currency_id, self.order.currency_id)
        self.assertEqual(exchange.origin, rma.name)

    def test_refund_in_order_currency(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        company_currency = self.env.company.currency_id
        other = usd if company_currency != usd else self.eur
        self.env["res.currency.rate"].create(
            {"currency_id": other.id, "rate": 2.0, "name": fields.Date.today()}
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "Test foreign", "currency_id": other.id}
        )
        order = self._sell({self.scarf: 1}, pricelist=pricelist)
        self.assertEqual(order.currency_id, other)
        invoice = order.invoice_ids
        rma = self._request([{"sku": "T-SCARF", "qty": 1}], order=order)
        self.assertEqual(rma.currency_id, other)
        self._receive_and_check(rma, {}, {})
        rma.action_conclude()
        rma.action_refund()
        credit_note = rma.credit_note_id
        self.assertEqual(credit_note.currency_id, other)
        self.assertEqual(credit_note.amount_untaxed, invoice.amount_untaxed)
        self.assertEqual(credit_note.reversed_entry_id, invoice)

    def test_back_office_request_validates_lines(self):
        rma = self.env["luxury.return"].create(
            {
                "partner_id": self.client.id,
                "sale_order_id": self.order.id,
                "reason_id": self.reason.id,
                "line_ids": [
                    (0, 0, {"sale_line_id": self.scarf_line.id, "qty": 5}),
                ],
            }
        )
        self.assertEqual(rma.state, "draft")
        self.assertEqual(rma.channel_id, self.channel)
        with self.assertRaisesRegex(ValidationError, "only 3"):
            rma.action_request()
        self.assertEqual(rma.state, "draft")
        rma.line_ids.qty = 3
        rma.action_request()
        self.assertEqual(rma.state, "requested")

    def test_back_office_return_of_other_clients_order_is_refused(self):
        stranger = self.env["res.partner"].create({"name": "Stranger"})
        with self.assertRaisesRegex(ValidationError, "was not sold to Stranger"):
            self.env["luxury.return"].create(
                {
                    "partner_id": stranger.id,
                    "sale_order_id": self.order.id,
                    "reason_id": self.reason.id,
                }
            )

    def test_white_glove_pickup_defaults_to_shipping_address(self):
        rma = self._request([{"sku": "T-SCARF", "qty": 1}])
        rma.return_mode = "pickup"
        self.assertEqual(rma.pickup_address_id, self.order.partner_shipping_id)

    def test_return_outside_window_is_refused(self):
        self.order.picking_ids.move_ids.date = fields.Datetime.now() - timedelta(days=31)
        returns_before = self.env["luxury.return"].search_count([])
        with self.assertRaisesRegex(ValidationError, "30-day return window closed"):
            self._request([{"sku": "T-SCARF", "qty": 1}])
        self.assertEqual(self.env["luxury.return"].search_count([]), returns_before)

    def test_category_window_beats_default(self):
        self.env["luxury.return.window"].create({"categ_id": self.leather.id, "days": 60})
        self.order.picking_ids.move_ids.date = fields.Datetime.now() - timedelta(days=45)
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        self.assertEqual(rma.state, "requested")
        with self.assertRaisesRegex(ValidationError, "return window closed"):
            self._request([{"sku": "T-SCARF", "qty": 1}])
        self.env["luxury.return.window"].create(
            {"channel_id": self.channel.id, "categ_id": self.bags.id, "days": 40}
        )
        with self.assertRaisesRegex(ValidationError, "40-day return window"):
            self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-002"}])

    def test_back_office_form(self):
        form = Form(self.env["luxury.return"])
        form.partner_id = self.client
        form.sale_order_id = self.order
        form.reason_id = self.reason
        self.assertEqual(form.site_id, self.milan)
        self.assertEqual(form.channel_id, self.channel)
        with form.line_ids.new() as line:
            line.sale_line_id = self.bag_line
            line.lot_id = self.lot_2
        rma = form.save()
        self.assertEqual(rma.line_ids.sold_lot_ids, self.lot_1 | self.lot_2)
        rma.action_request()
        self.assertEqual(rma.state, "requested")
        self.assertAlmostEqual(rma.amount_total, self.bag_line.price_unit, places=2)

    def test_processed_case_is_kept(self):
        rma = self._request([{"sku": "T-SCARF", "qty": 1}])
        with self.assertRaisesRegex(UserError, "kept as evidence"):
            rma.unlink()
        with self.assertRaisesRegex(UserError, "cannot be removed"):
            rma.line_ids.unlink()
        rma.action_cancel()
        rma.unlink()
        self.assertFalse(rma.exists())

    def test_create_return_from_sale_order(self):
        action = self.order.action_luxury_create_return()
        form = Form(self.env["luxury.return"].with_context(**action["context"]))
        self.assertEqual(form.partner_id, self.client)
        self.assertEqual(form.sale_order_id, self.order)
