#!/usr/bin/env python3
"""Baseline: the burn-up Monte Carlo forecast of the PyPI package jira-agile-metrics.

Reads the JSON of `tension history FILE --until DATE --format json` (stdin or a file
argument), builds the daily throughput series of its window the way jira-agile-metrics
does, and times the package's own `burnup_monte_carlo` with its own `throughput_sampler`
for a target of N items. Prints one JSON object with the median time and the P50/P85/P95
of the days each trial needed.

Usage: jira_agile_metrics_burnup.py [HISTORY.json] [--target N] [--trials T] [--repeat R]
                                    [--start DATE] [--seed S]
"""
import argparse
import datetime
import json
import math
import statistics
import sys
import time
from importlib.metadata import version

import numpy as np
import pandas as pd
from jira_agile_metrics.calculators.forecast import (
    burnup_monte_carlo,
    calculate_daily_throughput,
    throughput_sampler,
)


def daily_throughput(history):
    """The package's daily throughput frame (a `count` column over a daily DatetimeIndex).

    The package builds it with `calculate_daily_throughput` from its cycle-time data: one row
    per item with its `key` and done timestamp. We rebuild such rows from the daily counts
    (one synthetic item per finished item) and call that same function over the window.
    """
    daily = history["daily"]
    rows = [
        {"key": f"ITEM-{i}-{n}", "completed": pd.Timestamp(day["date"])}
        for i, day in enumerate(daily)
        for n in range(day["count"])
    ]
    cycle_data = pd.DataFrame(rows, columns=["key", "completed"])
    first, last = pd.Timestamp(daily[0]["date"]), pd.Timestamp(daily[-1]["date"])
    return calculate_daily_throughput(cycle_data, "completed", first, last)


def quantile_type1(sorted_values, p):
    """Type-1 inverse ECDF: the smallest value with at least p·n of the values at or below it."""
    rank = max(1, math.ceil(p * len(sorted_values) - 1e-9))
    return int(sorted_values[rank - 1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("history", nargs="?", help="tension history JSON (default: stdin)")
    parser.add_argument("--target", type=int, default=500, help="items to reach (default 500)")
    parser.add_argument("--trials", type=int, default=100_000, help="trials (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (default 3)")
    parser.add_argument("--start", help="first day of work, YYYY-MM-DD (default: the day after "
                        "the window); it only dates the rows, the day counts do not depend on it")
    parser.add_argument("--seed", type=int, default=1, help="numpy seed (default 1)")
    args = parser.parse_args()

    if args.history:
        with open(args.history) as f:
            history = json.load(f)
    else:
        history = json.load(sys.stdin)

    throughput = daily_throughput(history)
    assert len(throughput) == len(history["daily"])
    assert throughput["count"].sum() == sum(d["count"] for d in history["daily"])

    # Counting convention of the package: `burnup_monte_carlo` puts `start_value` at
    # `start_date` (no draw), then each step adds `frequency` to the date and one draw to the
    # value; in the package, `start_date` is the last day of the recorded burn-up, so the first
    # simulated day is the day after it. We pass the day before the first day of work as
    # `start_date`: a trial's first draw is then dated on the first day of work, and the number
    # of steps a trial took (its rows after the first) is its day count with day 1 = the first
    # day of work, as in `tension forecast` (and its finish date, `last_valid_index`, is
    # start_date + days).
    last_day = datetime.date.fromisoformat(history["daily"][-1]["date"])
    first_day = datetime.date.fromisoformat(args.start) if args.start else last_day + datetime.timedelta(days=1)
    start_date = pd.Timestamp(first_day) - throughput.index.freq

    np.random.seed(args.seed)  # Series.sample(random_state=None) draws from numpy's global state
    seconds, result = [], None
    for _ in range(args.repeat):
        result = None  # free the previous frame before the next run
        sampler = throughput_sampler(throughput, 0, args.target)
        t0 = time.perf_counter()
        result = burnup_monte_carlo(
            start_value=0,
            target_value=args.target,
            start_date=start_date,
            frequency=throughput.index.freq,  # one day, as the package passes it
            draw_sample=sampler,
            trials=args.trials,
        )
        seconds.append(time.perf_counter() - t0)

    # Days each trial needed: its non-empty rows after the start row (= last_valid_index - start).
    days = np.sort(result.notna().sum(axis=0).to_numpy() - 1)
    reached = result.ffill().iloc[-1].to_numpy()
    assert (reached >= args.target).all(), "a trial stopped at max_iterations"

    print(json.dumps({
        "tool": "jira-agile-metrics",
        "version": version("jira-agile-metrics"),
        "trials": args.trials,
        "target": args.target,
        "first_day": first_day.isoformat(),
        "seconds_median": statistics.median(seconds),
        "seconds_all": seconds,
        "days_p50": quantile_type1(days, 0.50),
        "days_p85": quantile_type1(days, 0.85),
        "days_p95": quantile_type1(days, 0.95),
        "days_mean": float(days.mean()),
        "days_sd": float(days.std(ddof=1)),
        "days_histogram": {int(d): int(c) for d, c in zip(*np.unique(days, return_counts=True))},
    }))


if __name__ == "__main__":
    main()
