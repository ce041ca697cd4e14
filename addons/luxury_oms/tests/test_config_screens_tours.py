from unittest import SkipTest

from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestConfigScreensTours(HttpCase):
    """The stock controller and the manager walk through their rules, stock and
    configuration screens on the demo maison: texts in words, no console error."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("luxury_oms.user_demo_stock", raise_if_not_found=False):
            raise SkipTest("The demo maison is loaded only with --with-demo.")

    def test_stock_controller_screens(self):
        self.start_tour("/odoo", "LuxuryOmsConfigScreens_stock", login="stock")

    def test_manager_screens(self):
        self.start_tour("/odoo", "LuxuryOmsConfigScreens_manager", login="manager")
