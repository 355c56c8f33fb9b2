#!/usr/bin/env bash
# Runs parts of one KS-k4 case of scripts/ks-k4-exact.c (dev tooling only) and appends each finished
# part's result line to scripts/ks-k4-parts.log, so that a case too long for one session is settled
# part by part across sessions. Parts already in the log are skipped; a part cut off before it ends
# leaves no line and runs again next time.
# Usage: scripts/ks-k4-parts.sh ROOT N LANE LANES [extra ks-k4-exact options...]
#   runs the parts I = LANE, LANE + LANES, ... (< N) of `ks-k4-exact ks.txt 0.05 ROOT ADBC --part I/N`;
#   start one lane per core, e.g. LANE 0 and 1 of LANES 2.
# KS_TOL (default 0.05) sets the tolerance. The case has no plan when the log holds "none" for every part 0..N-1 with the same options.
set -euo pipefail
root=$1 parts=$2 lane=$3 lanes=$4; shift 4
here=$(cd "$(dirname "$0")" && pwd); log="$here/ks-k4-parts.log"
tol=${KS_TOL:-0.05}; bin=${KS_EXACT:-/tmp/ks-k4-exact}; graph=${KS_GRAPH:-/tmp/ks.txt}
[ -x "$bin" ] || cc -O2 -o "$bin" "$here/ks-k4-exact.c" -lm
[ -s "$graph" ] || python3 "$here/ks-k4-graph.py" "$here/../datasets/districting-us-county/county20.json" > "$graph"
opts="$*"
for ((i = lane; i < parts; i += lanes)); do
  key="$root ADBC $tol [$opts] part $i/$parts:"
  if [ -f "$log" ] && grep -qF "$key" "$log"; then continue; fi
  start=$(date -u +%FT%TZ)
  full=$("$bin" "$graph" "$tol" "$root" ADBC "$@" --part "$i/$parts")
  out=${full%%$'\n'*}  # "D-root ROOT order ADBC: none  cpu 123.4s  lv0 nodes ..."; a PLAN adds its districts
  ( flock 9; echo "$key ${out#*: } (started $start, ended $(date -u +%FT%TZ))" >> "$log"
    case "$out" in *PLAN*) echo "$full" | tail -n +2 | sed 's/^/    /' >> "$log";; esac ) 9>/tmp/ks-k4-parts.lock
  case "$out" in *PLAN*) echo "PLAN found in part $i" >&2; exit 0;; esac
done
