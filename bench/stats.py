"""Plain helpers for the benchmark figures: percentiles, timing, ratios. No Odoo import."""

import math
import time


def percentile(values, fraction):
    """The nearest-rank percentile of ``values`` (``fraction`` in [0, 1]), None when empty.

    Nearest rank (no interpolation) so that a p99 is a latency that really happened.
    """
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must lie in [0, 1], not {fraction}")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values):
    return percentile(values, 0.5)


def time_reps(function, reps, before=None):
    """Run ``function`` ``reps`` times, calling ``before`` (untimed) first each time;
    return the wall-clock durations in milliseconds."""
    durations = []
    for _rep in range(reps):
        if before:
            before()
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    return durations


def time_interleaved(functions, reps, before=None):
    """Run each of ``functions`` once per repetition, in turn, ``reps`` times (each after
    an untimed call to ``before``); return each function's durations in milliseconds.

    Taking turns, the functions share whatever the machine was doing meanwhile, so the
    ratio of two of them is not skewed by a load that came and went.
    """
    durations = [[] for _function in functions]
    for _rep in range(reps):
        for function, timings in zip(functions, durations, strict=True):
            timings.extend(time_reps(function, 1, before))
    return durations


def ratio(numerator, denominator):
    """``numerator / denominator``, None when either is missing or the denominator is 0."""
    if numerator is None or denominator in (None, 0):
        return None
    return numerator / denominator


def verdict(value, target, higher_is_better):
    """'met', 'MISSED' or 'n/a' for a figure against its target."""
    if value is None or target is None:
        return "n/a"
    met = value >= target if higher_is_better else value <= target
    return "met" if met else "MISSED"


def fmt(value, digits=1, suffix=""):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{suffix}"
