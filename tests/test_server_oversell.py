"""The oversell invariant against a real server: K units, N > K concurrent takers.

Plain Odoo 19 confirms all of them (ANCHORS.md). Here exactly K orders are confirmed, the
others are refused with a clear message, and nothing is left half-done.
"""

import uuid
import xmlrpc.client

import pytest
from harness import race

UNITS = 3
TAKERS = 8


@pytest.fixture
def scarce_product(odoo_server, admin):
    """A storable product with UNITS units at a fresh site, committed by the server."""
    tag = uuid.uuid4().hex[:6].upper()
    product_id = admin.call(
        "product.product",
        "create",
        {"name": f"Race bag {tag}", "default_code": f"RACE-{tag}", "is_storable": True,
         "list_price": 5000},
    )  # fmt: skip
    site_id = admin.call("stock.warehouse", "create", {"name": f"Race {tag}", "code": tag[:5]})
    [site] = admin.call("stock.warehouse", "read", [site_id], ["lot_stock_id"])
    odoo_server.set_stock(product_id, site["lot_stock_id"][0], UNITS)
    return {"product_id": product_id, "site_id": site_id, "tag": tag}


def _quotations(admin, scarce_product, count):
    order_ids = []
    for number in range(count):
        partner_id = admin.call(
            "res.partner", "create", {"name": f"Racer {scarce_product['tag']} {number}"}
        )
        order_ids.append(
            admin.call(
                "sale.order",
                "create",
                {
                    "partner_id": partner_id,
                    "warehouse_id": scarce_product["site_id"],
                    "order_line": [
                        (0, 0, {"product_id": scarce_product["product_id"], "product_uom_qty": 1})
                    ],
                },
            )  # fmt: skip
        )
    return order_ids


def test_concurrent_confirmations_never_oversell(odoo_server, admin, scarce_product):
    order_ids = _quotations(admin, scarce_product, TAKERS)
    clients = [odoo_server.client() for _ in order_ids]
    results = race(
        [
            lambda client=client, order_id=order_id: client.call(
                "sale.order", "action_confirm", [order_id]
            )
            for client, order_id in zip(clients, order_ids, strict=True)
        ]
    )
    refusals = [result for result in results if isinstance(result, Exception)]
    assert len(results) - len(refusals) == UNITS, results
    for refusal in refusals:
        assert isinstance(refusal, xmlrpc.client.Fault), refusal
        assert "Not enough stock" in refusal.faultString, refusal.faultString

    orders = admin.call("sale.order", "read", order_ids, ["state", "picking_ids"])
    confirmed = [order for order in orders if order["state"] == "sale"]
    assert len(confirmed) == UNITS
    # refused orders are untouched quotations: no picking, nothing reserved for them
    assert all(not order["picking_ids"] for order in orders if order["state"] != "sale")

    moves = admin.call(
        "stock.move",
        "search_read",
        [
            ["product_id", "=", scarce_product["product_id"]],
            ["location_dest_id.usage", "=", "customer"],
            ["state", "!=", "cancel"],
        ],
        fields=["product_uom_qty", "state"],
    )
    assert sum(move["product_uom_qty"] for move in moves) == UNITS
    assert all(move["state"] == "assigned" for move in moves)

    quants = admin.call(
        "stock.quant",
        "search_read",
        [["product_id", "=", scarce_product["product_id"]], ["location_id.usage", "=", "internal"]],
        fields=["quantity", "reserved_quantity"],
    )
    assert sum(quant["quantity"] for quant in quants) == UNITS
    assert sum(quant["reserved_quantity"] for quant in quants) == UNITS
    assert all(quant["quantity"] >= 0 for quant in quants)

    admin.call("product.product", "action_oms_availability", [scarce_product["product_id"]])
    [slot] = admin.call(
        "luxury.oms.stock.slot",
        "search_read",
        [["product_id", "=", scarce_product["product_id"]],
         ["warehouse_id", "=", scarce_product["site_id"]]],
        fields=["on_hand", "reserved", "available_to_sell", "take_count"],
    )  # fmt: skip
    assert (slot["on_hand"], slot["reserved"], slot["available_to_sell"]) == (UNITS, UNITS, 0)


def test_holds_and_orders_racing_share_the_same_truth(odoo_server, admin, scarce_product):
    """VIP holds are takers too: holds plus orders never exceed the units on hand."""
    order_ids = _quotations(admin, scarce_product, 4)
    client_partner = admin.call("res.partner", "create", {"name": "VIP racer"})
    clients = [odoo_server.client() for _ in range(8)]
    hold_values = {
        "product_id": scarce_product["product_id"],
        "warehouse_id": scarce_product["site_id"],
        "quantity": 1,
        "beneficiary_type": "client",
        "partner_id": client_partner,
        "date_expiry": "2099-01-01 00:00:00",
    }
    calls = [
        lambda client=clients[index], order_id=order_id: client.call(
            "sale.order", "action_confirm", [order_id]
        )
        for index, order_id in enumerate(order_ids)
    ] + [
        lambda client=clients[4 + index]: client.call("luxury.oms.hold", "create", hold_values)
        for index in range(4)
    ]
    results = race(calls)
    successes = [result for result in results if not isinstance(result, Exception)]
    assert len(successes) == UNITS, results
    confirmed = admin.call(
        "sale.order", "search_count", [["id", "in", order_ids], ["state", "=", "sale"]]
    )
    holds = admin.call(
        "luxury.oms.hold",
        "search_count",
        [["product_id", "=", scarce_product["product_id"]], ["state", "=", "active"]],
    )
    assert confirmed + holds == UNITS
