"""HiGHS on the NRP instances, for the side-by-side benchmark in bench/nrp.sh.

The model is the textbook integer program of the Next Release Problem: a binary x[r] per
requirement and y[c] per customer; maximise the profit of the satisfied customers subject to
the budget (sum of cost[r] * x[r] <= floor(ratio * total cost)), y[c] <= x[r] for every request
of c, and x[b] <= x[a] for every dependency pair "a b". HiGHS (highspy 1.16.0) runs single-threaded with its
defaults otherwise.

Usage: python nrp_highs.py FILE RATIO   (prints one JSON line)
"""

import json
import sys
import time
from fractions import Fraction

import highspy
import numpy as np


def parse(path):
    tokens = open(path, "rb").read().split()
    at = 0

    def take():
        nonlocal at
        at += 1
        return int(tokens[at - 1])

    costs = []
    for _ in range(take()):
        costs.extend(take() for _ in range(take()))
    pairs = [(take() - 1, take() - 1) for _ in range(take())]
    customers = []
    for _ in range(take()):
        profit = take()
        customers.append((profit, [take() - 1 for _ in range(take())]))
    return costs, pairs, customers


def main():
    path, ratio = sys.argv[1], sys.argv[2]
    costs, pairs, customers = parse(path)
    budget = int(Fraction(ratio) * sum(costs))  # floor, exactly
    n, m = len(costs), len(customers)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    inf = highspy.kHighsInf
    # Columns: x[0..n), y[0..m); HiGHS minimises, so profits are negated.
    cost = np.array([0.0] * n + [-float(p) for p, _ in customers])
    h.addVars(n + m, np.zeros(n + m), np.ones(n + m))
    h.changeColsCost(n + m, np.arange(n + m, dtype=np.int32), cost)
    h.changeColsIntegrality(
        n + m, np.arange(n + m, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * (n + m))
    )
    h.addRow(-inf, float(budget), n, np.arange(n, dtype=np.int32), np.array(costs, dtype=float))
    for c, (_, requests) in enumerate(customers):
        for r in set(requests):
            h.addRow(-inf, 0.0, 2, np.array([n + c, r], dtype=np.int32), np.array([1.0, -1.0]))
    for a, b in set(pairs):
        h.addRow(-inf, 0.0, 2, np.array([b, a], dtype=np.int32), np.array([1.0, -1.0]))
    started = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - started
    status = h.modelStatusToString(h.getModelStatus())
    value = -h.getInfo().objective_function_value
    print(json.dumps({"budget": budget, "value": round(value), "optimal": status == "Optimal",
                      "seconds": seconds, "status": status}))


if __name__ == "__main__":
    main()
