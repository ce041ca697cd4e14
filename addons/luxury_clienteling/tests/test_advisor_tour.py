from unittest import SkipTest

from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestAdvisorTour(HttpCase):
    """The demo maison's client advisor (login advisor) on the demo data: the client book,
    a client 360, a repair and a press loan, on a desktop and on a 1024 screen."""

    def test_advisor_goes_through_the_book_a_360_a_repair_and_a_loan(self):
        if not self.env.ref("luxury_oms.company_maison", raise_if_not_found=False):
            raise SkipTest("The demo maison is loaded only with --with-demo.")
        for size in ("1440x900", "1024x768"):
            with self.subTest(size=size):
                self.browser_size = size
                self.start_tour(
                    "/odoo/action-luxury_clienteling.res_partner_action_clients",
                    "LuxuryClientelingAdvisorTour",
                    login="advisor",
                )
