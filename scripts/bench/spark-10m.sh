#!/usr/bin/env bash
# The cost of clvkit on Apache Spark at 10M customers (notebooks-md/guides/spark.md, section 4):
# a seeded clv simulate order log, then on Spark local[2] the distinct-row summary, the
# per-customer summary (Parquet), the weighted fits on the distinct rows, and sharded scoring
# through clv score; clv summarize on one process for comparison. Needs the release clv
# (swift build -c release) and the Spark venv (make spark-deps). Prints the load average
# before and after: on a shared machine wall times include waiting for a core.
#
#   scripts/bench/spark-10m.sh            # CUSTOMERS=10000000 DATA=.build/spark-10m
set -euo pipefail
cd "$(dirname "$0")/../.."
CLV=${CLV_BIN:-$PWD/.build/release/clv}
DATA=${DATA:-.build/spark-10m}
N=${CUSTOMERS:-10000000}
SPARK_OPTIONS=(--master 'local[2]' --driver-memory 6g --conf spark.sql.shuffle.partitions=16
  --conf spark.ui.enabled=false)
mkdir -p "$DATA"
if [ ! -f "$DATA/orders.csv" ]; then
  "$CLV" simulate --customers "$N" --seed 42 -o "$DATA/orders.csv"
fi
# shellcheck disable=SC1091
. .build/spark-venv/bin/activate
ls -l "$DATA/orders.csv"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
timed() {
  local label=$1
  shift
  local start=$SECONDS
  /usr/bin/time -f "$label: %e s wall, %U s user + %S s sys, %M KB max RSS (this process)" "$@"
  echo "$label: finished after $((SECONDS - start)) s; load $(cut -d' ' -f1-3 /proc/loadavg)"
}
timed "spark summarize --distinct" spark-submit "${SPARK_OPTIONS[@]}" \
  integrations/spark/clv_spark.py summarize "$DATA/orders.csv" --observation-end 2025-12-30 \
  --distinct -o "$DATA/distinct"
echo "distinct rows: $(($(cat "$DATA"/distinct/part-*.csv | wc -l) - 1))"
timed "spark summarize (per customer, Parquet)" spark-submit "${SPARK_OPTIONS[@]}" \
  integrations/spark/clv_spark.py summarize "$DATA/orders.csv" --observation-end 2025-12-30 --parquet \
  -o "$DATA/summary.parquet"
for model in bgnbd gamma-gamma; do
  timed "clv train --model $model --weight-column weights" "$CLV" train \
    "$DATA"/distinct/part-*.csv --model "$model" --weight-column weights \
    -o "$DATA/$model.json"
done
timed "spark score (model outputs, one pass)" spark-submit "${SPARK_OPTIONS[@]}" \
  integrations/spark/clv_spark.py score "$DATA/summary.parquet" --model "$DATA/bgnbd.json" \
  --spend-model "$DATA/gamma-gamma.json" --clv-bin "$CLV" --partitions 16 --parquet \
  -o "$DATA/scores.parquet"
timed "clv summarize (one process)" "$CLV" summarize "$DATA/orders.csv" -o "$DATA/clv-summary.csv"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
