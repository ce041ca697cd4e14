"""Propose merges of clients that are probably the same person, across scripts.

``client_matching`` flags a new client sharing an email or a phone with an older one.
This engine looks wider, over the whole client book: names written with or without
accents, in another order, in Cyrillic or Greek rather than Latin letters, an email at
another domain, with a score and the reasons, so that a person decides and Odoo's merge
wizard merges. Plain Python over plain data: tested without a database.
"""

import re
import unicodedata
from collections import namedtuple
from difflib import SequenceMatcher
from itertools import combinations

from .client_matching import normalize_email
from .client_matching import phone_key

Client = namedtuple(
    "Client", ["id", "name", "email", "phone", "group", "company"], defaults=[None] * 4
)
Proposal = namedtuple("Proposal", ["original_id", "duplicate_id", "score", "reasons"])

PROPOSAL_THRESHOLD = 0.6
SIMILAR_NAME_RATIO = 0.88
MAX_BLOCK_SIZE = 50
"""A key shared by more clients than this (a shop's switchboard number, a common
surname) tells nothing: such blocks are skipped rather than compared pairwise."""

WEIGHTS = {
    "email": 0.6,
    "phone": 0.5,
    "same_name": 0.45,
    "similar_name": 0.3,
    "email_name": 0.15,
}

# Cheap transliteration: one Latin spelling per letter, enough to meet the usual Latin
# spelling of a name (scripts without an alphabet, such as CJK, are compared as written).
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
        strict=True,
    )
)
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        "a v g d e z i th i k l m n x o p r s s t y f ch ps o".split(),
        strict=True,
    )
)
_TRANSLITERATION = {**_CYRILLIC, **_GREEK, "_": ""}
_SPELLING_VARIANTS = (("kh", "h"), ("ph", "f"), ("ks", "x"), ("y", "i"), ("w", "v"))


def transliterate(text):
    """Latin letters for Cyrillic and Greek, accents removed, lower case."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    letters = letters.replace("\u03bf\u03c5", "ou")  # the one Greek digraph names need most
    return "".join(_TRANSLITERATION.get(ch, ch) for ch in letters).replace("_", "")


def name_key(name):
    """A name's comparable form: transliterated, spelling variants folded, punctuation
    dropped, words sorted ("LAURENT, Camille" and "Camille Laurent" give one key).
    A name without spaces in a script written without them stays one word."""
    text = transliterate(name)
    for variant, plain in _SPELLING_VARIANTS:
        text = text.replace(variant, plain)
    words = re.findall(r"\w+", text)
    return " ".join(sorted(words))


def _email_local(email):
    email = normalize_email(email)
    return email.split("@")[0] if email else None


def score_pair(first, second):
    """``(score, reasons)`` of two clients being the same person; score in [0, 1].

    Reasons are stable codes (``email``, ``phone``, ``same_name``, ``similar_name``,
    ``email_name``) for the caller to word in the user's language.
    """
    reasons = []
    email = normalize_email(first.email)
    if email and email == normalize_email(second.email):
        reasons.append("email")
    elif (local := _email_local(first.email)) and local == _email_local(second.email):
        reasons.append("email_name")
    phone = phone_key(first.phone)
    if phone and phone == phone_key(second.phone):
        reasons.append("phone")
    first_name, second_name = name_key(first.name), name_key(second.name)
    if first_name and first_name == second_name:
        reasons.append("same_name")
    elif first_name and second_name:
        ratio = SequenceMatcher(None, first_name, second_name).ratio()
        if ratio >= SIMILAR_NAME_RATIO:
            reasons.append("similar_name")
    score = min(sum(WEIGHTS[reason] for reason in reasons), 1.0)
    return round(score, 2), reasons


def _block_keys(client):
    keys = set()
    email = normalize_email(client.email)
    if email:
        keys.add(("email", email))
        keys.add(("local", email.split("@")[0]))
    phone = phone_key(client.phone)
    if phone:
        keys.add(("phone", phone))
    words = name_key(client.name).split()
    if words:
        keys.add(("name", " ".join(words)))
        # one word in common with a similar spelling: the longest word's first letters
        keys.add(("word", max(words, key=len)[:4]))
    return keys


def propose_merges(clients, threshold=PROPOSAL_THRESHOLD):
    """Pairs of ``clients`` (``Client`` tuples) likely to be one person, best first.

    Clients are compared within blocks sharing a key (email, email name, phone, name
    key, a name's longest word), never all against all; two clients of the same
    ``group`` (one family of addresses) are never proposed, nor two clients of two
    different companies (a client without company is shared by all). The older (lower
    id) client of a pair is the original.
    """
    blocks = {}
    for client in clients:
        for key in _block_keys(client):
            blocks.setdefault(key, []).append(client)
    seen, proposals = set(), []
    for members in blocks.values():
        if len(members) > MAX_BLOCK_SIZE:
            continue
        for first, second in combinations(members, 2):
            pair = tuple(sorted((first.id, second.id)))
            if pair in seen or first.id == second.id:
                continue
            seen.add(pair)
            if first.group is not None and first.group == second.group:
                continue
            if first.company and second.company and first.company != second.company:
                continue
            score, reasons = score_pair(first, second)
            if score >= threshold:
                proposals.append(Proposal(pair[0], pair[1], score, tuple(reasons)))
    proposals.sort(key=lambda proposal: (-proposal.score, proposal.original_id))
    return proposals
