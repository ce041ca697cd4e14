"""Validation and normalisation of the channel API payloads (XML-RPC / JSON-2).

Plain Python over plain data: every check that needs no database lives here, so that a
malformed payload is refused before anything is read or written. Each error names the
field path the client sent (``lines[2].qty``) and the problem, in one line.

What needs the database (unknown SKU, site or currency, serial-tracked quantities) is
checked by the ``luxury.oms.api`` model, with the same ``path: problem`` format.
"""

import hashlib
import json
import math
import re

MAX_LINES = 100
MAX_SKUS = 100
MAX_SITES = 100
MAX_STRING = 256
MAX_TEXT = 1000
MAX_CODE = 64
MAX_QTY = 1_000_000
MAX_AMOUNT = 1e12

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ISO_COUNTRY_PATTERN = re.compile(r"^[A-Za-z]{2}$")
ISO_CURRENCY_PATTERN = re.compile(r"^[A-Za-z]{3}$")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9@]{2,12})?$")
DELIVERY_MODES = ("ship", "pickup")


class PayloadError(ValueError):
    """A payload problem: ``path`` is the field as the client sent it."""

    def __init__(self, path, problem):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


# Field readers -------------------------------------------------------------------------


def _mapping(value, path):
    if not isinstance(value, dict):
        raise PayloadError(path, "must be a struct (a dictionary)")
    return value


def _check_keys(value, path, allowed):
    unknown = sorted(str(key) for key in value if key not in allowed)
    if unknown:
        prefix = f"{path}." if path else ""
        raise PayloadError(f"{prefix}{unknown[0]}", "unknown field")


def _string(value, path, required=True, max_length=MAX_STRING):
    """A trimmed string; None or "" for an optional field gives None."""
    if value is None or value is False or (isinstance(value, str) and not value.strip()):
        if required:
            raise PayloadError(path, "is required")
        return None
    if not isinstance(value, str):
        raise PayloadError(path, "must be a string")
    value = value.strip()
    if len(value) > max_length:
        raise PayloadError(path, f"is longer than {max_length} characters")
    if "\x00" in value:
        raise PayloadError(path, "contains a NUL character")
    return value


def _pattern(value, path, pattern, description, required=True):
    value = _string(value, path, required=required, max_length=MAX_CODE)
    if value is not None and not pattern.match(value):
        raise PayloadError(path, f"must be {description}, not {value!r}")
    return value


def _number(value, path, minimum=0.0, strictly_positive=False, maximum=MAX_QTY):
    # bool is an int in Python, but True is not a quantity
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PayloadError(path, "must be a number")
    if not math.isfinite(value):
        raise PayloadError(path, "must be a finite number")
    if strictly_positive and value <= 0:
        raise PayloadError(path, f"must be a positive number, not {value}")
    if value < minimum:
        raise PayloadError(path, f"must be at least {minimum}, not {value}")
    if value > maximum:
        raise PayloadError(path, f"must be at most {maximum}, not {value}")
    return float(value)


def _boolean(value, path):
    if value is None:
        return None
    if not isinstance(value, bool):
        raise PayloadError(path, "must be a boolean")
    return value


def _list(value, path, max_items, required=True):
    if value is None and not required:
        return None
    if not isinstance(value, list | tuple):
        raise PayloadError(path, "must be a list")
    if required and not value:
        raise PayloadError(path, "must not be empty")
    if len(value) > max_items:
        raise PayloadError(path, f"has {len(value)} items, at most {max_items} are accepted")
    return list(value)


def _codes(value, path, max_items, required=True):
    """A list of distinct identifiers (SKUs, site codes), order kept."""
    items = _list(value, path, max_items, required=required)
    if items is None:
        return None
    codes = [_string(item, f"{path}[{index}]", max_length=MAX_CODE) for index, item in
             enumerate(items)]  # fmt: skip
    return list(dict.fromkeys(codes))


# Payloads ------------------------------------------------------------------------------


def validate_reference(channel, external_ref):
    """The (channel, external_ref) pair naming an order."""
    return (
        _string(channel, "channel", max_length=MAX_CODE),
        _string(external_ref, "external_ref", max_length=MAX_CODE),
    )


def validate_reason(reason):
    return _string(reason, "reason", max_length=MAX_TEXT)


def validate_availability_request(skus, sites=None, channel=None):
    return {
        "skus": _codes(skus, "skus", MAX_SKUS),
        "sites": _codes(sites, "sites", MAX_SITES, required=False),
        "channel": _string(channel, "channel", required=False, max_length=MAX_CODE),
    }


def validate_order(order):
    """Return the normalised order: trimmed strings, upper-case codes, float numbers,
    lower-case email, every optional field present (None when not given)."""
    order = _mapping(order, "order")
    _check_keys(
        order,
        "",
        {"channel", "external_ref", "currency", "customer", "lines", "delivery", "payment"},
    )
    channel, external_ref = validate_reference(order.get("channel"), order.get("external_ref"))
    return {
        "channel": channel,
        "external_ref": external_ref,
        "currency": _pattern(
            order.get("currency"), "currency", ISO_CURRENCY_PATTERN, "an ISO 4217 code"
        ).upper(),
        "customer": _customer(order.get("customer")),
        "lines": _lines(order.get("lines")),
        "delivery": _delivery(order.get("delivery")),
        "payment": _payment(order.get("payment")),
    }


def _customer(customer):
    customer = _mapping(customer, "customer")
    _check_keys(customer, "customer", {"email", "name", "phone", "lang", "country"})
    email = _string(customer.get("email"), "customer.email", max_length=254)
    if not EMAIL_PATTERN.match(email):
        raise PayloadError("customer.email", f"is not an email address: {email!r}")
    country = _pattern(
        customer.get("country"),
        "customer.country",
        ISO_COUNTRY_PATTERN,
        "an ISO 3166 two-letter code",
        required=False,
    )
    return {
        "email": email.lower(),
        "name": _string(customer.get("name"), "customer.name"),
        "phone": _string(customer.get("phone"), "customer.phone", required=False,
                         max_length=MAX_CODE),
        "lang": _pattern(customer.get("lang"), "customer.lang", LANG_PATTERN,
                         "a language code such as fr_FR", required=False),
        "country": country.upper() if country else None,
    }  # fmt: skip


def _lines(lines):
    lines = _list(lines, "lines", MAX_LINES)
    result = []
    for index, raw_line in enumerate(lines):
        path = f"lines[{index}]"
        line = _mapping(raw_line, path)
        _check_keys(line, path, {"sku", "qty", "price_unit"})
        result.append(
            {
                "sku": _string(line.get("sku"), f"{path}.sku", max_length=MAX_CODE),
                "qty": _number(line.get("qty"), f"{path}.qty", strictly_positive=True),
                "price_unit": _number(
                    line.get("price_unit"), f"{path}.price_unit", maximum=MAX_AMOUNT
                ),
            }
        )
    return result


def _delivery(delivery):
    delivery = _mapping(delivery, "delivery")
    _check_keys(
        delivery, "delivery", {"mode", "address", "pickup_site", "carrier", "single_parcel"}
    )
    mode = _string(delivery.get("mode"), "delivery.mode", max_length=MAX_CODE)
    if mode not in DELIVERY_MODES:
        raise PayloadError("delivery.mode", f"must be 'ship' or 'pickup', not {mode!r}")
    result = {
        "mode": mode,
        "address": None,
        "pickup_site": None,
        "carrier": _string(delivery.get("carrier"), "delivery.carrier", required=False),
        "single_parcel": _boolean(delivery.get("single_parcel"), "delivery.single_parcel"),
    }
    if mode == "ship":
        result["address"] = _address(delivery.get("address"))
    else:
        result["pickup_site"] = _string(
            delivery.get("pickup_site"), "delivery.pickup_site", max_length=MAX_CODE
        )
    return result


def _address(address):
    if address is None:
        raise PayloadError("delivery.address", "is required when delivery.mode is 'ship'")
    address = _mapping(address, "delivery.address")
    _check_keys(address, "delivery.address", {"street", "city", "zip", "country"})
    country = _pattern(
        address.get("country"),
        "delivery.address.country",
        ISO_COUNTRY_PATTERN,
        "an ISO 3166 two-letter code",
    )
    return {
        "street": _string(address.get("street"), "delivery.address.street"),
        "city": _string(address.get("city"), "delivery.address.city"),
        # Some countries (e.g. the United Arab Emirates) have no postcodes.
        "zip": _string(address.get("zip"), "delivery.address.zip", required=False,
                       max_length=MAX_CODE),
        "country": country.upper(),
    }  # fmt: skip


def _payment(payment):
    if payment is None:
        return None
    payment = _mapping(payment, "payment")
    _check_keys(payment, "payment", {"method", "amount", "card_country", "card_fingerprint"})
    amount = payment.get("amount")
    card_country = _pattern(
        payment.get("card_country"),
        "payment.card_country",
        ISO_COUNTRY_PATTERN,
        "an ISO 3166 two-letter code",
        required=False,
    )
    return {
        "method": _string(payment.get("method"), "payment.method", required=False,
                          max_length=MAX_CODE),
        "amount": None if amount is None else _number(amount, "payment.amount",
                                                      maximum=MAX_AMOUNT),
        "card_country": card_country.upper() if card_country else None,
        "card_fingerprint": _string(payment.get("card_fingerprint"), "payment.card_fingerprint",
                                    required=False, max_length=MAX_CODE),
    }  # fmt: skip


def payload_hash(normalised_order):
    """Fingerprint of an order's content: two retries of one order hash the same even if
    the client reordered keys or sent 1 for 1.0."""
    canonical = json.dumps(
        normalised_order, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
