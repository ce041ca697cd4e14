from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LuxuryReturnsCase


@tagged("post_install", "-at_install")
class TestReturnChannel(LuxuryReturnsCase):
    def assertRefused(self, lines, message, order=None, reason="size"):
        """The request raises ``message`` and creates no return, line or check."""
        counts = [
            self.env[model].search_count([])
            for model in ("luxury.return", "luxury.return.line", "luxury.return.check")
        ]
        with self.assertRaisesRegex(ValidationError, message):
            self._request(lines, order=order, reason=reason)
        self.assertEqual(
            counts,
            [
                self.env[model].search_count([])
                for model in ("luxury.return", "luxury.return.line", "luxury.return.check")
            ],
        )

    def test_request_creates_requested_return(self):
        rma = self._request(
            [
                {"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"},
                {"sku": "T-SBAG", "qty": 1, "serial": "TSN-002"},
                {"sku": "T-SCARF", "qty": 3},
            ]
        )
        self.assertEqual(rma.origin, "api")
        self.assertEqual(rma.channel_id, self.channel)
        self.assertEqual(rma.reason_id, self.reason)
        self.assertEqual(rma.line_ids.lot_id, self.lot_1 | self.lot_2)
        self.assertEqual(sum(rma.line_ids.mapped("qty")), 5)
        self.assertEqual(self.order.luxury_return_count, 1)

    def test_more_than_sold(self):
        self.assertRefused([{"sku": "T-SCARF", "qty": 4}], r"^lines\[0\]\.qty: cannot return 4")

    def test_item_never_sold_to_this_client(self):
        self.assertRefused([{"sku": "T-BAG", "qty": 1}], "'T-BAG' was never sold to this client")

    def test_unknown_sku(self):
        self.assertRefused([{"sku": "NO-SUCH-SKU", "qty": 1}], "unknown SKU 'NO-SUCH-SKU'")

    def test_serial_sold_to_nobody_on_this_order(self):
        self.assertRefused(
            [{"sku": "T-SBAG", "qty": 1, "serial": "TSN-999"}],
            r"^lines\[0\]\.serial: 'TSN-999' was never sold to this client",
        )

    def test_unknown_serial(self):
        self.assertRefused(
            [{"sku": "T-SBAG", "qty": 1, "serial": "NO-SUCH"}], "unknown serial 'NO-SUCH'"
        )

    def test_serial_required_and_one_unit(self):
        self.assertRefused([{"sku": "T-SBAG", "qty": 1}], r"^lines\[0\]\.serial: is required")
        self.assertRefused([{"sku": "T-SBAG", "qty": 2, "serial": "TSN-001"}], "one unit per line")

    def test_serial_already_in_another_return(self):
        self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        self.assertRefused(
            [{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}], "already being returned"
        )

    def test_one_bad_line_refuses_the_whole_request(self):
        self.assertRefused(
            [{"sku": "T-SCARF", "qty": 1}, {"sku": "T-SBAG", "qty": 1, "serial": "NOPE"}],
            r"^lines\[1\]\.serial: unknown serial",
        )

    def test_malformed_payloads(self):
        self.assertRefused([], "^lines: must not be empty")
        self.assertRefused("T-SCARF", "^lines: must be a list")
        self.assertRefused(["T-SCARF"], r"^lines\[0\]: must be a struct")
        self.assertRefused([{"qty": 1}], r"^lines\[0\]\.sku: is required")
        self.assertRefused([{"sku": "T-SCARF", "qty": "1"}], r"^lines\[0\]\.qty: must be a number")
        self.assertRefused(
            [{"sku": "T-SCARF", "qty": -1}], r"^lines\[0\]\.qty: must be a positive number"
        )
        self.assertRefused(
            [{"sku": "T-SBAG", "serial": 7}], r"^lines\[0\]\.serial: must be a string"
        )

    def test_hostile_payloads(self):
        """Refused naming the field, before anything is read or written: none of these
        may reach the database (a NUL or a lone surrogate breaks its queries) or be stored
        (a quantity below the stored precision would be a return of 0)."""
        scarf = {"sku": "T-SCARF", "qty": 1}
        nested = "size"
        for _level in range(5000):
            nested = [nested]
        for lines, reason, message in [
            ([{**scarf, "qty": float("nan")}], "size", r"^lines\[0\]\.qty: must be a finite"),
            ([{**scarf, "qty": float("inf")}], "size", r"^lines\[0\]\.qty: must be a finite"),
            ([{**scarf, "qty": 1e-300}], "size", r"^lines\[0\]\.qty: must be at least 0\.01"),
            ([{**scarf, "qty": 5e-324}], "size", r"^lines\[0\]\.qty: must be at least 0\.01"),
            ([{**scarf, "qty": True}], "size", r"^lines\[0\]\.qty: must be a number"),
            ([{**scarf, "qty": 1e308}], "size", r"^lines\[0\]\.qty: must be at most"),
            ([{**scarf, "colour": "red"}], "size", r"^lines\[0\]\.colour: unknown field"),
            ([{**scarf, "sku": "T-\x00"}], "size", r"^lines\[0\]\.sku: contains a NUL"),
            ([{**scarf, "serial": "\ud800"}], "size", r"^lines\[0\]\.serial: contains a lone"),
            ([scarf], "\x00", "^reason: contains a NUL"),
            ([scarf], "s" * 65, "^reason: is longer than 64"),
            ([scarf], nested, r"^reason(\[0\]){8}: is nested more than 8 levels deep"),
            ([scarf] * 101, "size", "^lines: has 101 items, at most 100"),
        ]:
            with self.subTest(message=message):
                self.assertRefused(lines, message, reason=reason)

    def test_unknown_reason(self):
        self.assertRefused(
            [{"sku": "T-SCARF", "qty": 1}], "reason: unknown return reason 'bored'", reason="bored"
        )

    def test_order_of_another_client(self):
        other = self.env["res.partner"].create({"name": "Other Client"})
        other_order = self._sell({self.scarf: 1}, partner=other)
        # The client's serial does not appear on someone else's order.
        self.assertRefused(
            [{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}],
            "never sold to this client",
            order=other_order,
        )

    def test_status_for_channel_hides_the_suspicion(self):
        self.assertEqual(self.env["luxury.return"]._oms_return_status_for_order(self.order), [])
        rma = self._request([{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}])
        status = self.env["luxury.return"]._oms_return_status_for_order(self.order)
        self.assertEqual(
            status,
            [
                {
                    "ref": rma.name,
                    "state": "requested",
                    "lines": [{"sku": "T-SBAG", "qty": 1.0, "serial": "TSN-001"}],
                }
            ],
        )
        line = rma.line_ids
        self._receive_and_check(rma, {line: "TSN-001"}, {line: "WRONG"})
        rma.action_conclude()
        status = self.env["luxury.return"]._oms_return_status_for_order(self.order)
        self.assertEqual(status[0]["state"], "under_review")
        self.assertNotIn("HM-AAA", str(status))
        self.assertNotIn("suspect", str(status).lower())
