import copy
import inspect
import unittest

from ..engine.api_payload import MAX_DEPTH
from ..engine.api_payload import MAX_LINES
from ..engine.api_payload import MAX_SKUS
from ..engine.api_payload import MAX_STRING
from ..engine.api_payload import MAX_VALUES
from ..engine.api_payload import PayloadError
from ..engine.api_payload import check_arguments
from ..engine.api_payload import check_depth
from ..engine.api_payload import payload_hash
from ..engine.api_payload import validate_availability_request
from ..engine.api_payload import validate_order
from ..engine.api_payload import validate_reason
from ..engine.api_payload import validate_reference

ORDER = {
    "channel": "web-FR",
    "external_ref": "WEB-1001",
    "currency": "eur",
    "customer": {
        "email": " Hanako.Yamada@Example.JP ",
        "name": "山田 花子",
        "phone": "+81 3 1234 5678",
        "lang": "ja_JP",
        "country": "jp",
    },
    "lines": [{"sku": "BAG-CELESTE-28-NOIR", "qty": 1, "price_unit": 4200}],
    "delivery": {
        "mode": "ship",
        "address": {"street": "1-2-3 Ginza", "city": "東京", "zip": "104-0061", "country": "JP"},
        "carrier": "DHL",
        "single_parcel": True,
    },
    "payment": {"method": "card", "amount": 4200, "card_country": "JP"},
}


def order_with(path, value):
    """A copy of ORDER with the field at ``path`` (a tuple of keys) set, or removed when
    value is ``...``."""
    order = copy.deepcopy(ORDER)
    target = order
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return order


class TestValidateOrder(unittest.TestCase):
    def assertRefused(self, order, path, problem):
        with self.assertRaises(PayloadError) as caught:
            validate_order(order)
        self.assertEqual(caught.exception.path, path)
        self.assertIn(problem, str(caught.exception))
        self.assertTrue(str(caught.exception).startswith(f"{path}: "))

    def test_normalises_a_valid_order(self):
        order = validate_order(ORDER)
        self.assertEqual(order["currency"], "EUR")
        self.assertEqual(order["customer"]["email"], "hanako.yamada@example.jp")
        self.assertEqual(order["customer"]["name"], "山田 花子")
        self.assertEqual(order["customer"]["country"], "JP")
        self.assertEqual(order["lines"], [{"sku": "BAG-CELESTE-28-NOIR", "qty": 1.0,
                                           "price_unit": 4200.0}])  # fmt: skip
        self.assertEqual(order["delivery"]["address"]["city"], "東京")
        self.assertIsNone(order["delivery"]["pickup_site"])
        self.assertEqual(order["payment"]["card_country"], "JP")

    def test_optional_fields_may_be_absent(self):
        order = order_with(("payment",), ...)
        del order["customer"]["phone"], order["customer"]["lang"], order["customer"]["country"]
        del order["delivery"]["carrier"], order["delivery"]["address"]["zip"]
        normalised = validate_order(order)
        self.assertIsNone(normalised["payment"])
        self.assertIsNone(normalised["customer"]["lang"])
        self.assertIsNone(normalised["delivery"]["address"]["zip"])

    def test_pickup_needs_a_pickup_site_not_an_address(self):
        order = order_with(("delivery",), {"mode": "pickup", "pickup_site": "PAR"})
        self.assertEqual(validate_order(order)["delivery"]["pickup_site"], "PAR")
        self.assertRefused(
            order_with(("delivery",), {"mode": "pickup"}), "delivery.pickup_site", "required"
        )

    def test_payload_must_be_a_struct(self):
        self.assertRefused(["not", "a", "dict"], "order", "must be a struct")
        self.assertRefused(order_with(("customer",), "someone"), "customer", "must be a struct")
        self.assertRefused(order_with(("lines",), [42]), "lines[0]", "must be a struct")

    def test_unknown_fields_are_refused(self):
        self.assertRefused(order_with(("discount",), 10), "discount", "unknown field")
        self.assertRefused(
            order_with(("lines",), [{"sku": "X", "qty": 1, "price_unit": 1, "colour": "red"}]),
            "lines[0].colour",
            "unknown field",
        )

    def test_required_fields(self):
        for path, expected in [
            (("channel",), "channel"),
            (("external_ref",), "external_ref"),
            (("currency",), "currency"),
            (("customer", "email"), "customer.email"),
            (("customer", "name"), "customer.name"),
            (("delivery", "mode"), "delivery.mode"),
            (("delivery", "address", "street"), "delivery.address.street"),
            (("delivery", "address", "city"), "delivery.address.city"),
            (("delivery", "address", "country"), "delivery.address.country"),
        ]:
            with self.subTest(field=expected):
                self.assertRefused(order_with(path, ...), expected, "is required")
                self.assertRefused(order_with(path, "   "), expected, "is required")

    def test_missing_address_for_shipping(self):
        self.assertRefused(
            order_with(("delivery", "address"), ...), "delivery.address", "is required"
        )

    def test_lines_must_be_a_non_empty_list(self):
        self.assertRefused(order_with(("lines",), []), "lines", "must not be empty")
        self.assertRefused(order_with(("lines",), "BAG"), "lines", "must be a list")

    def test_quantities(self):
        for qty, problem in [
            (0, "must be a positive number"),
            (-1, "must be a positive number"),
            ("1", "must be a number"),
            (True, "must be a number"),
            (None, "must be a number"),
            (float("nan"), "must be a finite number"),
            (float("inf"), "must be a finite number"),
            (10**9, "must be at most"),
        ]:
            with self.subTest(qty=qty):
                self.assertRefused(
                    order_with(("lines",), [ORDER["lines"][0], {"sku": "X", "qty": qty,
                                                               "price_unit": 1}]),
                    "lines[1].qty",
                    problem,
                )  # fmt: skip

    def test_prices(self):
        self.assertRefused(
            order_with(("lines", 0, "price_unit"), -5), "lines[0].price_unit", "at least 0"
        )
        self.assertRefused(
            order_with(("lines", 0, "price_unit"), ...), "lines[0].price_unit", "a number"
        )
        self.assertEqual(validate_order(order_with(("lines", 0, "price_unit"), 0))["lines"][0]
                         ["price_unit"], 0.0)  # fmt: skip

    def test_codes(self):
        self.assertRefused(order_with(("currency",), "EURO"), "currency", "ISO 4217")
        self.assertRefused(
            order_with(("customer", "country"), "FRA"), "customer.country", "ISO 3166"
        )
        self.assertRefused(order_with(("customer", "lang"), "japanese!"), "customer.lang",
                           "language code")  # fmt: skip
        self.assertRefused(order_with(("delivery", "mode"), "drone"), "delivery.mode", "'ship'")
        self.assertRefused(
            order_with(("customer", "email"), "not-an-email"), "customer.email", "not an email"
        )
        self.assertRefused(
            order_with(("delivery", "single_parcel"), "yes"), "delivery.single_parcel", "boolean"
        )
        self.assertRefused(order_with(("customer", "name"), 42), "customer.name", "a string")

    def test_oversized_payloads(self):
        line = ORDER["lines"][0]
        self.assertRefused(
            order_with(("lines",), [line] * (MAX_LINES + 1)), "lines", f"at most {MAX_LINES}"
        )
        self.assertRefused(
            order_with(("customer", "name"), "x" * (MAX_STRING + 1)),
            "customer.name",
            f"longer than {MAX_STRING}",
        )
        self.assertRefused(
            order_with(("external_ref",), "R" * 65), "external_ref", "longer than 64"
        )

    def test_hash_ignores_key_order_and_number_types(self):
        reordered = dict(reversed(list(copy.deepcopy(ORDER).items())))
        reordered["lines"] = [{"price_unit": 4200.0, "qty": 1.0, "sku": "BAG-CELESTE-28-NOIR"}]
        self.assertEqual(
            payload_hash(validate_order(ORDER)), payload_hash(validate_order(reordered))
        )
        other = order_with(("lines", 0, "qty"), 2)
        self.assertNotEqual(
            payload_hash(validate_order(ORDER)), payload_hash(validate_order(other))
        )


class TestValidateOtherCalls(unittest.TestCase):
    def test_availability_request(self):
        request = validate_availability_request(["A", "B", "A"], None, "web-FR")
        self.assertEqual(request, {"skus": ["A", "B"], "sites": None, "channel": "web-FR"})
        with self.assertRaisesRegex(PayloadError, r"^skus: must not be empty"):
            validate_availability_request([])
        with self.assertRaisesRegex(PayloadError, r"^skus: must be a list"):
            validate_availability_request("A")
        with self.assertRaisesRegex(PayloadError, r"^skus\[1\]: must be a string"):
            validate_availability_request(["A", 7])
        with self.assertRaisesRegex(PayloadError, rf"^skus: has {MAX_SKUS + 1} items"):
            validate_availability_request([f"S{index}" for index in range(MAX_SKUS + 1)])
        with self.assertRaisesRegex(PayloadError, r"^sites: must be a list"):
            validate_availability_request(["A"], "PAR")

    def test_reference_and_reason(self):
        self.assertEqual(validate_reference(" web-FR ", "R1"), ("web-FR", "R1"))
        with self.assertRaisesRegex(PayloadError, r"^external_ref: is required"):
            validate_reference("web-FR", "")
        with self.assertRaisesRegex(PayloadError, r"^channel: must be a string"):
            validate_reference(12, "R1")
        with self.assertRaisesRegex(PayloadError, r"^reason: is required"):
            validate_reason(None)
        with self.assertRaisesRegex(PayloadError, r"^reason: is longer than"):
            validate_reason("x" * 5000)


def nested(levels, leaf="x", container=list):
    """``leaf`` inside ``levels`` lists (or dicts keyed "k"), built without recursion."""
    value = leaf
    for _level in range(levels):
        value = [value] if container is list else {"k": value}
    return value


# Strings no field accepts: a NUL (PostgreSQL refuses it) and a lone UTF-16 surrogate (JSON
# can carry "\ud800", which is no character: neither PostgreSQL nor UTF-8 can hold it).
BAD_TEXT = {"\x00": "contains a NUL character", "a\ud800b": "contains a lone UTF-16 surrogate"}

# Every string field of an order, as a path into ORDER.
ORDER_STRINGS = [
    ("channel",), ("external_ref",), ("currency",), ("customer", "email"),
    ("customer", "name"), ("customer", "phone"), ("customer", "lang"), ("customer", "country"),
    ("lines", 0, "sku"), ("delivery", "mode"), ("delivery", "carrier"),
    ("delivery", "address", "street"), ("delivery", "address", "city"),
    ("delivery", "address", "zip"), ("delivery", "address", "country"), ("payment", "method"),
    ("payment", "card_country"), ("payment", "card_fingerprint"),
]  # fmt: skip

ORDER_NUMBERS = [("lines", 0, "qty"), ("lines", 0, "price_unit"), ("payment", "amount")]


def dotted(path):
    text = ".".join(str(key) for key in path)
    return text.replace("lines.0", "lines[0]")


class TestHostileOrders(unittest.TestCase):
    """Hostile input is refused naming the field, whatever the field."""

    assertRefused = TestValidateOrder.assertRefused

    def test_bad_text_in_every_string(self):
        for path in ORDER_STRINGS:
            for text, problem in BAD_TEXT.items():
                with self.subTest(field=path, text=text):
                    self.assertRefused(order_with(path, text), dotted(path), problem)

    def test_non_finite_and_out_of_range_numbers(self):
        for path in ORDER_NUMBERS:
            for value, problem in [
                (float("nan"), "must be a finite number"),
                (float("inf"), "must be a finite number"),
                (float("-inf"), "must be a finite number"),
                (-1, "must be"),
                (1e308, "must be at most"),
                (10**400, "must be at most"),
                (-(10**400), "must be"),
                (True, "must be a number"),
                (False, "must be a number"),
                ("12", "must be a number"),
                ([1], "must be a number"),
            ]:
                with self.subTest(field=path, value=value):
                    self.assertRefused(order_with(path, value), dotted(path), problem)

    def test_near_zero_numbers_are_refused_not_stored_as_zero(self):
        for value in (1e-300, 5e-324, 0.0004):
            with self.subTest(value=value):
                self.assertRefused(
                    order_with(("lines", 0, "qty"), value), "lines[0].qty", "at least 0.01"
                )
                self.assertRefused(
                    order_with(("lines", 0, "price_unit"), value),
                    "lines[0].price_unit",
                    "0 or at least 0.001",
                )
        self.assertEqual(validate_order(order_with(("lines", 0, "qty"), 0.01))["lines"][0]["qty"],
                         0.01)  # fmt: skip
        # a maison storing quantities with 3 decimals
        self.assertEqual(
            validate_order(order_with(("lines", 0, "qty"), 0.004), qty_digits=3)["lines"][0]["qty"],
            0.004,
        )

    def test_deep_nesting_anywhere(self):
        depth = 5000
        for path in [*ORDER_STRINGS, *ORDER_NUMBERS, ("lines",), ("customer", "extra")]:
            for container in (list, dict):
                with self.subTest(field=path, container=container):
                    with self.assertRaises(PayloadError) as caught:
                        validate_order(order_with(path, nested(depth, container=container)))
                    self.assertIn(f"is nested more than {MAX_DEPTH} levels deep",
                                  str(caught.exception))  # fmt: skip
                    self.assertTrue(caught.exception.path.startswith(dotted(path)))
        with self.assertRaisesRegex(PayloadError, r"^order: must be a struct"):
            validate_order(nested(depth))
        with self.assertRaisesRegex(PayloadError, rf"^k(\.k){{{MAX_DEPTH - 1}}}: is nested more"):
            validate_order(nested(depth, container=dict))

    def test_unknown_keys_anywhere(self):
        for path, expected in [
            (("coupon",), "coupon"),
            (("customer", "vip"), "customer.vip"),
            (("lines", 0, "discount"), "lines[0].discount"),
            (("delivery", "address", "floor"), "delivery.address.floor"),
            (("payment", "cvv"), "payment.cvv"),
        ]:
            with self.subTest(field=expected):
                self.assertRefused(order_with(path, "x"), expected, "unknown field")

    def test_unknown_keys_are_named_safely(self):
        """A key with a NUL or a surrogate, or a huge one, is quoted, escaped and cut."""
        for key, expected in [
            ("\x00", "customer.'\\x00'"),
            ("\ud800", "customer.'\\ud800'"),
            ("k" * 10_000, f"customer.'{'k' * 64}'..."),
        ]:
            with self.subTest(key=expected):
                with self.assertRaises(PayloadError) as caught:
                    validate_order(order_with(("customer", key), 1))
                self.assertEqual(str(caught.exception), f"{expected}: unknown field")
                str(caught.exception).encode()  # the answer can carry it as UTF-8

    def test_oversized_strings_and_lists(self):
        for path in ORDER_STRINGS:
            with self.subTest(field=path):
                self.assertRefused(order_with(path, "x" * 1_000_000), dotted(path), "longer than")
        self.assertRefused(order_with(("lines",), [ORDER["lines"][0]] * 1000), "lines",
                           "has 1000 items, at most 100")  # fmt: skip
        self.assertRefused(order_with(("lines",), [ORDER["lines"][0]] * 100_000), "lines",
                           f"holds more than {MAX_VALUES} values")  # fmt: skip
        self.assertRefused(order_with(("customer", "extra"), list(range(MAX_VALUES))), "customer",
                           f"more than {MAX_VALUES} values")  # fmt: skip

    def test_wrong_types(self):
        for path, value, problem in [
            (("customer",), [], "must be a struct"),
            (("delivery",), "ship", "must be a struct"),
            (("delivery", "address"), ["1 rue"], "must be a struct"),
            (("payment",), 4200, "must be a struct"),
            (("lines",), {"sku": "X"}, "must be a list"),
            (("lines", 0), "BAG", "must be a struct"),
            (("customer", "email"), {"at": "x"}, "must be a string"),
            (("delivery", "single_parcel"), 1, "must be a boolean"),
        ]:
            with self.subTest(field=path):
                self.assertRefused(order_with(path, value), dotted(path), problem)


class TestHostileCalls(unittest.TestCase):
    def assertRefused(self, function, args, path, problem):
        with self.assertRaises(PayloadError) as caught:
            function(*args)
        self.assertTrue(str(caught.exception).startswith(f"{path}: "), str(caught.exception))
        self.assertIn(problem, caught.exception.problem)

    def test_availability(self):
        for args, path, problem in [
            ([nested(5000)], "skus" + "[0]" * MAX_DEPTH, "nested more than"),
            (["A", nested(5000, container=dict)], "sites" + ".k" * MAX_DEPTH, "nested"),
            (["A", None, nested(5000)], "channel" + "[0]" * MAX_DEPTH, "nested more than"),
            ([["A", "\x00"]], "skus[1]", "NUL"),
            ([["\ud800"]], "skus[0]", "surrogate"),
            ([["A"], ["\ud800"]], "sites[0]", "surrogate"),
            ([["A"], None, "web\x00"], "channel", "NUL"),
            ([["A"] * 1000], "skus", "at most 100"),
            ([["A" * 65]], "skus[0]", "longer than 64"),
            ([[float("nan")]], "skus[0]", "must be a string"),
            ([{"A": 1}], "skus", "must be a list"),
        ]:
            with self.subTest(path=path):
                self.assertRefused(validate_availability_request, args, path, problem)

    def test_reference_and_reason(self):
        for function, args, path, problem in [
            (validate_reference, (nested(5000), "R1"), "channel" + "[0]" * MAX_DEPTH, "nested"),
            (validate_reference, ("web", nested(5000)), "external_ref" + "[0]" * 8, "nested"),
            (validate_reference, ("web", "R\x00"), "external_ref", "NUL"),
            (validate_reference, ("w\udfff", "R1"), "channel", "surrogate"),
            (validate_reference, ("web", 1e308), "external_ref", "must be a string"),
            (validate_reason, (nested(5000, container=dict),), "reason" + ".k" * 8, "nested"),
            (validate_reason, ("\x00",), "reason", "NUL"),
            (validate_reason, ("\ud800",), "reason", "surrogate"),
            (validate_reason, ("x" * 10**6,), "reason", "longer than 1000"),
            (validate_reason, (float("nan"),), "reason", "must be a string"),
        ]:
            with self.subTest(path=path):
                self.assertRefused(function, args, path, problem)

    def test_arguments(self):
        def cancel_order(self, channel, external_ref, reason=None):
            return self

        parameters = dict(list(inspect.signature(cancel_order).parameters.items())[1:])
        check_arguments({"channel", "external_ref"}, parameters)
        for given, message in [
            ({"channel", "external_ref", "colour"}, "colour: unknown argument"),
            ({"channel", "external_ref", "\ud800"}, "'\\ud800': unknown argument"),
            ({"channel", "reason"}, "external_ref: is required"),
            (set(), "channel: is required"),
        ]:
            with self.subTest(given=given):
                with self.assertRaises(PayloadError) as caught:
                    check_arguments(given, parameters)
                self.assertEqual(str(caught.exception), message)

    def test_depth_check_needs_no_recursion(self):
        """Far deeper than Python's recursion limit, in a fraction of a second."""
        value = nested(10**6, container=dict)
        with self.assertRaisesRegex(PayloadError, r"^arg(\.k){8}: is nested more than 8"):
            check_depth(value, "arg")
        self.assertEqual(check_depth(nested(MAX_DEPTH - 1), "arg"), nested(MAX_DEPTH - 1))
