"""Reference values for EvaluateCorrectnessTests: BG/NBD holdout accuracy on CDNOW master.

Run with the lifetimes 0.11.3 venv (not part of the project):

    /work/pyref/bin/python scripts/reference/evaluate_cdnow.py ../shared/datasets/CDNOW_master.txt

Calibration through 1997-09-30, holdout (1997-09-30, 1998-06-30], weeks (freq='D',
freq_multiplier=7), as in `clv evaluate --calibration-end 1997-09-30 --observation-end
1998-06-30 --unit week`. Prints the fitted parameters and the per-customer
holdout MAE, RMSE and totals of the conditional expected purchases over duration_holdout.
"""
import sys

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter
from lifetimes.utils import calibration_and_holdout_data

path = sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/CDNOW_master.txt"
orders = pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})
orders["date"] = pd.to_datetime(orders["date"], format="%Y%m%d")
data = calibration_and_holdout_data(
    orders, "customer_id", "date", calibration_period_end="1997-09-30",
    observation_period_end="1998-06-30", freq="D", freq_multiplier=7,
    monetary_value_col="dollar_value")
bgf = BetaGeoFitter(penalizer_coef=0.0)
bgf.fit(data["frequency_cal"], data["recency_cal"], data["T_cal"])
params = bgf.params_
predicted = bgf.conditional_expected_number_of_purchases_up_to_time(
    data["duration_holdout"], data["frequency_cal"], data["recency_cal"], data["T_cal"])
actual = data["frequency_holdout"]
error = predicted - actual
n = len(data)
print(f"customers {n}")
print(f"duration_holdout {data['duration_holdout'].iloc[0]!r}")
for name in ["r", "alpha", "a", "b"]:
    print(f"{name} {params[name]!r}")
print(f"mae {np.mean(np.abs(error))!r}")
print(f"rmse {np.sqrt(np.mean(error ** 2))!r}")
print(f"predictedTotal {predicted.sum()!r}")
print(f"actualTotal {actual.sum()!r}")
print(f"bias {error.mean()!r}")
