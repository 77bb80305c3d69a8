"""Sharded scoring: each partition of a summary DataFrame piped through ``clv score -``.

The model files are shipped to the executors with ``SparkContext.addFile`` (read there with
``SparkFiles.get``); every executor runs the ``clv`` binary found by, in order: the
``clv_bin`` argument, the ``CLV_BIN`` environment variable (of the executor; set it with
``spark.executorEnv.CLV_BIN``), ``clv`` on the executor's PATH. With ``ship_binary=True`` the
driver's binary is shipped too (build it with ``swift build -c release --static-swift-stdlib``
so that it runs without a Swift toolchain on the executors).

The result has clv's score columns (``clv score --help``; ``Sources/CLVScoring/
ScoreColumns.swift``): numbers as doubles (frequency as a long), dates and labels as strings,
empty fields as nulls. Each partition's rows are scored by one ``clv score`` process, so the
scores equal those of ``clv score`` on the whole file: a customer's score depends on the
customer's row and the models alone.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
import threading
import zipfile
from typing import Iterable, Iterator, List, Optional, Sequence

from pyspark import SparkFiles
from pyspark.sql import DataFrame
from pyspark.sql import types as T

# clv's score columns in file order (ScoreColumns.base + ScoreColumns.appended); the header
# that `clv score` writes is checked against it on every partition.
SCORE_COLUMNS = [
    "customer_id", "frequency", "recency", "T", "monetary_value", "p_alive",
    "expected_purchases", "prob_no_purchase", "expected_spend", "clv",
    "segment", "lifecycle_stage", "as_of", "first_purchase", "last_purchase",
    "expected_next_purchase", "churn_probability", "model", "spend_model", "churn_model",
]
TEXT_COLUMNS = {"customer_id", "segment", "lifecycle_stage", "as_of", "first_purchase",
                "last_purchase", "expected_next_purchase", "model", "spend_model", "churn_model"}
INTEGER_COLUMNS = {"frequency"}


def score_schema() -> T.StructType:
    """The Spark schema of clv's score columns."""
    def kind(name):
        if name in TEXT_COLUMNS:
            return T.StringType()
        if name in INTEGER_COLUMNS:
            return T.LongType()
        return T.DoubleType()
    return T.StructType([T.StructField(n, kind(n), True) for n in SCORE_COLUMNS])


class ScoringError(RuntimeError):
    """``clv score`` failed on a partition (its standard error is in the message)."""


def clv_binary(clv_bin: Optional[str] = None) -> str:
    """The clv binary: `clv_bin`, else $CLV_BIN, else ``clv`` on PATH."""
    candidate = clv_bin or os.environ.get("CLV_BIN") or shutil.which("clv")
    if not candidate:
        raise ScoringError(
            "no clv binary: pass clv_bin, set CLV_BIN, or put clv on the executors' PATH")
    return candidate


def _number(value) -> str:
    """A summary value as clv reads it (Python's repr is the shortest round-trip form)."""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _score_partition(rows: Iterable, columns: Sequence[str], command: List[str],
                     model_names: Sequence[str], shipped_binary: Optional[str]
                     ) -> Iterator[tuple]:
    """Runs ``clv score -`` on one partition; yields typed score rows."""
    iterator = iter(rows)
    try:
        first = next(iterator)
    except StopIteration:
        return  # clv needs at least one row; an empty partition scores to nothing
    binary = SparkFiles.get(shipped_binary) if shipped_binary else command[0]
    if shipped_binary and not os.access(binary, os.X_OK):
        os.chmod(binary, 0o755)
    argv = [binary] + command[1:]
    for name in model_names:  # "@name" placeholders -> the executor's local copy
        argv = [SparkFiles.get(name) if a == "@" + name else a for a in argv]
    process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    errors: List[bytes] = []

    def feed():
        try:
            writer = io.TextIOWrapper(process.stdin, encoding="utf-8", newline="")
            out = csv.writer(writer, lineterminator="\n")
            out.writerow(columns)
            out.writerow([_number(v) for v in first])
            for row in iterator:
                out.writerow([_number(v) for v in row])
            writer.close()
        except BrokenPipeError:
            pass  # clv stopped early: its exit status and stderr say why

    def drain():
        errors.append(process.stderr.read())

    feeder = threading.Thread(target=feed, daemon=True)
    reader_thread = threading.Thread(target=drain, daemon=True)
    feeder.start()
    reader_thread.start()
    text = io.TextIOWrapper(process.stdout, encoding="utf-8", newline="")
    records = csv.reader(text)
    header = next(records, None)
    results = []
    if header is not None:
        if header != SCORE_COLUMNS:
            process.kill()
            raise ScoringError(
                f"{argv[0]} wrote the score columns {','.join(header)}; this package expects "
                f"{','.join(SCORE_COLUMNS)} (a different clv version?)")
        for record in records:
            results.append(record)
    feeder.join()
    status = process.wait()
    reader_thread.join()
    if status != 0:
        message = b"".join(errors).decode("utf-8", "replace").strip()
        raise ScoringError(f"clv score exited with {status}: {message}")
    for record in results:
        yield tuple(_typed(name, value) for name, value in zip(SCORE_COLUMNS, record))


def _typed(name: str, value: str):
    if value == "":
        return None
    if name in TEXT_COLUMNS:
        return value
    if name in INTEGER_COLUMNS:
        return int(value)
    return float(value)


def _package_zip() -> str:
    """This package as a zip for ``addPyFile`` (the executors unpickle its functions)."""
    package = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(tempfile.mkdtemp(prefix="clvkit-spark-"), "clvkit_spark.zip")
    with zipfile.ZipFile(path, "w") as archive:
        for name in sorted(os.listdir(package)):
            if name.endswith(".py"):
                archive.write(os.path.join(package, name), os.path.join("clvkit_spark", name))
    return path


_SHIPPED = set()

# The segments of clv's active customers when every value is below the value threshold
# (Sources/CLVScoring/Segment.swift: the low-value active quadrant), and the new buyers, whose
# activity is P(alive) (or 1 − churn probability) against the alive threshold.
_LOW_VALUE_ACTIVE = ("low-aov-regular", "low-frequency-regular")
_NO_THRESHOLD = 1e308  # above every value: nobody is high-value


def exact_median(values) -> Optional[float]:
    """The median of a DataFrame's single double column, as clv's Median: the middle value,
    or lower/2 + upper/2 for an even count (a distributed sort, no approximation); None when
    empty."""
    n = values.count()
    if n == 0:
        return None
    k = n // 2
    wanted = {k - 1, k} if n % 2 == 0 else {k}
    picked = (values.rdd.map(lambda r: float(r[0])).sortBy(lambda v: v).zipWithIndex()
              .filter(lambda p: p[1] in wanted).collect())
    middle = dict((i, v) for v, i in picked)
    return middle[k] if n % 2 else middle[k - 1] / 2 + middle[k] / 2


def population_cycle_days_of(summaries: DataFrame, unit: str = "week") -> Optional[float]:
    """clv's population purchase cycle of a summary (``clv score --population-cycle-days``):
    the median over repeat buyers of (last − first purchase day) / frequency, the days placed
    as clv places a summary row's (first = as-of − round(T·d), last = first + round(tₓ·d),
    at most as-of; d = days per unit, halves rounded away from zero); None without repeat
    buyers.

    Source: ``SegmentationRules.medianCycleDays`` and ``CustomerFacts.History(summaryRow:)``
    in Sources/CLVScoring.
    """
    from pyspark.sql import functions as F
    from .summaries import UNIT_DAYS
    d = F.lit(UNIT_DAYS[unit])
    suffix = "_cal" if "frequency_cal" in summaries.columns else ""
    first = -F.round(F.col("T" + suffix) * d, 0)
    last = F.least(first + F.round(F.col("recency" + suffix) * d, 0), F.lit(0.0))
    span = last - first
    x = F.col("frequency" + suffix)
    gaps = summaries.filter((x > 0) & (span > 0)).select(
        (span.cast("double") / x.cast("double")).alias("gap"))
    return exact_median(gaps)


def score(summaries: DataFrame, model: str, spend_model: Optional[str] = None,
          clv_bin: Optional[str] = None, ship_binary: bool = False, unit: str = "week",
          horizon: Optional[str] = None, discount_rate: Optional[float] = None,
          margin: Optional[float] = None, as_of: Optional[str] = None,
          alive_threshold: float = 0.5, value_threshold: Optional[float] = None,
          population_cycle_days: Optional[float] = None,
          extra_args: Sequence[str] = ()) -> DataFrame:
    """Scores a DataFrame of summaries (``customer_id,frequency,recency,T[,monetary_value]``,
    or the ``_cal`` columns of a calibration/holdout summary) partition by partition with
    ``clv score -``, and returns the score columns (see :func:`score_schema`).

    model, spend_model: model files from ``clv train`` (paths on the driver; shipped to the
    executors). unit: the unit of recency and T (``clv score --unit``). horizon,
    discount_rate, margin, as_of, alive_threshold: as ``clv score``'s options; extra_args are
    passed as they are.

    With `as_of` (segments, lifecycle stages, next-purchase dates) two figures are computed
    over the whole population in clv score, not per customer: the purchase cycle and the
    value threshold. Each partition gets the whole DataFrame's, so that the scores equal
    ``clv score`` on the whole file: `population_cycle_days` (default: computed here,
    :func:`population_cycle_days`) and `value_threshold` (default: the median value — CLV, or
    expected purchases without a spend model — of the active customers, from a first scoring
    pass with no customer high-value; this doubles the scoring cost: give the threshold to
    skip it).
    """
    spark = summaries.sparkSession
    context = spark.sparkContext
    suffix = "_cal" if "frequency_cal" in summaries.columns else ""
    names = ["customer_id", "frequency", "recency", "T"]
    if "monetary_value" + suffix in summaries.columns:
        names.append("monetary_value")
    selected = summaries.select(
        "customer_id", *[summaries[n + suffix].alias(n) for n in names[1:]])
    model_names = []
    command = [clv_binary(clv_bin), "score", "-", "--unit", unit]
    for option, path in (("--model", model), ("--spend-model", spend_model)):
        if path is None:
            continue
        if not os.path.exists(path):
            raise ScoringError(f"{path}: no such model file ({option})")
        context.addFile(os.path.abspath(path))
        name = os.path.basename(path)
        model_names.append(name)
        command += [option, "@" + name]
    if len(set(model_names)) != len(model_names):
        raise ScoringError("the model files need different file names (they are shipped by name)")
    for option, value in (("--horizon", horizon), ("--discount-rate", discount_rate),
                          ("--margin", margin), ("--as-of", as_of),
                          ("--alive-threshold", alive_threshold)):
        if value is not None:
            command += [option, _number(value)]
    command += list(extra_args)
    shipped = None
    if ship_binary:
        binary = os.path.abspath(command[0])
        context.addFile(binary)
        shipped = os.path.basename(binary)
    key = (context.applicationId, "package")
    if key not in _SHIPPED:
        context.addPyFile(_package_zip())
        _SHIPPED.add(key)
    header = list(names)

    def run(extra):
        argv = command + extra
        scored = selected.rdd.mapPartitions(
            lambda rows: _score_partition(rows, header, argv, model_names, shipped))
        return spark.createDataFrame(scored, score_schema())

    if as_of is None:
        return run([])
    population = []
    if population_cycle_days is None:
        population_cycle_days = population_cycle_days_of(selected, unit)
    if population_cycle_days is not None:
        population = ["--population-cycle-days", _number(population_cycle_days)]
    if value_threshold is None:
        from pyspark.sql import functions as F
        first = run(population + ["--value-threshold", _number(_NO_THRESHOLD)]).cache()
        value = "clv" if spend_model is not None else "expected_purchases"
        activity = F.coalesce(1 - F.col("churn_probability"), F.col("p_alive"))
        active = F.col("segment").isin(*_LOW_VALUE_ACTIVE) | (
            (F.col("segment") == "new-buyer") & (activity >= F.lit(alive_threshold)))
        valued = first.filter(F.col(value).isNotNull())
        value_threshold = exact_median(valued.filter(active).select(value))
        if value_threshold is None:  # nobody active: all customers with orders, as clv
            value_threshold = exact_median(valued.select(value))
        first.unpersist()
        if value_threshold is None:
            value_threshold = 0.0
    return run(population + ["--value-threshold", _number(float(value_threshold))])
