#!/usr/bin/env python3
"""One KS-k4 case as a CP-SAT model (dev tooling only; needs `pip install ortools`, never the package).

The case is the one scripts/ks-k4-exact.c searches: district A holds Johnson, B Sedgwick, C Wyandotte,
and D is rooted at ROOT, its most populous county (D holds no county more populous than ROOT). Both
measures (TOTPOP, ALAND10) lie within +-TOL of a quarter of the state's total, exactly, in integers.
Contiguity: every county but the four roots picks one parent among its neighbours in the same
district with a smaller level, so every county has a path to its district's root.

Usage: scripts/ks-k4-cpsat.py GRAPH TOL ROOT [--in COUNTY:L] [--out COUNTY:L] [--seconds S] [--workers W]
       [--seed N]
Prints "none" (the case has no plan: CP-SAT proved the model infeasible), PLAN and the four
districts (checked here against the bands and contiguity), or UNKNOWN at the time limit.
"""
import argparse, sys, time
from fractions import Fraction
from ortools.sat.python import cp_model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("graph"); ap.add_argument("tol"); ap.add_argument("root")
    ap.add_argument("--in", dest="ins", action="append", default=[])
    ap.add_argument("--out", dest="outs", action="append", default=[])
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--log", action="store_true")
    a = ap.parse_args()
    tok = open(a.graph).read().split()
    n = int(tok[0]); pos = 1; pop, land, nbs, name = [], [], [], []
    for _ in range(n):
        pop.append(int(tok[pos])); land.append(int(tok[pos + 1])); d = int(tok[pos + 2])
        nbs.append([int(x) for x in tok[pos + 3:pos + 3 + d]]); name.append(tok[pos + 3 + d]); pos += 4 + d
    idx = {s: i for i, s in enumerate(name)}
    tol = Fraction(a.tol)
    K = 4
    # v/(total/K) in [1-tol, 1+tol]  <=>  K*v*den in [(den-num)*total, (den+num)*total]
    num, den = tol.numerator, tol.denominator
    roots = [idx["Johnson"], idx["Sedgwick"], idx["Wyandotte"], idx[a.root]]
    m = cp_model.CpModel()
    x = [[m.NewBoolVar(f"x{i}_{d}") for d in range(K)] for i in range(n)]
    for i in range(n):
        m.AddExactlyOne(x[i])
    for d, r in enumerate(roots):
        m.Add(x[r][d] == 1)
    for i in range(n):  # D is rooted at its most populous county (ties by index, as in ks-k4-exact.c)
        if pop[i] > pop[roots[3]] or (pop[i] == pop[roots[3]] and i < roots[3]):
            m.Add(x[i][3] == 0)
    for lits, val in ((a.ins, 1), (a.outs, 0)):
        for l in lits:
            c, d = l.rsplit(":", 1)
            m.Add(x[idx[c]][ord(d) - ord("A")] == val)
    for w in (pop, land):
        total = sum(w)
        for d in range(K):
            s = sum(K * den * w[i] * x[i][d] for i in range(n))
            m.Add(s >= (den - num) * total); m.Add(s <= (den + num) * total)
    lvl = [m.NewIntVar(0, n, f"l{i}") for i in range(n)]
    for r in roots:
        m.Add(lvl[r] == 0)
    for i in range(n):
        if i in roots:
            continue
        par = []
        for j in nbs[i]:
            p = m.NewBoolVar(f"p{i}_{j}"); par.append(p)
            for d in range(K):
                m.Add(x[i][d] == x[j][d]).OnlyEnforceIf(p)
            m.Add(lvl[i] >= lvl[j] + 1).OnlyEnforceIf(p)
        m.AddExactlyOne(par)
        # a county in district d needs a neighbour in d (implied; helps propagation)
        for d in range(K):
            m.AddBoolOr([x[j][d] for j in nbs[i]]).OnlyEnforceIf(x[i][d])
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = a.seconds
    s.parameters.num_workers = a.workers
    s.parameters.random_seed = a.seed
    s.parameters.log_search_progress = a.log
    t0 = time.process_time()
    st = s.Solve(m)
    cpu = time.process_time() - t0
    stats = f"cpu {cpu:.1f}s wall {s.WallTime():.1f}s branches {s.NumBranches()} conflicts {s.NumConflicts()}"
    if st == cp_model.INFEASIBLE:
        print(f"D-root {a.root}: none  ({stats})"); return 0
    if st in (cp_model.FEASIBLE, cp_model.OPTIMAL):
        dist = [[i for i in range(n) if s.Value(x[i][d])] for d in range(K)]
        for d, members in enumerate(dist):  # check the plan independently of the model
            for w in (pop, land):
                v = sum(w[i] for i in members)
                assert (den - num) * sum(w) <= K * den * v <= (den + num) * sum(w)
            seen = {roots[d]}; stack = [roots[d]]
            while stack:
                u = stack.pop()
                for v in nbs[u]:
                    if v in members and v not in seen:
                        seen.add(v); stack.append(v)
            assert len(seen) == len(members), "district not contiguous"
        print(f"D-root {a.root}: PLAN  ({stats})")
        for d, members in enumerate(dist):
            print("ABCD"[d], " ".join(sorted(name[i] for i in members)))
        return 0
    print(f"D-root {a.root}: UNKNOWN  ({stats})"); return 3


if __name__ == "__main__":
    sys.exit(main())
