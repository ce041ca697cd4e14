from odoo.addons.luxury_oms.tests.common import LuxuryOmsPosCase
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LuxuryReturnsCase


@tagged("post_install", "-at_install")
class TestReturnAtTheBoutique(LuxuryReturnsCase, LuxuryOmsPosCase):
    """A client brings back a web order at the Milan boutique: the POS lists what they can
    return and opens the return there; the checks run at the boutique's desk."""

    def _returns(self):
        return self.env["luxury.return"].search([("sale_order_id", "=", self.order.id)])

    def test_returnable_orders_of_the_client(self):
        answer = self.pos_config.with_user(self.cashier).oms_returnable_orders(self.client.id)
        [order] = [row for row in answer["orders"] if row["id"] == self.order.id]
        lines = {line["sku"]: line for line in order["lines"]}
        self.assertEqual(lines["T-SBAG"]["returnable_qty"], 2)
        self.assertEqual(sorted(lines["T-SBAG"]["serials"]), ["TSN-001", "TSN-002"])
        self.assertEqual(lines["T-SCARF"]["returnable_qty"], 3)
        self.assertIn("size", [reason["code"] for reason in answer["reasons"]])

        self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        answer = self.pos_config.with_user(self.cashier).oms_returnable_orders(self.client.id)
        [order] = [row for row in answer["orders"] if row["id"] == self.order.id]
        bag = next(line for line in order["lines"] if line["sku"] == "T-SBAG")
        self.assertEqual((bag["returnable_qty"], bag["serials"]), (1, ["TSN-002"]))

    def test_return_opened_at_the_boutique(self):
        answer = self.pos_config.with_user(self.cashier).oms_request_return(
            self.order.id, [{"sku": "T-SBAG", "qty": 1, "serial": "TSN-002"}], "size"
        )
        rma = self._returns()
        self.assertEqual(answer["name"], rma.name)
        self.assertIn("authenticity desk of Test Milan", answer["message"])
        self.assertEqual((rma.origin, rma.state, rma.site_id), ("pos", "requested", self.milan))
        self.assertEqual(rma.line_ids.lot_id, self.lot_2)
        self.assertIn("by Oms Cashier", rma.message_ids[0].body)

    def test_bad_requests_create_nothing(self):
        pos = self.pos_config.with_user(self.cashier)
        with self.assertRaisesRegex(ValidationError, "TSN-999"):
            pos.oms_request_return(
                self.order.id, [{"sku": "T-SBAG", "qty": 1, "serial": "TSN-999"}], "size"
            )
        with self.assertRaises(ValidationError):
            pos.oms_request_return(self.order.id, [{"sku": "T-SCARF", "qty": 4}], "size")
        with self.assertRaisesRegex(UserError, "Select the client"):
            pos.oms_returnable_orders(False)
        self.assertFalse(self._returns())

    def test_only_boutique_staff(self):
        outsider = self._create_user("oms_outsider", "luxury_oms.group_oms_user")
        with self.assertRaises(AccessError):
            self.pos_config.with_user(outsider).oms_returnable_orders(self.client.id)
