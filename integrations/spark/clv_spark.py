#!/usr/bin/env python3
"""spark-submit entry point for clvkit on Spark.

    spark-submit integrations/spark/clv_spark.py summarize ORDERS -o OUT [options]
    spark-submit integrations/spark/clv_spark.py score SUMMARY --model M.json -o OUT [options]

``summarize`` writes the per-customer summary (``--distinct``: distinct rows with a weights
column, for ``clv train --weight-column weights``) as CSV (one file in the folder OUT, or
``--parquet``); the order-log options are `clv summarize`'s (see ``--help``). ``score`` reads a
summary (CSV with a header, or Parquet) and writes clv's score columns, each partition scored
by ``clv score -`` (binary: ``--clv-bin``, else $CLV_BIN, else ``clv`` on PATH).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pyspark.sql import SparkSession  # noqa: E402

import clvkit_spark as ck  # noqa: E402


def order_options(parser):
    group = parser.add_argument_group("order log (as clv summarize)")
    group.add_argument("--customer-column", default="customer_id",
                       help="customer id column: a header name or a 1-based number")
    group.add_argument("--date-column", default="date",
                       help="order date column: a header name or a 1-based number")
    group.add_argument("--amount-column", default=None,
                       help="amount column (default: amount, when the file has it)")
    group.add_argument("--delimiter", default=",",
                       help="',', ';', '|', tab or whitespace (CSV input)")
    group.add_argument("--no-header", action="store_true", help="the CSV has no header row")
    group.add_argument("--date-format", default="auto",
                       help="auto, " + ", ".join(list(ck.orders.DATE_LAYOUTS)
                                                  + list(ck.orders.EPOCH_LAYOUTS)))
    group.add_argument("--decimal-comma", action="store_true",
                       help="amounts use a decimal comma")
    group.add_argument("--returns", default="ignore", choices=["ignore", "net", "error"],
                       help="negative amounts: ignore (drop), net, error")
    group.add_argument("--skip-bad-rows", action="store_true",
                       help="drop rows whose id, date or amount does not parse")
    group.add_argument("--unit", default="week", choices=["day", "week", "month"],
                       help="time unit of recency, T and durations")
    group.add_argument("--observation-end", help="last day observed, yyyy-MM-dd")
    group.add_argument("--calibration-end", help="last day of the calibration period, yyyy-MM-dd")
    group.add_argument("--parquet-input", action="store_true",
                       help="ORDERS is Parquet (default: by the .parquet extension)")


def write(df, path, parquet):
    if parquet:
        df.write.mode("overwrite").parquet(path)
    else:
        ck.write_csv(df, path)


def read_summary(spark, path):
    """A summary (Parquet, or CSV with clv's header): ids stay text ("00001"), counts long,
    times and money double."""
    if path.rstrip("/").endswith(".parquet"):
        return spark.read.parquet(path)
    from pyspark.sql import functions as F
    table = spark.read.option("header", True).csv(path)
    def typed(name):
        if name in ("customer_id", "cohort"):
            return F.col(name)
        kind = "long" if name.startswith("frequency") or name == "weights" else "double"
        return F.col(name).cast(kind).alias(name)
    return table.select(*[typed(c) for c in table.columns])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="clv_spark.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    summarize = commands.add_parser("summarize", help="per-customer summaries from orders")
    summarize.add_argument("orders", help="order log: CSV file or folder, or Parquet")
    summarize.add_argument("-o", "--output", required=True, help="output folder")
    summarize.add_argument("--distinct", action="store_true",
                           help="distinct rows with a weights column (clv summarize --distinct)")
    summarize.add_argument("--parquet", action="store_true", help="write Parquet, not CSV")
    order_options(summarize)

    score = commands.add_parser("score", help="score a summary with clv score, per partition")
    score.add_argument("summary", help="summary CSV (with header) or .parquet")
    score.add_argument("-o", "--output", required=True, help="output folder")
    score.add_argument("--model", required=True, help="purchase model file (clv train)")
    score.add_argument("--spend-model", help="spend model file (gamma-gamma)")
    score.add_argument("--clv-bin", help="clv binary on the executors (default: $CLV_BIN, clv)")
    score.add_argument("--ship-binary", action="store_true",
                       help="ship the driver's clv binary to the executors (SparkFiles)")
    score.add_argument("--unit", default="week", choices=["day", "week", "month"],
                       help="unit of the summary's recency and T")
    score.add_argument("--horizon", help="clv score --horizon (default 52w)")
    score.add_argument("--discount-rate", type=float, help="clv score --discount-rate")
    score.add_argument("--margin", type=float, help="clv score --margin")
    score.add_argument("--as-of", help="clv score --as-of (segments, stages, next purchase)")
    score.add_argument("--alive-threshold", type=float, default=0.5,
                       help="clv score --alive-threshold")
    score.add_argument("--value-threshold", type=float,
                       help="clv score --value-threshold (default: the median value of the "
                            "active customers of the whole summary, from a first pass)")
    score.add_argument("--population-cycle-days", type=float,
                       help="clv score --population-cycle-days (default: from the summary)")
    score.add_argument("--partitions", type=int, help="repartition the summary first")
    score.add_argument("--parquet", action="store_true", help="write Parquet, not CSV")

    args = parser.parse_args(argv)
    spark = SparkSession.builder.appName(f"clvkit {args.command}").getOrCreate()
    start = time.time()
    if args.command == "summarize":
        fmt = ck.OrderLogFormat(
            customer_column=args.customer_column, date_column=args.date_column,
            amount_column=args.amount_column, delimiter=args.delimiter,
            has_header=not args.no_header, date_format=args.date_format,
            decimal_mark="comma" if args.decimal_comma else "point",
            skip_bad_rows=args.skip_bad_rows,
            file_format="parquet" if args.parquet_input else None)
        orders = ck.read_orders(spark, args.orders, fmt)
        result = ck.summarize(orders, unit=args.unit, observation_end=args.observation_end,
                              calibration_end=args.calibration_end, returns=args.returns,
                              name=args.orders)
        if args.distinct:
            result = ck.distinct_rows(result)
        write(result, args.output, args.parquet)
        what = "distinct rows" if args.distinct else "customers"
    else:
        summary = read_summary(spark, args.summary)
        if args.partitions:
            summary = summary.repartition(args.partitions)
        result = ck.score(summary, args.model, spend_model=args.spend_model,
                          clv_bin=args.clv_bin, ship_binary=args.ship_binary, unit=args.unit,
                          horizon=args.horizon, discount_rate=args.discount_rate,
                          margin=args.margin, as_of=args.as_of,
                          alive_threshold=args.alive_threshold,
                          value_threshold=args.value_threshold,
                          population_cycle_days=args.population_cycle_days)
        write(result, args.output, args.parquet)
        what = "customers scored"
    seconds = time.time() - start
    written = spark.read.parquet(args.output) if args.parquet else spark.read.option(
        "header", True).csv(args.output)
    print(f"clv_spark: {args.command}: {written.count()} {what} in {args.output} "
          f"({seconds:.1f} s)", file=sys.stderr, flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
