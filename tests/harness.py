"""Real-server test harness: an Odoo server process with workers over a committed database.

Neither TransactionCase nor HttpCase sees real concurrency (one cursor, one process). The
oversell invariant can only be proven against a real server: separate processes, separate
transactions, committed data, many clients at once. ``make test`` prepares the database
(a copy of the freshly installed test database) and names it in LUXURY_OMS_SERVER_DB.
"""

import collections
import contextlib
import os
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
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
        self.gevent_port = free_port()  # the websocket (bus) process
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or os.path.join(os.path.dirname(config), f"server-{database}.log")
        self.process = None

    def start(self, timeout=120):
        command = [
            sys.executable, odoo_script(), "server",
            "-c", self.config,
            "-d", self.database,
            *self._role_options(),
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
            if self._listening():
                return self
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"Odoo server did not answer within {timeout}s, see {self.log_path}")

    def _role_options(self):
        """A web server: HTTP workers and the gevent process, no scheduled work."""
        return [
            f"--http-port={self.port}",
            f"--gevent-port={self.gevent_port}",
            "--http-interface=127.0.0.1",
            f"--workers={self.workers}",
            "--max-cron-threads=0",
        ]

    def _listening(self):
        """The HTTP workers answer and, with workers, the gevent process (websockets), which
        starts after them, accepts connections."""
        try:
            with urllib.request.urlopen(f"{self.url}/web/health", timeout=2) as answer:
                if answer.status != 200:
                    return False
            if self.workers:
                socket.create_connection(("127.0.0.1", self.gevent_port), timeout=2).close()
        except OSError:
            return False
        return True

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


class CronServer(OdooServer):
    """The scheduled-work server of docs/scaling.md: no HTTP, one cron thread, woken by
    PostgreSQL when a web server triggers a cron."""

    def __init__(self, database, config, log_path=None):
        super().__init__(database, config, workers=0, log_path=log_path)

    def _role_options(self):
        return ["--no-http", "--workers=0", "--max-cron-threads=1"]

    def _listening(self):
        return True  # it serves nothing: running is all it can show


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


def run_after_intake_work(admin):
    """Run the orders' after-commit work now (a channel order's deliveries, the clients'
    mails), as the scheduled-work server would: the test servers run no cron."""
    [cron] = admin.call(
        "ir.model.data", "search_read",
        [["module", "=", "luxury_oms"], ["name", "=", "ir_cron_oms_order_work"]], ["res_id"],
    )  # fmt: skip
    admin.call("ir.cron", "method_direct_trigger", [cron["res_id"]])


def assert_promised_then_taken_once(admin, product_id, site_id, units):
    """After channel orders raced for ``units`` units: each is kept by exactly one order's
    promise until the deliveries are made, then reserved for exactly one delivery."""
    promises = admin.call(
        "luxury.oms.stock.promise", "search_read",
        [["product_id", "=", product_id], ["warehouse_id", "=", site_id]], ["quantity"],
    )  # fmt: skip
    assert sum(promise["quantity"] for promise in promises) == units, promises
    run_after_intake_work(admin)
    assert not admin.call(
        "luxury.oms.stock.promise", "search_count", [["product_id", "=", product_id]]
    )
    assert_taken_once(admin, product_id, site_id, units)


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


SCALE_PROXY_CONF = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docker", "scale", "nginx.conf"
)
NGINX_MAIN_CONF = """daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 256; }}
http {{
    log_format upstreams '$upstream_addr|$request_method|$uri|$status';
    access_log {directory}/access.log upstreams;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {directory}/luxury-oms.conf;
}}
"""


class NginxProxy:
    """nginx running the proxy configuration of docker-compose.scale.yml
    (docker/scale/nginx.conf) as it ships, its upstreams ``odoo-1``, ``odoo-2``... pointed at
    local Odoo servers (HTTP and gevent ports) and its ``listen`` at a free local port.

    ``served()`` counts, from nginx's access log, the requests each server answered;
    ``websocket_upstreams()`` lists where each closed websocket was proxied."""

    def __init__(self, servers, directory):
        self.servers = list(servers)
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def _site_conf(self):
        with open(SCALE_PROXY_CONF) as shipped:
            conf = shipped.read()
        for number, server in enumerate(self.servers, start=1):
            conf = conf.replace(f"odoo-{number}:8069", f"127.0.0.1:{server.port}")
            conf = conf.replace(f"odoo-{number}:8072", f"127.0.0.1:{server.gevent_port}")
        if "odoo-" in conf or "listen 80;" not in conf:
            raise ValueError(f"{SCALE_PROXY_CONF} names other servers or another port")
        return conf.replace("listen 80;", f"listen 127.0.0.1:{self.port};")

    def start(self, timeout=30):
        nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
        if not nginx:
            raise RuntimeError("nginx is needed for the scaling tests: run `make install`")
        os.makedirs(self.directory, exist_ok=True)
        os.chmod(self.directory, 0o755)  # nginx's workers may run as another user
        with open(os.path.join(self.directory, "luxury-oms.conf"), "w") as site:
            site.write(self._site_conf())
        main_conf = os.path.join(self.directory, "nginx.conf")
        with open(main_conf, "w") as main:
            main.write(NGINX_MAIN_CONF.format(directory=self.directory))
        self.process = subprocess.Popen(
            [nginx, "-p", self.directory, "-c", main_conf],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited early: {self._error_log()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not listen within {timeout}s: {self._error_log()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def _error_log(self):
        with contextlib.suppress(OSError), open(os.path.join(self.directory, "error.log")) as log:
            return log.read()[-2000:]
        return ""

    def _access_log(self):
        """(server address, method, path, status) of each request nginx has finished; when
        nginx had to try several servers, the address is the one that answered."""
        with (
            contextlib.suppress(FileNotFoundError),
            open(os.path.join(self.directory, "access.log")) as log,
        ):
            rows = [line.rstrip("\n").split("|") for line in log if line.strip()]
            return [(upstream.split(", ")[-1], method, path, status)
                    for upstream, method, path, status in rows]  # fmt: skip
        return []

    def served(self):
        """How many HTTP requests each server (by its URL) answered."""
        url_of = {f"127.0.0.1:{server.port}": server.url for server in self.servers}
        return collections.Counter(
            url_of[upstream] for upstream, *_request in self._access_log() if upstream in url_of
        )

    def websocket_upstreams(self):
        """The address each finished /websocket connection was proxied to."""
        return [upstream for upstream, _method, path, _status in self._access_log()
                if path == "/websocket"]  # fmt: skip


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
