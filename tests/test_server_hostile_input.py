"""Hostile input to every channel API method, over XML-RPC and JSON-2, against a real server.

Each payload must be refused with a user error whose message starts with the path of the
field at fault (``lines[0].qty: ...``): an XML-RPC fault of code 2, a JSON-2 answer of
status 422; never a server error, never a traceback, and no order, client or return
written.
"""

import json
import math
import re
import uuid
import xmlrpc.client

import pytest
import requests
from harness import Json2Client
from harness import channel_order

NUL = "\x00"
SURROGATE = "\ud800"  # JSON can carry "\ud800"; it is no character
DEEP = 5000  # far beyond what Python can parse or walk recursively
# Python's XML-RPC client marshals recursively; a value nested DEEP levels is written by
# hand where the marshalled payload has this placeholder.
DEEP_PLACEHOLDER = "__deep_nesting__"

API = "luxury.oms.api"
SIGNATURES = {
    "get_availability": ("skus", "sites", "channel"),
    "place_order": ("order",),
    "get_order_status": ("channel", "external_ref"),
    "cancel_order": ("channel", "external_ref", "reason"),
    "request_return": ("channel", "external_ref", "lines", "reason"),
    "get_piece_passport": ("channel", "serial"),
}


class Deep:
    """A value nested DEEP lists (or structs keyed "k") deep, written by hand in the
    request body: Python's XML-RPC client and json module would recurse."""

    def __init__(self, container=list):
        self.container = container

    def xml(self):
        leaf = "<value><string>x</string></value>"
        if self.container is list:
            return "<value><array><data>" * DEEP + leaf + "</data></array></value>" * DEEP
        opening = "<value><struct><member><name>k</name>"
        return opening * DEEP + leaf + "</member></struct></value>" * DEEP

    def json(self):
        opening, closing = ("[", "]") if self.container is list else ('{"k": ', "}")
        return opening * DEEP + '"x"' + closing * DEEP


def _with_placeholders(value, found):
    """``value`` with each Deep replaced by the placeholder, collected in ``found``."""
    if isinstance(value, Deep):
        found.append(value)
        return DEEP_PLACEHOLDER
    if isinstance(value, dict):
        return {key: _with_placeholders(item, found) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_placeholders(item, found) for item in value]
    return value


# The channel's payloads, with "SKU", "CHANNEL" and "REF" standing for the fixture's ones.
def _order(**changes):
    order = channel_order({"code": "CHANNEL", "sku": "SKU"}, "REF-NEW", "hostile@example.com")
    for path, value in changes.items():
        target = order
        keys = [int(key) if key.isdigit() else key for key in path.split("__")]
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return {"order": order}


def _availability(**changes):
    return {"skus": ["SKU"], "sites": None, "channel": "CHANNEL", **changes}


def _status(**changes):
    return {"channel": "CHANNEL", "external_ref": "REF", **changes}


def _cancel(**changes):
    return {"channel": "CHANNEL", "external_ref": "REF", "reason": "fraud", **changes}


def _passport(**changes):
    return {"channel": "CHANNEL", "serial": "SERIAL", **changes}


def _return(**changes):
    return {"channel": "CHANNEL", "external_ref": "REF", "lines": [{"sku": "SKU", "qty": 1}],
            "reason": "RETURN_REASON", **changes}  # fmt: skip


def _return_line(**changes):
    return _return(lines=[{"sku": "SKU", "qty": 1, **changes}])


# Numbers no quantity may be: not finite, negative, below the stored precision (a return of
# 0), a boolean, out of range, text.
NUMBERS = [math.nan, math.inf, -math.inf, -1, 1e-300, 5e-324, True, 1e308, "1"]
# Values no text field may be: NUL, a lone surrogate, a megabyte, nested thousands deep,
# a number.
TEXTS = [NUL, SURROGATE, "x" * 1_000_000, Deep(), Deep(dict), 7.5]


CASES = [
    *[("get_availability", _availability(skus=[value]), "skus[0]") for value in TEXTS],
    ("get_availability", _availability(skus=Deep()), "skus[0]"),
    ("get_availability", _availability(skus=["SKU"] * 1000), "skus: has 1000 items"),
    ("get_availability", _availability(sites={"PAR": 1}), "sites: must be a list"),
    ("get_availability", _availability(channel=NUL), "channel: contains a NUL"),
    ("get_availability", _availability(channel=SURROGATE), "channel: contains a lone"),
    *[("place_order", _order(lines__0__qty=value), "lines[0].qty: ")
      for value in NUMBERS],
    *[("place_order", _order(lines__0__price_unit=value), "lines[0].price_unit: ")
      for value in (math.nan, -math.inf, 5e-324, 1e308, False)],
    *[("place_order", _order(customer__name=value), "customer.name") for value in TEXTS],
    *[("place_order", _order(**{field: value}), path)
      for field, path in [("external_ref", "external_ref: "), ("currency", "currency: "),
                          ("customer__email", "customer.email: "),
                          ("delivery__address__street", "delivery.address.street: "),
                          ("delivery__address__zip", "delivery.address.zip: "),
                          ("lines__0__sku", "lines[0].sku: ")]
      for value in (NUL, SURROGATE)],
    ("place_order", _order(lines=[{"sku": "SKU", "qty": 1, "price_unit": 1}] * 1000),
     "lines: has 1000 items"),
    ("place_order", _order(customer__vip=True), "customer.vip: unknown field"),
    ("place_order", _order(lines__0__colour="red"), "lines[0].colour: unknown field"),
    ("place_order", _order(delivery__address__floor=Deep()), "delivery.address.floor[0]"),
    ("place_order", _order(customer=[]), "customer: must be a struct"),
    ("place_order", _order(delivery__single_parcel=1), "delivery.single_parcel: must be a"),
    ("place_order", {"order": Deep()}, "order"),
    *[("get_order_status", _status(external_ref=value), "external_ref")
      for value in TEXTS],
    ("get_order_status", _status(channel=NUL), "channel: contains a NUL"),
    *[("get_piece_passport", _passport(serial=value), "serial") for value in TEXTS],
    ("get_piece_passport", _passport(channel=SURROGATE), "channel: contains a lone"),
    *[("cancel_order", _cancel(reason=value), "reason") for value in TEXTS],
    ("cancel_order", _cancel(external_ref=SURROGATE), "external_ref: contains a lone"),
    *[("request_return", _return_line(qty=value), "lines[0].qty: ") for value in NUMBERS],
    *[("request_return", _return_line(**{field: value}), f"lines[0].{field}")
      for field in ("sku", "serial") for value in TEXTS],
    *[("request_return", _return(reason=value), "reason") for value in TEXTS],
    ("request_return", _return_line(colour="red"), "lines[0].colour: unknown field"),
    ("request_return", _return(lines=[{"sku": "SKU", "qty": 1}] * 1000), "lines: has 1000"),
    ("request_return", _return(lines=Deep()), "lines[0]"),
    ("request_return", _return(lines="SKU"), "lines: must be a list"),
    ("request_return", _return(lines=[["SKU", 1]]), "lines[0]: must be a struct"),
    ("request_return", _return(external_ref=NUL), "external_ref: contains a NUL"),
]  # fmt: skip


def _ids(cases):
    """Test ids: the method, the refused field and the case's number."""
    return [f"{method}-{re.sub(r'[^A-Za-z0-9.]+', '_', path).strip('_')}-{number}"
            for number, (method, _payload, path) in enumerate(cases)]  # fmt: skip


@pytest.fixture(scope="module")
def hostile(odoo_server, admin, shop):
    """The ``shop`` with a confirmed order of the channel (REF) and a return reason: the
    hostile payloads name them, so that only the hostile field can be at fault."""
    tag = shop["tag"].lower()
    key = shop["channels"][shop["code"]]["key"]
    ref = f"HOSTILE-{tag}"
    json2 = Json2Client(odoo_server.url, odoo_server.database, key)
    answer = json2.call(API, "place_order", order=channel_order(shop, ref, f"h-{tag}@example.com"))
    assert answer.status_code == 200, answer.text
    reason_code = f"hostile-{uuid.uuid4().hex[:6]}"
    admin.call("luxury.return.reason", "create", {"name": reason_code, "code": reason_code})
    common = xmlrpc.client.ServerProxy(f"{odoo_server.url}/xmlrpc/2/common")
    uid = common.authenticate(
        odoo_server.database, shop["channels"][shop["code"]]["login"], key, {}
    )
    return {**shop, "ref": ref, "key": key, "json2": json2, "reason": reason_code, "uid": uid}


def _resolve(value, hostile):
    """The payload with the fixture's channel, SKU, order and reason in place."""
    names = {"CHANNEL": hostile["code"], "SKU": hostile["sku"], "REF": hostile["ref"],
             "RETURN_REASON": hostile["reason"]}  # fmt: skip
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, dict):
        return {key: _resolve(item, hostile) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, hostile) for item in value]
    return value


def _counts(admin):
    everything = {"active_test": False}
    return {
        model: admin.call(model, "search_count", [], context=everything)
        for model in ("sale.order", "res.partner", "luxury.return")
    }


def _xmlrpc_call(odoo_server, hostile, method, payload):
    """``execute_kw`` posted as raw XML: Python's client cannot marshal the deep values nor
    a lone surrogate. Answers the decoded result or raises the xmlrpc Fault."""
    args = [payload.get(name) for name in SIGNATURES[method]]
    deep = []
    body = xmlrpc.client.dumps(
        (odoo_server.database, hostile["uid"], hostile["key"], API, method,
         _with_placeholders(args, deep)),
        "execute_kw", allow_none=True,
    )  # fmt: skip
    placeholder = f"<value><string>{DEEP_PLACEHOLDER}</string></value>"
    for marker in deep:
        body = body.replace(placeholder, marker.xml(), 1)
    # what the client's encoder does with text it cannot encode: a character reference
    data = body.encode("utf-8", "xmlcharrefreplace")
    answer = requests.post(
        f"{odoo_server.url}/xmlrpc/2/object", data=data,
        headers={"Content-Type": "text/xml"}, timeout=120,
    )  # fmt: skip
    assert answer.status_code == 200, answer.text[:2000]
    return xmlrpc.client.loads(answer.content)[0][0]


def _json2_call(hostile, method, payload):
    """The JSON-2 call, its body written by hand: a value nested DEEP levels is more than
    Python's json module can write (or the server's parse)."""
    deep = []
    body = json.dumps(_with_placeholders(payload, deep))
    for marker in deep:
        body = body.replace(f'"{DEEP_PLACEHOLDER}"', marker.json(), 1)
    return hostile["json2"].session.post(
        f"{hostile['json2'].url}/json/2/{API}/{method}", data=body.encode(),
        headers={"Content-Type": "application/json"}, timeout=120,
    )  # fmt: skip


def _assert_refused_json2(answer, path):
    assert answer.status_code == 422, (answer.status_code, answer.text[:2000])
    body = answer.json()
    assert body["name"] == "odoo.exceptions.ValidationError", body
    assert body["message"].startswith(path), body["message"]
    assert "debug" not in body and "Traceback" not in answer.text


@pytest.mark.parametrize(("method", "payload", "path"), CASES, ids=_ids(CASES))
def test_hostile_payload_over_xmlrpc(odoo_server, admin, hostile, method, payload, path):
    before = _counts(admin)
    with pytest.raises(xmlrpc.client.Fault) as caught:
        _xmlrpc_call(odoo_server, hostile, method, _resolve(payload, hostile))
    fault = caught.value
    assert "Traceback" not in fault.faultString, fault.faultString[-3000:]
    assert fault.faultCode == 2, fault.faultString  # a user error
    assert fault.faultString.startswith(path), fault.faultString
    assert _counts(admin) == before


@pytest.mark.parametrize(("method", "payload", "path"), CASES, ids=_ids(CASES))
def test_hostile_payload_over_json2(admin, hostile, method, payload, path):
    before = _counts(admin)
    _assert_refused_json2(_json2_call(hostile, method, _resolve(payload, hostile)), path)
    assert _counts(admin) == before


JSON2_CASES = [
    # JSON-2 arguments are named: an unknown or missing one is named too
    ("get_order_status", _status(colour="red"), "colour: unknown argument"),
    ("place_order", {"order": _order()["order"], SURROGATE: 1}, "'\\ud800': unknown argument"),
    ("request_return", {"channel": "CHANNEL", "external_ref": "REF", "reason": "r"},
     "lines: is required"),
    # numbers JSON can carry and XML-RPC cannot
    ("place_order", _order(lines__0__qty=10**400), "lines[0].qty: must be at most"),
    ("request_return", _return_line(qty=-(10**400)), "lines[0].qty: must be a positive number"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "payload", "path"), JSON2_CASES, ids=_ids(JSON2_CASES))
def test_hostile_arguments_over_json2(admin, hostile, method, payload, path):
    before = _counts(admin)
    _assert_refused_json2(_json2_call(hostile, method, _resolve(payload, hostile)), path)
    assert _counts(admin) == before


def test_hostile_payloads_leave_the_channel_working(hostile):
    """After all of the above, the same client's sound calls are served."""
    answer = hostile["json2"].call(
        API, "get_order_status", channel=hostile["code"], external_ref=hostile["ref"]
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "confirmed"


@pytest.mark.parametrize("method", ["no_such_method", "_api_order", "get_availability/extra"])
def test_what_is_no_api_method_is_not_a_server_error(hostile, method):
    answer = hostile["json2"].session.post(
        f"{hostile['json2'].url}/json/2/{API}/{method}", json={"skus": ["A"]}, timeout=60
    )
    assert answer.status_code in (403, 404), (answer.status_code, answer.text[:2000])
    assert "Traceback" not in answer.text
