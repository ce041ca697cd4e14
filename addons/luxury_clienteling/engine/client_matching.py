"""Find clients that are probably the same person.

A luxury client must be recognised everywhere, so a second record for the same
person is a bug to fix (merge), never a silent fact. Two clients match when they
share a normalised email or a phone key.
"""

import re

PHONE_KEY_DIGITS = 9
"""Trailing digits compared: drops country prefixes and trunk zeros
("+33 6 12 34 56 78" and "06.12.34.56.78" give the same key)."""


def normalize_email(email):
    """Lower-case, stripped email, or None when it does not look like one."""
    email = (email or "").strip().lower()
    return email if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email) else None


def phone_key(phone):
    """The last ``PHONE_KEY_DIGITS`` digits of a phone number, or None if it is too short."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-PHONE_KEY_DIGITS:] if len(digits) >= PHONE_KEY_DIGITS else None


def find_duplicates(new_clients, existing_clients):
    """Map each new client id to the id of the existing client it duplicates.

    ``new_clients`` and ``existing_clients`` are iterables of
    ``(client_id, email, phone, group_key)``; ``group_key`` identifies a client's
    own family of addresses (its commercial entity), which never duplicates
    itself. The oldest (lowest id) matching client wins, so a chain of
    duplicates always points to one original. New clients are compared with
    existing ones and with each other.
    """
    new_clients = list(new_clients)
    new_ids = {client[0] for client in new_clients}
    index = {}
    for client_id, email, phone, group_key in [*existing_clients, *new_clients]:
        for key in _match_keys(email, phone):
            index.setdefault(key, {})[client_id] = group_key
    result = {}
    for client_id, email, phone, group_key in new_clients:
        candidates = [
            other_id
            for key in _match_keys(email, phone)
            for other_id, other_group in index[key].items()
            if other_id != client_id
            and other_group != group_key
            # within one batch only the older record is the original
            and (other_id not in new_ids or other_id < client_id)
        ]
        if candidates:
            result[client_id] = min(candidates)
    return result


def _match_keys(email, phone):
    keys = []
    email = normalize_email(email)
    if email:
        keys.append(("email", email))
    key = phone_key(phone)
    if key:
        keys.append(("phone", key))
    return keys
