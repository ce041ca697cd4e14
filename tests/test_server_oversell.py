"""The oversell invariant against a real server: K units, N > K concurrent takers.

Plain Odoo 19 confirms all of them (ANCHORS.md). Here exactly K orders are confirmed, the
others are refused with a clear message, and nothing is left half-done.
"""

from harness import SCARCE_UNITS
from harness import check_racing_confirmations
from harness import quotations
from harness import race

TAKERS = 8


def test_concurrent_confirmations_never_oversell(odoo_server, admin, scarce_product):
    check_racing_confirmations(admin, scarce_product, [odoo_server.client() for _ in range(TAKERS)])


def test_holds_and_orders_racing_share_the_same_truth(odoo_server, admin, scarce_product):
    """VIP holds are takers too: holds plus orders never exceed the units on hand."""
    order_ids = quotations(admin, scarce_product, 4)
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
    assert len(successes) == SCARCE_UNITS, results
    confirmed = admin.call(
        "sale.order", "search_count", [["id", "in", order_ids], ["state", "=", "sale"]]
    )
    holds = admin.call(
        "luxury.oms.hold",
        "search_count",
        [["product_id", "=", scarce_product["product_id"]], ["state", "=", "active"]],
    )
    assert confirmed + holds == SCARCE_UNITS
