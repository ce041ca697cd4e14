#!/usr/bin/env python3
"""Take the README's screenshots of the demo maison from a running server.

usage: tools/screenshots.py BASE_URL DB [OUT_DIR [NAME.png ...]]
  e.g. make run RUN_DB=luxury_oms, then tools/screenshots.py http://127.0.0.1:8069 luxury_oms
  (names after OUT_DIR retake only those pages)
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
# The sites through the OMS's own menu (the warehouses' action would open in Inventory).
OPEN_SITES = (
    CLICK + "click('Configuration');"
    "new Promise((done) => setTimeout(() => { click('Sites'); done(); }, 1000));"
)
# Click a tab, a button or a card by its class (first match) once the page has loaded.
CLICK_SELECTOR = "document.querySelector({!r})?.click();".format
# The Floor app opens the courier desk's task from its queue.
OPEN_HANDOVER = (
    "[...document.querySelectorAll('.o_oms_floor_card')]"
    ".find((card) => card.textContent.includes('Carrier handover'))?.click();"
)
# The piece's form scrolled to its notebook (the Passport tab is the first page).
SHOW_NOTEBOOK = "document.querySelector('.o_notebook')?.scrollIntoView();"
PHONE = (360, 640)  # the Floor app's smallest screen (portrait)
PHONE_TALL = (390, 844)  # a client's phone reading a certificate's QR code
# (file, login or None for a visitor, path, seconds to load, script run then[, (width, height)]):
# the password is the login.
PAGES = (
    ("sites.png", "manager", "/odoo", 6, OPEN_SITES),
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
    ("orders.png", "service", "/odoo/oms-orders", 6, ""),
    (
        "sourcing-plan.png",
        "service",
        "/odoo/action-luxury_oms.luxury_oms_sourcing_plan_action/{plan}",
        6,
        CLICK_SELECTOR("a.nav-link[name='candidates']"),
    ),
    (
        "buffer-rule.png",
        "stock",
        "/odoo/action-luxury_oms.luxury_oms_buffer_rule_action/{buffer_rule}",
        6,
        "",
    ),
    (
        "sales-by-tier.png",
        "manager",
        "/odoo/action-luxury_oms.sale_report_action_tier",
        6,
        CLICK_SELECTOR(".o_pivot_flip_button"),
    ),
    (
        "floor_board.png",
        "manager",
        "/odoo/action-luxury_oms.luxury_oms_fulfilment_task_action",
        6,
        "",
    ),
    (
        "floor_phone_queue.png",
        "floor",
        "/odoo/action-luxury_oms.luxury_oms_floor_action",
        8,
        "",
        PHONE,
    ),
    (
        "floor_phone_handover.png",
        "floor",
        "/odoo/action-luxury_oms.luxury_oms_floor_action",
        8,
        OPEN_HANDOVER,
        PHONE,
    ),
    (
        "passport-timeline.png",
        "stock",
        "/odoo/action-luxury_oms.stock_lot_action_pieces/{piece}",
        8,
        SHOW_NOTEBOOK,
    ),
    ("passport-verification.png", None, "{verification}", 4, "", PHONE_TALL),
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def login(base, db, user):
    if user is None:  # a visitor: no session
        return None
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


def shoot(base, session_id, path, out, wait, script, size=(WIDTH, HEIGHT)):
    port = free_port()
    profile = tempfile.mkdtemp()
    browser = subprocess.Popen(
        [
            "chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
            f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
            f"--window-size={size[0]},{size[1]}", "about:blank",
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
        if session_id:
            call("Network.setCookie", name="session_id", value=session_id, domain=host, path="/")
        call("Emulation.setDeviceMetricsOverride", width=size[0], height=size[1],
             deviceScaleFactor=1, mobile=size[0] < 500)  # fmt: skip
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
    """The records the pages open: the client of the 360, the Paris till (whose session the
    advisor opens), web-FR, the sourcing plan of DEMO-PICKUP-READY, the Paris buffer rule, a
    returned piece's passport and a French client's certificate (its public page)."""
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
    [plan] = call(
        "service",
        "luxury.oms.sourcing.plan",
        "search",
        [["order_id.client_order_ref", "=", "DEMO-PICKUP-READY"], ["is_current", "=", True]],
    )
    [buffer_rule] = call(
        "stock", "luxury.oms.buffer.rule", "search", [["warehouse_id.code", "=", "PAR"]]
    )
    # A piece returned and refunded: received, sold, shipped, certified, returned, checked.
    [piece] = call("stock", "stock.lot", "search", [["name", "=", "BC35E-00001"]])
    [certificate] = call(
        "admin",
        "luxury.oms.certificate",
        "search_read",
        [["lot_id.name", "=", "JBNY-00001"], ["state", "=", "valid"]],
        ["verification_url"],
    )
    verification = "/" + certificate["verification_url"].split("/", 3)[3]
    return {
        "piece": piece,
        "verification": verification,
        "client": client,
        "till": till,
        "channel": channel,
        "plan": plan,
        "buffer_rule": buffer_rule,
    }


def main():
    base, db = sys.argv[1:3]
    out_dir = sys.argv[3] if len(sys.argv) > 3 else os.path.join(TOP, "docs", "screenshots")
    only = set(sys.argv[4:])
    ids = demo_ids(base, db)
    for name, user, path, wait, script, *size in PAGES:
        if only and name not in only:
            continue
        out = os.path.join(out_dir, name)
        shoot(base, login(base, db, user), path.format(**ids), out, wait, script, *size)


if __name__ == "__main__":
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    main()
