from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import LuxuryReturnsCase


@tagged("post_install", "-at_install")
class TestReturnApi(LuxuryReturnsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.integration_user = new_test_user(
            cls.env, login="api-returns", groups="luxury_oms.group_oms_integration"
        )
        cls.channel.user_ids = cls.integration_user
        cls.order.oms_external_ref = "WEB-RMA-1"
        cls.Api = cls.env["luxury.oms.api"].with_user(cls.integration_user)

    def test_request_return_through_the_api(self):
        answer = self.Api.request_return(
            "test-web", "WEB-RMA-1", [{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}], "size"
        )
        self.assertTrue(answer["return_ref"].startswith("RMA/"))
        self.assertEqual(answer["state"], "requested")
        self.assertEqual(answer["lines"], [{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        rma = self.env["luxury.return"].search([("name", "=", answer["return_ref"])])
        self.assertEqual((rma.origin, rma.channel_id), ("api", self.channel))

    def test_returns_appear_in_the_order_status(self):
        self.Api.request_return("test-web", "WEB-RMA-1", [{"sku": "T-SCARF", "qty": 1}], "size")
        status = self.Api.get_order_status("test-web", "WEB-RMA-1")
        [rma] = status["returns"]
        self.assertEqual(rma["state"], "requested")
        # no None anywhere: XML-RPC could not carry it
        self.assertEqual(rma["lines"], [{"sku": "T-SCARF", "qty": 1, "serial": False}])

    def test_bad_return_requests_are_refused(self):
        with self.assertRaisesRegex(ValidationError, r"^lines\[0\]\.qty: cannot return 4"):
            self.Api.request_return("test-web", "WEB-RMA-1", [{"sku": "T-SCARF", "qty": 4}], "size")
        with self.assertRaisesRegex(ValidationError, "external_ref: unknown order 'NOPE'"):
            self.Api.request_return("test-web", "NOPE", [{"sku": "T-SCARF", "qty": 1}], "size")
        self.assertFalse(self.env["luxury.return"].search([("sale_order_id", "=", self.order.id)]))

    def test_other_users_cannot_request_returns(self):
        stranger = new_test_user(
            self.env, login="api-stranger", groups="luxury_oms.group_oms_integration"
        )
        with self.assertRaisesRegex(AccessError, "channel: not allowed"):
            self.env["luxury.oms.api"].with_user(stranger).request_return(
                "test-web", "WEB-RMA-1", [{"sku": "T-SCARF", "qty": 1}], "size"
            )
