#!/usr/bin/env python3
"""Reference run for the README's fixed-center figure (dev tooling, not used by the product).

Builds the same fixed-center model the exact path states -- every unit assigned to one rep,
travel = Euclidean distance from the unit to the rep's home, each measure within +-TOL of
total/k in every territory -- from a units CSV and a reps CSV (as scripts/mip-figures.sh makes
them), and solves it with HiGHS through SciPy (`scipy.optimize.milp`, one thread), printing
HiGHS's log and the final plan value and bound.

Usage: scripts/fixed-center-highs.py UNITS.csv REPS.csv SECONDS [TOL] [MEASURE ...]
       (defaults: TOL 0.05, measures workload and potential)
Needs: pip install numpy scipy
"""
import csv
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix


def main():
    units_path, reps_path, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    tol = float(sys.argv[4]) if len(sys.argv) > 4 else 0.05
    measures = sys.argv[5:] or ["workload", "potential"]
    units = list(csv.DictReader(open(units_path)))
    reps = list(csv.DictReader(open(reps_path)))
    xy = np.array([[float(u["x"]), float(u["y"])] for u in units])
    homes = np.array([[float(r["x"]), float(r["y"])] for r in reps])
    weights = np.array([[float(u[m]) for m in measures] for u in units])
    n, k, r = len(units), len(reps), len(measures)
    cost = np.sqrt(((xy[:, None, :] - homes[None, :, :]) ** 2).sum(-1))  # n x k
    target = weights.sum(0) / k
    columns = n * k  # x_it at i * k + t
    rows, cols, vals = [], [], []
    for i in range(n):
        for t in range(k):
            rows.append(i), cols.append(i * k + t), vals.append(1.0)
    assign = csr_matrix((vals, (rows, cols)), shape=(n, columns))
    rows, cols, vals = [], [], []
    for m in range(r):
        for t in range(k):
            for i in range(n):
                rows.append(m * k + t), cols.append(i * k + t), vals.append(weights[i, m] / target[m])
    bands = csr_matrix((vals, (rows, cols)), shape=(r * k, columns))
    start = time.time()
    result = milp(cost.ravel(), integrality=np.ones(columns), bounds=Bounds(0, 1),
                  constraints=[LinearConstraint(assign, 1, 1), LinearConstraint(bands, 1 - tol, 1 + tol)],
                  options={"time_limit": seconds, "disp": True, "mip_rel_gap": 1e-6})
    bound = getattr(result, "mip_dual_bound", None)
    line = f"status {result.status} ({result.message}); plan {result.fun}; bound {bound}"
    if result.fun is not None and bound is not None:
        line += f"; gap {(result.fun - bound) / result.fun:.4%}"
    print(line + f"; {time.time() - start:.1f} s wall")

if __name__ == "__main__":
    main()
