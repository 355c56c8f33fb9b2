#!/usr/bin/env bash
# Checks scripts/ks-k4-frontier.c against brute force on random grid graphs (dev tooling only).
# In exact mode its plan count must equal the enumeration's; in coarse mode it must never call an
# instance with plans infeasible. Usage: scripts/ks-k4-frontier-check.sh [GRAPHS]   (default 80)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/frontier" "$here/ks-k4-frontier.c" -lm
cat > "$work/gen.py" <<'PY'
import random, sys
random.seed(int(sys.argv[1]))
rows = random.choice([3, 4]); cols = random.choice([3, 4]) if rows == 4 else 4
n = rows * cols; edges = set()
for r in range(rows):
    for c in range(cols):
        v = r * cols + c
        if c + 1 < cols: edges.add((v, v + 1))
        if r + 1 < rows: edges.add((v, v + cols))
        if r + 1 < rows and c + 1 < cols and random.random() < 0.3: edges.add((v, v + cols + 1))
nbrs = [set() for _ in range(n)]
for a, b in edges: nbrs[a].add(b); nbrs[b].add(a)
print(n)
for v in range(n):  # land in whole 1,000 m^2 so that exact mode is exact
    print(random.randint(1, 100), random.randint(1, 100) * 1000, len(nbrs[v]), *sorted(nbrs[v]), 'v%d' % v)
PY
bad=0; cases=0; empty=0
for seed in $(seq 1 "${1:-80}"); do
  python3 "$work/gen.py" "$seed" > "$work/g.txt"
  for tol in 150 250 400 600; do
    brute=$("$work/frontier" "$work/g.txt" $tol --roots v0,v5,v10 --brute | awk '{print $2}')
    exact=$("$work/frontier" "$work/g.txt" $tol --roots v0,v5,v10 --pop-step 1 --land-step 1000 --key-closed 2>/dev/null | sed 's/.*labellings \([0-9]*\),.*/\1/')
    coarse=$("$work/frontier" "$work/g.txt" $tol --roots v0,v5,v10 --pop-step 40 --land-step 40000 --key-lo 2>/dev/null | grep -o 'relaxation [a-z]*')
    cases=$((cases + 1)); [ "$brute" = 0 ] && empty=$((empty + 1))
    if [ "$brute" != "$exact" ]; then echo "seed $seed tol $tol: brute force $brute plans, exact mode $exact"; bad=1; fi
    if [ "$brute" != 0 ] && [ "$coarse" = "relaxation infeasible" ]; then echo "seed $seed tol $tol: coarse mode refuted an instance with plans"; bad=1; fi
  done
done
echo "$cases instances ($empty without plans): $([ $bad = 0 ] && echo all agree || echo DISAGREEMENT)"
exit $bad
