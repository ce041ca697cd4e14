"""The order pipeline on a real server: the after-intake work runs on the scheduled-work
server once the web server's request committed, and a fraud rule changed through one
worker applies in every worker at once (the cached rules are cleared everywhere)."""

import os
import time

from harness import CronServer
from harness import RpcClient
from harness import channel_order

ORDERS_PER_ROUND = 6  # sequential calls spread over both workers


def _client(odoo_server, shop):
    channel = shop["channels"][shop["code"]]
    return RpcClient(odoo_server.url, odoo_server.database, channel["login"], channel["key"])


def _place(client, shop, ref):
    tag = shop["tag"].lower()
    order = channel_order(shop, f"{ref}-{tag}", f"{ref.lower()}-{tag}@example.com")
    return client.call("luxury.oms.api", "place_order", order)


def test_fraud_rule_change_applies_in_every_worker(odoo_server, admin, shop):
    channel_id = shop["channels"][shop["code"]]["id"]
    admin.call("luxury.oms.channel", "write", [channel_id], {"oms_fraud_threshold": 50})
    rule_id = admin.call(
        "luxury.oms.fraud.rule", "create",
        {"name": f"New client {shop['tag']}", "condition": "new_client", "points": 10,
         "channel_ids": [(6, 0, [channel_id])]},
    )  # fmt: skip
    client = _client(odoo_server, shop)
    try:
        # Both workers read (and cache) the rule at 10 points: nobody is held.
        before = [_place(client, shop, f"WARM{n}") for n in range(ORDERS_PER_ROUND)]
        assert {answer["state"] for answer in before} == {"confirmed"}, before
        admin.call("luxury.oms.fraud.rule", "write", [rule_id], {"points": 60})
        after = [_place(client, shop, f"HOLD{n}") for n in range(ORDERS_PER_ROUND)]
        assert {answer["state"] for answer in after} == {"on_hold"}, after
    finally:
        admin.call("luxury.oms.fraud.rule", "write", [rule_id], {"active": False})


def test_after_intake_work_runs_on_the_cron_server(odoo_server, admin, shop):
    """The channel's answer comes before the order's deliveries and the client's mails:
    they are the intake's after-commit work, run by the scheduled-work server that the
    intake woke up."""
    client = _client(odoo_server, shop)
    answer = _place(client, shop, "MAIL")
    [order] = admin.call(
        "sale.order", "search_read", [["name", "=", answer["order_ref"]]],
        ["oms_work_state", "oms_pending_work", "picking_ids", "oms_promise_ids"],
    )  # fmt: skip
    assert order["oms_work_state"] == "pending", order
    assert order["oms_pending_work"] == "deliver notify_confirmed", order
    assert not order["picking_ids"] and order["oms_promise_ids"], order
    cron_server = CronServer(
        odoo_server.database,
        odoo_server.config,
        log_path=os.path.join(
            os.path.dirname(odoo_server.config), f"server-{odoo_server.database}-work.log"
        ),
    ).start()
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            # Another order wakes the cron up again: a wake-up sent before it listened is lost.
            _place(client, shop, f"WAKE{int(time.monotonic())}")
            time.sleep(2)
            [order] = admin.call(
                "sale.order", "read", [order["id"]],
                ["oms_work_state", "message_ids", "picking_ids", "oms_promise_ids"],
            )  # fmt: skip
            if not order["oms_work_state"]:
                break
        assert not order["oms_work_state"], (order, cron_server.log()[-2000:])
        assert order["picking_ids"] and not order["oms_promise_ids"], order
        subjects = [
            message["subject"]
            for message in admin.call("mail.message", "read", order["message_ids"], ["subject"])
            if message["subject"]
        ]
        # Not held: one mail, the confirmation.
        assert f"Your order {answer['order_ref']} is confirmed" in subjects, subjects
        assert not [subject for subject in subjects if "received" in subject], subjects
    finally:
        cron_server.stop()
