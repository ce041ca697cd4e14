import unittest

from odoo.addons.luxury_oms.engine.api_payload import MAX_DEPTH
from odoo.addons.luxury_oms.engine.api_payload import MAX_VALUES
from odoo.addons.luxury_oms.engine.api_payload import PayloadError
from odoo.addons.luxury_returns.engine.return_payload import RETURN_SOURCES
from odoo.addons.luxury_returns.engine.return_payload import validate_return_request
from odoo.addons.luxury_returns.engine.return_payload import validate_till_client
from odoo.addons.luxury_returns.engine.return_payload import validate_till_order
from odoo.addons.luxury_returns.engine.returns import RequestedLine


def nested(levels, leaf="size", container=list):
    value = leaf
    for _level in range(levels):
        value = [value] if container is list else {"k": value}
    return value


SCARF = {"sku": "T-SCARF", "qty": 2}
BAG = {"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}


class TestValidateReturnRequest(unittest.TestCase):
    def assertRefused(self, lines, path, problem, reason="size", qty_digits=2):
        with self.assertRaises(PayloadError) as caught:
            validate_return_request(lines, reason, qty_digits=qty_digits)
        self.assertEqual(caught.exception.path, path)
        self.assertIn(problem, caught.exception.problem)
        str(caught.exception).encode()  # an answer can carry it as UTF-8

    def test_normalises_a_valid_request(self):
        request = validate_return_request(
            [{"sku": " T-SCARF ", "qty": 2}, BAG, {"sku": "T-BELT", "serial": ""}], " size "
        )
        self.assertEqual(
            request,
            {
                "lines": [
                    RequestedLine("T-SCARF", 2.0),
                    RequestedLine("T-SBAG", 1.0, "TSN-001"),
                    RequestedLine("T-BELT", 1.0),  # qty defaults to one piece
                ],
                "reason": "size",
            },
        )

    def test_malformed_lines(self):
        for lines, path, problem in [
            (None, "lines", "must be a list"),
            ([], "lines", "must not be empty"),
            ("T-SCARF", "lines", "must be a list"),
            ({"sku": "T-SCARF"}, "lines", "must be a list"),
            (["T-SCARF"], "lines[0]", "must be a struct"),
            ([SCARF, {"qty": 1}], "lines[1].sku", "is required"),
            ([{"sku": 7}], "lines[0].sku", "must be a string"),
            ([{**BAG, "serial": 7}], "lines[0].serial", "must be a string"),
            ([{**SCARF, "qty": "1"}], "lines[0].qty", "must be a number"),
            ([{**SCARF, "qty": None}], "lines[0].qty", "must be a number"),
        ]:
            with self.subTest(lines=lines):
                self.assertRefused(lines, path, problem)

    def test_hostile_quantities(self):
        for qty, problem in [
            (float("nan"), "must be a finite number"),
            (float("inf"), "must be a finite number"),
            (float("-inf"), "must be a finite number"),
            (0, "must be a positive number"),
            (-1, "must be a positive number"),
            (1e-300, "must be at least 0.01"),
            (5e-324, "must be at least 0.01"),
            (0.004, "must be at least 0.01"),
            (True, "must be a number"),
            (1e308, "must be at most"),
            (10**400, "must be at most"),
            (-(10**400), "must be a positive number"),
            ([1], "must be a number"),
        ]:
            with self.subTest(qty=qty):
                self.assertRefused([{**SCARF, "qty": qty}], "lines[0].qty", problem)
        # the smallest quantity follows the stored precision
        lines = validate_return_request([{**SCARF, "qty": 0.004}], "size", qty_digits=3)["lines"]
        self.assertEqual(lines, [RequestedLine("T-SCARF", 0.004)])

    def test_hostile_text(self):
        for field in ("sku", "serial"):
            for text, problem in [
                ("\x00", "contains a NUL character"),
                ("T-\ud800", "contains a lone UTF-16 surrogate"),
                ("x" * 100_000, "longer than 64"),
            ]:
                with self.subTest(field=field, text=text[:8]):
                    self.assertRefused([{**BAG, field: text}], f"lines[0].{field}", problem)
        for reason, problem in [
            ("\x00", "contains a NUL character"),
            ("\udfff", "contains a lone UTF-16 surrogate"),
            ("r" * 2000, "longer than 64"),
            (None, "is required"),
            (float("nan"), "must be a string"),
            (["size"], "must be a string"),
        ]:
            with self.subTest(reason=reason):
                self.assertRefused([SCARF], "reason", problem, reason=reason)

    def test_unknown_keys(self):
        self.assertRefused([{**SCARF, "colour": "red"}], "lines[0].colour", "unknown field")
        self.assertRefused([SCARF, {**BAG, "\x00": 1}], "lines[1].'\\x00'", "unknown field")
        self.assertRefused([{**SCARF, "\ud800": 1}], "lines[0].'\\ud800'", "unknown field")

    def test_deep_nesting_anywhere(self):
        for lines, reason, path in [
            ([SCARF], nested(5000), "reason" + "[0]" * MAX_DEPTH),
            ([SCARF], nested(5000, container=dict), "reason" + ".k" * MAX_DEPTH),
            (nested(5000), "size", "lines" + "[0]" * MAX_DEPTH),
            ([{**SCARF, "qty": nested(5000)}], "size", "lines[0].qty" + "[0]" * (MAX_DEPTH - 2)),
            ([{**SCARF, "note": nested(5000, container=dict)}], "size",
             "lines[0].note" + ".k" * (MAX_DEPTH - 2)),
        ]:  # fmt: skip
            with self.subTest(path=path):
                self.assertRefused(lines, path, f"nested more than {MAX_DEPTH} levels", reason)

    def test_oversized_lists(self):
        self.assertRefused([SCARF] * 101, "lines", "has 101 items, at most 100")
        self.assertRefused([SCARF] * MAX_VALUES, "lines", f"holds more than {MAX_VALUES}")
        self.assertRefused([SCARF], "reason", f"holds more than {MAX_VALUES}", [0] * 10**5)


class TestValidateTillRequest(unittest.TestCase):
    """The till's client and order, checked like the channel's payloads: ``path: problem``."""

    def assertRefused(self, validator, args, path, problem):
        with self.assertRaises(PayloadError) as caught:
            validator(*args)
        self.assertEqual(caught.exception.path, path)
        self.assertIn(problem, caught.exception.problem)
        self.assertEqual(str(caught.exception), f"{path}: {caught.exception.problem}")

    def test_client_is_a_record_id(self):
        self.assertEqual(validate_till_client(7), 7)
        for value, problem in [
            (None, "select the client who returns"),
            (False, "select the client who returns"),
            (True, "must be a record id, not True"),
            (0, "must be a record id, not 0"),
            (-3, "must be a record id"),
            (1.5, "must be a record id"),
            ("7", "must be a record id, not '7'"),
            ([7], "must be a record id"),
        ]:
            with self.subTest(value=value):
                self.assertRefused(validate_till_client, [value], "partner_id", problem)

    def test_order_is_a_sale_or_boutique_order(self):
        for model in RETURN_SOURCES:
            self.assertEqual(validate_till_order(model, 4), (model, 4))
        for model, order_id in [
            ("res.partner", 4),
            ("sale.order", True),
            ("sale.order", "4"),
            ("pos.order", 0),
            ("pos.order", None),
            (None, 4),
            (["sale.order"], 4),
        ]:
            with self.subTest(model=model, order_id=order_id):
                self.assertRefused(validate_till_order, [model, order_id], "order", "unknown order")

    def test_hostile_order_is_refused_short(self):
        path = "order" + "[0]" * MAX_DEPTH
        self.assertRefused(validate_till_order, [nested(5000), 4], path, "nested more than")
        with self.assertRaises(PayloadError) as caught:
            validate_till_order("x" * 100_000, 4)
        self.assertLess(len(str(caught.exception)), 200, "the message stays short")
