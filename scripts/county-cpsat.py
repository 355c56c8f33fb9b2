#!/usr/bin/env python3
"""Dev tooling only (not used by the package): checks a contiguous county instance with an
external solver, Google OR-Tools CP-SAT (`pip install ortools`), to cross-examine the open
county instances (README, "Contiguous county instances: what is settled").

Model: x[i][t] = county i in district t; population and land area (ALAND10, m²) within ±tol of
the equal targets; contiguity as a rooted tree: every member other than its district's root
has a neighbour in the same district with a smaller level. Districts 1..len(--anchor) are rooted
at the given GEOIDs (units that must lie in different districts, e.g. Johnson and Sedgwick in
Kansas: together they exceed the population band); the other districts choose their root, the
lowest-index member, in increasing order. With --soft the bands become violation variables
and the total relative violation is minimised (so CP-SAT's improving search has something to
improve). Writes the plan CSV (unit,territory) when it finds a feasible one.

Usage: scripts/county-cpsat.py datasets/districting-us-county/county20.json 4 \
           --anchor 20091,20173,20209 --seconds 300 [--soft] [--workers 2]
"""
import argparse
import json

from ortools.sat.python import cp_model

ap = argparse.ArgumentParser()
ap.add_argument("graph")
ap.add_argument("k", type=int)
ap.add_argument("--anchor", default="", help="GEOIDs rooted in districts 1, 2, …")
ap.add_argument("--tolerance", type=float, default=0.05)
ap.add_argument("--seconds", type=float, default=300)
ap.add_argument("--workers", type=int, default=2)
ap.add_argument("--soft", action="store_true")
ap.add_argument("--out", default="cpsat-plan.csv")
args = ap.parse_args()

graph = json.load(open(args.graph))
nodes, k = graph["nodes"], args.k
n = len(nodes)
index = {v["GEOID10"]: i for i, v in enumerate(nodes)}
neighbours = [[e["id"] for e in row if e["id"] != i] for i, row in enumerate(graph["adjacency"])]
population = [int(v["TOTPOP"]) for v in nodes]
area = [int(v["ALAND10"]) for v in nodes]
anchors = [index[g] for g in args.anchor.split(",") if g]

model = cp_model.CpModel()
x = [[model.NewBoolVar(f"x{i}_{t}") for t in range(k)] for i in range(n)]
for i in range(n):
    model.AddExactlyOne(x[i])
violations = []
for weights in (population, area):
    target = sum(weights) / k
    low, high = int(-(-(1 - args.tolerance) * target // 1)), int((1 + args.tolerance) * target)
    for t in range(k):
        load = sum(weights[i] * x[i][t] for i in range(n))
        if args.soft:
            v = model.NewIntVar(0, sum(weights), "")
            model.Add(load >= low - v)
            model.Add(load <= high + v)
            violations.append((v, target))
        else:
            model.AddLinearConstraint(load, low, high)
if args.soft:
    # Weight each violation by (largest target / its target), so objective / largest target is
    # the total violation in targets (integer weights; CP-SAT needs them).
    largest = max(target for _, target in violations)
    model.Minimize(sum(int(round(largest / target)) * v for v, target in violations))

root = [[model.NewBoolVar("") for i in range(n)] for t in range(k)]
for t in range(k):
    if t < len(anchors):
        for i in range(n):
            model.Add(root[t][i] == int(i == anchors[t]))
    else:
        model.AddExactlyOne(root[t])
        for i in range(n):
            model.AddImplication(root[t][i], x[i][t])
            for j in range(i):
                model.AddImplication(root[t][i], x[j][t].Not())
free = list(range(len(anchors), k))
root_index = {t: sum(i * root[t][i] for i in range(n)) for t in free}
for a, b in zip(free, free[1:]):
    model.Add(root_index[a] < root_index[b])
level = [model.NewIntVar(0, n, "") for _ in range(n)]
for i in range(n):
    for t in range(k):
        parents = []
        for j in neighbours[i]:
            p = model.NewBoolVar("")
            model.AddImplication(p, x[j][t])
            model.AddImplication(p, x[i][t])
            model.Add(level[i] > level[j]).OnlyEnforceIf(p)
            parents.append(p)
        model.AddBoolOr(parents + [root[t][i], x[i][t].Not()])

solver = cp_model.CpSolver()
solver.parameters.max_time_in_seconds = args.seconds
solver.parameters.num_workers = args.workers
status = solver.Solve(model)
found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
line = f"{solver.StatusName(status)} after {solver.WallTime():.1f} s"
if args.soft and found:
    line += f", total violation {solver.ObjectiveValue() / largest:.4f} targets"
print(line)
if found:
    totals = (sum(population) / k, sum(area) / k)
    for t in range(k):
        members = [i for i in range(n) if solver.Value(x[i][t])]
        print(f"district {t + 1}: {len(members)} counties, population {sum(population[i] for i in members) / totals[0]:.4f}, "
              f"area {sum(area[i] for i in members) / totals[1]:.4f} of target")
    if not args.soft or solver.ObjectiveValue() == 0:
        with open(args.out, "w") as f:
            f.write("unit,territory\n")
            for i in range(n):
                f.write(f"{nodes[i]['GEOID10']},T{next(t for t in range(k) if solver.Value(x[i][t])) + 1}\n")
        print("plan written to", args.out)
