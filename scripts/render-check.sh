#!/usr/bin/env bash
# Renders the HTML report of a bundled real dataset (Iowa's 99 counties, the published optimal
# 4-district plan) in headless Chromium and checks that the browser parsed the map and the charts
# (SVG elements in the rendered DOM) and painted them (the screenshot is far from a blank page).
# Usage: scripts/render-check.sh [path/to/territory]   (needs chromium; exits 0 with a note without it)
set -euo pipefail
cd "$(dirname "$0")/.."
territory=${1:-.build/debug/territory}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then echo "render-check: no Chromium found, skipped"; exit 0; fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$territory" report --instance datasets/districting-us-county/county19.json --format county-json --k 4 \
    --balance TOTPOP=0.5% --contiguous \
    --plan datasets/districting-us-county/optimal-plans-min-cut-edges/IA-county-hess-scf.json --out "$out/report.html" > /dev/null
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,1300)
"$browser" "${flags[@]}" --dump-dom "file://$out/report.html" 2> /dev/null > "$out/dom.html"
svgs=$(grep -o '<svg' "$out/dom.html" | wc -l)
circles=$(grep -o '<circle' "$out/dom.html" | wc -l)
bars=$(grep -o '<rect' "$out/dom.html" | wc -l)
"$browser" "${flags[@]}" --screenshot="$out/report.png" "file://$out/report.html" > /dev/null 2>&1
echo '<!DOCTYPE html><html><body></body></html>' > "$out/blank.html"
"$browser" "${flags[@]}" --screenshot="$out/blank.png" "file://$out/blank.html" > /dev/null 2>&1
report_bytes=$(stat -c %s "$out/report.png")
blank_bytes=$(stat -c %s "$out/blank.png")
echo "render-check: $svgs svg, $circles circles, $bars rects in the DOM; screenshot $report_bytes bytes (blank page $blank_bytes)"
if [ -n "${RENDER_CHECK_KEEP:-}" ]; then cp "$out/report.png" "$RENDER_CHECK_KEEP"; fi
[ "$svgs" -ge 2 ] || { echo "render-check: FAILED: the map and the balance chart did not parse"; exit 1; }
[ "$circles" -ge 99 ] || { echo "render-check: FAILED: fewer than 99 county markers"; exit 1; }
[ "$report_bytes" -gt $((blank_bytes * 10)) ] || { echo "render-check: FAILED: the screenshot looks blank"; exit 1; }
echo "render-check: OK"
