"""The benchmark's plain parts (bench/stats.py, report tables, intake orders): no database,
no server."""

import importlib.util
import pathlib
import sys

import pytest

BENCH = pathlib.Path(__file__).resolve().parent.parent / "bench"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


stats = _load("stats")
report = _load("report")
generate = _load("generate")
intake = _load("intake")


def test_percentile_is_nearest_rank():
    values = [float(value) for value in range(1, 101)]
    assert stats.percentile(values, 0.5) == 50.0
    assert stats.percentile(values, 0.99) == 99.0
    assert stats.percentile(values, 1.0) == 100.0
    assert stats.percentile(values, 0.0) == 1.0
    # a p99 over few samples is the worst one, never an interpolated latency
    assert stats.percentile([3.0, 1.0, 2.0], 0.99) == 3.0


def test_percentile_edges():
    assert stats.percentile([], 0.5) is None
    assert stats.median([7.0]) == 7.0
    with pytest.raises(ValueError, match="fraction"):
        stats.percentile([1.0], 1.5)


def test_ratio_and_verdict():
    assert stats.ratio(30.0, 1.5) == 20.0
    assert stats.ratio(None, 1.0) is None
    assert stats.ratio(1.0, 0) is None
    assert stats.verdict(25.0, 20.0, higher_is_better=True) == "met"
    assert stats.verdict(19.9, 20.0, higher_is_better=True) == "MISSED"
    assert stats.verdict(2.5, 2.0, higher_is_better=False) == "MISSED"
    assert stats.verdict(None, 2.0, higher_is_better=False) == "n/a"


def test_time_reps_calls_before_untimed_each_time():
    calls = []
    durations = stats.time_reps(lambda: calls.append("run"), 3, lambda: calls.append("before"))
    assert calls == ["before", "run"] * 3
    assert len(durations) == 3
    assert all(duration >= 0 for duration in durations)


def test_time_interleaved_takes_turns():
    calls = []
    ours, raw = stats.time_interleaved(
        [lambda: calls.append("ours"), lambda: calls.append("raw")],
        2,
        lambda: calls.append("cold"),
    )
    assert calls == ["cold", "ours", "cold", "raw"] * 2
    assert len(ours) == len(raw) == 2


def test_headline_flags_oversell_and_missing_sourcing():
    intake = {"clients": 4, "orders": 8, "orders_per_s": 4.0, "p50_ms": 100.0, "p99_ms": 300.0,
              "scarce_available": 5, "scarce_wanted": 10, "oversold": 0}  # fmt: skip
    plain = intake | {"orders_per_s": 5.0, "oversold": 3}
    results = {
        "ats": {"products": 100, "sites": 50, "ours_ms": 10.0, "plain_ms": 300.0,
                "raw_ms": 4.0, "speedup_vs_plain": 30.0, "cost_vs_raw": 2.5},
        "sourcing": {"available": False, "reason": "sourcing engine not available"},
        "intake": [{"label": "sale.order", "ours": intake, "plain": plain}],
    }  # fmt: skip
    rows = {row[0].strip(): row for row in report.headline_rows(results)}
    ats = rows["ATS, 100 SKUs x 50 sites, buffers and holds (median ms)"]
    assert ats[3:] == ("30.0x faster", ">= 20x", "met")
    assert rows["ATS vs the raw aggregated quant read (median ms)"][-1] == "MISSED"
    sourcing = rows["Sourcing a 5-line order, 200 sites, 50 rules"]
    assert sourcing[1] == "sourcing engine not available"
    assert sourcing[-1] == "n/a"
    oversold = rows["oversold units (10 orders race for 5 scarce pieces)"]
    assert oversold[1:3] == ("0", "3")
    assert oversold[-1] == "met"


def test_headline_shows_the_engine_and_the_oms_sourcing_side_by_side():
    results = {
        "sourcing": {"available": True, "sites": 200, "rules": 50, "p50_ms": 1.2,
                     "p99_ms": 25.0},
        "order_sourcing": {"sites": 200, "rules": 50, "p50_ms": 40.5, "p99_ms": 61.25},
    }  # fmt: skip
    engine, oms = report.headline_rows(results)
    assert engine[0].startswith("Sourcing a 5-line order, 200 sites, 50 rules: the engine")
    assert (engine[1], engine[-1]) == ("1.20 / 25.00", "MISSED")  # the p99 is judged
    assert "in the OMS, 200 sites, 50 rules in the database" in oms[0]
    assert oms[1] == "40.50 / 61.25"


def test_each_part_of_the_maison_draws_from_its_own_random_source():
    """What the buffer rules draw does not depend on how much the stock drew before them: a
    re-run that adds no stock adds no buffer rule."""

    def rule_draws(stock_draws, seed=42):
        stock = generate.part_random(seed, "stock")
        for _draw in range(stock_draws):
            stock.random()
        rules = generate.part_random(seed, "buffer rules")
        return [rules.random() for _draw in range(5)]

    assert rule_draws(0) == rule_draws(10_000)
    assert rule_draws(0) != rule_draws(0, seed=43)


class _Fixture:
    skus = {f"BENCH-INTAKE-{number:03d}": number for number in range(1, 11)}
    sites = [(1, "B0001", 11), (2, "B0002", 12), (3, "B0003", 13)]
    buyers = [101, 102]


def test_intake_orders_race_for_the_scarce_sku_at_its_site():
    specs = intake.order_specs(_Fixture(), 10)
    assert specs == intake.order_specs(_Fixture(), 10)  # the same orders on both databases
    scarce = [spec for spec in specs if (intake.SCARCE_SKU, 1) in spec["lines"]]
    assert [spec["number"] for spec in scarce] == [0, 4, 8]
    assert all(spec["site"] == _Fixture.sites[0] for spec in scarce)
    for spec in specs:
        deep = [sku for sku, _qty in spec["lines"] if sku != intake.SCARCE_SKU]
        assert 1 <= len(deep) <= 3
        assert len(set(deep)) == len(deep)


def test_scarce_pieces_are_half_of_what_orders_want():
    assert intake.scarce_units_for(40) == 5  # 10 orders want one piece each
    assert intake.scarce_units_for(3) == 1


def test_refusal_is_told_from_failure():
    assert intake.is_refusal("Not enough stock:\nBag at Paris: 1 requested, 0 available to sell")
    assert not intake.is_refusal("ValidationError: partner_id is required")


def test_profiles_fill_what_was_not_given_and_name_the_mode():
    run = _load("run")
    quick = run.parse_args(["--quick"])
    assert (quick.mode, quick.sites, quick.skus, quick.scale_steps) == (
        "quick", 50, 2000, [10, 25, 50])  # fmt: skip
    assert run.parse_args(["--quick", "--sites", "60"]).mode == "custom"
    full = run.parse_args(["--scale-steps", "1000,10,100"])
    assert (full.mode, full.scale_steps) == ("full", [10, 100, 1000])
    with pytest.raises(SystemExit):
        run.parse_args(["--skus", "50"])


def test_hot_sku_orders_want_one_piece_of_the_scarce_sku_only():
    specs = intake.hot_sku_specs(_Fixture(), 5)
    assert [spec["lines"] for spec in specs] == [[(intake.SCARCE_SKU, 1)]] * 5
    assert {spec["site"] for spec in specs} == {_Fixture.sites[0]}
    assert [spec["buyer"] for spec in specs] == [101, 102, 101, 102, 101]


def test_busy_is_a_clear_answer_and_a_traceback_is_not():
    assert intake.is_busy("busy: the same stock is being sold by other orders right now")
    assert not intake.is_busy("Traceback (most recent call last): ... SerializationFailure")
    assert not intake.is_refusal("Traceback (most recent call last): ... SerializationFailure")


def test_hot_sku_rows_judge_unclear_errors_and_p99():
    hot = {"clients": 8, "orders": 200, "orders_per_s": 4.0, "p50_ms": 900.0, "p99_ms": 4200.0,
           "scarce_available": 100, "scarce_wanted": 200, "oversold": 0, "errors": 0,
           "busy": 3}  # fmt: skip
    plain = hot | {"p99_ms": 27_600.0, "errors": 14, "oversold": 0}
    results = {"intake": [{"label": "hot SKU, luxury.oms.api.place_order", "ours": hot,
                           "plain": plain}]}  # fmt: skip
    rows = {row[0].strip(): row for row in report.headline_rows(results)}
    unclear = rows["unclear errors (tracebacks, faults that are neither a refusal nor busy)"]
    assert unclear[1:3] == ("0", "14") and unclear[-1] == "met"
    assert rows["p99 latency (ms per order)"][-1] == "met"
    assert rows["busy, retry answers"][1] == "3"
    slow = {"intake": [{"label": "hot SKU, x", "ours": hot | {"p99_ms": 5001.0, "errors": 1},
                        "plain": None}]}  # fmt: skip
    rows = {row[0].strip(): row for row in report.headline_rows(slow)}
    assert rows["p99 latency (ms per order)"][-1] == "MISSED"
    assert (
        rows["unclear errors (tracebacks, faults that are neither a refusal nor busy)"][-1]
        == "MISSED"
    )


def test_intake_targets_are_judged_against_plain_odoo():
    """place_order: orders/s against plain Odoo's create + confirm (2x), one client's p50
    (100 ms), SQL statements per order in one process (half of the ~250 before)."""
    figures = {
        "clients": 8,
        "orders": 400,
        "orders_per_s": 12.0,
        "p50_ms": 300.0,
        "p99_ms": 900.0,
        "scarce_available": 50,
        "scarce_wanted": 100,
        "oversold": 0,
    }
    plain = figures | {"orders_per_s": 7.0}
    single = figures | {"clients": 1, "orders": 200, "p50_ms": 120.0}
    results = {
        "intake": [
            {"label": "luxury.oms.api.place_order", "ours": figures, "plain": plain},
            {"label": "luxury.oms.api.place_order, 1 client", "ours": single, "plain": None},
        ],
        "intake_in_process": {"orders": 20, "p50_ms": 150.0, "statements_p50": 110,
                              "work_p50_ms": 80.0, "work_statements_p50": 50},
    }  # fmt: skip
    rows = report.headline_rows(results)
    api_row = next(
        row for row in rows if row[0].startswith("Order intake, luxury.oms.api.place_order:")
    )
    assert api_row[3:] == ("1.71x", ">= 2x plain", "MISSED")
    latencies = [row for row in rows if row[0].strip().startswith("latency p50")]
    assert latencies[0][-1] == "" and latencies[1][-2:] == ("p50 <= 100 ms", "MISSED")
    [in_process] = [row for row in rows if row[0].startswith("place_order in one process")]
    assert in_process[1] == "150 ms, 110 (+ 50 after commit, 80 ms)" and in_process[-1] == "met"


def test_plain_odoo_is_timed_on_the_same_lines_and_buyer_as_place_order():
    """profile_intake.py --plain: plain Odoo's create + confirm gets each payload's lines
    (SKU and quantity) and buyer, as the intake run's plain taker sends them."""
    profile_intake = _load("profile_intake")
    payload = {
        "customer": {"email": "buyer3@bench.example", "name": "Bench buyer 3"},
        "lines": [
            {"sku": "BENCH-INTAKE-002", "qty": 2, "price_unit": 900.0},
            {"sku": "BENCH-INTAKE-005", "qty": 1, "price_unit": 900.0},
        ],
    }
    product_ids = {"BENCH-INTAKE-002": 7, "BENCH-INTAKE-005": 9}
    assert profile_intake.plain_order_values(payload, product_ids, 42, 3) == {
        "partner_id": 42,
        "warehouse_id": 3,
        "order_line": [
            (0, 0, {"product_id": 7, "product_uom_qty": 2}),
            (0, 0, {"product_id": 9, "product_uom_qty": 1}),
        ],
    }
