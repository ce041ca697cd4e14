"""Real-server test harness: an Odoo server process with workers over a committed database.

Neither TransactionCase nor HttpCase sees real concurrency (one cursor, one process). The
oversell invariant can only be proven against a real server: separate processes, separate
transactions, committed data, many clients at once. ``make test`` prepares the database
(a copy of the freshly installed test database) and names it in LUXURY_OMS_SERVER_DB.
"""

import os
import shutil
import socket
import subprocess
import sys
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
    return shutil.which("odoo")  # the entry point of a pip-installed Odoo


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer:
    """An ``odoo`` process serving one database on free local ports."""

    def __init__(self, database, config, workers=2, log_path=None):
        self.database = database
        self.config = config
        self.workers = workers
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
