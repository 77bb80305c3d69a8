#!/usr/bin/env bash
# Null-campaign coverage check (issue 15): 100 simulated campaigns without effect
# (clv simulate --uplift 0), each read out with clv measure; the 95% interval of the
# purchase-rate lift (Newcombe's hybrid score) must cover 0 in at least 94 of them
# (the bar of the issue). For an interval of exactly 95% coverage the count is
# binomial(100, 0.95) and falls below 94 with probability 0.234 (scipy.stats.binom.cdf(93,
# 100, 0.95)): a miss at 93 or less is a signal to look at, not proof of a bad interval;
# Newcombe's interval is slightly conservative ([NEW1998b]), which helps.
# Release build: the loop simulates and measures 100 × CUSTOMERS customers.
#
# Usage: scripts/check-campaign-null.sh [CUSTOMERS] [SEEDS]   (defaults 5000, 100)
set -euo pipefail
customers=${1:-5000}
seeds=${2:-100}
cd "$(dirname "$0")/.."
swift build -c release --product clv >/dev/null
clv=.build/release/clv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
covered=0
for seed in $(seq 1 "$seeds"); do
  "$clv" simulate --customers "$customers" --seed "$seed" --days 400 -o "$work/orders.csv" \
    --uplift 0 --uplift-start 2024-12-06 --uplift-end 2025-02-03 2>/dev/null
  "$clv" measure "$work/orders.csv.groups.csv" "$work/orders.csv" --start 2024-12-06 \
    --end 2025-02-03 -o "$work/readout.csv" >/dev/null
  # purchase_rate row: lift_lower is field 9, lift_upper field 10.
  if awk -F, '$1 == "purchase_rate" { exit !($9 <= 0 && 0 <= $10) }' "$work/readout.csv"; then
    covered=$((covered + 1))
  else
    echo "seed $seed: interval $(awk -F, '$1 == "purchase_rate" { print $9 " to " $10 }' \
      "$work/readout.csv") misses 0"
  fi
done
echo "null campaigns: the 95% interval of the rate lift covers 0 in $covered of $seeds" \
  "($customers customers each)"
[ "$covered" -ge $((seeds * 94 / 100)) ]
