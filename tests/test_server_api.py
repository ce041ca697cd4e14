"""The channel API through real XML-RPC (and JSON-2) clients against a real server.

The channel's integration user and its API key come from the conftest ``shop``; every call
uses that key only.
"""

import xmlrpc.client

import pytest
import requests
from harness import RpcClient
from harness import assert_promised_then_taken_once
from harness import channel_order
from harness import race
from harness import run_after_intake_work

UNITS = 3
TAKERS = 8
RETRIES = 6


def _client(odoo_server, shop, code=None):
    channel = shop["channels"][code or shop["code"]]
    return RpcClient(odoo_server.url, odoo_server.database, channel["login"], channel["key"])


def _api(client, method, *args):
    return client.call("luxury.oms.api", method, *args)


def _counts(admin, shop):
    tag = shop["tag"].lower()
    channels = list(shop["channels"])
    return (
        admin.call("sale.order", "search_count", [["oms_channel_id.code", "in", channels]]),
        admin.call("res.partner", "search_count", [["email", "ilike", tag]]),
        admin.call("luxury.oms.api.request", "search_count", [["external_ref", "ilike", tag]]),
    )  # fmt: skip


def test_clients_of_every_script_round_trip(odoo_server, admin, shop):
    client = _client(odoo_server, shop)
    tag = shop["tag"].lower()
    clients = {
        "JP": ("山田 花子", "東京都中央区銀座 4-5-6", "東京"),
        "AE": ("محمد الفارسي", "شارع الشيخ زايد ١٢", "دبي"),
        "CN": ("王伟", "南京东路 100 号", "上海"),
        "FR": ("Hélène Ferré-Çelik", "12 rue de l'Élysée", "Paris Cédex"),
    }
    for country, (name, street, city) in clients.items():
        ref = f"SCRIPT-{tag}-{country}"
        answer = _api(client, "place_order", channel_order(
            shop, ref, f"{country.lower()}-{tag}@example.com", name=name,
            delivery={"mode": "ship", "address": {"street": street, "city": city,
                                                  "country": country}},
        ))  # fmt: skip
        assert answer["state"] == "confirmed" and answer["replayed"] is False, answer
        assert answer["lines"] == [{"sku": shop["sku"], "qty": 1.0, "site": shop["site"]["code"]}]
        [order] = admin.call(
            "sale.order", "search_read", [["name", "=", answer["order_ref"]]],
            fields=["partner_id", "partner_shipping_id", "state"],
        )  # fmt: skip
        [partner] = admin.call("res.partner", "read", [order["partner_id"][0]], ["name"])
        [shipping] = admin.call(
            "res.partner", "read", [order["partner_shipping_id"][0]], ["street", "city"]
        )
        assert (partner["name"], shipping["street"], shipping["city"]) == (name, street, city)
        status = _api(client, "get_order_status", shop["code"], ref)
        assert status["order_ref"] == answer["order_ref"] and status["state"] == "confirmed"
        assert status["shipments"] == [], "the deliveries follow the answer"
        run_after_intake_work(admin)
        status = _api(client, "get_order_status", shop["code"], ref)
        assert status["shipments"][0]["site"] == shop["site"]["code"]


def test_availability_over_xmlrpc_and_json2(odoo_server, shop):
    client = _client(odoo_server, shop)
    result = _api(client, "get_availability", [shop["sku"]], None, shop["code"])
    figures = result[shop["sku"]]["sites"][shop["site"]["code"]]
    assert set(figures) == {"on_hand", "reserved", "buffer", "held", "available_to_sell",
                            "incoming"}  # fmt: skip
    assert result[shop["sku"]]["available_to_sell"] == figures["available_to_sell"] > 0

    key = shop["channels"][shop["code"]]["key"]
    answer = requests.post(
        f"{odoo_server.url}/json/2/luxury.oms.api/get_availability",
        headers={"Authorization": f"bearer {key}", "X-Odoo-Database": odoo_server.database},
        json={"skus": [shop["sku"]], "channel": shop["code"]},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == result
    refused = requests.post(
        f"{odoo_server.url}/json/2/luxury.oms.api/get_availability",
        headers={"Authorization": f"bearer {key}", "X-Odoo-Database": odoo_server.database},
        json={"skus": ["NO-SUCH-SKU"], "channel": shop["code"]},
        timeout=60,
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["message"] == "skus[0]: unknown SKU 'NO-SUCH-SKU'."
    # what is wrong, not the server's traceback (Odoo sends it in JSON-2 error bodies)
    assert "debug" not in refused.json() and "Traceback" not in refused.text


def test_concurrent_orders_for_the_last_units(odoo_server, admin, shop):
    """K units left, N orders with different refs at once: exactly K confirmed, the others
    refused naming the SKU, and nothing left behind for them."""
    tag = shop["tag"].lower()
    sku = f"LAST-{shop['tag']}"
    product_id = admin.call(
        "product.product", "create", {"name": f"Last {sku}", "default_code": sku,
                                      "is_storable": True}
    )  # fmt: skip
    odoo_server.set_stock(product_id, shop["site"]["lot_stock_id"][0], UNITS)
    before = _counts(admin, shop)
    clients = [_client(odoo_server, shop) for _ in range(TAKERS)]
    orders = [channel_order(shop, f"LAST-{tag}-{n}", f"last{n}-{tag}@example.com", sku=sku)
              for n in range(TAKERS)]  # fmt: skip
    results = race(
        [lambda client=client, order=order: _api(client, "place_order", order)
         for client, order in zip(clients, orders, strict=True)]
    )  # fmt: skip
    confirmed = [result for result in results if isinstance(result, dict)]
    refusals = [result for result in results if not isinstance(result, dict)]
    assert len(confirmed) == UNITS, results
    for refusal in refusals:
        assert isinstance(refusal, xmlrpc.client.Fault), refusal
        assert "Not enough stock" in refusal.faultString and sku in refusal.faultString
        assert "Traceback" not in refusal.faultString
    after = _counts(admin, shop)
    assert tuple(b - a for a, b in zip(before, after, strict=True)) == (UNITS, UNITS, UNITS)
    refs = [order["external_ref"] for order in orders]
    assert_promised_then_taken_once(admin, product_id, shop["site"]["id"], UNITS)
    moves = admin.call(
        "stock.move", "search_read",
        [["product_id", "=", product_id], ["state", "not in", ["cancel", "draft"]],
         ["location_dest_id.usage", "=", "customer"]],
        fields=["product_uom_qty"],
    )  # fmt: skip
    assert sum(move["product_uom_qty"] for move in moves) == UNITS
    assert admin.call("sale.order", "search_count", [["oms_external_ref", "in", refs]]) == UNITS


def test_concurrent_retries_of_one_ref_create_one_order(odoo_server, admin, shop):
    tag = shop["tag"].lower()
    order = channel_order(shop, f"RETRY-{tag}", f"retry-{tag}@example.com", name="Zoë Ågren")
    clients = [_client(odoo_server, shop) for _ in range(RETRIES)]
    before = _counts(admin, shop)
    results = race([lambda client=client: _api(client, "place_order", order)
                    for client in clients])  # fmt: skip
    assert all(isinstance(result, dict) for result in results), results
    assert len({result["order_ref"] for result in results}) == 1
    assert sorted(result["replayed"] for result in results) == [False] + [True] * (RETRIES - 1)
    after = _counts(admin, shop)
    assert tuple(b - a for a, b in zip(before, after, strict=True)) == (1, 1, 1)
    # A later retry too; the same ref with other content is refused.
    assert _api(clients[0], "place_order", order)["replayed"] is True
    with pytest.raises(xmlrpc.client.Fault) as caught:
        _api(clients[0], "place_order", {**order, "currency": "EUR", "lines": [
            {"sku": shop["sku"], "qty": 2, "price_unit": 2500.0}]})  # fmt: skip
    assert caught.value.faultString == (
        f"external_ref: 'RETRY-{tag}' was already used with different content."
    )


def test_first_orders_of_one_new_client_racing_create_one_client(odoo_server, admin, shop):
    """Different orders, one brand-new email, at once: every order is taken, for one client.
    Each order wants another product, so that no stock row serialises them."""
    tag = shop["tag"].lower()
    email = f"first-{tag}@example.com"
    orders = []
    for n in range(4):
        sku = f"FIRST-{shop['tag']}-{n}"
        product_id = admin.call(
            "product.product", "create", {"name": sku, "default_code": sku, "is_storable": True}
        )
        odoo_server.set_stock(product_id, shop["site"]["lot_stock_id"][0], 1)
        orders.append(channel_order(shop, f"FIRST-{tag}-{n}", email, name="Inès Dupont", sku=sku))
    clients = [_client(odoo_server, shop) for _ in orders]
    results = race([lambda client=client, order=order: _api(client, "place_order", order)
                    for client, order in zip(clients, orders, strict=True)])  # fmt: skip
    assert all(isinstance(result, dict) for result in results), results
    partners = admin.call("res.partner", "search_read", [["email", "=", email]], ["id"])
    assert len(partners) == 1, partners
    ordered_for = admin.call(
        "sale.order", "search_read",
        [["oms_external_ref", "in", [order["external_ref"] for order in orders]]], ["partner_id"],
    )  # fmt: skip
    assert {order["partner_id"][0] for order in ordered_for} == {partners[0]["id"]}


def test_integration_user_sees_nothing_else(odoo_server, admin, shop):
    tag = shop["tag"].lower()
    mine = _client(odoo_server, shop)
    _api(mine, "place_order", channel_order(shop, f"MINE-{tag}", f"mine-{tag}@example.com"))
    other = _client(odoo_server, shop, shop["other"])
    for model in ("sale.order", "res.partner", "product.product", "stock.quant",
                  "luxury.oms.api.request"):  # fmt: skip
        with pytest.raises(xmlrpc.client.Fault) as caught:
            other.call(model, "search_read", [], fields=["id"], limit=1)
        assert caught.value.faultCode == 4, (model, caught.value.faultString)  # AccessError
    with pytest.raises(xmlrpc.client.Fault) as caught:
        _api(other, "get_order_status", shop["other"], f"MINE-{tag}")
    assert caught.value.faultString == f"external_ref: unknown order 'MINE-{tag}'."
    with pytest.raises(xmlrpc.client.Fault) as caught:
        _api(other, "cancel_order", shop["code"], f"MINE-{tag}", "not mine")
    assert caught.value.faultString.startswith("channel: not allowed")
    with pytest.raises(xmlrpc.client.Fault) as caught:
        other.call("luxury.oms.api", "_api_order", shop["code"], f"MINE-{tag}")
    assert "Private methods" in caught.value.faultString
    status = _api(mine, "get_order_status", shop["code"], f"MINE-{tag}")
    assert status["state"] == "confirmed"


def test_cancel_over_xmlrpc(odoo_server, shop):
    tag = shop["tag"].lower()
    client = _client(odoo_server, shop)
    _api(client, "place_order", channel_order(shop, f"CANCEL-{tag}", f"cancel-{tag}@example.com"))
    answer = _api(client, "cancel_order", shop["code"], f"CANCEL-{tag}", "Client's request")
    assert answer["state"] == "cancelled"
    assert _api(client, "get_order_status", shop["code"], f"CANCEL-{tag}")["state"] == "cancelled"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lines": [{"sku": "NO-SUCH-SKU", "qty": 1, "price_unit": 1.0}]},
         "lines[0].sku: unknown SKU 'NO-SUCH-SKU'."),
        ({"lines": [{"sku": "SKU", "qty": -2, "price_unit": 1.0}]},
         "lines[0].qty: must be a positive number, not -2"),
        ({"lines": [{"sku": "SKU", "qty": "one", "price_unit": 1.0}]},
         "lines[0].qty: must be a number"),
        ({"currency": "USD"}, "currency: channel "),
        ({"delivery": {"mode": "ship"}},
         "delivery.address: is required when delivery.mode is 'ship'"),
        ({"customer": "nobody"}, "customer: must be a struct"),
        ({"lines": [{"sku": "SKU", "qty": 1, "price_unit": 1.0}] * 101},
         "lines: has 101 items, at most 100 are accepted"),
        ({"customer": {"email": "big@example.com", "name": "N" * 5000}},
         "customer.name: is longer than 256 characters"),
        ({"channel": "no-such-channel"}, "channel: unknown channel 'no-such-channel'."),
    ],
)  # fmt: skip
def test_bad_input_is_a_clear_fault_and_creates_nothing(odoo_server, admin, shop, change,
                                                        message):  # fmt: skip
    tag = shop["tag"].lower()
    order = channel_order(shop, f"BAD-{tag}", f"bad-{tag}@example.com")
    if "lines" in change:
        change = {"lines": [{**line, "sku": shop["sku"] if line["sku"] == "SKU" else line["sku"]}
                            for line in change["lines"]]}  # fmt: skip
    order.update(change)
    before = _counts(admin, shop)
    with pytest.raises(xmlrpc.client.Fault) as caught:
        _api(_client(odoo_server, shop), "place_order", order)
    assert caught.value.faultCode == 2, caught.value.faultString  # a UserError, not a crash
    assert caught.value.faultString.startswith(message), caught.value.faultString
    assert "Traceback" not in caught.value.faultString
    assert _counts(admin, shop) == before
