#!/usr/bin/env python3
"""Where an order's intake spends its time, inside one Odoo process (no network, no workers).

``place_order`` as the ``bench-web`` channel's integration user on the bench database, the
way bench/intake.py's API taker places them (1-3 intake SKUs at the intake sites), each
order timed and its SQL statements counted, then the after-commit work of those orders
(``sale.order._oms_run_pending_work``) timed the same way. Everything is rolled back.

    python3 bench/profile_intake.py [--database luxury_oms_bench] [--orders 30]
                                    [--profile bench/results/intake-profile.txt]
                                    [--plain luxury_oms_bench_plain]

``--plain`` then places the same orders twice more, in turns with plain Odoo's create +
confirm of their lines on the bench's plain database: how far ``place_order`` is from
twice plain Odoo's rate when no HTTP is counted, and how much of it is Odoo's own
``sale.order.create`` (which plain Odoo pays too).

Read the cProfile output as shares: profiling roughly doubles every duration.
"""

import argparse
import cProfile
import io
import pathlib
import pstats
import random
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import INTAKE_SKU_PREFIX  # noqa: E402
from stats import median  # noqa: E402
from stats import percentile  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="luxury_oms_bench")
    parser.add_argument("--conf", default=str(ROOT / ".build" / "bench.conf"))
    parser.add_argument("--orders", type=int, default=30)
    parser.add_argument("--profile", help="write the cProfile of the timed orders here")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--plain",
        metavar="DATABASE",
        help="also time plain Odoo's create + confirm of the same orders on DATABASE (the "
        "bench's plain database), in turns with place_order",
    )
    parser.add_argument(
        "--sourcing",
        action="store_true",
        help="profile sale.order._oms_plan_sourcing (bench-sourcing channel) instead",
    )
    return parser.parse_args(argv)


def integration_env(env):
    """The bench-web channel's integration user (created in this rolled-back run)."""
    channel = env["luxury.oms.channel"].search([("code", "=", "bench-web")])
    user = env["res.users"].create(
        {
            "name": "Profile integration",
            "login": "profile-intake",
            "group_ids": [(6, 0, [env.ref("luxury_oms.group_oms_integration").id])],
            "company_id": channel.company_id.id,
            "company_ids": [(6, 0, channel.company_id.ids)],
        }
    )
    channel.user_ids = [(4, user.id)]
    return env(user=user.id, su=False), channel


def payloads(env, channel, count, seed):
    """``count`` place_order payloads of the bench-web ``channel`` (1-3 intake SKUs, 20
    buyers), the same for a seed on every bench database (``channel`` None on the plain
    one, whose orders take only their lines and buyer)."""
    rng = random.Random(seed)
    skus = env["product.product"].search([("default_code", "=like", f"{INTAKE_SKU_PREFIX}%")])
    codes = sorted(skus.mapped("default_code"))
    for number in range(count):
        lines = [
            {"sku": sku, "qty": rng.choice((1, 1, 2)), "price_unit": 900.0}
            for sku in rng.sample(codes, rng.randint(1, 3))
        ]
        buyer = rng.randrange(20)
        yield {
            "channel": "bench-web",
            "external_ref": f"PROFILE-{seed}-{number}",
            "currency": channel.currency_id.name if channel else None,
            "customer": {
                "email": f"buyer{buyer}@bench.example",
                "name": f"Bench buyer {buyer}",
                "country": "FR",
            },
            "lines": lines,
            "delivery": {
                "mode": "ship",
                "single_parcel": False,
                "address": {
                    "street": "1 rue de la Paix",
                    "city": "Paris",
                    "zip": "75002",
                    "country": "FR",
                },
            },
            "payment": {"method": "card", "amount": 900.0 * len(lines), "card_country": "FR"},
        }


def timed(cr, call):
    """(wall ms, SQL statements, CPU ms of this process) of ``call()``. On a shared machine
    the wall time moves with the load; the CPU time of this process much less (it leaves
    out PostgreSQL's work, which the statement count stands for)."""
    statements = cr.sql_log_count
    started, cpu = time.perf_counter(), time.process_time()
    call()
    return (
        (time.perf_counter() - started) * 1000,
        cr.sql_log_count - statements,
        (time.process_time() - cpu) * 1000,
    )


def summary(label, samples):
    durations = [sample[0] for sample in samples]
    statements = [sample[1] for sample in samples]
    return (
        f"{label}: p50 {median(durations):.1f} ms, p90 {percentile(durations, 0.9):.1f} ms, "
        f"CPU in this process p50 {median([sample[2] for sample in samples]):.1f} ms, "
        f"SQL statements per order p50 {median(statements):.0f} "
        f"(min {min(statements)}, max {max(statements)})"
    )


def profile_sourcing(env, args):
    """``_oms_plan_sourcing`` of 5-line orders over 200 sites and 50 rules, as
    bench/measure.py times it (cold ORM cache each time), with its SQL statements."""
    from measure import sourcing_orders

    channel = env["luxury.oms.channel"].search([("code", "=", "bench-sourcing")])
    client = env["res.partner"].search([("ref", "=", "BENCH-SOURCING-CLIENT")])
    orders = sourcing_orders(env, channel, client, min(args.orders, 50), seed=args.seed)
    env.flush_all()
    profiler = cProfile.Profile() if args.profile else None
    samples = []
    for run in range(args.orders + 1):
        order = orders[run % len(orders)]
        env.invalidate_all()
        savepoint = env.cr.savepoint()
        if profiler and run:
            profiler.enable()
        sample = timed(env.cr, lambda order=order: (order._oms_plan_sourcing(), env.flush_all()))
        if profiler and run:
            profiler.disable()
        savepoint.close(rollback=True)
        if run:  # the first loads code and caches, as a worker's first order
            samples.append(sample)
    print(summary("sourcing at confirmation", samples))
    return profiler


def measure_place_order(env, count, seed=11, profile=False):
    """Time ``count`` place_order calls after 3 untimed ones, then their after-commit work:
    ([(ms, statements)] of the intake, the same of the work, the cProfile or None)."""
    api_env, channel = integration_env(env)
    Api = api_env["luxury.oms.api"]
    orders = list(payloads(env, channel, count + 3, seed))
    placed = env["sale.order"]
    for payload in orders[:3]:  # warm the caches, as a worker that served orders
        placed |= placed.search([("name", "=", Api.place_order(payload)["order_ref"])])
    for order in placed:
        order._oms_run_work()
    profiler = cProfile.Profile() if profile else None
    intake, answers = [], []
    for payload in orders[3:]:
        # Cold, as in a request: each request reads the records again (a worker keeps only
        # the registry's caches).
        env.invalidate_all()
        if profiler:
            profiler.enable()
        intake.append(timed(env.cr, lambda payload=payload: request(env, Api, payload, answers)))
        if profiler:
            profiler.disable()
    # Only these orders' work: a bench database keeps the work of earlier intake runs,
    # whose servers run no cron.
    timed_orders = placed.search([("name", "in", [answer["order_ref"] for answer in answers])])
    work = [timed(env.cr, order._oms_run_work) for order in timed_orders]
    return intake, work, profiler


def plain_order_values(payload, product_ids, buyer_id, site_id):
    """The ``sale.order`` values of ``payload`` as plain Odoo's taker sends them (the bench's
    intake run): client, warehouse and lines; ``product_ids``: {SKU: id} of that database."""
    return {
        "partner_id": buyer_id,
        "warehouse_id": site_id,
        "order_line": [
            (0, 0, {"product_id": product_ids[line["sku"]], "product_uom_qty": line["qty"]})
            for line in payload["lines"]
        ],
    }


def measure_plain(env, count, seed=11):
    """Plain Odoo's create + ``action_confirm`` of the orders ``payloads`` gives (on the
    bench's plain database, after 3 untimed ones), cold ORM cache each time, with what the
    request runs before its commit: [(ms of both, ms of the create alone)]."""
    skus = env["product.product"].search([("default_code", "=like", f"{INTAKE_SKU_PREFIX}%")])
    product_ids = {product.default_code: product.id for product in skus}
    buyers = {
        partner.name: partner.id
        for partner in env["res.partner"].search([("name", "=like", "Bench buyer %")])
    }
    site_id = env["stock.warehouse"].search([], order="id", limit=1).id
    samples = []
    for number, payload in enumerate(payloads(env, None, count + 3, seed)):
        values = plain_order_values(
            payload, product_ids, buyers[payload["customer"]["name"]], site_id
        )
        env.invalidate_all()
        started = time.perf_counter()
        order = env["sale.order"].create(values)
        env.flush_all()
        created = time.perf_counter()
        order.action_confirm()
        env.flush_all()
        env.cr.precommit.run()
        if number >= 3:  # the first load code and caches, as a worker's first orders
            samples.append(((time.perf_counter() - started) * 1000, (created - started) * 1000))
    return samples


def request(env, Api, payload, answers):
    """``place_order`` and what its request runs before the commit (the chatter's tracking,
    the availability snapshot's refresh): the commit is left out (rolled back at the end)."""
    answers.append(Api.place_order(payload))
    env.cr.precommit.run()


def in_process_figures(database, count=20, seed=11):
    """The bench's in-process intake figure: place_order's p50 and SQL statements per
    order, and those of its after-commit work (rolled back). Odoo's config must be parsed."""
    from odoo import SUPERUSER_ID
    from odoo import api
    from odoo.modules.registry import Registry

    with Registry(database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        intake, work, _profiler = measure_place_order(env, count, seed)
        cr.rollback()
    return {
        "orders": count,
        "p50_ms": median([sample[0] for sample in intake]),
        "statements_p50": median([sample[1] for sample in intake]),
        "cpu_p50_ms": median([sample[2] for sample in intake]),
        "work_p50_ms": median([sample[0] for sample in work]),
        "work_statements_p50": median([sample[1] for sample in work]),
    }


def main(argv=None):
    args = parse_args(argv)
    from odoo import SUPERUSER_ID
    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["-c", args.conf, "--log-level=warn"], setup_logging=True)
    with Registry(args.database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.sourcing:
            write_profile(profile_sourcing(env, args), args.profile)
            cr.rollback()
            return 0
        intake, work, profiler = measure_place_order(env, args.orders, args.seed, args.profile)
        print(summary("place_order", intake))
        print(summary("after-commit work", work))
        write_profile(profiler, args.profile)
        cr.rollback()
    if args.plain:
        compare_with_plain(args)
    return 0


def compare_with_plain(args):
    """place_order and plain Odoo's create + confirm, in turns, twice (the same minutes of
    the machine for both): p50 ms per order, and the share of ``sale.order.create`` in
    place_order (which plain Odoo pays too)."""
    from unittest.mock import patch

    from odoo import SUPERUSER_ID
    from odoo import api
    from odoo.modules.registry import Registry

    for _round in range(2):
        with Registry(args.database).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            SaleOrder = type(env["sale.order"])
            create, creates = SaleOrder.create, []

            def timed_create(self, vals_list, create=create, creates=creates):
                started = time.perf_counter()
                try:
                    return create(self, vals_list)
                finally:
                    creates.append((time.perf_counter() - started) * 1000)

            with patch.object(SaleOrder, "create", timed_create):
                intake, _work, _profiler = measure_place_order(env, args.orders, args.seed)
            cr.rollback()
        with Registry(args.plain).cursor() as cr:
            plain = measure_plain(api.Environment(cr, SUPERUSER_ID, {}), args.orders, args.seed)
            cr.rollback()
        print(
            f"place_order p50 {median([s[0] for s in intake]):.1f} ms, of which sale.order "
            f"create {median(creates[-args.orders:]):.1f} ms | plain Odoo's create + confirm "
            f"p50 {median([s[0] for s in plain]):.1f} ms, of which create "
            f"{median([s[1] for s in plain]):.1f} ms"
        )


def write_profile(profiler, path):
    if not profiler:
        return
    output = io.StringIO()
    stats = pstats.Stats(profiler, stream=output).sort_stats("cumulative")
    stats.print_stats(200)
    pathlib.Path(path).write_text(output.getvalue())
    print(f"profile written to {path}")


if __name__ == "__main__":
    sys.exit(main())
