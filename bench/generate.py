"""A realistic maison for the benchmarks, generated in bulk into an installed database.

Sites are real Odoo warehouses (created through the ORM: each one brings its locations,
operation types and routes, as in production). Products go through the ORM in large batches;
serial numbers and quants, the bulk of the data, are inserted with SQL. Buffer rules, VIP
holds, tiers, the bench channels and a sourcing strategy of 50 rules (OMS database only) go
through the ORM, so holds are taken against the stock like any hold and rules are checked as
a manager's would be.

Everything is deterministic for a seed. ``generate`` is incremental: it adds only the sites
and SKUs that are missing, so a bigger run extends a smaller one.
"""

import random
import time

from odoo.fields import Command
from odoo.tools import SQL

SITE_PREFIX = "B"
SKU_PREFIX = "BENCH-"
INTAKE_SKU_PREFIX = "BENCH-INTAKE-"
INTAKE_SITES = 5
INTAKE_SKUS = 50
INTAKE_DEPTH = 100_000
SOURCING_SITES = 200
SOURCING_RULES = 50
SOURCING_CHANNEL = "bench-sourcing"
# Parcels each sourcing site shipped over the past year (before today): a live maison's
# history, which counting the parcels of the day must not read for each order.
PARCEL_HISTORY = 1_000
HISTORY_PREFIX = "BENCH-HISTORY/"
# Countries of the sourcing sites (each site gets an address in one of them).
SITE_COUNTRIES = ("fr", "it", "uk", "de", "es", "ch", "us", "jp", "ae", "cn")
# Where the sourced orders ship: Paris.
DESTINATION = {"country": "fr", "latitude": 48.8566, "longitude": 2.3522}
SITE_TYPES = ("dc", "flagship", "boutique", "boutique", "boutique", "corner", "airport", "outlet")
# (name, tracking, share of the catalogue, pieces per stocked site)
FAMILIES = (
    ("Bags", "serial", 0.30, (1, 3)),
    ("Watches", "serial", 0.15, (1, 2)),
    ("Jewellery", "serial", 0.15, (1, 2)),
    ("Small Leather Goods", "none", 0.25, (2, 30)),
    ("Fragrances", "none", 0.15, (5, 60)),
)
PRODUCT_BATCH = 500
SITE_BATCH = 20


def _quiet(env):
    return env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            mail_create_nosubscribe=True,
        )
    )


def generate(env, sites, skus, seed=42, oms=True, log=print):
    """Populate the maison; return a summary dict. Sites and products are committed batch by
    batch (a long first run keeps them if interrupted); the caller commits the rest."""
    env = _quiet(env)
    started = time.perf_counter()
    warehouses = ensure_sites(env, max(sites, INTAKE_SITES), oms, log)
    categories = ensure_categories(env)
    products = ensure_products(env, skus, categories, log)
    intake = ensure_intake_products(env, categories)
    quant_count = stock_catalogue(env, products, warehouses, part_random(seed, "stock"), log)
    stock_intake(env, intake, warehouses[:INTAKE_SITES])
    summary = {
        "sites": len(warehouses),
        "skus": len(products),
        "quants": quant_count,
    }
    if oms:
        tiers = ensure_tiers(env)
        clients = ensure_clients(env, tiers, part_random(seed, "clients"))
        channel = ensure_channel(env, warehouses)
        summary["buffer_rules"] = ensure_buffer_rules(
            env, products, categories, warehouses, channel, part_random(seed, "buffer rules")
        )
        summary["holds"] = ensure_holds(
            env, products, warehouses, tiers, clients, part_random(seed, "holds"), log
        )
        strategy = ensure_sourcing(env, warehouses[:SOURCING_SITES], channel, tiers)
        ensure_sourcing_client(env, tiers)
        summary["sourcing_rules"] = len(strategy.rule_ids)
        summary["past_parcels"] = ensure_parcel_history(env, warehouses[:SOURCING_SITES])
        summary["snapshot_rows"] = build_snapshot(env, log)
    env.flush_all()
    # Planner statistics as a live database has them (autovacuum may not have run yet):
    # without them PostgreSQL picks plans for empty tables and every figure is distorted.
    env.cr.execute("ANALYZE")
    env.invalidate_all()
    summary["seconds"] = round(time.perf_counter() - started, 1)
    log(f"generated {summary}")
    return summary


def build_snapshot(env, log):
    """The availability snapshot's rows, as a live maison has them: its takes, receipts and
    counts keep them as they happen, but the quants above were inserted in SQL. Built by
    the snapshot's own cron job (batches committed), before anything is measured: left to
    the OMS server's cron, a first build would run during the intake rounds."""
    Slot = env["luxury.oms.stock.slot"]
    env.flush_all()
    missing = Slot._oms_unlisted_product_ids()
    if missing:
        log(f"availability snapshot: rows for {len(missing)} products")
    for start in range(0, len(missing), 500):
        Slot._oms_ensure_all(missing[start : start + 500])
        env.cr.commit()
    Slot._cron_refresh()  # refreshes the new rows, a batch at a time
    return Slot.search_count([])


def part_random(seed, part):
    """The random source of one part of the maison. Each part draws from its own, so what it
    generates does not depend on how much another part drew: a re-run that adds no stock
    adds no buffer rule either."""
    return random.Random(f"{seed}:{part}")


# Sites ---------------------------------------------------------------------------------


def bench_sites(env):
    return (
        env["stock.warehouse"]
        .search([("code", "=like", f"{SITE_PREFIX}%")], order="code")
        .filtered(lambda warehouse: warehouse.code[1:].isdigit())
    )


def ensure_sites(env, count, oms, log):
    existing = bench_sites(env)
    Warehouse = env["stock.warehouse"]
    for start in range(len(existing), count, SITE_BATCH):
        numbers = range(start + 1, min(start + SITE_BATCH, count) + 1)
        Warehouse.create([_site_values(number, oms) for number in numbers])
        env.cr.commit()
        log(f"sites: {numbers[-1]}/{count}")
    return bench_sites(env)[:count]


def _site_values(number, oms):
    values = {"name": f"Bench site {number:04d}", "code": f"{SITE_PREFIX}{number:04d}"}
    if oms:
        rng = random.Random(number)
        values |= {
            "oms_site_type": SITE_TYPES[number % len(SITE_TYPES)],
            "oms_latitude": rng.uniform(25, 60),
            "oms_longitude": rng.uniform(-120, 140),
            "oms_daily_capacity": rng.choice((15, 30, 80, 800)),
        }
    return values


# Catalogue -----------------------------------------------------------------------------


def ensure_categories(env):
    Category = env["product.category"]
    root = Category.search([("name", "=", "Bench Maison"), ("parent_id", "=", False)], limit=1)
    root = root or Category.create({"name": "Bench Maison"})
    categories = {}
    for name, *_rest in FAMILIES:
        category = Category.search([("name", "=", name), ("parent_id", "=", root.id)], limit=1)
        categories[name] = category or Category.create({"name": name, "parent_id": root.id})
    return categories


def _existing_codes(env, prefix):
    rows = env.execute_query(
        SQL(
            "SELECT default_code, id FROM product_product WHERE default_code LIKE %s",
            f"{prefix}%",
        )
    )
    return dict(rows)


def ensure_products(env, count, categories, log):
    existing = {
        code: product_id
        for code, product_id in _existing_codes(env, SKU_PREFIX).items()
        if code[len(SKU_PREFIX) :].isdigit()
    }
    missing = [number for number in range(1, count + 1) if _sku(number) not in existing]
    families = [family for family in FAMILIES for _share in range(round(family[2] * 20))]
    Template = env["product.template"]
    for start in range(0, len(missing), PRODUCT_BATCH):
        batch = missing[start : start + PRODUCT_BATCH]
        Template.create(
            [_product_values(number, families, categories) for number in batch]
        )  # fmt: skip
        env.cr.commit()
        env.invalidate_all()
        log(f"products: {len(existing) + start + len(batch)}/{count}")
    codes = [_sku(number) for number in range(1, count + 1)]
    return env["product.product"].search([("default_code", "in", codes)], order="default_code")


def _sku(number):
    return f"{SKU_PREFIX}{number:06d}"


def _product_values(number, families, categories):
    name, tracking, _share, _pieces = families[number % len(families)]
    return {
        "name": f"{name} {number:06d}",
        "default_code": _sku(number),
        "type": "consu",
        "is_storable": True,
        "tracking": tracking,
        "categ_id": categories[name].id,
        "list_price": 500 + (number * 37) % 20_000,
    }


def ensure_intake_products(env, categories):
    """Deep, untracked SKUs for order intake (each intake run adds its own scarce SKU)."""
    existing = _existing_codes(env, INTAKE_SKU_PREFIX)
    wanted = [f"{INTAKE_SKU_PREFIX}{number:03d}" for number in range(1, INTAKE_SKUS + 1)]
    category = categories["Small Leather Goods"]
    env["product.template"].create(
        [
            {"name": f"Intake {code}", "default_code": code, "type": "consu",
             "is_storable": True, "categ_id": category.id, "list_price": 900}
            for code in wanted
            if code not in existing
        ]
    )  # fmt: skip
    return env["product.product"].search([("default_code", "in", wanted)], order="default_code")


# Stock ---------------------------------------------------------------------------------


def stock_catalogue(env, products, warehouses, rng, log):
    """Quants (and one lot per serial piece) where a SKU has none yet.

    Each SKU sits at a random share of the sites (1 to 20%), a few pieces for serial items,
    deeper for untracked ones. When the maison grows, SKUs also get stock at new sites.
    """
    stocked = set(
        env.execute_query(
            SQL(
                "SELECT DISTINCT product_id, location_id FROM stock_quant "
                "WHERE product_id IN (SELECT unnest(%s::int[]))",
                products.ids,
            )
        )
    )
    pieces = {name: span for name, _tracking, _share, span in FAMILIES}
    locations = warehouses.lot_stock_id.ids
    serial, plain = [], []
    for product in products:
        share = rng.uniform(0.01, 0.2)
        low, high = pieces[product.categ_id.name]
        for location_id in rng.sample(locations, max(1, round(share * len(locations)))):
            quantity = rng.randint(low, high)
            if (product.id, location_id) in stocked:
                continue
            if product.tracking == "serial":
                serial.extend((product.id, location_id) for _piece in range(quantity))
            else:
                plain.append((product.id, location_id, None, quantity))
    # In the order pieces arrive in a live database: over years, many products at a time.
    # Inserted product by product, a SKU's quants would sit together in the table, which
    # flatters every read by product (measured: the raw read about 30% faster).
    rng.shuffle(serial)
    rng.shuffle(plain)
    _insert_serial_quants(env, serial)
    _insert_quants(env, plain)
    log(f"stock: {len(serial)} new serial pieces, {len(plain)} new untracked quants")
    return env.execute_query(
        SQL(
            "SELECT COUNT(*) FROM stock_quant WHERE product_id IN (SELECT unnest(%s::int[]))",
            products.ids,
        )
    )[0][0]


def stock_intake(env, intake, warehouses):
    stocked = env.execute_query(
        SQL("SELECT 1 FROM stock_quant WHERE product_id = ANY(%s) LIMIT 1", intake.ids)
    )
    if stocked:
        return
    _insert_quants(
        env,
        [
            (product.id, warehouse.lot_stock_id.id, None, INTAKE_DEPTH)
            for product in intake
            for warehouse in warehouses
        ],
    )


def _insert_serial_quants(env, pieces):
    if not pieces:
        return
    company_id = env.company.id
    product_ids = [product_id for product_id, _location in pieces]
    offset = env.execute_query(SQL("SELECT COALESCE(MAX(id), 0) FROM stock_lot"))[0][0]
    names = [f"SN{offset:06d}-{index:07d}" for index in range(len(pieces))]
    lot_ids = [
        lot_id
        for (lot_id,) in env.execute_query(
            SQL(
                """INSERT INTO stock_lot (name, product_id, company_id, create_uid, create_date,
                                          write_uid, write_date)
                   SELECT name, product_id, %(company)s, %(uid)s, now() at time zone 'UTC',
                          %(uid)s, now() at time zone 'UTC'
                     FROM unnest(%(names)s::varchar[], %(products)s::int[])
                          WITH ORDINALITY AS piece(name, product_id, position)
                 ORDER BY position
                RETURNING id""",
                company=company_id,
                uid=env.uid,
                names=names,
                products=product_ids,
            )
        )
    ]
    _insert_quants(
        env,
        [
            (product_id, location_id, lot_id, 1)
            for (product_id, location_id), lot_id in zip(pieces, lot_ids, strict=True)
        ],
    )


def _insert_quants(env, rows):
    if not rows:
        return
    product_ids, location_ids, lot_ids, quantities = (list(column) for column in zip(*rows))  # noqa: B905
    env.execute_query(
        SQL(
            """INSERT INTO stock_quant (product_id, location_id, lot_id, quantity,
                                        reserved_quantity, company_id, in_date,
                                        inventory_quantity_set, create_uid, create_date,
                                        write_uid, write_date)
               SELECT product_id, location_id, lot_id, quantity, 0, %(company)s,
                      now() at time zone 'UTC', false, %(uid)s, now() at time zone 'UTC',
                      %(uid)s, now() at time zone 'UTC'
                 FROM unnest(%(products)s::int[], %(locations)s::int[], %(lots)s::int[],
                             %(quantities)s::float[])
                      AS quant(product_id, location_id, lot_id, quantity)""",
            company=env.company.id,
            uid=env.uid,
            products=product_ids,
            locations=location_ids,
            lots=lot_ids,
            quantities=quantities,
        )
    )


# OMS configuration ---------------------------------------------------------------------


def ensure_tiers(env):
    """The maison's tiers (luxury_oms installs some), or three bench tiers."""
    Tier = env["luxury.oms.tier"]
    tiers = Tier.search([], order="rank")
    if not tiers:
        tiers = Tier.create(
            [
                {"name": name, "code": f"bench-{name.lower()}", "rank": rank}
                for name, rank in (("Silver", 20), ("Gold", 30), ("Icon", 50))
            ]
        )
    return tiers


def ensure_clients(env, tiers, rng):
    Partner = env["res.partner"]
    clients = Partner.search([("ref", "=like", "BENCH-CLIENT-%")])
    if not clients:
        clients = Partner.create(
            [
                {"name": f"Bench client {number:03d}", "ref": f"BENCH-CLIENT-{number:03d}",
                 "oms_tier_id": rng.choice(tiers).id}
                for number in range(1, 51)
            ]
        )  # fmt: skip
    return clients


def ensure_channel(env, warehouses):
    Channel = env["luxury.oms.channel"]
    channel = Channel.search([("code", "=", "bench-web")], limit=1)
    values = {"warehouse_ids": [(6, 0, warehouses.ids)]}
    if channel:
        channel.write(values)
        return channel
    return Channel.create(
        values
        | {"name": "Bench web", "code": "bench-web", "channel_type": "web",
           "currency_id": env.company.currency_id.id}
    )  # fmt: skip


def ensure_buffer_rules(env, products, categories, warehouses, channel, rng):
    """A realistic mix: one rule per family, per DC and family, per channel and family, and
    product rules for one SKU in fifty (about 200 rules per 10,000 SKUs). Only the missing
    rules are created."""
    Rule = env["luxury.oms.buffer.rule"]
    wanted = []
    for category in categories.values():
        wanted.append({"categ_id": category.id, "mode": "quantity", "value": 1})
        wanted.append({"categ_id": category.id, "channel_id": channel.id, "mode": "percent",
                       "value": 10})  # fmt: skip
        wanted.extend(
            {"categ_id": category.id, "warehouse_id": warehouse.id, "mode": "percent",
             "value": 20}
            for warehouse in warehouses
            if warehouse.oms_site_type == "dc"
        )  # fmt: skip
    wanted.extend(
        {"product_id": product.id, "mode": "quantity", "value": rng.randint(1, 3)}
        for product in products
        if rng.random() < 0.02
    )
    scopes = ("product_id", "categ_id", "warehouse_id", "channel_id")
    existing = {
        tuple(rule[scope].id for scope in scopes)
        for rule in Rule.search([("company_id", "=", env.company.id)])
    }
    Rule.create(
        [values for values in wanted if tuple(values.get(scope, False) or False
                                              for scope in scopes) not in existing]
    )  # fmt: skip
    return Rule.search_count([("company_id", "=", env.company.id)])


def ensure_holds(env, products, warehouses, tiers, clients, rng, log):
    """One hold for about one SKU in ten, on pieces that are really there; SKUs that already
    have a hold keep theirs."""
    Hold = env["luxury.oms.hold"]
    active = Hold.search([("state", "=", "active")])
    held = set(active.product_id.ids)
    rows = env.execute_query(
        SQL(
            """SELECT quant.product_id, warehouse.id, SUM(quant.quantity)
                 FROM stock_quant quant
                 JOIN stock_warehouse warehouse ON warehouse.lot_stock_id = quant.location_id
                WHERE quant.product_id IN (SELECT unnest(%s::int[]))
                  AND warehouse.id = ANY(%s)
             GROUP BY quant.product_id, warehouse.id
               HAVING SUM(quant.quantity) >= 4
             ORDER BY quant.product_id, warehouse.id""",
            products.ids,
            warehouses.ids,
        )
    )
    chosen = [row for row in rows if rng.random() < 0.1 and row[0] not in held]
    chosen = chosen[: max(0, len(products) // 10 - len(active))]
    values = []
    for product_id, warehouse_id, _quantity in chosen:
        if rng.random() < 0.5:
            beneficiary = {"beneficiary_type": "client", "partner_id": rng.choice(clients).id}
        else:
            beneficiary = {"beneficiary_type": "tier", "tier_id": rng.choice(tiers).id}
        values.append(
            {"product_id": product_id, "warehouse_id": warehouse_id, "quantity": 1,
             "date_expiry": "2099-12-31 00:00:00"} | beneficiary
        )  # fmt: skip
    for start in range(0, len(values), 500):
        Hold.create(values[start : start + 500])
    log(f"holds: {len(values)} new")
    return Hold.search_count([("state", "=", "active")])


# Sourcing ------------------------------------------------------------------------------


def ensure_parcel_history(env, warehouses):
    """``PARCEL_HISTORY`` shipped parcels per site, created over the past year before today
    (plain rows in SQL: only their site, state and date matter here). Returns how many the
    sites have."""
    env.flush_all()  # the sites' operation types and locations, written through the ORM
    env.execute_query(
        SQL(
            """INSERT INTO stock_picking (name, picking_type_id, location_id, location_dest_id,
                                          company_id, state, move_type, scheduled_date,
                                          date_done, create_date, write_date)
               SELECT %s || site.code || '/' || n, site.out_type_id, site.lot_stock_id,
                      %s, site.company_id, 'done', 'direct', day, day, day, day
                 FROM stock_warehouse site
           CROSS JOIN generate_series(1, %s) AS n
           CROSS JOIN LATERAL (SELECT date_trunc('day', now() AT TIME ZONE 'UTC')
                                      - make_interval(secs => 86400 + n * %s)
                              ) AS moment(day)
                WHERE site.id = ANY(%s)
                  AND NOT EXISTS (SELECT 1 FROM stock_picking picking
                                   WHERE picking.name = %s || site.code || '/1')""",
            HISTORY_PREFIX,
            env.ref("stock.stock_location_customers").id,
            PARCEL_HISTORY,
            364 * 86400 // PARCEL_HISTORY,  # spread over the year before yesterday
            [warehouse.id for warehouse in warehouses],
            HISTORY_PREFIX,
        )
    )
    [(count,)] = env.execute_query(
        SQL("SELECT COUNT(*) FROM stock_picking WHERE name LIKE %s", f"{HISTORY_PREFIX}%")
    )
    return count


def ensure_sourcing(env, warehouses, web_channel, tiers):
    """A channel that sources its orders over ``warehouses`` with a strategy of 50 rules of
    four criteria each. Each of the first 49 rules filters the bench orders out on another
    filter (channel, destination country, region, order value, client tier), so every rule
    is tested before the last one, which matches, ranks the sites."""
    locate_sites(env, warehouses)
    Strategy = env["luxury.oms.sourcing.strategy"]
    strategy = Strategy.search([("name", "=", "Bench: 50 rules")], limit=1)
    if not strategy:
        rng = random.Random(SOURCING_RULES)
        filters = _excluding_filters(env, web_channel, tiers)
        strategy = Strategy.create(
            {
                "name": "Bench: 50 rules",
                "fallback": "nearest",
                "rule_ids": [
                    Command.create(
                        {"name": f"Bench rule {number:02d}", "sequence": number,
                         "criterion_ids": _criteria(env, rng)}
                        | ({} if number == SOURCING_RULES else filters[number % len(filters)])
                    )
                    for number in range(1, SOURCING_RULES + 1)
                ],
            }
        )  # fmt: skip
    Channel = env["luxury.oms.channel"]
    values = {"warehouse_ids": [Command.set(warehouses.ids)], "sourcing_strategy_id": strategy.id}
    channel = Channel.search([("code", "=", SOURCING_CHANNEL)], limit=1)
    if channel:
        channel.write(values)
    else:
        Channel.create(
            values
            | {"name": "Bench sourcing", "code": SOURCING_CHANNEL, "channel_type": "web",
               "currency_id": env.company.currency_id.id}
        )  # fmt: skip
    return strategy


def locate_sites(env, warehouses):
    """Give each site an address of its own, in a country (a new site has the company's;
    sourcing refuses sites it cannot place)."""
    unlocated = warehouses.filtered(
        lambda warehouse: warehouse.partner_id == env.company.partner_id
        or not warehouse.oms_country_id
    )
    if not unlocated:
        return
    countries = [env.ref(f"base.{code}") for code in SITE_COUNTRIES]
    partners = env["res.partner"].create(
        [
            {"name": warehouse.name, "is_company": True,
             "country_id": countries[index % len(countries)].id}
            for index, warehouse in enumerate(unlocated)
        ]
    )  # fmt: skip
    for warehouse, partner in zip(unlocated, partners, strict=True):
        warehouse.partner_id = partner


def _excluding_filters(env, web_channel, tiers):
    """Filters that each refuse the bench orders (sourcing channel, to Paris, a client of
    the lowest tier, a value far below ten million)."""
    japan = env.ref("base.jp")
    region = env["res.country.group"].search([("name", "=", "Bench: Japan")], limit=1)
    region = region or env["res.country.group"].create(
        {"name": "Bench: Japan", "country_ids": [Command.set(japan.ids)]}
    )
    return [
        {"channel_ids": [Command.set(web_channel.ids)]},
        {"country_ids": [Command.set(japan.ids)]},
        {"country_group_ids": [Command.set(region.ids)]},
        {"min_amount": 10_000_000},
        {"min_tier_id": tiers.sorted("rank")[-1].id},
    ]


def _criteria(env, rng):
    """Four of the ranking criteria a manager can choose, with random weights."""
    choices = env["luxury.oms.sourcing.criterion"]._fields["criterion_type"].selection
    kinds = rng.sample([kind for kind, _label in choices], 4)
    return [
        Command.create(
            {"sequence": sequence, "criterion_type": kind, "weight": rng.randint(1, 100)}
            | (
                {"preferred_site_type": "dc", "second_site_type": "flagship"}
                if kind == "site_type"
                else {}
            )
        )  # fmt: skip
        for sequence, kind in enumerate(kinds, start=1)
    ]


def ensure_sourcing_client(env, tiers):
    """The client of the sourced orders: lowest tier, shipping to Paris."""
    Partner = env["res.partner"]
    client = Partner.search([("ref", "=", "BENCH-SOURCING-CLIENT")], limit=1)
    return client or Partner.create(
        {"name": "Bench sourcing client", "ref": "BENCH-SOURCING-CLIENT",
         "email": "sourcing@bench.example", "street": "1 rue de la Paix", "city": "Paris",
         "zip": "75002", "country_id": env.ref(f"base.{DESTINATION['country']}").id,
         "partner_latitude": DESTINATION["latitude"],
         "partner_longitude": DESTINATION["longitude"],
         "oms_tier_id": tiers.sorted("rank")[0].id}
    )  # fmt: skip
