#!/usr/bin/env python3
"""`make bench`: Luxury OMS next to plain Odoo doing the same job the stock way, in one run.

1. Installs ``luxury_oms`` (no demo) into the database ``luxury_oms_bench`` (first run only)
   and generates a maison there (incremental: a bigger run extends a smaller one).
2. ATS for 100 SKUs x 50 sites with buffer rules and holds: ours, the raw aggregated quant
   read, and plain Odoo's ``free_qty`` per warehouse through the ORM.
3. Sourcing a 5-line order over 200 sites and 50 rules: the engine's decision, and the same
   order sourced by the OMS with its rules, sites and stock read from the database.
4. Order intake over XML-RPC against an Odoo server with 2 workers, on the OMS database and on
   ``luxury_oms_bench_plain`` (only ``sale_stock``: plain Odoo).
5. The same figures over 10, 100, 1000 sites; writes bench/results/RESULTS.md, results.json
   and scaling.png.

Quick mode (``--quick``: 50 sites, 2,000 SKUs) is the smoke run; the default is the full maison.
"""

import argparse
import datetime
import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))  # the real-server harness

# LUXURY_OMS_BENCH_DB names the bench databases (default luxury_oms_bench and
# luxury_oms_bench_plain): engineers sharing a machine each keep their own.
BENCH_DB = os.environ.get("LUXURY_OMS_BENCH_DB", "luxury_oms_bench")
PLAIN_DB = f"{BENCH_DB}_plain"
CODE_KEY = "luxury_oms_bench.addons_tree"
API_LABEL = "luxury.oms.api.place_order"
SINGLE_CLIENT_LABEL = f"{API_LABEL}, 1 client"
PROFILES = {
    "quick": {"sites": 50, "skus": 2_000, "scale_steps": "10,25,50", "orders": 40,
              "clients": 4, "reps": 5, "sourcing_runs": 50, "hot_orders": 40},
    "full": {"sites": 300, "skus": 20_000, "scale_steps": "10,100,1000", "orders": 400,
             "clients": 8, "reps": 10, "sourcing_runs": 300, "hot_orders": 200},
}  # fmt: skip
CAVEAT = (
    "absolute milliseconds depend on the machine and on what else ran on it (the load "
    "average and the count of other Odoo processes are in the machine line); ratios measured "
    "side by side in the same run are the meaningful part. Re-run `make bench` on your "
    "machine for its absolute numbers."
)
METHOD = """\
- **ATS**: `luxury.oms.availability._compute_availability(products, warehouses, channel)` with
  the generated buffer rules (family, DC, channel and product rules) and active VIP holds,
  against the raw `SELECT product_id, location_id, SUM(quantity) FROM stock_quant ... GROUP BY`
  over the same sellable locations (no reservations, rules or holds: the floor), and plain
  Odoo's way: `products.with_context(warehouse_id=wh.id).mapped('free_qty')` for each
  warehouse. The raw read is given the sellable location ids (found outside the timing);
  ours finds them itself. The ORM cache is invalidated before every repetition (a fresh
  request); median of the repetitions. Ours and the raw read take turns, five times as many
  repetitions as plain Odoo (`--reps`), after one untimed call each, so that both share the
  same moments of the machine. The run also checks that our on-hand equals the raw read. The
  generator ends with `ANALYZE`, so PostgreSQL plans every read with the statistics a live
  database has.
- **Sourcing**: `engine/sourcing.py` `plan_order` over a synthetic network built by
  `bench/bench_sourcing.py` (sites, ATS per product and site, 50 rules of which only the last
  matches, 5-line orders); p50 and p99 of single timings. Plain Odoo has no sourcing step.
  The same decision as the OMS takes it at confirmation, on the generated maison:
  `sale.order._oms_plan_sourcing()` for draft 5-line orders of the `bench-sourcing` channel
  (200 sites with addresses, a strategy of 50 rules stored in the database, each of four
  criteria, only the last matching), cold ORM cache each time, each run rolled back. It
  includes reading the rules, the sites and their capacity left today, the ATS of the 5 SKUs
  at the 200 sites for this channel and client, the engine, storing the explainable plan
  with its candidates and assigning the lines' sites. Each of the 200 sites has a year of
  shipped parcels behind it (1,000 each, 200,000 transfers, as a live maison has): what
  counting the parcels of the day must not read.
- **Order intake**: an Odoo server with `--workers=2` (tests/harness.py), N concurrent XML-RPC
  clients each placing orders of 1-3 deep lines at one of 5 sites; one order in four also
  wants one piece of a scarce SKU, with half as many pieces available as wanted. "The stock
  way" is `sale.order` `create` + `action_confirm` (two calls); on the OMS database the
  confirmation runs the atomic take (refusal when short), on the plain database (`sale_stock`
  only) it never refuses. Latency is per order (both calls); orders/s counts confirmed orders
  over the wall time; oversold = scarce pieces confirmed beyond those available. When the
  channel API (`luxury.oms.api.place_order`) exists, it is measured the same way.
- **Hot SKU**: the same server and clients, every order wanting one piece of one SKU with
  half as many pieces as orders, through the channel API and, on the plain database, the
  stock way. Each answer is counted as confirmed, a stock refusal, "busy, retry" (the API's
  answer to a call that kept losing the race for 2.5 s) or an unclear error (anything else,
  e.g. a serialization failure's traceback): the target is 0 unclear errors, p99 <= 5 s,
  0 oversold.
- **Scaling**: the same ATS figures for the same SKUs over the first N sites, and sourcing
  over N sites.
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 sites, 2,000 SKUs, short runs")
    parser.add_argument("--sites", type=int, help="sites of the maison")
    parser.add_argument("--skus", type=int, help="SKUs of the catalogue")
    parser.add_argument("--scale-steps", help="comma-separated site counts, e.g. 10,100,1000")
    parser.add_argument("--orders", type=int, help="orders per intake run")
    parser.add_argument("--clients", type=int, help="concurrent XML-RPC clients")
    parser.add_argument("--hot-orders", type=int, help="orders of the hot-SKU run")
    parser.add_argument("--reps", type=int, help="repetitions per ATS figure (median kept)")
    parser.add_argument("--sourcing-runs", type=int, help="orders sourced per sourcing figure")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--fresh", action="store_true", help="drop the bench databases first")
    parser.add_argument("--no-plain-db", action="store_true",
                        help="skip the plain Odoo (sale_stock only) intake database")  # fmt: skip
    parser.add_argument(
        "--profile", action="store_true", help="also write where our ATS spends its time"
    )
    parser.add_argument(
        "--rounds", type=int, default=5,
        help="rounds of place_order and plain Odoo's create + confirm taking turns, both "
        "servers up, for the intake ratio under the same load (0: none)",
    )  # fmt: skip
    parser.add_argument("--results", default=str(HERE / "results"), help="output directory")
    args = parser.parse_args(argv)
    args.mode = "quick" if args.quick else "full"
    for name, value in PROFILES[args.mode].items():
        if getattr(args, name) is None:
            setattr(args, name, value)
        elif _steps(getattr(args, name)) != _steps(value):
            args.mode = "custom"
    args.scale_steps = _steps(args.scale_steps)
    if args.sites < 1 or args.skus < 100 or min(args.scale_steps) < 1:
        parser.error("--sites and scale steps must be positive, --skus at least 100")
    return args


def _steps(value):
    """Site counts from "10,100,1000" (sorted, unique); other values as they are."""
    if isinstance(value, str):
        return sorted({int(step) for step in value.split(",") if step})
    return value


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# Databases -----------------------------------------------------------------------------


def pg_args():
    return [
        "-h", os.environ.get("DB_HOST", "127.0.0.1"),
        "-p", os.environ.get("DB_PORT", "5432"),
        "-U", os.environ.get("DB_USER", "odoo"),
    ]  # fmt: skip


def database_exists(database):
    answer = subprocess.run(
        ["psql", *pg_args(), "-d", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{database}'"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return answer.stdout.strip() == "1"


def ensure_database(conf, database, modules, fresh, follow_addons=False):
    """Install ``modules`` into a new ``database``; with ``follow_addons``, upgrade them when
    the committed code of addons/ changed since the last install or upgrade (a merge)."""
    if fresh:
        subprocess.run(["dropdb", *pg_args(), "--if-exists", "--force", database], check=True)
    code = addons_commit() if follow_addons else None
    if not database_exists(database):
        _odoo(conf, database, "-i", modules)
    elif (
        code
        and _psql(database, f"SELECT value FROM ir_config_parameter WHERE key = '{CODE_KEY}'")
        != code
    ):
        _odoo(conf, database, "-u", modules)
    if code:
        _psql(
            database,
            f"INSERT INTO ir_config_parameter (key, value) VALUES ('{CODE_KEY}', '{code}') "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        )


def addons_commit():
    """The git tree id of addons/ at HEAD, or None outside a git checkout."""
    answer = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD:addons"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return answer.stdout.strip() or None


def _psql(database, query):
    answer = subprocess.run(
        ["psql", *pg_args(), "-d", database, "-tAc", query],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return answer.stdout.strip()


def _odoo(conf, database, action, modules):
    verb = "installing" if action == "-i" else "upgrading"
    log(f"{verb} {modules} in {database} (no demo data)")
    install_log = ROOT / ".build" / f"install-{database}.log"
    with open(install_log, "w") as output:
        result = subprocess.run(
            # --without-demo: the rendered conf's "without_demo = False" means demo data
            # (Odoo 19), whose companies made the back-office orders cross companies.
            [sys.executable, "-m", "odoo", "-c", str(conf), "-d", database, action, modules,
             "--stop-after-init", "--log-level=warn", "--without-demo"],
            stdout=output, stderr=subprocess.STDOUT, check=False,
        )  # fmt: skip
    if result.returncode:
        if action == "-i":
            subprocess.run(["dropdb", *pg_args(), "--if-exists", database], check=False)
        raise SystemExit(f"{verb} {modules} in {database} failed, see {install_log}")


def ensure_conf():
    conf = ROOT / ".build" / "bench.conf"
    if not conf.exists():
        subprocess.run([str(ROOT / "tools" / "render-conf"), str(conf)], check=True)
    return conf


# The run -------------------------------------------------------------------------------


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    started_at = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M")
    conf = ensure_conf()
    pathlib.Path(args.results).mkdir(parents=True, exist_ok=True)
    ensure_database(conf, BENCH_DB, "luxury_oms", args.fresh, follow_addons=True)

    from odoo.tools import config

    config.parse_config(["-c", str(conf), "--log-level=warn"], setup_logging=True)
    import inprocess

    results = {
        "started": started_at,
        "command": "python3 bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "mode": args.mode,
        "caveat": CAVEAT,
        "method": METHOD,
    }
    results |= inprocess.run_database_figures(args, BENCH_DB, log)
    import profile_intake

    log("place_order in one process: time and SQL statements per order")
    results["intake_in_process"] = profile_intake.in_process_figures(BENCH_DB)
    log(f"place_order in one process: {results['intake_in_process']}")
    results["intake"] = run_intake_figures(args, conf, inprocess, log)
    if not args.no_plain_db and args.rounds:
        results["intake_interleaved"] = run_interleaved_intake(args, conf, log)

    import report

    results["machine"] = report.machine(results.pop("postgresql"), results.pop("odoo"))
    results["seconds"] = time.perf_counter() - started
    report.write_results(results, args.results)
    for row in report.headline_rows(results):
        log(" | ".join(str(cell) for cell in row if cell))
    log(f"written to {args.results}/RESULTS.md in {results['seconds']:.0f} s")
    return 0


def run_intake_figures(args, conf, inprocess, log):
    from harness import OdooServer
    from intake import IntakeFixture
    from intake import api_taker
    from intake import has_channel_api
    from intake import hot_sku_specs
    from intake import run_intake
    from intake import sale_order_taker
    from intake import scarce_units_for

    def measure(database, taker_for):
        server = OdooServer(database, str(conf), workers=2).start()
        try:
            # each way of taking orders races for its own scarce SKU
            figures = {
                label: run_intake(
                    IntakeFixture(server, scarce_units_for(args.orders)),
                    args.orders,
                    args.clients,
                    taker,
                )
                for label, taker in taker_for(server, run_tag).items()
            }
            if API_LABEL in figures:  # one client alone: the channel's latency
                figures[SINGLE_CLIENT_LABEL] = run_intake(
                    IntakeFixture(server, scarce_units_for(args.orders // 2)),
                    args.orders // 2,
                    1,
                    api_taker(f"{run_tag}-single", server),
                )
            for label, taker in taker_for(server, f"{run_tag}-hot").items():
                if label != "sale.order create + action_confirm":  # plain's is the reference
                    figures[f"hot SKU, {label}"] = run_intake(
                        IntakeFixture(server, args.hot_orders // 2),
                        args.hot_orders,
                        args.clients,
                        taker,
                        specs_for=hot_sku_specs,
                    )
            return figures
        finally:
            server.stop()

    run_tag = str(int(time.time()))
    log(f"intake on {BENCH_DB}: {args.orders} orders, {args.clients} clients, 2 workers")
    ours = measure(
        BENCH_DB,
        lambda server, tag: {"sale.order create + action_confirm": sale_order_taker}
        | ({API_LABEL: api_taker(tag, server)} if has_channel_api(server) else {}),
    )
    plain = {}
    if not args.no_plain_db:
        ensure_database(conf, PLAIN_DB, "sale_stock", args.fresh)
        inprocess.generate_plain(PLAIN_DB, args.seed, log)
        log(f"intake on {PLAIN_DB} (plain Odoo, sale_stock only)")
        plain = measure(PLAIN_DB, lambda _server, _tag: {"plain": sale_order_taker})
    # place_order against plain Odoo's create + confirm: the intake target (2x its orders/s).
    return [
        {"label": label, "ours": figures,
         "plain": plain.get("hot SKU, plain" if label.startswith("hot SKU") else "plain")
         if label == API_LABEL or label.startswith(("sale.order", "hot SKU")) else None}
        for label, figures in ours.items()
    ]  # fmt: skip


def run_interleaved_intake(args, conf, log):
    """``place_order`` against plain Odoo's create + confirm in alternating rounds of
    ``--orders`` orders each, both servers up (2 workers each, one idle while the other
    takes orders), who goes first swapping every round: on a shared machine both ways see
    the load of the same minutes. place_order's after-commit work is waited for before the
    next round starts. Each round's ratio of orders/s is kept; the median ratio is the
    intake target's figure (the sequential runs above follow the load of their own
    minutes)."""
    from harness import OdooServer
    from intake import IntakeFixture
    from intake import api_taker
    from intake import run_intake
    from intake import sale_order_taker
    from intake import scarce_units_for
    from stats import median

    log(f"intake, interleaved: {args.rounds} rounds of {args.orders} orders, {args.clients} "
        "clients, place_order and plain Odoo in turns")  # fmt: skip
    run_tag = f"{int(time.time())}-turns"
    # With its cron, as in production: place_order leaves the client's mails to it.
    ours_server = OdooServer(
        BENCH_DB, str(conf), workers=2, options=["--max-cron-threads=1"]
    ).start()
    try:
        plain_server = OdooServer(PLAIN_DB, str(conf), workers=2).start()
        try:
            ways = {
                "ours": (ours_server, lambda number: api_taker(f"{run_tag}-{number}", ours_server)),
                "plain": (plain_server, lambda _number: sale_order_taker),
            }
            # The backlog of earlier runs (their servers had no cron) is worked off first.
            _drain_pending_work(ours_server, timeout=600)
            rounds = []
            for number in range(args.rounds):
                order = ("ours", "plain") if number % 2 == 0 else ("plain", "ours")
                figures = {}
                for way in order:
                    server, taker_for = ways[way]
                    figures[way] = run_intake(
                        IntakeFixture(server, scarce_units_for(args.orders)),
                        args.orders, args.clients, taker_for(number),
                    )  # fmt: skip
                    if way == "ours":  # its after-commit work is not left to the next round
                        figures[way]["work_seconds"] = _drain_pending_work(ours_server)
                        figures[way]["orders_per_s_with_work"] = figures[way]["confirmed"] / (
                            figures[way]["seconds"] + figures[way]["work_seconds"]
                        )
                ratio = (
                    figures["ours"]["orders_per_s"] / figures["plain"]["orders_per_s"]
                    if figures["ours"]["orders_per_s"] and figures["plain"]["orders_per_s"]
                    else None
                )
                rounds.append({"first": order[0], "ratio": ratio, **figures})
                log(
                    f"round {number + 1}: {order[0]} first, place_order "
                    f"{figures['ours']['orders_per_s']:.1f} orders/s "
                    f"({figures['ours']['orders_per_s_with_work']:.1f} with its mails), plain "
                    f"{figures['plain']['orders_per_s']:.1f} orders/s, ratio {ratio or 0:.2f}"
                )
        finally:
            plain_server.stop()
    finally:
        ours_server.stop()
    ratios = [one["ratio"] for one in rounds if one["ratio"] is not None]
    return {
        "rounds": rounds,
        "orders": args.orders,
        "clients": args.clients,
        "median_ratio": median(ratios) if ratios else None,
        "ours_orders_per_s": median([one["ours"]["orders_per_s"] for one in rounds]),
        # The same with the wait for their after-commit work (which plain Odoo does not do:
        # it sends no mail on a confirmation over XML-RPC).
        "median_ratio_with_work": median(
            [
                one["ours"]["orders_per_s_with_work"] / one["plain"]["orders_per_s"]
                for one in rounds
                if one["plain"]["orders_per_s"]
            ]
        )
        if rounds
        else None,
        "work_seconds": median([one["ours"]["work_seconds"] for one in rounds]),
        "plain_orders_per_s": median([one["plain"]["orders_per_s"] for one in rounds]),
        "ours_p50_ms": median([one["ours"]["p50_ms"] for one in rounds]),
        "plain_p50_ms": median([one["plain"]["p50_ms"] for one in rounds]),
        "oversold": sum(one["ours"]["oversold"] for one in rounds),
        "plain_oversold": sum(one["plain"]["oversold"] for one in rounds),
        "errors": sum(one["ours"]["errors"] for one in rounds),
    }


def _drain_pending_work(server, timeout=60):
    """Wait until the server's cron has done the after-commit work of every order (the
    client's mails): in alternating rounds, what place_order leaves to its cron must not
    run during plain Odoo's round. Returns the seconds waited."""
    admin = server.client()
    started = time.monotonic()
    while time.monotonic() < started + timeout and admin.call(
        "sale.order", "search_count", [["oms_work_state", "=", "pending"]]
    ):
        time.sleep(0.1)
    return time.monotonic() - started


if __name__ == "__main__":
    sys.exit(main())
