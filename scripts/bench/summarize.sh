#!/usr/bin/env bash
# Benchmark of `clv summarize` (README, "Input data and summaries"): a 3-million-row,
# 1-million-customer customer_id,date,amount log under /tmp (generated once; not committed),
# the release build, and five timed runs (wall, user, sys, peak resident memory).
set -euo pipefail
cd "$(dirname "$0")/../.."
file=${1:-/tmp/clv-bench-orders-3M.csv}
python=${PYTHON:-python3}
[ -f "$file" ] || "$python" scripts/bench/generate_orders.py "$file" 3000000 1000000
ls -l "$file"
/usr/bin/time -f "swift build -c release: wall %e s" swift build -c release 2>&1 | tail -1
for i in 1 2 3 4 5; do
  /usr/bin/time -f "summarize: wall %e s, user %U s, sys %S s, peak RSS %M kB" \
    .build/release/clv summarize "$file" -o /dev/null 2>&1 | tail -1
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
