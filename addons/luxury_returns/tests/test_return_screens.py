from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import Form
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import LuxuryReturnsCase


@tagged("post_install", "-at_install")
class TestReturnScreens(LuxuryReturnsCase):
    """The return form as the returns clerk uses it: the hidden mark is entered from its own
    step, amounts carry their currency, pieces are counted in whole numbers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env, login="screens-clerk", groups="luxury_returns.group_returns_user"
        )

    def _form_arch(self, model="luxury.return", view_id=False):
        views = self.env[model].with_user(self.clerk).get_views([(view_id, "form")])
        return etree.fromstring(views["views"]["form"]["arch"])

    def _mark_check(self, rma):
        return rma.check_ids.filtered(lambda check: check.check_type == "hidden_mark")

    def test_the_mark_is_entered_from_its_step_once_while_checking(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        rma = rma.with_user(self.clerk)
        rma.action_receive()
        mark_check = self._mark_check(rma)
        others = rma.check_ids - mark_check
        self.assertTrue(mark_check.can_enter_mark)
        self.assertFalse(any(others.mapped("can_enter_mark")), "only the mark step takes a mark")

        action = mark_check.action_enter_hidden_mark()
        self.assertEqual((action["res_model"], action["res_id"]), (mark_check._name, mark_check.id))
        self.assertEqual(action["target"], "new")
        [(view_id, _view_type)] = action["views"]
        with Form(mark_check, view=view_id) as entry:
            entry.hidden_mark_entry = "HM-AAA"
        self.assertEqual(mark_check.result, "pass")
        self.assertFalse(mark_check.hidden_mark_entry, "the typed mark is forgotten")
        self.assertFalse(mark_check.can_enter_mark, "one attempt per piece")
        with self.assertRaisesRegex(UserError, "already checked"):
            mark_check.action_enter_hidden_mark()

    def test_no_mark_entry_once_the_checks_are_concluded(self):
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        rma.action_receive()
        rma.check_ids.filtered(lambda check: check.check_type == "packaging").action_fail()
        rma.action_conclude()
        self.assertEqual(rma.state, "suspected")
        mark_check = self._mark_check(rma)
        self.assertEqual(mark_check.result, "pending")
        self.assertFalse(mark_check.can_enter_mark)
        with self.assertRaisesRegex(UserError, "not being checked"):
            mark_check.action_enter_hidden_mark()

    def test_mark_entry_button_is_driven_by_its_computed_boolean(self):
        arch = self._form_arch()
        steps = "//field[@name='check_ids']"
        [button] = arch.xpath(f"{steps}//button[@name='action_enter_hidden_mark']")
        self.assertEqual(button.get("invisible"), "not can_enter_mark")
        self.assertFalse(
            arch.xpath(f"{steps}//field[@name='hidden_mark_entry']"),
            "no empty inline column: the mark is typed in its own dialog, from the button",
        )
        entry = self._form_arch(
            "luxury.return.check",
            self.env.ref("luxury_returns.luxury_return_check_view_form_hidden_mark").id,
        )
        [mark] = entry.xpath("//field[@name='hidden_mark_entry']")
        self.assertEqual(mark.get("password"), "True")

    def test_amounts_carry_their_currency_and_pieces_are_whole(self):
        arch = self._form_arch()
        [total] = arch.xpath("//field[@name='amount_total']")
        self.assertEqual(total.get("widget"), "monetary")
        self.assertTrue(
            arch.xpath("/form//field[@name='currency_id'][not(ancestor::field)]"),
            "the return's currency is in the form for its total to show it",
        )
        self.assertTrue(arch.xpath("//field[@name='line_ids']//field[@name='currency_id']"))
        subtotal = self.env["luxury.return.line"]._fields["price_subtotal"]
        self.assertEqual((subtotal.type, subtotal.currency_field), ("monetary", "currency_id"))
        [qty] = arch.xpath("//field[@name='line_ids']//field[@name='qty']")
        self.assertIn("hide_trailing_zeros", qty.get("options"))
        for path in ("line_ids", "check_ids"):
            [product] = arch.xpath(f"//field[@name='{path}']//field[@name='product_id']")
            self.assertIn("text-wrap", product.get("class"), "the product's name wraps")
        [refund] = arch.xpath(
            "//button[@name='action_view_credit_note']//field[@name='refund_amount']"
        )
        self.assertEqual(refund.get("widget"), "monetary", "the refund says its currency")

    def test_an_unsaved_return_offers_no_cancel_and_is_called_new(self):
        self.assertFalse(self.env["luxury.return"].new({"state": "draft"}).can_cancel)
        [title] = self._form_arch().xpath("//h1")
        self.assertEqual(title.xpath("span[@invisible=\"name != '/'\"]/text()"), ["New Return"])
        rma = self._request([{"sku": "T-SCARF", "qty": 1}])
        self.assertTrue(rma.can_cancel)

    def test_the_form_shows_the_total_in_the_order_currency(self):
        rma = self._request([{"sku": "T-SCARF", "qty": 2}])
        form = Form(rma.with_user(self.clerk))
        self.assertEqual(form.currency_id, self.order.currency_id)
        self.assertAlmostEqual(form.amount_total, 2 * self.scarf_line.price_unit, places=2)
