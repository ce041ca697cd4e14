"""Boutique decisions: why a unit cannot be sold here, and pickup codes.

Plain Python over plain data, so "why does the POS refuse this bag?" is answered here.
"""

import hmac
import secrets

from .availability import QUANTITY_TOLERANCE

# No 0/O, 1/I/L: the code is read aloud or typed from a phone by the client.
PICKUP_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PICKUP_CODE_LENGTH = 6
MAX_PICKUP_CODE_ATTEMPTS = 5

# Reasons, most actionable first: the advisor should learn first that a unit is promised.
REASON_RESERVED = "reserved"
REASON_HELD = "held"
REASON_BUFFER = "buffer"
REASON_NO_STOCK = "no_stock"


def explain_shortage(availability, requested):
    """Return ``[(reason, quantity)]`` explaining why ``requested`` exceeds ATS.

    ``availability`` is a ``SiteAvailability`` seen by the buyer. Quantities are the units
    the reason withholds; a reason is listed only when it withholds something and the
    request is short. An empty list means the request can be served.
    """
    if requested <= availability.available_to_sell + QUANTITY_TOLERANCE:
        return []
    reasons = []
    if availability.reserved > QUANTITY_TOLERANCE:
        reasons.append((REASON_RESERVED, availability.reserved))
    if availability.held > QUANTITY_TOLERANCE:
        reasons.append((REASON_HELD, availability.held))
    if availability.buffer > QUANTITY_TOLERANCE:
        reasons.append((REASON_BUFFER, availability.buffer))
    if availability.on_hand < requested - QUANTITY_TOLERANCE:
        reasons.append((REASON_NO_STOCK, max(availability.on_hand, 0.0)))
    return reasons


def generate_pickup_code(is_taken, attempts=20):
    """A random code from a cryptographic source that ``is_taken(code)`` says is free."""
    for _attempt in range(attempts):
        code = "".join(secrets.choice(PICKUP_CODE_ALPHABET) for _index in range(PICKUP_CODE_LENGTH))
        if not is_taken(code):
            return code
    raise RuntimeError("no free pickup code found")


def normalize_pickup_code(code):
    """What the client typed, as stored: case and spaces do not matter."""
    if not isinstance(code, str):
        return ""
    return "".join(code.split()).upper()


def pickup_code_matches(expected, given):
    """Constant-time comparison, so timing does not leak how much of a guess was right."""
    if not expected:
        return False
    return hmac.compare_digest(expected.encode(), normalize_pickup_code(given).encode())


def attempts_left(failed_attempts):
    return max(MAX_PICKUP_CODE_ATTEMPTS - failed_attempts, 0)
