"""The piece passport: a serial's life as an ordered timeline, plain Python.

Each addon reads its own records of one serial (moves, holds, returns, repairs, loans...)
into rows of one shape, ``PASSPORT_COLUMNS``, in one SQL query; this engine orders them,
names resales and hides what the reader may not see. It also owns the small rules around
the passport: how a private mark is normalised and hinted, who may release a quarantined
piece, and the shape of a certificate's verification reference.
"""

from dataclasses import dataclass
from dataclasses import replace

from .api_payload import MAX_CODE
from .api_payload import check_depth
from .api_payload import check_string

# The columns every passport SQL fragment selects, in this order.
PASSPORT_COLUMNS = (
    "event_date",
    "kind",
    "source_model",
    "source_id",
    "reference",
    "site",
    "counterpart",
    "partner_id",
    "client",
    "amount",
    "currency",
    "detail",
)

# Order of events recorded at the same instant: a piece is received before it moves, sold
# before it is handed to the courier, checked before it is quarantined...
KIND_ORDER = (
    "received",
    "moved",
    "held",
    "loaned",
    "loan_returned",
    "transferred",
    "sold",
    "resold",
    "shipped",
    "delivered",
    "certified",
    "ownership_transferred",
    "return_requested",
    "returned",
    "checked",
    "quarantined",
    "released",
    "repair",
    "revoked",
    "written_off",
)
KIND_RANK = {kind: rank for rank, kind in enumerate(KIND_ORDER)}

# What a reader may see of an event, beyond its date, kind, reference and site.
PRIVATE_FIELDS = {"clients": ("partner_id", "client"), "amounts": ("amount", "currency")}

MASK = "\u2022\u2022\u2022\u2022"
HINT_LENGTH = 2


@dataclass(frozen=True)
class PassportEvent:
    event_date: object
    kind: str
    source_model: str
    source_id: int
    reference: str = ""
    site: str = ""
    counterpart: str = ""
    partner_id: int = 0
    client: str = ""
    amount: float = 0.0
    currency: str = ""
    detail: str = ""

    @classmethod
    def from_row(cls, row):
        values = dict(zip(PASSPORT_COLUMNS, row, strict=True))
        return cls(**{key: value for key, value in values.items() if value is not None})


@dataclass(frozen=True)
class Audience:
    """What a reader may see: client names and amounts are each a right of their own."""

    clients: bool
    amounts: bool


FULL = Audience(clients=True, amounts=True)
NO_AMOUNTS = Audience(clients=True, amounts=False)
ANONYMOUS = Audience(clients=False, amounts=False)


def build_timeline(events, audience):
    """The events in the order they happened, shaped for ``audience``.

    A sale after an earlier sale is a resale. The same record read twice (two fragments
    naming it) appears once. Fields the audience may not see are emptied, never guessed.
    """
    ordered = sorted(set(events), key=_sort_key)
    timeline = []
    sold_before = False
    for event in ordered:
        shaped = event
        if event.kind == "sold":
            if sold_before:
                shaped = replace(event, kind="resold")
            sold_before = True
        timeline.append(_redact(shaped, audience))
    return timeline


def _sort_key(event):
    """Date, then the usual order of kinds at the same instant, then the order records
    were written in; the remaining fields only make the order stable."""
    rank = KIND_RANK.get(event.kind, len(KIND_ORDER))
    return (event.event_date, rank, event.source_model, event.source_id, event.detail)


def _redact(event, audience):
    defaults = PassportEvent.__dataclass_fields__
    hidden = {}
    for right, fields in PRIVATE_FIELDS.items():
        if not getattr(audience, right):
            hidden.update({field: defaults[field].default for field in fields})
    return replace(event, **hidden) if hidden else event


def current_owner(timeline):
    """The partner id of the last client the piece was sold or transferred to, or 0 when it
    came back (returned) after that or was never sold."""
    owner = 0
    for event in timeline:
        if event.kind in ("sold", "resold", "ownership_transferred"):
            owner = event.partner_id
        elif event.kind == "returned":
            owner = 0
    return owner


# Private marks ------------------------------------------------------------------------


def normalize_mark(value):
    """The mark as compared: case, spaces and dashes do not matter when it is read aloud or
    typed from a laser engraving or an RFID reader."""
    if not isinstance(value, str):
        return ""
    return "".join(char for char in value.upper() if char.isalnum())


def mark_hint(value):
    """What staff may see of a mark: its last characters after a mask, e.g. '••••7F'."""
    normalized = normalize_mark(value)
    if len(normalized) <= HINT_LENGTH * 2:
        return MASK
    return MASK + normalized[-HINT_LENGTH:]


# Four eyes ----------------------------------------------------------------------------


def release_refusal(recorded_by, releaser, releaser_may_release):
    """Why ``releaser`` may not release a piece quarantined by ``recorded_by``, or None.

    The person who recorded the mismatch never releases it, whatever their rights.
    """
    if releaser == recorded_by:
        return "same_person"
    if not releaser_may_release:
        return "no_right"
    return None


# Certificate references ---------------------------------------------------------------


def certificate_reference(certificate_id, version, signature):
    return f"{certificate_id}-{version}-{signature}"


def parse_certificate_reference(reference):
    """``(certificate id, version, signature)`` of a reference, or None when malformed."""
    if not isinstance(reference, str) or len(reference) > 200:
        return None
    parts = reference.split("-")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    if not parts[2] or not all(char in "0123456789abcdef" for char in parts[2]):
        return None
    return int(parts[0]), int(parts[1]), parts[2]


def first_name(full_name):
    """The owner's name as the public page shows it: the first word only.

    Names in Chinese or Japanese script are written family name first, with or without a
    space: the page then shows the given name (after the space) or nothing."""
    words = (full_name or "").split()
    if not words:
        return ""
    if any(_is_cjk(char) for char in words[0]):
        return words[-1] if len(words) > 1 else ""
    return words[0]


def _is_cjk(char):
    return "\u3040" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff"


# The channel API ----------------------------------------------------------------------


def validate_passport_request(channel, serial):
    """The (channel, serial) pair of ``get_piece_passport``; PayloadError when malformed."""
    check_depth(channel, "channel")
    check_depth(serial, "serial")
    return (
        check_string(channel, "channel", max_length=MAX_CODE),
        check_string(serial, "serial", max_length=MAX_CODE),
    )
