"""The figures taken inside one Odoo process (Odoo's config must be parsed first)."""

from generate import INTAKE_SITES
from generate import SKU_PREFIX
from generate import SOURCING_CHANNEL
from generate import SOURCING_SITES
from generate import bench_sites
from generate import generate
from measure import measure_ats
from measure import measure_order_sourcing
from measure import measure_sourcing
from measure import pick_products
from measure import profile_ats

from odoo import SUPERUSER_ID
from odoo import api
from odoo import release
from odoo.modules.registry import Registry
from odoo.tools import SQL

ATS_PRODUCTS = 100
ATS_SITES = 50
LARGE_STEP = 100


def run_database_figures(args, database, log):
    """Generate the maison, then ATS, sourcing and scaling figures."""
    with Registry(database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        sites = max(args.sites, *args.scale_steps)
        log(f"generating {sites} sites, {args.skus} SKUs into {database}")
        dataset = generate(env, sites, args.skus, seed=args.seed, log=log)
        cr.commit()
        catalogue = env["product.product"].search(
            [("default_code", "=like", f"{SKU_PREFIX}0%")], order="default_code", limit=args.skus
        )
        products = pick_products(env, catalogue, ATS_PRODUCTS, seed=args.seed)
        warehouses = bench_sites(env)[:sites]
        channel = env["luxury.oms.channel"].search([("code", "=", "bench-web")])
        log(f"ATS: {len(products)} SKUs x {min(ATS_SITES, len(warehouses))} sites")
        ats = measure_ats(env, products, warehouses[:ATS_SITES], channel, args.reps)
        if args.profile:
            path = f"{args.results}/ats-profile.txt"
            profile_ats(env, products, warehouses[:ATS_SITES], channel, path)
            log(f"ATS profile written to {path}")
        sourcing = measure_sourcing(SOURCING_SITES, args.sourcing_runs, seed=args.seed)
        log(f"sourcing, engine: {sourcing}")
        order_sourcing = measure_order_sourcing(
            env,
            env["luxury.oms.channel"].search([("code", "=", SOURCING_CHANNEL)]),
            env["res.partner"].search([("ref", "=", "BENCH-SOURCING-CLIENT")]),
            args.sourcing_runs,
            seed=args.seed,
        )
        log(f"sourcing, in the OMS: {order_sourcing}")
        scaling = []
        for step in args.scale_steps:
            log(f"scaling: {step} sites")
            # past LARGE_STEP sites one repetition takes seconds: fewer of them
            reps = args.reps if step <= LARGE_STEP else max(1, args.reps // 5)
            figures = measure_ats(env, products, warehouses[:step], channel, reps)
            figures["sourcing_p50_ms"] = measure_sourcing(
                step, args.sourcing_runs, seed=args.seed
            ).get("p50_ms")
            scaling.append(figures)
        postgresql = env.execute_query(SQL("SHOW server_version"))[0][0]
        cr.rollback()
    return {
        "dataset": dataset,
        "ats": ats,
        "sourcing": sourcing,
        "order_sourcing": order_sourcing,
        "scaling": scaling,
        "postgresql": postgresql,
        "odoo": release.version,
    }


def generate_plain(database, seed, log):
    """The intake sites and SKUs in the plain Odoo database (no OMS configuration)."""
    with Registry(database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        generate(env, INTAKE_SITES, 0, seed=seed, oms=False, log=log)
        cr.commit()
