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
# The channel API's payloads are at most three containers deep (order, lines, line); the
# margin lets a legitimate client evolve, a payload nested thousands deep is refused before
# anything walks it recursively.
MAX_DEPTH = 8
# Values in one argument, containers included: a full order of MAX_LINES lines holds ~450.
MAX_VALUES = 10_000
# Quantities are stored with the "Product Unit" precision, 2 decimals unless the maison
# changed it: a smaller quantity would be stored as 0.
QTY_DIGITS = 2
# The smallest unit of any currency (3-decimal currencies); a price below it is stored as 0.
MIN_AMOUNT = 0.001

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


# Field readers, shared by every addon's channel payloads --------------------------------


def field_path(path, key):
    """``path.key``. A key that is empty, long or not printable (NUL, lone surrogate) is
    shown quoted and escaped: an error message must stay short and encodable."""
    name = str(key)
    if not name or len(name) > MAX_CODE or not name.isprintable():
        name = repr(name[:MAX_CODE]) + ("..." if len(name) > MAX_CODE else "")
    return f"{path}.{name}" if path else name


def nesting_error(path, max_depth=MAX_DEPTH):
    return PayloadError(path, f"is nested more than {max_depth} levels deep")


def check_depth(value, path, max_depth=MAX_DEPTH, max_values=MAX_VALUES, level=0):
    """Refuse a value nested more than ``max_depth`` containers deep, or holding more than
    ``max_values`` values, naming the first container too deep. Walks the value with a
    stack of its own: Python's recursion would fail on a payload nested thousands deep.
    ``level``: how deep ``value`` itself is in the payload."""
    pending = [(value, path, level)]
    count = 0
    while pending:
        item, item_path, depth = pending.pop()
        if not isinstance(item, dict | list | tuple):
            continue
        if depth == max_depth:
            raise nesting_error(item_path, max_depth)
        count += len(item)
        if count > max_values:
            raise PayloadError(path, f"holds more than {max_values} values")
        if isinstance(item, dict):
            children = [(field_path(item_path, key), child) for key, child in item.items()]
        else:
            children = [(f"{item_path}[{index}]", child) for index, child in enumerate(item)]
        # reversed: the first child is checked first, so the error names the first culprit
        pending.extend((child, child_path, depth + 1) for child_path, child in reversed(children))
    return value


def format_path(keys):
    """``["lines", 0, "qty"]`` as ``lines[0].qty``."""
    path = ""
    for key in keys:
        path = f"{path}[{key}]" if isinstance(key, int) else field_path(path, key)
    return path


def check_arguments(given, parameters):
    """The names of the arguments ``given`` against a method's ``parameters`` (an ordered
    mapping of ``inspect.Parameter``): JSON-2 names every argument."""
    unknown = sorted(str(name) for name in given if name not in parameters)
    if unknown:
        raise PayloadError(field_path("", unknown[0]), "unknown argument")
    for name, parameter in parameters.items():
        if parameter.default is parameter.empty and name not in given:
            raise PayloadError(name, "is required")


def check_mapping(value, path):
    if not isinstance(value, dict):
        raise PayloadError(path, "must be a struct (a dictionary)")
    return value


def check_keys(value, path, allowed):
    unknown = sorted(str(key) for key in value if key not in allowed)
    if unknown:
        raise PayloadError(field_path(path, unknown[0]), "unknown field")
    return value


def check_string(value, path, required=True, max_length=MAX_STRING):
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
    try:
        value.encode()
    except UnicodeEncodeError:
        # JSON can carry "\ud800", which is no character: PostgreSQL and the answer's
        # UTF-8 encoding both refuse it.
        raise PayloadError(path, "contains a lone UTF-16 surrogate, not text") from None
    return value


def check_pattern(value, path, pattern, description, required=True):
    value = check_string(value, path, required=required, max_length=MAX_CODE)
    if value is not None and not pattern.match(value):
        raise PayloadError(path, f"must be {description}, not {value!r}")
    return value


def check_number(value, path, minimum=0.0, strictly_positive=False, maximum=MAX_QTY, smallest=None):
    """A float; ``smallest``: the smallest non-zero value the field can store."""
    # bool is an int in Python, but True is not a quantity
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PayloadError(path, "must be a number")
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits, beyond every bound
        if value > 0:
            bound = f"at most {maximum}"
        else:
            bound = "a positive number" if strictly_positive else f"at least {minimum}"
        raise PayloadError(path, f"must be {bound}") from None
    if not math.isfinite(number):
        raise PayloadError(path, "must be a finite number")
    if strictly_positive and number <= 0:
        raise PayloadError(path, f"must be a positive number, not {value}")
    if number < minimum:
        raise PayloadError(path, f"must be at least {minimum}, not {value}")
    if number > maximum:
        raise PayloadError(path, f"must be at most {maximum}, not {value}")
    if smallest and 0 < number < smallest:
        lowest = f"at least {smallest:g}" if strictly_positive else f"0 or at least {smallest:g}"
        raise PayloadError(path, f"must be {lowest}, not {value}")
    return number


def check_boolean(value, path):
    if value is None:
        return None
    if not isinstance(value, bool):
        raise PayloadError(path, "must be a boolean")
    return value


def check_list(value, path, max_items, required=True):
    if value is None and not required:
        return None
    if not isinstance(value, list | tuple):
        raise PayloadError(path, "must be a list")
    if required and not value:
        raise PayloadError(path, "must not be empty")
    if len(value) > max_items:
        raise PayloadError(path, f"has {len(value)} items, at most {max_items} are accepted")
    return list(value)


def check_codes(value, path, max_items, required=True):
    """A list of distinct identifiers (SKUs, site codes), order kept."""
    items = check_list(value, path, max_items, required=required)
    if items is None:
        return None
    codes = [check_string(item, f"{path}[{index}]", max_length=MAX_CODE)
             for index, item in enumerate(items)]  # fmt: skip
    return list(dict.fromkeys(codes))


# Payloads ------------------------------------------------------------------------------


def validate_reference(channel, external_ref):
    """The (channel, external_ref) pair naming an order."""
    check_depth(channel, "channel")
    check_depth(external_ref, "external_ref")
    return (
        check_string(channel, "channel", max_length=MAX_CODE),
        check_string(external_ref, "external_ref", max_length=MAX_CODE),
    )


def validate_reason(reason):
    check_depth(reason, "reason")
    return check_string(reason, "reason", max_length=MAX_TEXT)


def validate_availability_request(skus, sites=None, channel=None):
    for value, path in ((skus, "skus"), (sites, "sites"), (channel, "channel")):
        check_depth(value, path)
    return {
        "skus": check_codes(skus, "skus", MAX_SKUS),
        "sites": check_codes(sites, "sites", MAX_SITES, required=False),
        "channel": check_string(channel, "channel", required=False, max_length=MAX_CODE),
    }


def validate_order(order, qty_digits=QTY_DIGITS):
    """Return the normalised order: trimmed strings, upper-case codes, float numbers,
    lower-case email, every optional field present (None when not given).

    ``qty_digits``: the decimals quantities are stored with; a smaller one is refused."""
    order = check_mapping(order, "order")
    for key, value in order.items():
        # the order is the first level; its fields are named without an "order." prefix
        check_depth(value, field_path("", key), level=1)
    check_keys(
        order,
        "",
        {"channel", "external_ref", "currency", "customer", "lines", "delivery", "payment"},
    )
    channel, external_ref = validate_reference(order.get("channel"), order.get("external_ref"))
    return {
        "channel": channel,
        "external_ref": external_ref,
        "currency": check_pattern(
            order.get("currency"), "currency", ISO_CURRENCY_PATTERN, "an ISO 4217 code"
        ).upper(),
        "customer": _customer(order.get("customer")),
        "lines": _lines(order.get("lines"), smallest_quantity(qty_digits)),
        "delivery": _delivery(order.get("delivery")),
        "payment": _payment(order.get("payment")),
    }


def _customer(customer):
    customer = check_mapping(customer, "customer")
    check_keys(customer, "customer", {"email", "name", "phone", "lang", "country"})
    email = check_string(customer.get("email"), "customer.email", max_length=254)
    if not EMAIL_PATTERN.match(email):
        raise PayloadError("customer.email", f"is not an email address: {email!r}")
    country = check_pattern(
        customer.get("country"),
        "customer.country",
        ISO_COUNTRY_PATTERN,
        "an ISO 3166 two-letter code",
        required=False,
    )
    return {
        "email": email.lower(),
        "name": check_string(customer.get("name"), "customer.name"),
        "phone": check_string(customer.get("phone"), "customer.phone", required=False,
                              max_length=MAX_CODE),
        "lang": check_pattern(customer.get("lang"), "customer.lang", LANG_PATTERN,
                              "a language code such as fr_FR", required=False),
        "country": country.upper() if country else None,
    }  # fmt: skip


def smallest_quantity(qty_digits):
    return 10.0**-qty_digits


def _lines(lines, smallest_qty):
    lines = check_list(lines, "lines", MAX_LINES)
    result = []
    for index, raw_line in enumerate(lines):
        path = f"lines[{index}]"
        line = check_mapping(raw_line, path)
        check_keys(line, path, {"sku", "qty", "price_unit"})
        result.append(
            {
                "sku": check_string(line.get("sku"), f"{path}.sku", max_length=MAX_CODE),
                "qty": check_number(
                    line.get("qty"), f"{path}.qty", strictly_positive=True, smallest=smallest_qty
                ),
                "price_unit": check_number(
                    line.get("price_unit"),
                    f"{path}.price_unit",
                    maximum=MAX_AMOUNT,
                    smallest=MIN_AMOUNT,
                ),
            }
        )
    return result


def _delivery(delivery):
    delivery = check_mapping(delivery, "delivery")
    check_keys(delivery, "delivery", {"mode", "address", "pickup_site", "carrier", "single_parcel"})
    mode = check_string(delivery.get("mode"), "delivery.mode", max_length=MAX_CODE)
    if mode not in DELIVERY_MODES:
        raise PayloadError("delivery.mode", f"must be 'ship' or 'pickup', not {mode!r}")
    result = {
        "mode": mode,
        "address": None,
        "pickup_site": None,
        "carrier": check_string(delivery.get("carrier"), "delivery.carrier", required=False),
        "single_parcel": check_boolean(delivery.get("single_parcel"), "delivery.single_parcel"),
    }
    if mode == "ship":
        result["address"] = _address(delivery.get("address"))
    else:
        result["pickup_site"] = check_string(
            delivery.get("pickup_site"), "delivery.pickup_site", max_length=MAX_CODE
        )
    return result


def _address(address):
    if address is None:
        raise PayloadError("delivery.address", "is required when delivery.mode is 'ship'")
    address = check_mapping(address, "delivery.address")
    check_keys(address, "delivery.address", {"street", "city", "zip", "country"})
    country = check_pattern(
        address.get("country"),
        "delivery.address.country",
        ISO_COUNTRY_PATTERN,
        "an ISO 3166 two-letter code",
    )
    return {
        "street": check_string(address.get("street"), "delivery.address.street"),
        "city": check_string(address.get("city"), "delivery.address.city"),
        # Some countries (e.g. the United Arab Emirates) have no postcodes.
        "zip": check_string(address.get("zip"), "delivery.address.zip", required=False,
                            max_length=MAX_CODE),
        "country": country.upper(),
    }  # fmt: skip


def _payment(payment):
    if payment is None:
        return None
    payment = check_mapping(payment, "payment")
    check_keys(payment, "payment", {"method", "amount", "card_country", "card_fingerprint"})
    amount = payment.get("amount")
    card_country = check_pattern(
        payment.get("card_country"),
        "payment.card_country",
        ISO_COUNTRY_PATTERN,
        "an ISO 3166 two-letter code",
        required=False,
    )
    return {
        "method": check_string(payment.get("method"), "payment.method", required=False,
                               max_length=MAX_CODE),
        "amount": None if amount is None else check_number(amount, "payment.amount",
                                                           maximum=MAX_AMOUNT,
                                                           smallest=MIN_AMOUNT),
        "card_country": card_country.upper() if card_country else None,
        "card_fingerprint": check_string(payment.get("card_fingerprint"),
                                         "payment.card_fingerprint", required=False,
                                         max_length=MAX_CODE),
    }  # fmt: skip


def payload_hash(normalised_order):
    """Fingerprint of an order's content: two retries of one order hash the same even if
    the client reordered keys or sent 1 for 1.0."""
    canonical = json.dumps(
        normalised_order, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
