from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import LuxuryReturnsCase


@tagged("post_install", "-at_install")
class TestLuxuryReturnsClerkTour(LuxuryReturnsCase, HttpCase):
    """The returns clerk's main screen: a received return, checked on the form."""

    def test_clerk_enters_the_hidden_mark_on_the_return(self):
        new_test_user(
            self.env,
            login="tour-returns-clerk",
            password="tour-returns-clerk",
            groups="luxury_returns.group_returns_user",
        )
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        rma.action_receive()
        self.start_tour(
            f"/odoo/action-luxury_returns.luxury_return_action/{rma.id}",
            "LuxuryReturnsClerkTour",
            login="tour-returns-clerk",
        )
        mark_check = rma.check_ids.filtered(lambda check: check.check_type == "hidden_mark")
        self.assertEqual(mark_check.result, "pass")
        self.assertEqual(rma.state, "checking")
