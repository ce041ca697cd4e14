from unittest import SkipTest

from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestDemoServices(TransactionCase):
    """The demo maison's client services, each moved on with its own buttons."""

    def test_demo_services_are_under_way(self):
        if not self.env.ref("luxury_oms.company_maison", raise_if_not_found=False):
            raise SkipTest("The demo maison is loaded only with --with-demo.")
        expected = {
            "luxury.client.repair": "workshop",
            "luxury.client.loan": "out",
            "luxury.client.piece.transfer": "in_transit",
            "luxury.client.special.order": "quoted",
        }
        for model, state in expected.items():
            records = self.env[model].search([])
            self.assertEqual(records.mapped("state"), [state], model)
        events = self.env["luxury.client.event"].search([])
        self.assertEqual(events.company_id, self.env.ref("luxury_oms.company_maison"))
        self.assertTrue(all(events.mapped("attendee_ids")))
