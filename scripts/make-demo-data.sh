#!/usr/bin/env bash
# Regenerates the demo data in datasets/ (see datasets/README.md). Deterministic: the same
# clv version gives byte-identical files.
#   scripts/make-demo-data.sh [path/to/clv]
set -euo pipefail
cd "$(dirname "$0")/.."
CLV=${1:-.build/release/clv}
out=datasets
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# 5,000 customers acquired over 2023, observed for two years (2023-01-01 .. 2024-12-30), with
# the CDNOW BG/NBD and Gamma-Gamma estimates as the true parameters (clv simulate's defaults).
"$CLV" simulate --customers 5000 --seed 20230101 --model bgnbd \
  --start 2023-01-01 --acquisition-days 365 --days 730 \
  -o "$tmp" --truth "$out/demo-orders.truth.json"

# Three documented messes, at fixed data lines (line 1 is the header):
#  - line 11's order is returned the same day (a negative amount: dropped by --returns ignore),
#  - line 21 appears twice (an exported duplicate: same customer, same day, so one purchase day
#    with the amount counted twice — as in the source system),
#  - line 31's customer places a second order on the same day (one purchase day, amounts summed).
awk -F, 'BEGIN { OFS = "," }
  { print }
  NR == 11 { print $1, $2, "-" $3 }
  NR == 21 { print }
  NR == 31 { print $1, $2, "9.99" }' "$tmp" > "$out/demo-orders.csv"

# Customer attributes: a text column and a numeric one, pseudo-random from the customer number
# (no signal by construction: a churn model should give them coefficients near zero).
awk -F, 'NR > 1 && !seen[$1]++ {
    n = substr($1, 2) + 0
    split("search,search,search,email,email,social,affiliate", channels, ",")
    print $1 "," channels[(n * 7919) % 7 + 1] "," (n * 104729) % 13
  }
  BEGIN { print "customer_id,channel,newsletter_opens" }' "$tmp" > "$out/demo-attributes.csv"
echo "wrote $out/demo-orders.csv ($(($(wc -l < "$out/demo-orders.csv") - 1)) rows), $out/demo-attributes.csv"
