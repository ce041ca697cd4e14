"""Luxury OMS past one server (docs/scaling.md), measured without Docker.

Two Odoo servers with workers on the one committed database, behind nginx running the proxy
configuration of docker-compose.scale.yml (docker/scale/nginx.conf) as it ships, with its
upstreams pointed at the two servers. The second server also has a read replica: a forwarder
to the same PostgreSQL that records the SQL Odoo sends through it, so each test sees which
requests Odoo 19 serves on the replica and which on the primary.
"""

import configparser
import itertools
import json
import os
import re
import shutil
import time
import uuid

import pytest
import requests
import websocket
from harness import SCARCE_UNITS
from harness import CronServer
from harness import Json2Client
from harness import NginxProxy
from harness import OdooServer
from harness import PostgresForwarder
from harness import RpcClient
from harness import WebClient
from harness import assert_promised_then_taken_once
from harness import channel_order
from harness import check_racing_confirmations
from harness import race

TAKERS = 9  # three through the proxy, three straight to each server
READ_ONLY_BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def replica(odoo_server):
    """The replica: a second address of the primary (same data, no lag)."""
    config = configparser.ConfigParser()
    config.read(odoo_server.config)
    primary = config["options"]
    forwarder = PostgresForwarder(primary["db_host"], int(primary["db_port"])).start()
    yield forwarder
    forwarder.stop()


@pytest.fixture(scope="module")
def second_server(odoo_server, replica):
    server = OdooServer(
        odoo_server.database,
        odoo_server.config,
        workers=2,
        log_path=os.path.join(
            os.path.dirname(odoo_server.config), f"server-{odoo_server.database}-second.log"
        ),
        options=["--db_replica_host=127.0.0.1", f"--db_replica_port={replica.port}"],
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def proxy(odoo_server, second_server):
    directory = os.path.join(
        os.path.dirname(odoo_server.config), f"nginx-{odoo_server.database}-{os.getpid()}"
    )
    proxy = NginxProxy([odoo_server, second_server], directory).start()
    yield proxy
    proxy.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def entry_points(odoo_server, second_server, proxy):
    """TAKERS addresses: the proxy and each server in turn."""
    return list(
        itertools.islice(itertools.cycle([proxy.url, odoo_server.url, second_server.url]), TAKERS)
    )


def _key(shop):
    return shop["channels"][shop["code"]]["key"]


def _availability(client, shop):
    return client.call(
        "luxury.oms.api", "get_availability", skus=[shop["sku"]], channel=shop["code"]
    )


def _through(replica, call):
    """``call()``'s answer and the SQL statements it sent through the replica."""
    seen = len(replica.statements)
    answer = call()
    return answer, replica.statements[seen:]


def test_the_proxy_spreads_one_session_over_both_servers(odoo_server, second_server, proxy):
    """Servers are stateless: a session opened through one server is valid on the other
    (sessions are files in the data_dir they share)."""
    before = proxy.served()
    web = WebClient(proxy.url, odoo_server.database)
    logins = [
        web.call("res.users", "search_read", [["login", "=", "admin"]], ["login"])[0]["login"]
        for _ in range(4)
    ]
    assert logins == ["admin"] * 4
    served = proxy.served() - before
    assert served[odoo_server.url] >= 2 and served[second_server.url] >= 2, served


def _bodies_received(connection, wanted, timeout=30):
    """The ``wanted`` message bodies among the bus notifications the websocket receives."""
    received = set()
    deadline = time.monotonic() + timeout
    while received != wanted and time.monotonic() < deadline:
        connection.settimeout(max(deadline - time.monotonic(), 0.1))
        try:
            notifications = json.dumps(json.loads(connection.recv()))
        except websocket.WebSocketTimeoutException:
            break
        received |= {body for body in wanted if body in notifications}
    return received


def _open_websocket(proxy, session_id):
    return websocket.create_connection(
        f"ws://127.0.0.1:{proxy.port}/websocket", cookie=f"session_id={session_id}", timeout=30
    )


def test_websockets_through_the_proxy_are_sticky_and_the_bus_crosses_servers(
    odoo_server, second_server, proxy, admin
):
    """The proxy sends /websocket to the servers' gevent processes, the same one for one
    session (a reconnecting browser comes back to it). Notifications go through the one
    PostgreSQL: a message posted on either server reaches the websocket, wherever it is."""
    web = WebClient(proxy.url, odoo_server.database)
    session_id = web.session.cookies["session_id"]
    [user] = admin.call("res.users", "read", [admin.uid], ["partner_id"])
    channel_id = admin.call(
        "discuss.channel",
        "create",
        {"name": f"Scale bus {uuid.uuid4().hex[:6]}",
         "channel_partner_ids": [(4, user["partner_id"][0])]},
    )  # fmt: skip
    bodies = {server.url: f"Posted on {server.url}" for server in (odoo_server, second_server)}
    connection = _open_websocket(proxy, session_id)
    try:
        connection.send(
            json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}})
        )
        for server in (odoo_server, second_server):
            WebClient(server.url, odoo_server.database).call(
                "discuss.channel", "message_post", [channel_id],
                body=bodies[server.url], message_type="comment",
            )  # fmt: skip
        assert _bodies_received(connection, set(bodies.values())) == set(bodies.values())
    finally:
        connection.close()
    _open_websocket(proxy, session_id).close()  # the browser reconnects

    gevent = {f"127.0.0.1:{server.gevent_port}" for server in (odoo_server, second_server)}
    deadline = time.monotonic() + 10
    while len(proxy.websocket_upstreams()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)  # nginx logs a websocket once it is closed
    first, second = proxy.websocket_upstreams()[-2:]
    assert first == second and first in gevent, (first, second, gevent)


def test_refresh_now_on_a_web_server_is_done_by_the_cron_server(odoo_server, admin, scarce_product):
    """Long work leaves the request: *Refresh now* on a web server (no cron thread) returns at
    once, having queued the snapshot cron; the scheduled-work server, woken by PostgreSQL,
    refreshes the rows. The cron's own schedule is put off, so only the trigger can run it."""
    [cron] = admin.call(
        "ir.model.data",
        "search_read",
        [["module", "=", "luxury_oms"], ["name", "=", "ir_cron_refresh_availability"]],
        ["res_id"],
    )
    admin.call("ir.cron", "write", [cron["res_id"]], {"nextcall": "2099-01-01 00:00:00"})
    cron_server = CronServer(
        odoo_server.database,
        odoo_server.config,
        log_path=os.path.join(
            os.path.dirname(odoo_server.config), f"server-{odoo_server.database}-cron.log"
        ),
    ).start()
    try:
        web = WebClient(odoo_server.url, odoo_server.database)
        domain = [
            ["product_id", "=", scarce_product["product_id"]],
            ["warehouse_id", "=", scarce_product["site_id"]],
        ]
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            # Clicked again until the cron server listens: a wake-up sent before is lost.
            action = web.call("luxury.oms.stock.slot", "action_refresh_all", [])
            assert action["tag"] == "display_notification", action
            time.sleep(2)
            slots = admin.call("luxury.oms.stock.slot", "search_read", domain, ["on_hand"])
            if slots and slots[0]["on_hand"] == SCARCE_UNITS:
                break
        assert slots and slots[0]["on_hand"] == SCARCE_UNITS, (slots, cron_server.log()[-2000:])
        assert cron_server.process.poll() is None, cron_server.log()[-2000:]
    finally:
        cron_server.stop()


def test_confirmations_racing_through_both_servers_never_oversell(
    odoo_server, admin, scarce_product, entry_points
):
    check_racing_confirmations(
        admin,
        scarce_product,
        [RpcClient(url, odoo_server.database, "admin", "admin") for url in entry_points],
    )


def test_channel_orders_racing_over_json2_through_both_servers_never_oversell(
    odoo_server, admin, shop, scarce_product, entry_points
):
    admin.call(
        "luxury.oms.channel",
        "write",
        [shop["channels"][shop["code"]]["id"]],
        {"warehouse_ids": [(4, scarce_product["site_id"])]},
    )
    tag = scarce_product["tag"].lower()
    orders = [
        channel_order(shop, f"SCALE-{tag}-{n}", f"scale{n}-{tag}@example.com",
                      sku=scarce_product["sku"])
        for n in range(TAKERS)
    ]  # fmt: skip
    clients = [Json2Client(url, odoo_server.database, _key(shop)) for url in entry_points]
    answers = race(
        [
            lambda client=client, order=order: client.call(
                "luxury.oms.api", "place_order", order=order
            )
            for client, order in zip(clients, orders, strict=True)
        ]
    )
    assert all(isinstance(answer, requests.Response) for answer in answers), answers
    confirmed = [answer.json() for answer in answers if answer.status_code == 200]
    assert len(confirmed) == SCARCE_UNITS, [answer.text for answer in answers]
    assert all(answer["state"] == "confirmed" for answer in confirmed), confirmed
    for refusal in (answer for answer in answers if answer.status_code != 200):
        assert refusal.status_code == 422, refusal.text
        message = refusal.json()["message"]
        assert message.startswith("Not enough stock") and scarce_product["sku"] in message
    # nothing half-done for the refused: no order, no client, no idempotency record
    refs = [order["external_ref"] for order in orders]
    emails = [order["customer"]["email"] for order in orders]
    assert (
        admin.call("sale.order", "search_count", [["oms_external_ref", "in", refs]]) == SCARCE_UNITS
    )
    assert admin.call("res.partner", "search_count", [["email", "in", emails]]) == SCARCE_UNITS
    assert (
        admin.call("luxury.oms.api.request", "search_count", [["external_ref", "in", refs]])
        == SCARCE_UNITS
    )
    assert_promised_then_taken_once(
        admin, scarce_product["product_id"], scarce_product["site_id"], SCARCE_UNITS
    )


def test_readonly_methods_over_json2_are_served_by_the_replica(
    odoo_server, second_server, replica, shop
):
    """``@api.readonly`` methods over JSON-2 run in one read-only transaction on the replica,
    and answer what the primary answers."""
    tag = shop["tag"].lower()
    ref = f"STATUS-{tag}"
    primary_only = Json2Client(odoo_server.url, odoo_server.database, _key(shop))
    placed = primary_only.call(
        "luxury.oms.api", "place_order", order=channel_order(shop, ref, f"status-{tag}@example.com")
    )
    assert placed.status_code == 200, placed.text
    on_replica = Json2Client(second_server.url, odoo_server.database, _key(shop))

    answer, statements = _through(replica, lambda: _availability(on_replica, shop))
    assert answer.status_code == 200, answer.text
    assert answer.json() == _availability(primary_only, shop).json()
    assert [sql for sql in statements if sql.startswith("BEGIN")] == [READ_ONLY_BEGIN]
    assert any("stock_quant" in sql for sql in statements), statements  # the stock was read there
    assert statements[-1] == "COMMIT", statements

    answer, statements = _through(
        replica,
        lambda: on_replica.call(
            "luxury.oms.api", "get_order_status", channel=shop["code"], external_ref=ref
        ),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["order_ref"] == placed.json()["order_ref"]
    assert [sql for sql in statements if sql.startswith("BEGIN")] == [READ_ONLY_BEGIN]
    assert any('FROM "sale_order"' in sql for sql in statements), statements
    assert statements[-1] == "COMMIT", statements
    assert replica.connections > 0

    # Had one of them written, Odoo would have replayed it on the primary, saying so here.
    assert "retrying with a read/write cursor" not in second_server.log()


def test_takers_and_xmlrpc_run_on_the_primary(odoo_server, second_server, replica, admin, shop):
    """On a server with a replica, every request opens a read-only transaction there to check
    the registry; a taker then does all its work on the primary, as does every XML-RPC call,
    even of an ``@api.readonly`` method."""
    tag = shop["tag"].lower()
    on_replica = Json2Client(second_server.url, odoo_server.database, _key(shop))
    order = channel_order(shop, f"TAKER-{tag}", f"taker-{tag}@example.com")

    answer, statements = _through(
        replica, lambda: on_replica.call("luxury.oms.api", "place_order", order=order)
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "confirmed"
    assert (
        admin.call("sale.order", "search_count", [["oms_external_ref", "=", f"TAKER-{tag}"]]) == 1
    )
    assert [sql for sql in statements if sql.startswith("BEGIN")] == [READ_ONLY_BEGIN]
    assert statements[-1] == "ROLLBACK", statements
    assert not any("sale_order" in sql or WRITE.match(sql) for sql in statements), statements

    channel = shop["channels"][shop["code"]]
    client = RpcClient(second_server.url, odoo_server.database, channel["login"], channel["key"])
    answer, statements = _through(
        replica,
        lambda: client.call(
            "luxury.oms.api", "get_availability", [shop["sku"]], None, shop["code"]
        ),
    )
    assert shop["sku"] in answer
    assert statements and not any("stock_quant" in sql for sql in statements), statements
    assert all(sql == READ_ONLY_BEGIN for sql in statements if sql.startswith("BEGIN"))


def test_readonly_calls_fall_back_to_the_primary_when_the_replica_is_down(
    odoo_server, second_server, replica, shop
):
    """Last of the module: the replica stays down for the rest of it."""
    expected = _availability(Json2Client(odoo_server.url, odoo_server.database, _key(shop)), shop)
    replica.stop()
    seen = len(replica.statements)
    clients = [Json2Client(second_server.url, odoo_server.database, _key(shop)) for _ in range(4)]
    answers = race([lambda client=client: _availability(client, shop) for client in clients])
    assert [answer.status_code for answer in answers] == [200] * 4, answers
    assert all(answer.json() == expected.json() for answer in answers)
    assert len(replica.statements) == seen
    assert "Failed to open a readonly cursor, falling back to read-write cursor" in (
        second_server.log()
    )
    tag = shop["tag"].lower()
    order = channel_order(shop, f"DOWN-{tag}", f"down-{tag}@example.com")
    answer = clients[0].call("luxury.oms.api", "place_order", order=order)
    assert answer.status_code == 200, answer.text
