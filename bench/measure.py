"""In-process figures: ATS (ours, the raw quant read, plain Odoo's free_qty) and sourcing
(the engine alone, and an order sourced by the OMS on the generated maison)."""

import contextlib
import cProfile
import importlib.util
import io
import pathlib
import pstats
import random
import sys
import time

from stats import median
from stats import percentile
from stats import ratio
from stats import time_interleaved
from stats import time_reps

from odoo.fields import Command
from odoo.tools import SQL

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCING_ENGINE = ROOT / "addons" / "luxury_oms" / "engine" / "sourcing.py"
SOURCING_BENCH = ROOT / "bench" / "bench_sourcing.py"
# Our read and the raw one take milliseconds where plain Odoo takes a second: they get
# more repetitions, so that their medians (and ratio) are steady.
READ_REPS_FACTOR = 5


def pick_products(env, products, count, seed=7):
    """``count`` SKUs drawn at random among those that have stock somewhere."""
    stocked = {
        product_id
        for (product_id,) in env.execute_query(
            SQL(
                # a semi-join, not = ANY(): the catalogue can be tens of thousands of ids
                "SELECT DISTINCT product_id FROM stock_quant "
                "WHERE product_id IN (SELECT unnest(%s::int[]))",
                products.ids,
            )
        )
    }
    candidates = sorted(stocked)
    chosen = random.Random(seed).sample(candidates, min(count, len(candidates)))
    return env["product.product"].browse(sorted(chosen))


def measure_ats(env, products, warehouses, channel, reps):
    """Median milliseconds of the three ways to know what can be sold, cold ORM cache each
    time (as in a fresh request), and a check that ours reads the same on-hand as the raw
    query."""
    Availability = env["luxury.oms.availability"]
    location_ids = [
        location_id
        for location_ids in warehouses._oms_sellable_locations_by_site().values()
        for location_id in location_ids
    ]
    raw_query = SQL(
        """SELECT product_id, location_id, SUM(quantity)
             FROM stock_quant
            WHERE product_id = ANY(%s) AND location_id = ANY(%s)
         GROUP BY product_id, location_id""",
        products.ids,
        location_ids,
    )

    def ours():
        return Availability._compute_availability(products, warehouses, channel)

    def raw():
        return env.execute_query(raw_query)

    def plain():
        for warehouse in warehouses:
            products.with_context(warehouse_id=warehouse.id).mapped("free_qty")

    cold = env.invalidate_all
    ours(), raw()  # untimed: the first call of a process pays for loading code and plans
    ours_ms, raw_ms = time_interleaved([ours, raw], reps * READ_REPS_FACTOR, cold)
    figures = {
        "ours_ms": median(ours_ms),
        "raw_ms": median(raw_ms),
        "plain_ms": median(time_reps(plain, reps, cold)),
    }
    ours_on_hand = sum(site.on_hand for site in ours().values())
    raw_on_hand = sum(quantity for _product, _location, quantity in raw())
    figures |= {
        "products": len(products),
        "sites": len(warehouses),
        "reps": reps,
        "speedup_vs_plain": ratio(figures["plain_ms"], figures["ours_ms"]),
        "cost_vs_raw": ratio(figures["ours_ms"], figures["raw_ms"]),
        "on_hand_matches_raw": abs(ours_on_hand - raw_on_hand) < 1e-6,
        "on_hand_units": raw_on_hand,
    }
    return figures


def profile_ats(env, products, warehouses, channel, path, reps=5):
    """Write where our ATS spends its time (cProfile, cumulative, top 30) to ``path``."""
    Availability = env["luxury.oms.availability"]
    profiler = cProfile.Profile()
    for _rep in range(reps):
        env.invalidate_all()
        profiler.enable()
        Availability._compute_availability(products, warehouses, channel)
        profiler.disable()
    output = io.StringIO()
    pstats.Stats(profiler, stream=output).sort_stats("cumulative").print_stats(30)
    pathlib.Path(path).write_text(output.getvalue())


def load_sourcing():
    """The sourcing engine and its synthetic-maison builders, or None when not merged."""
    if not (SOURCING_ENGINE.exists() and SOURCING_BENCH.exists()):
        return None
    spec = importlib.util.spec_from_file_location("bench_sourcing", SOURCING_BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def measure_sourcing(site_count, runs, rule_count=50, seed=42):
    """p50/p99 milliseconds of planning a 5-line order over ``site_count`` sites and
    ``rule_count`` rules with the sourcing engine, or a reason when it is not available."""
    bench_sourcing = load_sourcing()
    if bench_sourcing is None:
        return {"available": False, "reason": "sourcing engine not available"}
    engine = bench_sourcing.load_engine()
    rng = random.Random(seed)
    sites, ats = bench_sourcing.build_network(engine, rng, site_count=site_count)
    rules = bench_sourcing.build_rules(engine, rng, rule_count=rule_count)
    orders = iter([bench_sourcing.build_order(engine, rng) for _run in range(runs)])
    timings = time_reps(lambda: engine.plan_order(rules, next(orders), sites, ats), runs)
    return {
        "available": True,
        "sites": site_count,
        "rules": rule_count,
        "runs": runs,
        "p50_ms": median(timings),
        "p99_ms": percentile(timings, 0.99),
    }


def sourcing_orders(env, channel, client, count, seed=42, lines=5):
    """``count`` draft orders of the sourcing channel, each of ``lines`` SKUs stocked at
    some of its sites (one or two pieces)."""
    rng = random.Random(seed)
    stocked = [
        product_id
        for (product_id,) in env.execute_query(
            SQL(
                """SELECT DISTINCT quant.product_id
                     FROM stock_quant quant
                     JOIN stock_warehouse site ON site.lot_stock_id = quant.location_id
                    WHERE site.id = ANY(%s) AND quant.quantity > 0
                 ORDER BY 1""",
                channel.warehouse_ids.ids,
            )
        )
    ]
    return env["sale.order"].create(
        [
            {"partner_id": client.id, "oms_channel_id": channel.id,
             "warehouse_id": channel.warehouse_ids[0].id,
             "order_line": [
                 Command.create({"product_id": product_id, "product_uom_qty": rng.choice((1, 2))})
                 for product_id in rng.sample(stocked, lines)
             ]}
            for _order in range(count)
        ]
    )  # fmt: skip


def measure_order_sourcing(env, channel, client, runs, seed=42):
    """p50/p99 milliseconds of the OMS sourcing a 5-line order as it does at confirmation
    (``sale.order._oms_plan_sourcing``: rules, sites and ATS read from the database, the
    engine, the plan stored and the lines assigned), cold ORM cache each time; each run is
    rolled back."""
    orders = sourcing_orders(env, channel, client, min(runs, 50), seed=seed)
    env.flush_all()
    timings, plans = [], 0

    def source(order):
        nonlocal plans
        with contextlib.closing(env.cr.savepoint()):
            env.invalidate_all()
            start = time.perf_counter()
            order._oms_plan_sourcing()
            env.flush_all()
            timings.append((time.perf_counter() - start) * 1000)
            plans += bool(order.oms_sourcing_plan_ids)
        env.invalidate_all()

    source(orders[0])  # untimed: loads code and plans
    timings.clear()
    plans = 0
    for run in range(runs):
        source(orders[run % len(orders)])
    return {
        "sites": len(channel.warehouse_ids),
        "rules": len(channel.sourcing_strategy_id.rule_ids),
        "runs": runs,
        "planned": plans,
        "p50_ms": median(timings),
        "p99_ms": percentile(timings, 0.99),
    }
