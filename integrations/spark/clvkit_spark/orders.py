"""Reading an order log into Spark as (customer_id, day, amount) rows.

The options mirror `clv summarize`'s (`clv summarize --help`): columns by header name or 1-based
number, a delimiter (`,` `;` `|` `tab` or `whitespace`), `--no-header`, `--date-format`, the
amount column. `day` is the whole number of days since 1970-01-01 of the calendar date as
written (a time of day after the date is dropped, offsets are not converted), as `clv` counts
purchase days; epoch layouts take the UTC day.

Differences from `clv summarize` (documented in README.md): amounts are plain decimal numbers
(a decimal comma with ``decimal_mark="comma"``; no currency symbols, thousands separators or
accounting negatives), the month-name date layouts and the line-item options
(`--order-column`, `--quantity-column`, ...) are not offered, and a bad row is an error unless
``skip_bad_rows``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Union

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

# clv's numeric date layouts: (regular expression on the start of the text, group order y, m, d).
# The same names as `clv --date-format`; auto detection tries them in clv's order of preference
# (DateFormat.detectable: yyyy-MM-dd, yyyy/MM/dd, yyyyMMdd, MM/dd/yyyy, dd/MM/yyyy, dd.MM.yyyy).
DATE_LAYOUTS = {
    "yyyy-MM-dd": (r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[ T])", (1, 2, 3)),
    "yyyy-MM-dd HH:mm:ss": (r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[ T])", (1, 2, 3)),
    "yyyy/MM/dd": (r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})(?:$|[ T])", (1, 2, 3)),
    "yyyyMMdd": (r"^\s*(\d{4})(\d{2})(\d{2})(?:$|[ T])", (1, 2, 3)),
    "MM/dd/yyyy": (r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:$|[ T])", (3, 1, 2)),
    "dd/MM/yyyy": (r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:$|[ T])", (3, 2, 1)),
    "dd.MM.yyyy": (r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?:$|[ T])", (3, 2, 1)),
}
DETECTABLE = ["yyyy-MM-dd", "yyyy/MM/dd", "yyyyMMdd", "MM/dd/yyyy", "dd/MM/yyyy", "dd.MM.yyyy"]
EPOCH_LAYOUTS = {"epoch": 86400.0, "epoch-ms": 86400000.0}

_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"  # a plain decimal number

DELIMITERS = {",": ",", ";": ";", "|": "|", "tab": "\t", "\t": "\t"}


class OrderLogError(ValueError):
    """A bad order log: names the file, the column and an example value, as clv does."""


@dataclass
class OrderLogFormat:
    """How to read an order log; the fields are `clv summarize`'s options.

    customer_column, date_column, amount_column: a header name or a 1-based column number
    (``amount_column=None``: the column ``amount`` when the file has one, else no amounts).
    delimiter: ``,`` ``;`` ``|`` ``tab`` or ``whitespace`` (runs of blanks). CSV only.
    has_header: False for ``--no-header`` (columns are then numbers). CSV only.
    date_format: ``auto`` or one of clv's numeric layouts, ``epoch``, ``epoch-ms``.
    decimal_mark: ``point`` or ``comma``.
    skip_bad_rows: drop rows whose date or amount does not parse (clv ``--skip-bad-rows``);
    otherwise the first bad row is an error.
    file_format: ``csv`` or ``parquet`` (default: from the path's extension, else csv).
    """

    customer_column: str = "customer_id"
    date_column: str = "date"
    amount_column: Optional[str] = None
    delimiter: str = ","
    has_header: bool = True
    date_format: str = "auto"
    decimal_mark: str = "point"
    skip_bad_rows: bool = False
    file_format: Optional[str] = None


def _column(df: DataFrame, selector: str, option: str, path: str) -> str:
    """The DataFrame column named (or numbered, from 1) by `selector`."""
    if selector.isdigit():
        index = int(selector)
        if not 1 <= index <= len(df.columns):
            raise OrderLogError(
                f"{path}: {option} {selector}: the file has {len(df.columns)} columns")
        return df.columns[index - 1]
    if selector not in df.columns:
        raise OrderLogError(
            f"{path}: no column '{selector}' ({option}); the header has "
            + ",".join(df.columns))
    return selector


def _raw_table(spark: SparkSession, path: str, fmt: OrderLogFormat) -> DataFrame:
    kind = fmt.file_format or ("parquet" if path.rstrip("/").endswith(".parquet") else "csv")
    if kind == "parquet":
        return spark.read.parquet(path)
    if kind != "csv":
        raise OrderLogError(f"file_format must be csv or parquet; got '{kind}'")
    if fmt.delimiter == "whitespace":
        # Runs of blanks (CDNOW's fixed-width look): split each line on whitespace.
        lines = spark.read.text(path)
        fields = F.split(F.trim(F.regexp_replace("value", r"[\r\t ]+", " ")), " ")
        first = lines.first()
        if first is None:
            raise OrderLogError(f"{path}: empty file")
        names = first.value.split() if fmt.has_header else None
        width = len(first.value.split())
        names = names or [f"_c{i}" for i in range(width)]
        table = lines.select(*[fields.getItem(i).alias(n) for i, n in enumerate(names)])
        if fmt.has_header:
            header_line = first.value
            table = lines.filter(F.col("value") != F.lit(header_line)).select(
                *[fields.getItem(i).alias(n) for i, n in enumerate(names)])
        return table.filter(F.trim(F.regexp_replace(F.col(names[0]), r"\s", "")) != "")
    sep = DELIMITERS.get(fmt.delimiter)
    if sep is None:
        raise OrderLogError(
            f"delimiter must be ',', ';', '|', tab or whitespace; got '{fmt.delimiter}'")
    return (spark.read.option("header", fmt.has_header).option("sep", sep)
            .option("inferSchema", False).option("mode", "PERMISSIVE").csv(path))


def _detect_date_format(table: DataFrame, date_col: str, path: str) -> str:
    """clv's auto detection: the first numeric layout that parses the first 1,000 dates."""
    samples = [r[0] for r in table.select(F.col(date_col).cast("string")).limit(1000).collect()
               if r[0] is not None and r[0].strip() != ""]
    if not samples:
        raise OrderLogError(f"{path}: no dates to detect the layout from")
    for name in DETECTABLE:
        pattern, order = DATE_LAYOUTS[name]
        regex = re.compile(pattern)
        if all(_valid_date(regex, order, s) for s in samples):
            return name
    raise OrderLogError(
        f"{path}: column '{date_col}': no date layout fits the first {len(samples)} values "
        f"(e.g. '{samples[0]}'); give date_format (--date-format)")


def _valid_date(regex, order, text: str) -> bool:
    import datetime
    m = regex.match(text)
    if not m:
        return False
    y, mo, d = (int(m.group(i)) for i in order)
    try:
        datetime.date(y, mo, d)
        return True
    except ValueError:
        return False


def _days_from_civil(y, m, d):
    """Days since 1970-01-01 of the proleptic Gregorian date (y, m, d), as integer column
    arithmetic (no date parsing, so that an impossible date gives a number, checked later).

    Source: H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil.
    """
    y2 = y - F.when(m <= 2, 1).otherwise(0)
    era = F.floor(y2 / 400)
    yoe = y2 - era * 400
    mp = (m + 9) % 12
    doy = F.floor((153 * mp + 2) / 5) + d - 1
    doe = yoe * 365 + F.floor(yoe / 4) - F.floor(yoe / 100) + doy
    return (era * 146097 + doe - 719468).cast("int")


def _day_column(table: DataFrame, date_col: str, layout: str):
    """(day, valid) columns: days since 1970-01-01 and whether the text is a real date."""
    field = table.schema[date_col].dataType
    if isinstance(field, (T.DateType, T.TimestampType, T.TimestampNTZType)) and layout == "auto":
        day = F.datediff(F.to_date(F.col(date_col)), F.lit("1970-01-01").cast("date"))
        return day, day.isNotNull()
    if layout in EPOCH_LAYOUTS:
        text = F.trim(F.col(date_col).cast("string"))
        # Guarded casts: Spark 4's ANSI mode makes a failed cast an error, not a null.
        seconds = F.when(text.rlike(_NUMBER), text).cast("double")
        day = F.floor(seconds / F.lit(EPOCH_LAYOUTS[layout])).cast("int")
        return day, seconds.isNotNull() & ~F.isnan(seconds)
    pattern, (iy, im, idd) = DATE_LAYOUTS[layout]
    text = F.col(date_col).cast("string")
    matched = F.coalesce(F.regexp_extract(text, pattern, 1) != "", F.lit(False))
    y = F.when(matched, F.regexp_extract(text, pattern, iy)).cast("int")
    m = F.when(matched, F.regexp_extract(text, pattern, im)).cast("int")
    d = F.when(matched, F.regexp_extract(text, pattern, idd)).cast("int")
    day = _days_from_civil(y, m, d)
    # Round trip through a real date: rejects month 13, 30 February and the like.
    back = F.date_add(F.lit("1970-01-01").cast("date"), day)
    valid = (matched & m.between(1, 12) & d.between(1, 31)
             & (F.year(back) == y) & (F.month(back) == m) & (F.dayofmonth(back) == d))
    return F.when(valid, day), F.coalesce(valid, F.lit(False))


def read_orders(spark: SparkSession, path: str, fmt: Optional[OrderLogFormat] = None
                ) -> DataFrame:
    """Reads an order log (CSV or Parquet) as rows (customer_id string, day int, amount double).

    ``amount`` is null for every row when there is no amount column (no monetary value then).
    Raises :class:`OrderLogError` naming the file, column and first bad value (an empty
    customer id, an unparseable date or amount) unless ``fmt.skip_bad_rows``.
    """
    fmt = fmt or OrderLogFormat()
    table = _raw_table(spark, path, fmt)
    customer = _column(table, fmt.customer_column, "--customer-column", path)
    date_col = _column(table, fmt.date_column, "--date-column", path)
    if fmt.amount_column is not None:
        amount_col = _column(table, fmt.amount_column, "--amount-column", path)
    else:
        amount_col = "amount" if "amount" in table.columns else None
    layout = fmt.date_format
    is_typed = isinstance(table.schema[date_col].dataType,
                          (T.DateType, T.TimestampType, T.TimestampNTZType))
    if layout == "auto" and not is_typed:
        layout = _detect_date_format(table, date_col, path)
    elif layout not in DATE_LAYOUTS and layout not in EPOCH_LAYOUTS and layout != "auto":
        raise OrderLogError(
            "date_format must be auto or one of "
            + ", ".join(list(DATE_LAYOUTS) + list(EPOCH_LAYOUTS)) + f"; got '{layout}'")
    day, day_ok = _day_column(table, date_col, layout)
    if amount_col is None:
        amount = F.lit(None).cast("double")
        amount_ok = F.lit(True)
    elif isinstance(table.schema[amount_col].dataType, T.NumericType):
        amount = F.col(amount_col).cast("double")
        amount_ok = amount.isNotNull() & ~F.isnan(amount) & ~amount.isin(
            float("inf"), float("-inf"))
    else:
        text = F.trim(F.col(amount_col).cast("string"))
        if fmt.decimal_mark == "comma":
            text = F.regexp_replace(text, ",", ".")
        numeric = F.when(text.rlike(_NUMBER), text)
        amount = numeric.cast("double")
        amount_ok = amount.isNotNull() & ~amount.isin(float("inf"), float("-inf"))
    customer_text = F.col(customer).cast("string")
    id_ok = customer_text.isNotNull() & (F.trim(customer_text) != "")
    rows = table.select(
        customer_text.alias("customer_id"), day.alias("day"), amount.alias("amount"),
        (id_ok & day_ok & amount_ok).alias("_ok"),
        F.col(customer).cast("string").alias("_id_text"),
        F.col(date_col).cast("string").alias("_date_text"),
        (F.col(amount_col).cast("string") if amount_col else F.lit(None).cast("string"))
        .alias("_amount_text"))
    if not fmt.skip_bad_rows:
        # One counting pass (a limit(1) on a filter that finds nothing would scan the input
        # several times over, in growing batches of partitions); the example only on failure.
        bad = (rows.filter(~F.col("_ok")).limit(1).collect()
               if rows.filter(~F.col("_ok")).count() > 0 else [])
        if bad:
            b = bad[0]
            if b["_id_text"] is None or b["_id_text"].strip() == "":
                what = f"column '{customer}': empty customer id"
            elif b["customer_id"] is not None and b["day"] is None:
                what = (f"column '{date_col}': '{b['_date_text']}' is not a date "
                        f"(expected {layout})")
            else:
                what = f"column '{amount_col}': '{b['_amount_text']}' is not an amount"
            raise OrderLogError(f"{path}: {what} (skip_bad_rows / --skip-bad-rows skips such rows)")
    return rows.filter(F.col("_ok")).select("customer_id", "day", "amount")
