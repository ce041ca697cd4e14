from unittest import SkipTest

from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestBackOfficeTours(HttpCase):
    """Customer service and the fraud reviewer walk their order screens on the demo maison
    (password: the login): the key texts are there, and no console error."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("luxury_oms.user_demo_service", raise_if_not_found=False):
            raise SkipTest("The demo maison is loaded only with --with-demo.")

    def test_customer_service_reads_an_order_its_plan_and_the_api_requests(self):
        self.start_tour("/odoo", "LuxuryOmsBackOffice_service", login="service")

    def test_fraud_reviewer_reads_the_reasons_and_approves(self):
        self.start_tour("/odoo", "LuxuryOmsBackOffice_fraud", login="fraud")
        order = self.env["sale.order"].search([("oms_external_ref", "=", "DEMO-FRAUD-HELD")])
        self.assertEqual(order.oms_fraud_state, "approved")
        self.assertEqual(order.oms_fraud_decision_note, "Client called back, card holder verified")
