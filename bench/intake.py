"""Order intake over XML-RPC against a real Odoo server with workers.

Every order is what a channel does the stock way: ``sale.order`` ``create`` then
``action_confirm`` (two calls), or one ``luxury.oms.api.place_order`` call when the channel
API exists. One order in four also wants one piece of the scarce SKU, of which only half as many
pieces are available when the run starts: confirmed scarce pieces beyond that are oversold.
The hot-SKU run sends every order for one piece of that SKU.
"""

import random
import threading
import time
import uuid
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

from generate import INTAKE_SITES
from generate import INTAKE_SKU_PREFIX
from generate import SITE_PREFIX
from harness import RpcClient
from stats import median
from stats import percentile

SCARCE_EVERY = 4
SCARCE_SKU = "BENCH-SCARCE"  # stands for the run's own scarce SKU in order specs


class IntakeFixture:
    """Ids of what the orders use, read over RPC, and a fresh scarce SKU for this run.

    A fresh product per run, counted in by an inventory adjustment like any stock: no earlier
    run's reservations or buffers blur how many pieces are really there.
    """

    def __init__(self, server, scarce_units, buyers=20):
        admin = server.client()
        self.server = server
        self.scarce_units = scarce_units
        products = admin.call(
            "product.product",
            "search_read",
            [["default_code", "=like", f"{INTAKE_SKU_PREFIX}%"]],
            fields=["default_code"],
        )
        self.skus = {product["default_code"]: product["id"] for product in products}
        sites = admin.call(
            "stock.warehouse",
            "search_read",
            [["code", "=like", f"{SITE_PREFIX}%"]],
            fields=["code", "lot_stock_id"],
            order="code",
            limit=INTAKE_SITES,
        )
        self.sites = [(site["id"], site["code"], site["lot_stock_id"][0]) for site in sites]
        self.buyers = admin.call(
            "res.partner",
            "create",
            [{"name": f"Bench buyer {number}", "email": f"buyer{number}@bench.example"}
             for number in range(buyers)],
        )  # fmt: skip
        tag = uuid.uuid4().hex[:8].upper()
        self.scarce_sku = f"{SCARCE_SKU}-{tag}"
        self.scarce_id = admin.call(
            "product.product",
            "create",
            {"name": f"Scarce bag {tag}", "default_code": self.scarce_sku, "is_storable": True,
             "list_price": 5000},
        )  # fmt: skip
        server.set_stock(self.scarce_id, self.sites[0][2], scarce_units)


def scarce_units_for(orders):
    """Half the scarce pieces the orders want: a real race, with losers."""
    return max(1, orders // SCARCE_EVERY // 2)


def order_specs(fixture, count, seed=11):
    """Deterministic orders: 1 to 3 deep lines at one site, one in four with a scarce piece
    (those at the first site, where the scarce SKU is)."""
    rng = random.Random(seed)
    skus = sorted(fixture.skus)
    specs = []
    for number in range(count):
        scarce = number % SCARCE_EVERY == 0
        site = fixture.sites[0] if scarce else rng.choice(fixture.sites)
        lines = [(sku, rng.choice((1, 1, 2))) for sku in rng.sample(skus, rng.randint(1, 3))]
        if scarce:
            lines.append((SCARCE_SKU, 1))
        specs.append({"number": number, "site": site, "lines": lines,
                      "buyer": rng.choice(fixture.buyers)})  # fmt: skip
    return specs


def hot_sku_specs(fixture, count):
    """The hot SKU: every order wants one piece of the scarce SKU, and nothing else."""
    return [
        {"number": number, "site": fixture.sites[0], "lines": [(SCARCE_SKU, 1)],
         "buyer": fixture.buyers[number % len(fixture.buyers)]}
        for number in range(count)
    ]  # fmt: skip


def sale_order_taker(fixture, client, spec):
    product_ids = fixture.skus | {SCARCE_SKU: fixture.scarce_id}
    order_id = client.call(
        "sale.order",
        "create",
        {
            "partner_id": spec["buyer"],
            "warehouse_id": spec["site"][0],
            "order_line": [
                (0, 0, {"product_id": product_ids[sku], "product_uom_qty": qty})
                for sku, qty in spec["lines"]
            ],
        },
    )
    client.call("sale.order", "action_confirm", [order_id])


def api_taker(run_tag, server):
    """``place_order`` as the channel's integration user, with an Odoo API key made by the
    channel's key wizard (as a manager would)."""
    admin = server.client()
    web = server.web_client()
    [channel] = admin.call(
        "luxury.oms.channel", "search_read", [["code", "=", "bench-web"]], fields=["currency_id"]
    )
    currency = channel["currency_id"][1]
    wizard_id = web.call("luxury.oms.api.key.wizard", "create", {"channel_id": channel["id"]})
    key = web.call("luxury.oms.api.key.wizard", "action_generate", [wizard_id])["context"][
        "default_key"
    ]

    def take(fixture, client, spec):
        client.call(
            "luxury.oms.api",
            "place_order",
            {
                "channel": "bench-web",
                "external_ref": f"BENCH-{run_tag}-{spec['number']}",
                "currency": currency,
                "customer": {"email": f"buyer{spec['buyer']}@bench.example",
                             "name": f"Bench buyer {spec['buyer']}", "country": "FR"},
                "lines": [{"sku": fixture.scarce_sku if sku == SCARCE_SKU else sku, "qty": qty,
                           "price_unit": 900.0} for sku, qty in spec["lines"]],
                "delivery": {"mode": "ship", "single_parcel": False,
                             "address": {"street": "1 rue de la Paix", "city": "Paris",
                                         "zip": "75002", "country": "FR"}},
                "payment": {"method": "card", "amount": 900.0 * len(spec["lines"]),
                            "card_country": "FR"},
            },
        )  # fmt: skip

    take.make_client = lambda: RpcClient(server.url, server.database, "api-bench-web", key)
    return take


def is_refusal(message):
    """A clear stock refusal (the expected answer to a lost race), not a failure."""
    return "Not enough stock" in message or "available to sell" in message


def is_busy(message):
    """The channel API's clear answer to a call that kept losing the race: retry later."""
    return message.startswith("busy:")


def has_channel_api(server):
    admin = server.client()
    return bool(admin.call("ir.model", "search_count", [["model", "=", "luxury.oms.api"]]))


def run_intake(fixture, orders, clients, taker, specs_for=order_specs):
    """Place ``orders`` orders (made by ``specs_for``) from ``clients`` concurrent XML-RPC
    clients with ``taker``; return throughput, latency percentiles, refusals, busy answers,
    unclear errors and oversold units."""
    specs = specs_for(fixture, orders)
    local = threading.local()

    def place(spec):
        if not hasattr(local, "client"):
            local.client = getattr(taker, "make_client", fixture.server.client)()
        start = time.perf_counter()
        outcome, error = "confirmed", ""
        try:
            taker(fixture, local.client, spec)
        except xmlrpc.client.Fault as fault:
            outcome = (
                "refused" if is_refusal(fault.faultString)
                else "busy" if is_busy(fault.faultString)
                else "error"
            )  # fmt: skip
            error = fault.faultString.strip().splitlines()[-1][:300]
        return spec, outcome, (time.perf_counter() - start) * 1000, error

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(place, specs))
    wall = time.perf_counter() - started
    confirmed = [result for result in results if result[1] == "confirmed"]
    latencies = [latency for _spec, _outcome, latency, _error in results]
    scarce_confirmed = sum(
        qty for spec, *_rest in confirmed for sku, qty in spec["lines"] if sku == SCARCE_SKU
    )
    errors = [error for _spec, outcome, _latency, error in results if outcome == "error"]
    # What the database says was sold, not what the clients believe.
    sold = fixture.server.client().call(
        "sale.order.line",
        "search_read",
        [["product_id", "=", fixture.scarce_id], ["state", "=", "sale"]],
        fields=["product_uom_qty"],
    )
    scarce_sold = sum(line["product_uom_qty"] for line in sold)
    return {
        "orders": orders,
        "clients": clients,
        "seconds": wall,
        "confirmed": len(confirmed),
        "refused": sum(result[1] == "refused" for result in results),
        "busy": sum(result[1] == "busy" for result in results),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "orders_per_s": len(confirmed) / wall if wall else None,
        "p50_ms": median(latencies),
        "p99_ms": percentile(latencies, 0.99),
        "scarce_available": fixture.scarce_units,
        "scarce_wanted": sum(
            qty for spec in specs for sku, qty in spec["lines"] if sku == SCARCE_SKU
        ),
        "scarce_confirmed": scarce_confirmed,
        "scarce_sold": scarce_sold,
        "oversold": max(0, scarce_sold - fixture.scarce_units),
    }
