#!/usr/bin/env bash
# Release-mode timings of the models (issue 4 "Speed"): BG/NBD on the CDNOW summary; BG/NBD and
# Gamma-Gamma on 1 million simulated customers; scoring 1 million customers.
# The fit times are the "fit.seconds" the model files record (the estimation only, after the
# input is read); the scoring time is what `clv score` reports on stderr (P(alive), expected
# purchases, P(no purchase), spend and CLV for every customer, then the whole scoring + CSV).
# Wall-clock times: on a shared machine they include waiting for a core.
# Usage: scripts/bench/models.sh [WORKDIR]   (needs ../shared/datasets; writes ~120 MB)
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release >/dev/null
clv=$PWD/.build/release/clv
work=${1:-$(mktemp -d)}
mkdir -p "$work"
seconds() { sed -n 's/.*"\(seconds\|cpuSeconds\)": \([^,]*\),*/\1 \2/p' "$1" | tr '\n' ' '; }

$clv train ../shared/datasets/cdnow_customers_summary.csv --model bgnbd -o "$work/cdnow.json" 2>/dev/null
echo "BG/NBD, CDNOW summary (2,357 customers): fit $(seconds "$work/cdnow.json")(wall, CPU)"

$clv simulate --customers 1000000 --seed 1 -o "$work/sim.csv" 2>/dev/null
end=2025-12-30
$clv train "$work/sim.csv" --observation-end $end --model bgnbd -o "$work/bg.json" 2>/dev/null
echo "BG/NBD, 1M simulated customers: fit $(seconds "$work/bg.json")(wall, CPU)"
$clv train "$work/sim.csv" --observation-end $end --model gamma-gamma -o "$work/gg.json" 2>/dev/null
echo "Gamma-Gamma, 1M simulated customers: fit $(seconds "$work/gg.json")(wall, CPU)"
$clv score "$work/sim.csv" --observation-end $end --model "$work/bg.json" --spend-model "$work/gg.json" \
  --horizon 52 -o "$work/scores.csv" 2>&1 | grep "scored"
