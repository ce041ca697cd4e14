#!/usr/bin/env python3
"""Take the README's screenshots of the demo maison from a running server.

usage: tools/screenshots.py BASE_URL DB [OUT_DIR]
  e.g. make run RUN_DB=luxury_oms, then tools/screenshots.py http://127.0.0.1:8069 luxury_oms
Each page is opened in headless Chromium as the demo colleague whose screen it is
(README "Demo logins"); the PNGs go to docs/screenshots by default.
"""

import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import xmlrpc.client

import requests
import websocket

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WIDTH, HEIGHT = 1366, 800
CLICK = (
    "const click = (text) => [...document.querySelectorAll('a, button, div, span')]"
    ".reverse().find((e) => e.textContent.trim() === text)?.click();"
)
# The advisor opens the register (and confirms the opening cash).
OPEN_REGISTER = (
    CLICK + "click('Open Register');"
    "new Promise((done) => setTimeout(() => { click('Open Register'); done(); }, 3000));"
)
# (file, login, path, seconds to load, script run then): the password is the login.
PAGES = (
    ("sites.png", "manager", "/odoo/action-stock.action_warehouse_form", 6, ""),
    (
        "channel.png",
        "manager",
        "/odoo/action-luxury_oms.luxury_oms_channel_action/{channel}",
        6,
        "",
    ),
    ("overview.png", "manager", "/odoo", 6, ""),
    ("floor.png", "floor", "/odoo", 6, ""),
    ("stock-controller.png", "stock", "/odoo", 6, ""),
    ("fraud-review.png", "fraud", "/odoo", 6, ""),
    (
        "client-360.png",
        "advisor",
        "/odoo/action-luxury_clienteling.res_partner_action_clients/{client}",
        10,
        "",
    ),
    ("till.png", "advisor", "/pos/ui?config_id={till}", 25, OPEN_REGISTER),
    (
        "sales-by-channel.png",
        "manager",
        "/odoo/action-luxury_oms.sale_order_action_oms_analysis",
        6,
        "",
    ),
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def login(base, db, user):
    session = requests.Session()
    password = user
    answer = session.post(
        base + "/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": user, "password": password}},
        timeout=60,
    ).json()
    if answer.get("error"):
        sys.exit(f"{user}: login failed: {answer['error']}")
    return session.cookies.get("session_id")


def shoot(base, session_id, path, out, wait, script):
    port = free_port()
    profile = tempfile.mkdtemp()
    browser = subprocess.Popen(
        [
            "chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
            f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
            f"--window-size={WIDTH},{HEIGHT}", "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _attempt in range(100):
            try:
                tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
                page = next(tab for tab in tabs if tab["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.1)
        socket_ = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        counter = [0]

        def call(method, **params):
            counter[0] += 1
            socket_.send(json.dumps({"id": counter[0], "method": method, "params": params}))
            while True:
                message = json.loads(socket_.recv())
                if message.get("id") == counter[0]:
                    return message.get("result", message)

        host = base.split("//")[1].split(":")[0]
        call("Network.enable")
        call("Network.setCookie", name="session_id", value=session_id, domain=host, path="/")
        call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT,
             deviceScaleFactor=1, mobile=False)  # fmt: skip
        call("Page.enable")
        call("Page.navigate", url=base + path)
        time.sleep(wait)
        if script:
            call("Runtime.evaluate", expression=script, awaitPromise=True)
            time.sleep(3)
        shot = call("Page.captureScreenshot", format="png")
        with open(out, "wb") as file:
            file.write(base64.b64decode(shot["data"]))
        print("wrote", out)
    finally:
        browser.kill()


def demo_ids(base, db):
    """The client of the 360 and the Paris till, whose session the advisor opens."""
    common = xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/common")
    models = xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/object", allow_none=True)

    def call(user, model, method, *args):
        uid = common.authenticate(db, user, user, {})
        return models.execute_kw(db, uid, user, model, method, list(args))

    [client] = call(
        "admin", "res.partner", "search", [["email", "=", "camille.laurent@example.com"]]
    )
    [till] = call("advisor", "pos.config", "search", [["oms_warehouse_id.code", "=", "PAR"]])
    call("advisor", "pos.config", "open_ui", [till])
    [channel] = call("manager", "luxury.oms.channel", "search", [["code", "=", "web-FR"]])
    return {"client": client, "till": till, "channel": channel}


def main():
    base, db = sys.argv[1:3]
    out_dir = sys.argv[3] if len(sys.argv) > 3 else os.path.join(TOP, "docs", "screenshots")
    ids = demo_ids(base, db)
    for name, user, path, wait, script in PAGES:
        out = os.path.join(out_dir, name)
        shoot(base, login(base, db, user), path.format(**ids), out, wait, script)


if __name__ == "__main__":
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    main()
