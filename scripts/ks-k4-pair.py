#!/usr/bin/env python3
"""KS-k4 trial (dev tooling only): can districts C and D both still be formed in what A leaves?

Usage: python3 scripts/ks-k4-pair.py ks.txt CANDIDATES ROOT [--prefix FRACTION] [--time-limit S]

CANDIDATES holds district-A bitmasks (from `ks-k4-exact ... --dump-candidates FILE`). For each,
a mixed-integer model (gurobipy; pip's size-limited licence is enough) asks for two disjoint
connected sets in the counties A leaves: C holding Wyandotte and D holding ROOT (every member of D
no heavier than ROOT, as in the case split), each with population at least 0.95 of the target
and land at most 1.05 of it: the dense side of the bands only, so "infeasible" refutes A.
--prefix keeps only that share of A (breadth-first from Johnson), to see how early the pair
check could prune. Connectivity: single-commodity flow from each root.
"""
import argparse
import time

import gurobipy as gp

ap = argparse.ArgumentParser()
ap.add_argument('graph'); ap.add_argument('candidates'); ap.add_argument('root')
ap.add_argument('--prefix', type=float, default=1.0); ap.add_argument('--time-limit', type=float, default=60)
args = ap.parse_args()
lines = open(args.graph).read().split('\n'); n = int(lines[0])
pop, land, nbrs, name = [], [], [], []
for line in lines[1:n + 1]:
    t = line.split(); d = int(t[2])
    pop.append(int(t[0])); land.append(int(t[1])); nbrs.append([int(x) for x in t[3:3 + d]]); name.append(t[3 + d])
target_pop, target_land = sum(pop) / 4, sum(land) / 4
index = {x: i for i, x in enumerate(name)}
johnson, sedgwick, wyandotte, root_d = index['Johnson'], index['Sedgwick'], index['Wyandotte'], index[args.root]
counts = {}
for line in open(args.candidates):
    mask = int(line, 16); a_set = {v for v in range(n) if mask >> v & 1}
    if args.prefix < 1:
        order, seen = [johnson], {johnson}
        for u in order:
            for w in nbrs[u]:
                if w in a_set and w not in seen: seen.add(w); order.append(w)
        a_set = set(order[:max(1, int(len(order) * args.prefix))])
    rest = [v for v in range(n) if v not in a_set]
    model = gp.Model(); model.Params.OutputFlag = 0; model.Params.Threads = 1; model.Params.TimeLimit = args.time_limit
    x = {}
    for district, r in (('C', wyandotte), ('D', root_d)):
        allowed = [v for v in rest if v not in (sedgwick, johnson)]
        allowed = [v for v in allowed if v != (root_d if district == 'C' else wyandotte)]
        if district == 'D': allowed = [v for v in allowed if pop[v] <= pop[root_d]]
        if r not in allowed: break
        for v in allowed: x[district, v] = model.addVar(vtype='B')
        model.addConstr(x[district, r] == 1)
        arcs = [(u, w) for u in allowed for w in nbrs[u] if (district, w) in x]
        flow = {arc: model.addVar(lb=0) for arc in arcs}
        for (u, w) in arcs: model.addConstr(flow[u, w] <= len(allowed) * x[district, w])
        size = gp.quicksum(x[district, v] for v in allowed)
        for v in allowed:
            inflow = gp.quicksum(flow[arc] for arc in arcs if arc[1] == v)
            outflow = gp.quicksum(flow[arc] for arc in arcs if arc[0] == v)
            model.addConstr(outflow - inflow == size - 1 if v == r else inflow - outflow == x[district, v])
        model.addConstr(gp.quicksum(pop[v] / target_pop * x[district, v] for v in allowed) >= 0.95)
        model.addConstr(gp.quicksum(land[v] / target_land * x[district, v] for v in allowed) <= 1.05)
    else:
        for v in rest:
            if ('C', v) in x and ('D', v) in x: model.addConstr(x['C', v] + x['D', v] <= 1)
        started = time.time(); model.optimize()
        status = {gp.GRB.OPTIMAL: 'feasible', gp.GRB.INFEASIBLE: 'infeasible', gp.GRB.TIME_LIMIT: 'time limit'}.get(model.Status, str(model.Status))
        print(f'A with {len(a_set)} counties: {status} ({time.time() - started:.1f} s)', flush=True)
        counts[status] = counts.get(status, 0) + 1
        continue
    print(f'A with {len(a_set)} counties: a root is inside A'); counts['root in A'] = counts.get('root in A', 0) + 1
print('summary:', ', '.join(f'{v} {k}' for k, v in sorted(counts.items())))
