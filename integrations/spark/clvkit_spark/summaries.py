"""Per-customer summaries in Spark, exactly as `clv summarize` defines them.

For each customer, over the orders up to the observation end (or the calibration end):

    x  = purchase days after the first            (frequency)
    tₓ = (last purchase day − first) / unit        (recency)
    T  = (period end − first purchase day) / unit  (age)
    m  = Σ repeat-day amounts / x, 0 when x = 0    (monetary value)

A purchase day is a calendar day with at least one order of non-negative amount; all orders of
a customer on one day are one purchase, amounts summed. unit = 1, 7 or 365.25/12 days (clv's
TimeUnit). With a calibration end C, the summary covers days ≤ C, customers first seen after C
are left out, and the holdout columns count purchase days in (C, observation end], their mean
amount, and the holdout length (observation end − C) / unit; ``cohort`` is the month (yyyy-MM)
of the first purchase.

Source: Fader, Hardie & Lee (2005a), section 2 (CDNOW: weeks = days / 7); lifetimes
``summary_data_from_transaction_data(freq='D', freq_multiplier=7)``; clvkit
``Sources/CLVData/CustomerSummaries+Orders.swift`` (the definitions this file mirrors).
"""

from __future__ import annotations

import datetime
from typing import Optional

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

# Days per unit, as clv's TimeUnit.days.
UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12}
RETURNS = ("ignore", "net", "error")
EPOCH = datetime.date(1970, 1, 1)


class SummaryError(ValueError):
    """The orders cannot be summarized as asked (no orders, a calibration end too late, ...)."""


def day_number(iso: Optional[str]) -> Optional[int]:
    """Days since 1970-01-01 of a ``yyyy-MM-dd`` date (None stays None)."""
    if iso is None:
        return None
    try:
        return (datetime.date.fromisoformat(iso) - EPOCH).days
    except ValueError as error:
        raise SummaryError(f"'{iso}' is not a date yyyy-MM-dd") from error


def summarize(orders: DataFrame, unit: str = "week", observation_end: Optional[str] = None,
              calibration_end: Optional[str] = None, returns: str = "ignore",
              name: str = "orders") -> DataFrame:
    """The per-customer summary of `orders` (columns customer_id, day, amount as from
    :func:`clvkit_spark.read_orders`), with `clv summarize`'s columns:

    ``customer_id,frequency,recency,T[,monetary_value]``, or with `calibration_end`
    ``customer_id,frequency_cal,recency_cal,T_cal[,monetary_value_cal],frequency_holdout
    [,monetary_value_holdout],duration_holdout,cohort``. Monetary columns appear when the orders
    have amounts. Row order is not defined (clv writes customers in order of first row).

    returns: negative amounts: ``ignore`` (drop the row), ``net`` (subtract from the period's
    amounts; a return before the customer's first purchase is dropped), ``error`` (raise).
    Dates are ``yyyy-MM-dd``; `observation_end` defaults to the last date among the orders.
    """
    if unit not in UNIT_DAYS:
        raise SummaryError(f"unit must be day, week or month; got '{unit}'")
    if returns not in RETURNS:
        raise SummaryError(f"returns must be ignore, net or error; got '{returns}'")
    unit_days = F.lit(UNIT_DAYS[unit])
    has_amounts = orders.filter(F.col("amount").isNotNull()).limit(1).count() > 0
    rows = orders
    if has_amounts:
        if returns == "error":
            bad = rows.filter(F.col("amount") < 0).limit(1).collect()
            if bad:
                raise SummaryError(
                    f"{name}: customer '{bad[0]['customer_id']}': negative amount "
                    f"{bad[0]['amount']} (returns='error')")
        if returns != "net":
            rows = rows.filter(F.col("amount") >= 0)
    observation = day_number(observation_end)
    if observation is not None:
        rows = rows.filter(F.col("day") <= observation)
    else:
        last = rows.agg(F.max("day")).first()[0]
        if last is None:
            raise SummaryError(f"{name}: no valid orders")
        observation = last
    calibration = day_number(calibration_end)
    if calibration is not None and calibration >= observation:
        raise SummaryError(
            f"{name}: the calibration end {calibration_end} is not before the observation end "
            f"{EPOCH + datetime.timedelta(days=observation)}")
    period_end = calibration if calibration is not None else observation

    amount = F.col("amount") if has_amounts else F.lit(0.0)
    days = rows.groupBy("customer_id", "day").agg(
        F.sum(F.when(amount >= 0, 1).otherwise(0)).alias("purchases"),
        F.sum(amount).alias("amount"))
    purchase = F.col("purchases") > 0
    first = F.min(F.when(purchase, F.col("day"))).over(Window.partitionBy("customer_id"))
    days = days.withColumn("first", first).filter(
        F.col("first").isNotNull() & (F.col("day") >= F.col("first")))
    in_summary = F.col("day") <= period_end
    per_customer = days.groupBy("customer_id").agg(
        F.min("first").alias("first"),
        F.sum(F.when(purchase & in_summary, 1).otherwise(0)).alias("summary_days"),
        F.max(F.when(purchase & in_summary, F.col("day"))).alias("summary_last"),
        F.sum(F.when(in_summary & (F.col("day") > F.col("first")), F.col("amount"))
              .otherwise(0.0)).alias("repeat_amount"),
        F.sum(F.when(purchase & ~in_summary, 1).otherwise(0)).alias("holdout_days"),
        F.sum(F.when(~in_summary, F.col("amount")).otherwise(0.0)).alias("holdout_amount"),
    ).filter(F.col("first") <= period_end)

    x = (F.col("summary_days") - 1).cast("long")
    recency = (F.col("summary_last") - F.col("first")).cast("double") / unit_days
    age = (F.lit(period_end) - F.col("first")).cast("double") / unit_days
    money = F.when(x > 0, F.col("repeat_amount") / x.cast("double")).otherwise(F.lit(0.0))
    suffix = "" if calibration is None else "_cal"
    columns = [F.col("customer_id"), x.alias("frequency" + suffix),
               recency.alias("recency" + suffix), age.alias("T" + suffix)]
    if has_amounts:
        columns.append(money.alias("monetary_value" + suffix))
    if calibration is not None:
        n = F.col("holdout_days").cast("long")
        columns.append(n.alias("frequency_holdout"))
        if has_amounts:
            columns.append(F.when(n > 0, F.col("holdout_amount") / n.cast("double"))
                           .otherwise(F.lit(0.0)).alias("monetary_value_holdout"))
        columns.append(((F.lit(observation - calibration).cast("double") / unit_days))
                       .alias("duration_holdout"))
        cohort = F.date_format(F.date_add(F.lit("1970-01-01").cast("date"),
                                          F.col("first").cast("int")), "yyyy-MM")
        columns.append(cohort.alias("cohort"))
    return per_customer.select(*columns)


def distinct_rows(summary: DataFrame, weight_column: str = "weights") -> DataFrame:
    """`summary` collapsed to its distinct (frequency, recency, T[, monetary_value]) rows with
    the number of customers in `weight_column`, as `clv summarize --distinct` writes them
    (calibration columns renamed without ``_cal``): the input of
    ``clv train --weight-column weights``, whose fit equals the fit on every customer.
    """
    suffix = "_cal" if "frequency_cal" in summary.columns else ""
    names = ["frequency", "recency", "T"]
    if "monetary_value" + suffix in summary.columns:
        names.append("monetary_value")
    selected = summary.select(*[F.col(n + suffix).alias(n) for n in names])
    return selected.groupBy(*names).agg(F.count(F.lit(1)).alias(weight_column))


def write_csv(df: DataFrame, path: str, single_file: bool = True) -> None:
    """Writes `df` as CSV with a header (one part file when `single_file`), as clv reads it.

    Doubles are written by Spark in Java's round-trip form (``38.857142857142854``, ``3.0``):
    clv reads back the same values.
    """
    out = df.coalesce(1) if single_file else df
    out.write.mode("overwrite").option("header", True).csv(path)
