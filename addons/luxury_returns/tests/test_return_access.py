from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LuxuryReturnsCase


@tagged("post_install", "-at_install")
class TestReturnAccess(LuxuryReturnsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls._user("clerk", "luxury_returns.group_returns_user")
        cls.officer = cls._user("officer", "luxury_returns.group_returns_authenticity")

    @classmethod
    def _user(cls, login, group):
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": f"Test {login}",
                    "login": f"test_returns_{login}",
                    "email": f"{login}@example.com",
                    "group_ids": [Command.set([cls.env.ref(group).id])],
                }
            )
        )

    def test_hidden_mark_unreadable_for_clerk(self):
        lot = self.lot_1.with_user(self.clerk)
        with self.assertRaises(AccessError):
            lot.read(["luxury_hidden_mark"])
        with self.assertRaises(AccessError):
            self.env["stock.lot"].with_user(self.clerk).search_read(
                [("id", "=", lot.id)], ["luxury_hidden_mark"]
            )
        arch = self.env["stock.lot"].with_user(self.clerk).get_views([(False, "form")])
        self.assertNotIn("luxury_hidden_mark", str(arch))

    def test_hidden_mark_written_not_read_by_authenticity_team(self):
        """The team types marks in; stored hashed, they read back as nothing but a hint."""
        lot = self.lot_1.with_user(self.officer)
        self.assertFalse(lot.read(["luxury_hidden_mark"])[0]["luxury_hidden_mark"])
        self.assertIn("••••AA", lot.passport_mark_hint)
        arch = self.env["stock.lot"].with_user(self.officer).get_views([(False, "form")])
        self.assertIn("luxury_hidden_mark", str(arch))

    def test_clerk_checks_a_mark_without_reading_it(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        rma = rma.with_user(self.clerk)
        line = rma.line_ids
        self._receive_and_check(rma, {line: "TSN-001"}, {line: "HM-AAA"})
        mark_check = line.check_ids.filtered(lambda c: c.check_type == "hidden_mark")
        self.assertEqual(mark_check.result, "pass")
        self.assertEqual(mark_check.done_by_id, self.clerk)
        self.assertFalse(mark_check.hidden_mark_entry, "the typed mark is not kept")
        self.assertNotIn("HM-AAA", str(mark_check.read()))
        rma.action_conclude()
        self.assertEqual(rma.state, "authentic")
        rma.action_refund()
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(rma.credit_note_id.state, "posted")

    def test_customer_service_opens_and_receives_a_return_without_inventory_rights(self):
        """Customer service handles the clients' returns (the Returns Clerk's rights) and,
        like the clerk, cannot adjust inventory nor read the hidden marks."""
        agent = self._user("cs", "luxury_oms.group_oms_customer_service")
        for user in (agent, self.clerk):
            self.assertNotIn(self.env.ref("stock.group_stock_user"), user.all_group_ids)
        rma = (
            self.env["luxury.return"]
            .with_user(agent)
            .create(
                {
                    "partner_id": self.client.id,
                    "sale_order_id": self.order.id,
                    "reason_id": self.reason.id,
                    "line_ids": [(0, 0, {"sale_line_id": self.scarf_line.id, "qty": 1})],
                }
            )
        )
        rma.action_request()
        rma.action_receive()
        self.assertEqual(rma.state, "received")
        with self.assertRaises(AccessError):
            self.lot_1.with_user(agent).read(["luxury_hidden_mark"])

    def test_hidden_mark_never_printed(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        line = rma.line_ids
        self._receive_and_check(rma, {line: "TSN-001"}, {line: "HM-AAA"})
        rma.action_conclude()
        rma.action_refund()
        # Print serials on slips and invoices: a mark printed next to them would show.
        self.env.user.group_ids += self.env.ref("stock.group_lot_on_delivery_slip")
        self.env.user.group_ids += self.env.ref("stock_account.group_lot_on_invoice")
        reports = {
            "stock.action_report_delivery": (self.order.picking_ids | rma.picking_ids).ids,
            "account.account_invoices": (self.order.invoice_ids | rma.credit_note_id).ids,
        }
        for report, ids in reports.items():
            html, _type = self.env["ir.actions.report"]._render_qweb_html(report, ids)
            self.assertIn(b"TSN-001", html, report)
            self.assertNotIn(b"HM-AAA", html, report)

    def test_only_authenticity_team_clears_a_suspicion(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        line = rma.line_ids
        self._receive_and_check(rma, {line: "TSN-001"}, {line: "WRONG"})
        rma.action_conclude()
        self.assertEqual(rma.state, "suspected")
        self.assertFalse(rma.with_user(self.clerk).can_clear_suspicion)
        with self.assertRaises(UserError):
            rma.with_user(self.clerk).action_clear_suspicion()
        with self.assertRaises(AccessError):
            rma.with_user(self.clerk).suspicion_cleared_by_id = self.clerk
        with self.assertRaisesRegex(UserError, "suspected counterfeit"):
            rma.with_user(self.clerk).write({"state": "authentic"})
            rma.with_user(self.clerk).action_refund()
        rma.state = "suspected"
        rma.with_user(self.officer).action_clear_suspicion()
        self.assertEqual(rma.state, "authentic")
        self.assertEqual(rma.suspicion_cleared_by_id, self.officer)
        self.assertFalse(rma.activity_ids)
        rma.action_refund()
        self.assertEqual(rma.state, "refunded")

    def test_hidden_mark_recorded_at_reception_into_the_maison(self):
        supplier = self.env.ref("stock.stock_location_suppliers")
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.dc.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": self.dc.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.bag.id,
                            "product_uom_qty": 1,
                            "location_id": supplier.id,
                            "location_dest_id": self.dc.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        receipt.move_ids.move_line_ids.write(
            {"lot_name": "TSN-100", "quantity": 1, "luxury_hidden_mark": "HM-NEW"}
        )
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        lot = self.env["stock.lot"].search([("name", "=", "TSN-100")])
        self.assertFalse(lot.luxury_hidden_mark, "stored hashed: never read back")
        self.assertTrue(lot._luxury_hidden_mark_matches("HM-NEW"))
        self.assertFalse(receipt.move_line_ids.luxury_hidden_mark, "kept on the serial only")

    def test_clerk_opens_every_returns_view(self):
        views = (
            self.env["luxury.return"]
            .with_user(self.clerk)
            .get_views(
                [(False, kind) for kind in ("kanban", "list", "form", "search", "pivot", "graph")]
            )
        )
        form = views["views"]["form"]["arch"]
        self.assertIn("action_enter_hidden_mark", form, "the clerk enters the hidden mark")
        self.assertNotIn("action_clear_suspicion", form, "authenticity team only")
        self.assertNotIn("luxury_hidden_mark", str(views))
        officer_form = (
            self.env["luxury.return"]
            .with_user(self.officer)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("action_clear_suspicion", officer_form)
