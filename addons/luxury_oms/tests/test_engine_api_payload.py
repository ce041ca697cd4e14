import copy
import unittest

from ..engine.api_payload import MAX_LINES
from ..engine.api_payload import MAX_SKUS
from ..engine.api_payload import MAX_STRING
from ..engine.api_payload import PayloadError
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
