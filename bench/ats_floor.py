"""The live read against the floor: ``_compute_availability`` for 100 SKUs against the raw
aggregated quant read, at each site count (issue 18: <= 1.5x at every step, same answer).

The scaling table of ``run.py`` in isolation, on a database of its own (so it runs while
``run.py`` runs elsewhere), without the intake and sourcing figures:

    python3 bench/ats_floor.py --sites 1000 --skus 2000 --steps 10,50,1000

Builds ``--database`` (luxury_oms without demo data, then the generated maison of
``generate.py``) when missing; reuses it after. Prints one JSON line per step.
"""

import argparse
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

import run  # noqa: E402  (the runner's database helpers)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="luxury_oms_bench_ats")
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--skus", type=int, default=2000)
    parser.add_argument("--steps", default="10,50,1000")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--addons-path",
        help="measure another version of the code (e.g. main's) on the same database, "
        "as it is: no install, upgrade or generation",
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    steps = run._steps(args.steps)
    conf = run.ensure_conf()
    options = ["-c", str(conf), "--log-level=warn"]
    if args.addons_path:
        options.append(f"--addons-path={args.addons_path}")
    else:
        run.ensure_database(conf, args.database, "luxury_oms", fresh=False, follow_addons=True)
    from odoo.tools import config

    config.parse_config(options, setup_logging=True)
    from generate import SKU_PREFIX
    from generate import bench_sites
    from generate import generate
    from measure import measure_ats
    from measure import pick_products

    from odoo import SUPERUSER_ID
    from odoo import api
    from odoo.modules.registry import Registry

    with Registry(args.database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if not args.addons_path:
            generate(env, max(args.sites, *steps), args.skus, seed=args.seed, log=run.log)
            cr.commit()
        catalogue = env["product.product"].search(
            [("default_code", "=like", f"{SKU_PREFIX}0%")], order="default_code", limit=args.skus
        )
        products = pick_products(env, catalogue, 100, seed=args.seed)
        warehouses = bench_sites(env)
        channel = env["luxury.oms.channel"].search([("code", "=", "bench-web")])
        for step in steps:
            reps = args.reps if step <= 100 else max(1, args.reps // 5)
            figures = measure_ats(env, products, warehouses[:step], channel, reps)
            print(json.dumps(figures), flush=True)
        cr.rollback()


if __name__ == "__main__":
    main()
