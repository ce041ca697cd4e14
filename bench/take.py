"""The take's cost: a back-office sale order confirmed at an OMS site (the availability
check under the slot lock, the moves, and the snapshot brought up to date), timed up to
and including the pre-commit work (``cr.flush()``), in one Odoo process; with the number
of SQL statements it ran (a figure the machine's load does not move).

Run it against two copies of one database, one per code version, to compare them:

    python3 bench/take.py -c odoo.conf -d db_before --addons-path /work/main/addons,...
    python3 bench/take.py -c odoo.conf -d db_after

Everything is rolled back: the database is left as it was. Needs a stored, untracked
product of the maison (``--product``, a default code or an id) and an OMS site
(``--site``, a warehouse code); the demo maison has both.
"""

import argparse
import json
import sys
import time

from stats import median
from stats import percentile


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path")
    parser.add_argument("--orders", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--product", default="172", help="product id (untracked)")
    parser.add_argument("--site", default="PDC", help="warehouse code of an OMS site")
    return parser.parse_args(argv)


def measure_takes(env, product, site, orders, warmup):
    """Milliseconds of ``action_confirm`` plus the pre-commit flush, per order."""
    env["stock.quant"]._update_available_quantity(product, site.lot_stock_id, orders + warmup)
    env.cr.flush()
    partner = env["res.partner"].create({"name": "Take bench client"})
    durations, queries = [], []
    for number in range(orders + warmup):
        order = env["sale.order"].create(
            {
                "partner_id": partner.id,
                "warehouse_id": site.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        env.cr.flush()
        env.invalidate_all()
        count = env.cr.sql_log_count
        start = time.perf_counter()
        order.action_confirm()
        env.cr.flush()  # what the commit runs first: the ORM flush and the pre-commit hooks
        if number >= warmup:
            durations.append((time.perf_counter() - start) * 1000)
            queries.append(env.cr.sql_log_count - count)
    return {
        "orders": orders,
        "p50_ms": median(durations),
        "p90_ms": percentile(durations, 0.9),
        "mean_ms": sum(durations) / len(durations),
        "queries_p50": median(queries),
    }


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    from odoo.tools import config

    options = ["-c", args.config, "--log-level=warn"]
    if args.addons_path:
        options.append(f"--addons-path={args.addons_path}")
    config.parse_config(options, setup_logging=True)
    from odoo import SUPERUSER_ID
    from odoo import api
    from odoo.modules.registry import Registry

    with Registry(args.database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        product = env["product.product"].browse(int(args.product))
        site = env["stock.warehouse"].search([("code", "=", args.site)])
        # The order is the site's company's (the demo maison is not the first company).
        env = env(context={"allowed_company_ids": site.company_id.ids})
        product, site = product.with_env(env), site.with_env(env)
        figures = measure_takes(env, product, site, args.orders, args.warmup)
        cr.rollback()
    print(json.dumps({"database": args.database, **figures}))


if __name__ == "__main__":
    main()
