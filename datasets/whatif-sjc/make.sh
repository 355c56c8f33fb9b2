#!/usr/bin/env bash
# Rebuilds the what-if example from the SJC4a instance (402 real demand points of São José dos
# Campos, Brazil; see ../cpmp-sjc/README.md): accounts.csv, today.csv (a 24-rep plan designed
# by Territory, demand within ±3 %, seed 1, standing in for today's plan) and reps.csv (each
# rep's home is its territory's center in that plan).
# Usage: datasets/whatif-sjc/make.sh path/to/territory
set -euo pipefail
territory=${1:?usage: make.sh path/to/territory}
here=$(dirname "$0")
awk 'NR == 1 { print "id,x,y,demand"; next } NF >= 4 { printf "a%03d,%s,%s,%s\n", NR - 1, $1, $2, $4 }' \
    "$here/../cpmp-sjc/SJC4a.dat" > "$here/accounts.csv"
"$territory" solve --units "$here/accounts.csv" --k 24 --balance demand=3% --seed 1 --time-limit 30 --quiet \
    --out "$here/today-raw.csv" > /dev/null
# Territories T1…T24 become reps R01…R24; homes are the territory centers.
awk -F, 'NR > 1 { sub(/^T/, "", $2); printf "%s,R%02d\n", $1, $2; next } { print }' "$here/today-raw.csv" > "$here/today.csv"
awk -F, 'FNR == NR { if (FNR > 1) { x[$1] = $2; y[$1] = $3 }; next }
         FNR == 1 { print "id,name,x,y,territory"; next }
         { t = $1; sub(/^T/, "", t); printf "R%02d,Rep %02d,%s,%s,R%02d\n", t, t, x[$2], y[$2], t }' \
    "$here/accounts.csv" "$here/today-raw-centers.csv" > "$here/reps.csv"
rm "$here/today-raw.csv" "$here/today-raw-centers.csv"
