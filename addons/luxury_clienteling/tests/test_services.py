from datetime import timedelta

from odoo import Command
from odoo import fields
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from .common import ClientelingCase


class ServicesCase(ClientelingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.watch = cls.env["product.product"].create(
            {"name": "Test Watch", "is_storable": True, "tracking": "serial", "list_price": 9000}
        )
        cls.lots = cls._create_serials(cls.watch, cls.milan, ["W-001", "W-002", "W-003"])


class TestRepairs(ServicesCase):
    def _receive(self, serial="W-001", **values):
        return self.env["luxury.client.repair"].create(
            {
                "partner_id": self.client.id,
                "warehouse_id": self.milan.id,
                "serial_number": serial,
                "issue": "The crown is loose",
                **values,
            }
        )

    def test_repair_goes_from_reception_to_return(self):
        repair = self._receive(" W-001 ")
        self.assertEqual(repair.lot_id, self.lots[0])
        self.assertTrue(repair.name.startswith("RPR/"))
        self.assertIn("received", repair.client_status)
        repair.quote_amount = 350.0
        repair.action_send_quote()
        self.assertIn("approval", repair.client_status)
        repair.action_approve()
        repair.action_start_workshop()
        self.assertEqual(repair.state, "workshop")
        repair.action_mark_ready()
        self.assertIn(self.milan.name, repair.client_status)
        repair.action_return()
        self.assertEqual(repair.state, "returned")
        self.assertEqual(repair.date_returned, fields.Date.context_today(repair))

    def test_nothing_to_cancel_before_the_repair_is_saved(self):
        draft = self.env["luxury.client.repair"].new({"serial_number": "W-001"})
        self.assertFalse(draft.can_cancel, "an unsaved repair offers no Cancel")
        self.assertTrue(self._receive().can_cancel)

    def test_an_interaction_is_named_by_its_type_and_summary(self):
        interaction = self.env["luxury.client.interaction"].create(
            {"partner_id": self.client.id, "interaction_type": "visit", "summary": "New tote"}
        )
        self.assertEqual(interaction.display_name, "Boutique visit: New tote")

    def test_unknown_serial_is_refused_and_nothing_created(self):
        Repair = self.env["luxury.client.repair"]
        count = Repair.search_count([])
        with self.assertRaises(ValidationError) as error:
            self._receive("W-999")
        self.assertIn("W-999", str(error.exception))
        self.assertEqual(Repair.search_count([]), count)

    def test_ambiguous_serial_needs_the_product(self):
        ring = self.env["product.product"].create({"name": "Ring", "tracking": "serial"})
        self.env["stock.lot"].create({"name": "W-001", "product_id": ring.id})
        with self.assertRaises(ValidationError):
            self._receive("W-001")
        self.assertEqual(self._receive("W-001", product_id=ring.id).lot_product_id, ring)

    def test_steps_cannot_be_skipped(self):
        repair = self._receive()
        with self.assertRaisesRegex(UserError, "received"):
            repair.action_start_workshop()
        self.assertEqual(repair.state, "reception")

    def test_client_status_speaks_the_clients_language(self):
        repair = self._receive()
        self.client.lang = "en_US"
        self.assertEqual(repair.client_status, "We have received your piece and are assessing it.")
        self.assertFalse(repair.can_approve)
        self.assertTrue(repair.can_send_quote)


class TestLoans(ServicesCase):
    def _loan(self, lots, **values):
        return self.env["luxury.client.loan"].create(
            {
                "partner_id": self.client.id,
                "warehouse_id": self.milan.id,
                "purpose": "Cover shoot",
                "lot_ids": [Command.set(lots.ids)],
                "date_due": fields.Date.today() + timedelta(days=7),
                **values,
            }
        )

    def _location_of(self, lot):
        return (
            self.env["stock.quant"]
            .search([("lot_id", "=", lot.id), ("quantity", ">", 0)])
            .location_id
        )

    def test_loaned_serials_leave_the_sellable_stock_and_come_back(self):
        loan = self._loan(self.lots[:2])
        loan.action_send_out()
        self.assertEqual(loan.state, "out")
        press = self._location_of(self.lots[0])
        self.assertTrue(press.clienteling_press_loan)
        self.assertEqual(press.oms_unsellable_reason, "display")
        self.assertEqual(self._location_of(self.lots[1]), press)
        sellable = self.milan._oms_sellable_locations_by_site()[self.milan.id]
        self.assertNotIn(press.id, sellable)
        key = (self.watch.id, self.milan.id)
        ats = self.env["luxury.oms.availability"]._compute_availability(self.watch, self.milan)
        self.assertEqual(ats[key].available_to_sell, 1, "the OMS no longer sells the lent pieces")
        self.assertEqual(
            self.watch.with_context(location=self.milan.lot_stock_id.id).free_qty,
            1,
            "the two lent serials are no longer in the boutique's stock",
        )
        quants = self.env["stock.quant"].search([("lot_id", "in", self.lots.ids)])
        self.assertFalse(sum(quants.mapped("reserved_quantity")), "no reservation left behind")
        loan.return_condition = "wear"
        loan.action_return()
        self.assertEqual(loan.state, "returned")
        self.assertEqual(self._location_of(self.lots[0]), self.milan.lot_stock_id)
        self.assertEqual(len(loan.picking_ids), 2)
        self.assertTrue(all(p.state == "done" for p in loan.picking_ids))
        quants = self.env["stock.quant"].search([("lot_id", "in", self.lots.ids)])
        self.assertFalse(sum(quants.mapped("reserved_quantity")))

    def test_reserved_serial_cannot_be_lent(self):
        customer = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.milan.out_type_id.id,
                "location_id": self.milan.lot_stock_id.id,
                "location_dest_id": customer.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.watch.id,
                            "product_uom_qty": 3,
                            "location_id": self.milan.lot_stock_id.id,
                            "location_dest_id": customer.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        loan = self._loan(self.lots[:1])
        with self.assertRaisesRegex(UserError, "W-001 is reserved"):
            loan.action_send_out()
        self.assertEqual(loan.state, "draft")
        self.assertEqual(self._location_of(self.lots[0]), self.milan.lot_stock_id)

    def test_serial_already_out_or_elsewhere_is_refused(self):
        self._loan(self.lots[:1]).action_send_out()
        with self.assertRaisesRegex(UserError, "already out on loan"):
            self._loan(self.lots[:1]).action_send_out()
        rome_loan = self._loan(self.lots[1:2], warehouse_id=self.rome.id)
        with self.assertRaisesRegex(UserError, "not in stock at Test Rome"):
            rome_loan.action_send_out()

    def test_lending_counts_every_serial_against_vip_holds(self):
        self.env["luxury.oms.hold"].create(
            {
                "warehouse_id": self.milan.id,
                "product_id": self.watch.id,
                "quantity": 2,
                "beneficiary_type": "client",
                "partner_id": self.client.id,
                "date_expiry": fields.Datetime.now() + timedelta(days=3),
            }
        )
        two = self._loan(self.lots[:2])
        with self.assertRaisesRegex(UserError, "available to sell: 1"):
            two.action_send_out()
        self.assertEqual(self._location_of(self.lots[0]), self.milan.lot_stock_id)
        one = self._loan(self.lots[:1])
        one.action_send_out()
        self.assertEqual(one.state, "out")

    def test_return_needs_a_condition(self):
        loan = self._loan(self.lots[:1])
        loan.action_send_out()
        with self.assertRaisesRegex(UserError, "Return condition"):
            loan.action_return()
        self.assertEqual(loan.state, "out")

    def test_overdue_loans(self):
        loan = self._loan(self.lots[:1])
        loan.action_send_out()
        Loan = self.env["luxury.client.loan"]
        self.assertNotIn(loan, Loan.search([("is_overdue", "=", True)]))
        loan.date_due = fields.Date.today() - timedelta(days=1)
        self.assertTrue(loan.is_overdue)
        self.assertIn(loan, Loan.search([("is_overdue", "=", True)]))
        self.assertNotIn(loan, Loan.search([("is_overdue", "=", False)]))


class TestSpecialOrders(ServicesCase):
    def _request(self, **values):
        return self.env["luxury.client.special.order"].create(
            {
                "partner_id": self.client.id,
                "warehouse_id": self.milan.id,
                "request": "A burgundy crocodile tote with her initials",
                **values,
            }
        )

    def test_special_order_lifecycle(self):
        order = self._request(quote_amount=18000.0, deposit_amount=9000.0)
        order.action_send_quote()
        order.action_register_deposit()
        self.assertEqual(order.deposit_date, fields.Date.context_today(order))
        order.step_ids = [Command.create({"name": name}) for name in ("Cutting", "Stitching")]
        order.action_start_production()
        order.step_ids[0].action_mark_done()
        self.assertEqual(order.progress, 50.0)
        with self.assertRaisesRegex(UserError, "Stitching"):
            order.action_mark_ready()
        order.step_ids[1].action_mark_done()
        order.action_mark_ready()
        order.action_deliver()
        self.assertEqual(order.state, "delivered")
        self.assertEqual(self.client.clienteling_open_service_count, 0)

    def test_quote_and_deposit_are_checked(self):
        order = self._request()
        with self.assertRaisesRegex(UserError, "Quote"):
            order.action_send_quote()
        order.quote_amount = 1000.0
        order.action_send_quote()
        with self.assertRaisesRegex(UserError, "Deposit"):
            order.action_register_deposit()
        order.deposit_amount = 1500.0
        with self.assertRaisesRegex(UserError, "more than the quote"):
            order.action_register_deposit()
        self.assertEqual(order.state, "quoted")

    def test_production_needs_steps(self):
        order = self._request(quote_amount=100.0, deposit_amount=50.0)
        order.action_send_quote()
        order.action_register_deposit()
        with self.assertRaisesRegex(UserError, "Production steps"):
            order.action_start_production()

    def test_quote_in_foreign_currency_is_converted(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        company = self.env.company
        foreign = usd if company.currency_id != usd else self.eur
        self.env["res.currency.rate"].create(
            {"currency_id": foreign.id, "rate": 2.0, "name": fields.Date.today()}
        )
        order = self._request(currency_id=foreign.id, quote_amount=1000.0)
        self.assertAlmostEqual(order.quote_amount_company, 500.0)

    def test_quoted_in_the_boutique_s_currency(self):
        """A special order is quoted in the currency the boutique's till sells in, whoever
        records it; once quoted it keeps its currency."""
        gbp = self.env.ref("base.GBP")
        gbp.active = True
        self.env["luxury.oms.channel"].create(
            {
                "name": "Test Boutique Milan",
                "code": "test-pos-mil-so",
                "channel_type": "pos",
                "currency_id": gbp.id,
                "warehouse_ids": [Command.set(self.milan.ids)],
            }
        )
        order = self._request(quote_amount=1000.0)
        self.assertEqual(order.currency_id, gbp)
        order.action_send_quote()
        order.warehouse_id = self.rome
        self.assertEqual(order.currency_id, gbp)

    def test_open_services_count(self):
        self._request()
        self.env["luxury.client.repair"].create(
            {
                "partner_id": self.client.id,
                "warehouse_id": self.milan.id,
                "serial_number": "W-002",
                "issue": "Scratch",
            }
        )
        self.assertEqual(self.client.clienteling_open_service_count, 2)
