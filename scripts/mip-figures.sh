#!/usr/bin/env bash
# The exact path's figures for the README and the issue notes (release build):
#  1. fixed centers: 1,000 random units, 20 reps with random homes, two measures at ±5 %, 60 s;
#  2. the six smallest US county instances, contiguity and population ±0.5 %, 120 s each;
#  3. with --osman100: the n = 100 Osman–Christofides instances at 300 s each (all ten: 50
#     minutes; OSMAN100=cpmp14,cpmp15 picks some);
#  4. with --county-seats: the MIP on the county-seats instances the heuristic left open
#     (population and land area ±5 %, contiguity), 120 s each.
#  5. with --glpsol: plain glpsol (glpk-utils) on the models our code exports for the ten n = 50
#     Osman–Christofides instances, 60 s each, for comparison with the MIP rows
#     (GLPSOL="11 12 …" picks other instances, e.g. the n = 100 ones).
# Usage: scripts/mip-figures.sh [--osman100] [--county-seats] [--glpsol]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release > /dev/null
bin=.build/release/territory
out=bench-out/mip-figures
mkdir -p "$out"
"$bin" generate --units 1000 --seed 1 --out "$out/units-1000.csv" > /dev/null
awk 'BEGIN { srand(20); print "id,x,y"; for (r = 1; r <= 20; r++) printf "R%02d,%.3f,%.3f\n", r, rand() * 1000, rand() * 1000 }' > "$out/reps-20.csv"
echo "== fixed centers: 1,000 units, k = 20 (rep homes), workload and potential ±5 %, 60 s"
/usr/bin/time -f "%e s wall, %U s CPU" "$bin" solve --units "$out/units-1000.csv" --reps "$out/reps-20.csv" \
    --balance workload=5% --balance potential=5% --method mip --time-limit 60 --out "$out/fixed-1000.csv" --json \
    | tee "$out/fixed-1000.json" | grep -o '"status":"[^"]*"\|"travel":[0-9.]*\|"bound":[0-9.]*\|"gap":[0-9.e-]*' | tr '\n' ' '
echo
echo "== six smallest county instances, contiguity, TOTPOP ±0.5 %, MIP 120 s each"
"$bin" bench --suite county-tight:ME-k2,NM-k3,ID-k2,WV-k3,LA-k6,AL-k7 --methods mip --time-scale 6 \
    --out "$out/county" --jsonl "$out/county.jsonl" --markdown "$out/county.md" > /dev/null || true
cat "$out/county.md"
if [[ " $* " == *" --county-seats "* ]]; then
    echo "== county-seats (TOTPOP and ALAND10 ±5 %, contiguous), MIP 120 s each"
    "$bin" bench --suite county-seats:NM-k3,LA-k6,AL-k7,OK-k5,KS-k4 --methods mip --time-scale 6 \
        --out "$out/county-seats" --jsonl "$out/county-seats.jsonl" --markdown "$out/county-seats.md" > /dev/null || true
    cat "$out/county-seats.md"
fi
if [[ " $* " == *" --osman100 "* ]]; then
    echo "== Osman–Christofides n = 100, MIP 300 s each"
    "$bin" bench --suite "osman:${OSMAN100:-cpmp11,cpmp12,cpmp13,cpmp14,cpmp15,cpmp16,cpmp17,cpmp18,cpmp19,cpmp20}" --methods mip \
        --time-scale 150 --out "$out/osman100" --jsonl "$out/osman100.jsonl" --markdown "$out/osman100.md" > /dev/null || true
    cat "$out/osman100.md"
fi
if [[ " $* " == *" --glpsol "* ]] && command -v glpsol > /dev/null; then
    echo "== plain glpsol on the exported models (Osman–Christofides), 60 s each"
    for i in ${GLPSOL:-01 02 03 04 05 06 07 08 09 10}; do
        "$bin" solve --instance datasets/cpmp-osman/cpmp$i.txt --format cpmp-osman --method mip --time-limit 1 \
            --write-model "$out/cpmp$i.lp" --out "$out/cpmp$i-plan.csv" --quiet > /dev/null || true
        start=$(date +%s.%N)
        glpsol --lp "$out/cpmp$i.lp" --tmlim 60 > "$out/cpmp$i-glpsol.log" 2>&1 || true
        end=$(date +%s.%N)
        verdict=$(grep -o "INTEGER OPTIMAL SOLUTION FOUND\|TIME LIMIT EXCEEDED\|PROBLEM HAS NO INTEGER FEASIBLE SOLUTION" "$out/cpmp$i-glpsol.log" | head -1)
        best=$(grep -E "^\+ *[0-9]+: mip = " "$out/cpmp$i-glpsol.log" | tail -1 | sed 's/  */ /g')
        printf "cpmp%s  %.1f s  %s  %s\n" "$i" "$(echo "$end - $start" | bc)" "${verdict:-?}" "$best"
    done
fi

