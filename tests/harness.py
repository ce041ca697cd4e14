"""Real-server test harness: an Odoo server process with workers over a committed database.

Neither TransactionCase nor HttpCase sees real concurrency (one cursor, one process). The
oversell invariant can only be proven against a real server: separate processes, separate
transactions, committed data, many clients at once. ``make test`` prepares the database
(a copy of the freshly installed test database) and names it in LUXURY_OMS_SERVER_DB.
"""

import collections
import contextlib
import http.client
import http.server
import itertools
import os
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

import requests

import odoo


def odoo_script():
    """The script that starts Odoo. Not ``python -m odoo``: the prefork server spawns its gevent
    (websocket) process by running ``sys.argv[0]`` again, and odoo/__main__.py cannot run as a
    script, so that process would fail and be respawned many times a second."""
    source_tree_script = os.path.join(os.path.dirname(next(iter(odoo.__path__))), "odoo-bin")
    if os.path.isfile(source_tree_script):
        return source_tree_script
    installed = shutil.which("odoo")  # the entry point of a pip-installed Odoo
    if not installed:
        raise RuntimeError(
            "Cannot start Odoo: no odoo-bin beside the odoo package, no `odoo` command on the PATH"
        )
    return installed


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer:
    """An ``odoo`` process serving one database on free local ports."""

    def __init__(self, database, config, workers=2, log_path=None, options=()):
        self.database = database
        self.config = config
        self.workers = workers
        self.options = list(options)  # more command-line options, e.g. --db_replica_host=...
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or os.path.join(os.path.dirname(config), f"server-{database}.log")
        self.process = None

    def start(self, timeout=120):
        command = [
            sys.executable, odoo_script(), "server",
            "-c", self.config,
            "-d", self.database,
            f"--db-filter=^{self.database}$",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            "--http-interface=127.0.0.1",
            f"--workers={self.workers}",
            "--max-cron-threads=0",
            "--limit-time-real=300",
            "--limit-time-cpu=300",
            "--log-level=warn",
            "--no-database-list",
            *self.options,
        ]  # fmt: skip
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo server exited early, see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/web/health", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"Odoo server did not answer within {timeout}s, see {self.log_path}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()

    def log(self):
        with open(self.log_path) as log:
            return log.read()

    def client(self, login="admin", password="admin"):
        return RpcClient(self.url, self.database, login, password)

    def web_client(self, login="admin", password="admin"):
        return WebClient(self.url, self.database, login, password)

    def set_stock(self, product_id, location_id, quantity):
        """Apply an inventory count, as a stock manager would."""
        web = self.web_client()
        quant_id = web.call(
            "stock.quant",
            "create",
            {"product_id": product_id, "location_id": location_id, "inventory_quantity": quantity},
        )
        web.call("stock.quant", "action_apply_inventory", [quant_id])


class RpcClient:
    """A minimal XML-RPC client, one connection per instance (one per thread)."""

    def __init__(self, url, database, login, password):
        self.database = database
        self.password = password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(database, login, password, {})
        if not self.uid:
            raise RuntimeError(f"cannot authenticate {login} on {database}")
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.database, self.uid, self.password, model, method, list(args), kwargs
        )


def race(functions, max_workers=None):
    """Run the callables at the same time; return each one's result or raised exception."""

    def attempt(function):
        try:
            return function()
        except Exception as error:
            return error

    with ThreadPoolExecutor(max_workers=max_workers or len(functions)) as pool:
        return list(pool.map(attempt, functions))


SCARCE_UNITS = 3  # units on hand of the conftest ``scarce_product``, raced for by more takers


def quotations(admin, scarce_product, count):
    """``count`` quotations of one unit of the scarce product, each for its own client."""
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


def check_racing_confirmations(admin, scarce_product, clients):
    """One quotation per client for a unit of the scarce product, all confirmed at once over
    XML-RPC: exactly SCARCE_UNITS are, the others are refused for stock and left untouched."""
    order_ids = quotations(admin, scarce_product, len(clients))
    results = race(
        [
            lambda client=client, order_id=order_id: client.call(
                "sale.order", "action_confirm", [order_id]
            )
            for client, order_id in zip(clients, order_ids, strict=True)
        ]
    )
    refusals = [result for result in results if isinstance(result, Exception)]
    assert len(results) - len(refusals) == SCARCE_UNITS, results
    for refusal in refusals:
        assert isinstance(refusal, xmlrpc.client.Fault), refusal
        assert "Not enough stock" in refusal.faultString, refusal.faultString
    orders = admin.call("sale.order", "read", order_ids, ["state", "picking_ids"])
    assert len([order for order in orders if order["state"] == "sale"]) == SCARCE_UNITS
    # refused orders are untouched quotations: no picking, nothing reserved for them
    assert all(not order["picking_ids"] for order in orders if order["state"] != "sale")
    assert_taken_once(admin, scarce_product["product_id"], scarce_product["site_id"], SCARCE_UNITS)


def assert_taken_once(admin, product_id, site_id, units):
    """After a race for ``units`` units: each is reserved for exactly one delivery, the stock
    figures agree, and nothing is negative."""
    moves = admin.call(
        "stock.move",
        "search_read",
        [
            ["product_id", "=", product_id],
            ["location_dest_id.usage", "=", "customer"],
            ["state", "!=", "cancel"],
        ],
        fields=["product_uom_qty", "state"],
    )
    assert sum(move["product_uom_qty"] for move in moves) == units
    assert all(move["state"] == "assigned" for move in moves)

    quants = admin.call(
        "stock.quant",
        "search_read",
        [["product_id", "=", product_id], ["location_id.usage", "=", "internal"]],
        fields=["quantity", "reserved_quantity"],
    )
    assert sum(quant["quantity"] for quant in quants) == units
    assert sum(quant["reserved_quantity"] for quant in quants) == units
    assert all(quant["quantity"] >= 0 for quant in quants)

    admin.call("product.product", "action_oms_availability", [product_id])
    [slot] = admin.call(
        "luxury.oms.stock.slot",
        "search_read",
        [["product_id", "=", product_id], ["warehouse_id", "=", site_id]],
        fields=["on_hand", "reserved", "available_to_sell"],
    )
    assert (slot["on_hand"], slot["reserved"], slot["available_to_sell"]) == (units, units, 0)


def channel_order(shop, ref, email, name="Client", qty=1, sku=None, **overrides):
    """A ``place_order`` payload of the conftest ``shop``'s channel."""
    order = {
        "channel": shop["code"],
        "external_ref": ref,
        "currency": "EUR",
        "customer": {"email": email, "name": name, "country": "FR"},
        "lines": [{"sku": sku or shop["sku"], "qty": qty, "price_unit": 2500.0}],
        "delivery": {"mode": "ship",
                     "address": {"street": "1 rue de la Paix", "city": "Paris", "zip": "75002",
                                 "country": "FR"}},
    }  # fmt: skip
    order.update(overrides)
    return order


class WebClient:
    """The web client's JSON-RPC path, for set-up methods whose result XML-RPC cannot
    marshal (e.g. ``stock.quant.action_apply_inventory`` returns None)."""

    def __init__(self, url, database, login="admin", password="admin"):
        self.url = url
        self.session = requests.Session()
        self._post(
            "/web/session/authenticate", {"db": database, "login": login, "password": password}
        )

    def _post(self, path, params):
        answer = self.session.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=120,
        ).json()
        if "error" in answer:
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer.get("result")  # Odoo omits a null result

    def call(self, model, method, *args, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class Json2Client:
    """The JSON-2 API (``POST /json/2/<model>/<method>``) with a bearer API key."""

    def __init__(self, url, database, key):
        self.url = url
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"bearer {key}", "X-Odoo-Database": database})

    def call(self, model, method, **params):
        """The HTTP response: 200 with the result as JSON, or an error status and message."""
        return self.session.post(f"{self.url}/json/2/{model}/{method}", json=params, timeout=120)


# Headers that describe one connection, not the message (and those the proxy sets itself).
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "content-length", "server",
              "date"}  # fmt: skip


class RoundRobinProxy:
    """A reverse proxy in front of several Odoo servers, standing in for the nginx of
    docs/scaling.md: each request goes to the next server in turn, whole request and whole
    response forwarded. ``served`` counts the requests each server answered."""

    def __init__(self, backends):
        self.backends = itertools.cycle(backends)
        self.served = collections.Counter()
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as XML-RPC clients expect

            def do_GET(self):
                proxy._forward(self)

            do_POST = do_GET

            def log_message(self, *args):
                pass  # no access log on the test output

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _forward(self, handler):
        with self.lock:
            backend = next(self.backends)
            self.served[backend] += 1
        body = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        headers = {name: value for name, value in handler.headers.items()
                   if name.lower() not in HOP_BY_HOP}  # fmt: skip
        headers["X-Forwarded-For"] = handler.client_address[0]
        upstream = http.client.HTTPConnection(urllib.parse.urlsplit(backend).netloc, timeout=300)
        try:
            upstream.request(handler.command, handler.path, body, headers)
            answer = upstream.getresponse()
            payload = answer.read()
        finally:
            upstream.close()
        handler.send_response(answer.status, answer.reason)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP:
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)


SSL_REQUEST, GSSENC_REQUEST = 80877103, 80877104  # PostgreSQL protocol: before StartupMessage


class PostgresForwarder:
    """A TCP forwarder to PostgreSQL standing in for a read replica: a second address that
    leads to the same database. It counts the connections it accepted and records the SQL
    sent through it (psycopg2 sends every statement as a simple-query 'Q' message).
    ``stop()`` closes the port and every relayed connection, as a replica that goes down."""

    def __init__(self, host, port):
        self.target = (host, port)
        self.connections = 0
        self.statements = []
        self.sockets = []
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]

    def start(self):
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self):
        if self.listener.fileno() == -1:
            return  # already stopped
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() below
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):  # already closed by its other end
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def _accept(self):
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return  # stopped
            server = socket.create_connection(self.target)
            with self.lock:
                self.connections += 1
                self.sockets += [client, server]
            threading.Thread(target=self._relay_queries, args=(client, server), daemon=True).start()
            threading.Thread(target=self._relay, args=(server, client), daemon=True).start()

    def _relay(self, source, destination):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                destination.sendall(data)
        with contextlib.suppress(OSError):
            destination.shutdown(socket.SHUT_WR)

    def _relay_queries(self, client, server):
        """Relay the client's messages one by one, keeping the text of each query."""
        stream = client.makefile("rb")
        with contextlib.suppress(OSError, ValueError):
            # Untyped messages first: requests to encrypt, which the forwarder itself refuses
            # (the queries must stay readable, whatever the server offers), then the
            # StartupMessage.
            while header := stream.read(8):
                length, code = struct.unpack("!ii", header)
                body = stream.read(length - 8)
                if code in (SSL_REQUEST, GSSENC_REQUEST):
                    client.sendall(b"N")
                    continue
                server.sendall(header + body)
                break
            while len(header := stream.read(5)) == 5:
                kind, length = header[:1], struct.unpack("!i", header[1:])[0]
                body = stream.read(length - 4)
                if kind == b"Q":
                    with self.lock:
                        self.statements.append(body.rstrip(b"\0").decode())
                server.sendall(header + body)
        with contextlib.suppress(OSError):
            server.shutdown(socket.SHUT_WR)
