from unittest import SkipTest

from odoo.tests import HttpCase
from odoo.tests import tagged

ROLES = ("service", "manager", "floor", "stock", "fraud", "advisor")


@tagged("post_install", "-at_install")
class TestDemoHomeTours(HttpCase):
    """Each demo colleague logs in (password: the login) and lands on their role's home."""

    def test_each_demo_role_lands_on_its_home(self):
        if not self.env.ref("luxury_oms.user_demo_service", raise_if_not_found=False):
            raise SkipTest("The demo maison is loaded only with --with-demo.")
        for login in ROLES:
            with self.subTest(login=login):
                self.start_tour("/odoo", f"LuxuryOmsDemoHome_{login}", login=login)
