"""Reference values for Tests/CLVDataTests/CalibrationHoldoutCorrectnessTests.swift.

Run: /work/pyref/bin/python scripts/reference/cdnow_calibration_holdout.py ../shared/datasets/CDNOW_master.txt
(lifetimes 0.11.3, pandas 1.5). Prints the column sums of
calibration_and_holdout_data(..., calibration_period_end='1997-09-30',
observation_period_end='1998-06-30', freq='D', freq_multiplier=7, monetary_value_col='dollar_value')
on the raw transactions and on the transactions collapsed to one row per customer-day
(amounts summed), and the rows of a few named customers.
"""
import sys
import pandas as pd
from lifetimes.utils import calibration_and_holdout_data

path = sys.argv[1]
raw = pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})
raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
daily = raw.groupby(["customer_id", "date"], as_index=False)["dollar_value"].sum()

def summarize(frame):
    return calibration_and_holdout_data(
        frame, "customer_id", "date", calibration_period_end="1997-09-30",
        observation_period_end="1998-06-30", freq="D", freq_multiplier=7,
        monetary_value_col="dollar_value")

pd.set_option("display.precision", 17)
for name, frame in [("raw", raw), ("daily", daily)]:
    s = summarize(frame)
    print(name, "customers", len(s))
    for column in s.columns:
        print(name, column, repr(float(s[column].sum())))
    if name == "daily":
        for customer in ["00002", "01722", "00001", "00019", "23570"]:
            row = s.loc[customer]
            print("customer", customer, {k: repr(float(v)) for k, v in row.items()})
