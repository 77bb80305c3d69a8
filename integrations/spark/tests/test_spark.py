"""clvkit on a real Spark (local[2]) against the clv binary (issue 18).

Checks that Spark's summaries equal `clv summarize` (counts exactly, times and money to 1e-9
relative: Spark sums a customer's amounts in another order), that `clv train --weight-column`
on Spark's distinct rows equals the fit on clv's own summary, and that sharded scoring through
`clv score -` equals `clv score` on the whole file.
"""

import csv
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

import clvkit_spark as ck
from conftest import ROOT, run_clv

TOLERANCE = 1e-9  # relative, for times and money (summation order)
COUNT_COLUMNS = {"frequency", "frequency_cal", "frequency_holdout", "weights"}
TEXT_COLUMNS = {"customer_id", "cohort"}


def parse_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def close(a, b, tolerance=TOLERANCE):
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


def assert_same_rows(spark_rows, clv_rows, key="customer_id"):
    """Every customer of clv's summary in Spark's, and nothing else, with equal values."""
    ours = {r[key]: r for r in spark_rows}
    theirs = {r[key]: r for r in clv_rows}
    assert len(ours) == len(spark_rows), "one row per customer"
    assert set(ours) == set(theirs), (
        f"customers differ: {sorted(set(ours) ^ set(theirs))[:5]}")
    columns = list(clv_rows[0].keys())
    mismatches = []
    for customer, expected in theirs.items():
        actual = ours[customer]
        for column in columns:
            a, e = actual[column], expected[column]
            if column in TEXT_COLUMNS:
                ok = str(a) == e
            elif column in COUNT_COLUMNS:
                ok = int(float(a)) == int(e) and float(a) == int(float(a))
            else:
                ok = close(float(a), float(e))
            if not ok:
                mismatches.append((customer, column, a, e))
    assert not mismatches, f"{len(mismatches)} values differ, e.g. {mismatches[:5]}"


def spark_summary(spark, path, fmt, **period):
    orders = ck.read_orders(spark, path, fmt)
    df = ck.summarize(orders, **period)
    return df, [row.asDict() for row in df.collect()]


MASTER = dict(delimiter="whitespace", customer_column="customer_id", date_column="date",
              amount_column="dollar_value")
MASTER_ARGS = ["--delimiter", "whitespace", "--customer-column", "customer_id",
               "--date-column", "date", "--amount-column", "dollar_value"]


# MARK: summaries


@pytest.mark.parametrize("unit", ["week", "day"])
def test_cdnow_master_summary_equals_clv(spark, clv, shared, unit):
    path = str(shared / "CDNOW_master.txt")
    df, rows = spark_summary(spark, path, ck.OrderLogFormat(**MASTER), unit=unit)
    expected = parse_csv(run_clv(clv, "summarize", path, *MASTER_ARGS, "--unit", unit))
    assert len(expected) == 23570
    assert df.columns == list(expected[0].keys())
    assert_same_rows(rows, expected)


def test_cdnow_master_calibration_holdout_equals_clv(spark, clv, shared):
    path = str(shared / "CDNOW_master.txt")
    period = dict(calibration_end="1997-09-30", observation_end="1998-06-30")
    df, rows = spark_summary(spark, path, ck.OrderLogFormat(**MASTER), **period)
    expected = parse_csv(run_clv(
        clv, "summarize", path, *MASTER_ARGS, "--calibration-end", "1997-09-30",
        "--observation-end", "1998-06-30"))
    assert df.columns == list(expected[0].keys())
    assert_same_rows(rows, expected)


@pytest.mark.parametrize("unit,returns", [("week", "ignore"), ("month", "net"), ("day", "net")])
def test_demo_orders_equal_clv(spark, clv, demo_orders, unit, returns):
    df, rows = spark_summary(spark, demo_orders, ck.OrderLogFormat(), unit=unit,
                             returns=returns)
    expected = parse_csv(run_clv(clv, "summarize", demo_orders, "--unit", unit,
                                 "--returns", returns))
    assert len(expected) == 5000
    assert df.columns == list(expected[0].keys())
    assert_same_rows(rows, expected)


def test_demo_orders_calibration_with_net_returns(spark, clv, demo_orders):
    period = dict(calibration_end="2024-03-31", observation_end="2024-12-01", unit="week")
    df, rows = spark_summary(spark, demo_orders, ck.OrderLogFormat(), returns="net", **period)
    expected = parse_csv(run_clv(
        clv, "summarize", demo_orders, "--returns", "net", "--calibration-end", "2024-03-31",
        "--observation-end", "2024-12-01"))
    assert df.columns == list(expected[0].keys())
    assert_same_rows(rows, expected)


def test_parquet_orders_with_typed_dates_equal_clv(spark, clv, demo_orders, tmp_path):
    from pyspark.sql import functions as F
    raw = spark.read.option("header", True).csv(demo_orders)
    typed = raw.select(F.col("customer_id"), F.to_date("date").alias("date"),
                       F.col("amount").cast("double").alias("amount"))
    target = str(tmp_path / "orders.parquet")
    typed.write.parquet(target)
    _, rows = spark_summary(spark, target, ck.OrderLogFormat())
    expected = parse_csv(run_clv(clv, "summarize", demo_orders))
    assert_same_rows(rows, expected)


def test_bad_date_is_reported_with_file_column_and_value(spark, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("customer_id,date,amount\na,2023-01-05,3\nb,2023-02-30,4\nc,soon,5\n"
                    "d,2023-01-06,\"12,50\"\n")
    with pytest.raises(ck.OrderLogError, match=r"bad.csv: column 'date': '2023-02-30' is not"):
        ck.read_orders(spark, str(path), ck.OrderLogFormat(date_format="yyyy-MM-dd"))
    skipped = ck.read_orders(spark, str(path), ck.OrderLogFormat(skip_bad_rows=True,
                                                                date_format="yyyy-MM-dd"))
    assert [r.customer_id for r in skipped.collect()] == ["a"]  # d: '12,50' is no amount


# MARK: weighted fits on distinct rows


SAMPLE = dict(delimiter="whitespace", has_header=False, customer_column="2", date_column="3",
              amount_column="5")
SAMPLE_ARGS = ["--delimiter", "whitespace", "--no-header", "--customer-column", "2",
               "--date-column", "3", "--amount-column", "5"]


def summary_and_distinct(spark, clv, path, fmt, args, folder):
    """clv's summary (observation end 1997-09-30) and Spark's distinct rows of the same."""
    run_clv(clv, "summarize", path, *args, "--observation-end", "1997-09-30",
            "-o", str(folder / "summary.csv"))
    orders = ck.read_orders(spark, path, fmt)
    summary = ck.summarize(orders, observation_end="1997-09-30")
    ck.write_csv(ck.distinct_rows(summary), str(folder / "distinct"))
    parts = sorted((folder / "distinct").glob("part-*.csv"))
    assert len(parts) == 1
    return folder, parts[0], summary


@pytest.fixture(scope="module")
def cdnow_files(spark, clv, shared, tmp_path_factory):
    """CDNOW master (23,570 customers): for scoring."""
    return summary_and_distinct(spark, clv, str(shared / "CDNOW_master.txt"),
                                ck.OrderLogFormat(**MASTER), MASTER_ARGS,
                                tmp_path_factory.mktemp("cdnow"))


@pytest.fixture(scope="module")
def sample_files(spark, clv, shared, tmp_path_factory):
    """The CDNOW 1/10 sample (2,357 customers): for the fits, which a debug build makes slow
    (Pareto/NBD on the master file takes minutes)."""
    return summary_and_distinct(spark, clv, str(shared / "CDNOW_sample.txt"),
                                ck.OrderLogFormat(**SAMPLE), SAMPLE_ARGS,
                                tmp_path_factory.mktemp("sample"))


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd", "pnbd", "nbd", "gamma-gamma"])
def test_weighted_fit_on_spark_distinct_rows_equals_full_fit(clv, sample_files, model):
    folder, distinct, _ = sample_files
    with open(distinct) as f:
        weights = [float(r["weights"]) for r in csv.DictReader(f)]
    assert sum(weights) == 2357 and len(weights) < 2357
    full_file, weighted_file = folder / f"{model}-full.json", folder / f"{model}-weighted.json"
    run_clv(clv, "train", str(folder / "summary.csv"), "--model", model, "-o", str(full_file))
    run_clv(clv, "train", str(distinct), "--model", model, "--weight-column", "weights",
            "-o", str(weighted_file))
    full, weighted = json.loads(full_file.read_text()), json.loads(weighted_file.read_text())
    assert weighted["customers"] == full["customers"]
    if model != "gamma-gamma":  # (x, tₓ, T) are exact; Spark's z̄ may differ in the last bit
        assert weighted["fit"]["distinctRows"] == full["fit"]["distinctRows"]
    # Spark's rows come in another order than clv's: the objective is summed in another order,
    # and the optimiser stops at a slightly different point; relative 1e-6 on the estimates
    # is far inside their standard errors (about 5e-2 relative on the CDNOW sample).
    for name, value in full["parameters"].items():
        assert close(weighted["parameters"][name], value, 1e-6), (
            name, weighted["parameters"][name], value)
    assert close(weighted["logLikelihood"], full["logLikelihood"], 1e-9)


# MARK: sharded scoring


def test_sharded_scores_equal_clv_score(spark, clv, cdnow_files):
    folder, _, summary = cdnow_files
    run_clv(clv, "train", str(folder / "summary.csv"), "--model", "bgnbd",
            "-o", str(folder / "bgnbd.json"))
    run_clv(clv, "train", str(folder / "summary.csv"), "--model", "gamma-gamma",
            "-o", str(folder / "gamma-gamma.json"))
    options = ["--horizon", "26w", "--discount-rate", "0.01", "--margin", "0.3",
               "--as-of", "1997-09-30"]
    expected = parse_csv(run_clv(
        clv, "score", str(folder / "summary.csv"), "--model", str(folder / "bgnbd.json"),
        "--spend-model", str(folder / "gamma-gamma.json"), *options))
    scored = ck.score(summary.repartition(5), str(folder / "bgnbd.json"),
                      spend_model=str(folder / "gamma-gamma.json"), clv_bin=clv,
                      horizon="26w", discount_rate=0.01, margin=0.3, as_of="1997-09-30")
    assert scored.columns == list(expected[0].keys()) == ck.SCORE_COLUMNS
    assert scored.rdd.getNumPartitions() == 5
    rows = [{k: ("" if v is None else v) for k, v in r.asDict().items()}
            for r in scored.collect()]
    ours = {r["customer_id"]: r for r in rows}
    assert len(ours) == len(expected) == 23570
    mismatches = []
    for e in expected:
        a = ours[e["customer_id"]]
        for column, value in e.items():
            if value == "" or column in ck.scoring.TEXT_COLUMNS:
                ok = str(a[column]) == value
            else:
                ok = close(float(a[column]), float(value))
            if not ok:
                mismatches.append((e["customer_id"], column, a[column], value))
    assert not mismatches, f"{len(mismatches)} differ, e.g. {mismatches[:5]}"


def test_scoring_failure_names_clv_error(spark, clv, tmp_path):
    model = tmp_path / "broken.json"
    model.write_text("{}")
    df = spark.createDataFrame([("a", 1, 2.0, 5.0)], ["customer_id", "frequency", "recency", "T"])
    with pytest.raises(Exception, match="clv score exited with"):
        ck.score(df, str(model), clv_bin=clv).collect()


# MARK: the spark-submit script, as the guide runs it


def test_spark_submit_distinct_summary(clv, demo_orders, tmp_path):
    submit = Path(sys.executable).parent / "spark-submit"
    out = tmp_path / "distinct"
    # As after `. .build/spark-venv/bin/activate`: spark-submit finds pyspark with python3.
    env = dict(os.environ, PATH=f"{submit.parent}:{os.environ.get('PATH', '')}")
    result = subprocess.run(
        [str(submit), "--master", "local[2]", str(ROOT / "integrations/spark/clv_spark.py"),
         "summarize", demo_orders, "--distinct", "-o", str(out)],
        capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "clv_spark: summarize:" in result.stdout + result.stderr
    parts = sorted(out.glob("part-*.csv"))
    spark_rows = parse_csv("".join(p.read_text() for p in parts[:1]))
    expected = parse_csv(run_clv(clv, "summarize", demo_orders, "--distinct"))
    # Money to 1e-6 in the key: Spark may sum a customer's amounts in another order (last bit).
    def weights_by_row(rows):
        table = {}
        for r in rows:
            key = (int(float(r["frequency"])), float(r["recency"]), float(r["T"]),
                   round(float(r["monetary_value"]), 6))
            table[key] = table.get(key, 0) + float(r["weights"])
        return table
    assert weights_by_row(spark_rows) == weights_by_row(expected)
    assert sum(float(r["weights"]) for r in spark_rows) == 5000


# MARK: the guide's warehouse SQL, in Spark SQL


def test_guide_sql_in_spark_sql_equals_clv(spark, clv, shared):
    """The ```sql block of notebooks-md/guides/spark.md with the Spark SQL placeholders."""
    import re
    from pyspark.sql import functions as F
    guide = (ROOT / "notebooks-md" / "guides" / "spark.md").read_text()
    sql = re.search(r"```sql\n(.*?)```", guide, re.S).group(1)
    sql = re.sub(r"DAY_NUMBER\(([^()]*)\)", r"DATEDIFF(\1, DATE '1970-01-01')", sql)
    sql = re.sub(r"YEAR_MONTH\(([^()]*)\)", r"DATE_FORMAT(\1, 'yyyy-MM')", sql)
    sql = sql.replace(":calibration_end", "DATE '1997-09-30'")
    sql = sql.replace(":observation_end", "DATE '1998-06-30'")
    path = str(shared / "CDNOW_master.txt")
    orders = ck.read_orders(spark, path, ck.OrderLogFormat(**MASTER))
    orders.select(
        "customer_id",
        F.date_add(F.lit("1970-01-01").cast("date"), F.col("day")).alias("order_date"),
        "amount").createOrReplaceTempView("orders")
    rows = [r.asDict() for r in spark.sql(sql).collect()]
    expected = parse_csv(run_clv(
        clv, "summarize", path, *MASTER_ARGS, "--calibration-end", "1997-09-30",
        "--observation-end", "1998-06-30"))
    assert list(rows[0].keys()) == list(expected[0].keys())
    assert_same_rows(rows, expected)
