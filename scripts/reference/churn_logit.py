"""Reference values for clvkit's logistic churn model (LogisticChurnCorrectnessTests).

Run from the repository root with the project's reference venv:

    /work/pyref/bin/python scripts/reference/churn_logit.py ../shared/datasets/CDNOW_master.txt

Versions used for the committed values: lifetimes 0.11.3, statsmodels 0.14.1,
scikit-learn 1.3.2, numpy 1.24.4, pandas 1.5.3, scipy 1.10.1.

Summaries: lifetimes' calibration_and_holdout_data with freq='D', freq_multiplier=7 (weeks =
days / 7 between calendar days; several orders on one day are one purchase), calibration end
1997-09-30, observation end 1998-06-30. Label: churn = 1 when the customer makes no purchase in
(1997-09-30, 1998-06-30], i.e. frequency_holdout == 0.

Unpenalized: statsmodels Logit (Newton, tight tolerance) on the raw features plus a constant.
Penalized: clvkit's objective

    sum_i logloss(y_i, b0 + sum_j b_j z_ij) + (lambda / 2) * sum_j b_j^2,
    z_ij = (x_ij - mean_j) / sd_j   (sd with ddof = 0, as StandardScaler),

with the intercept b0 unpenalized, is exactly scikit-learn's
make_pipeline(StandardScaler(), LogisticRegression(C = 1 / lambda)) (sklearn minimizes
C * sum_i logloss + (1/2) ||w||^2 and does not penalize the intercept with the lbfgs /
newton-cg / newton-cholesky solvers). The standardized coefficients are mapped back to the
original scale as b_j / sd_j and b0 - sum_j b_j * mean_j / sd_j.
"""
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm
from lifetimes.utils import calibration_and_holdout_data
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

path = sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/CDNOW_master.txt"
orders = pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})
orders["date"] = pd.to_datetime(orders["date"], format="%Y%m%d")
summary = calibration_and_holdout_data(
    orders, "customer_id", "date",
    calibration_period_end="1997-09-30", observation_period_end="1998-06-30",
    freq="D", freq_multiplier=7, monetary_value_col="dollar_value")

features = ["frequency", "recency", "T", "monetary_value"]
X = summary[[f + "_cal" for f in features]].to_numpy(dtype=float)
y = (summary["frequency_holdout"] == 0).astype(float).to_numpy()
print(f"customers {len(y)}  churners {int(y.sum())}")

np.set_printoptions(precision=17)


def show(name, values):
    print(name + ": " + ", ".join(repr(float(v)) for v in values))


# Unpenalized: statsmodels Logit.
model = sm.Logit(y, sm.add_constant(X)).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
print("statsmodels Logit, order: intercept, " + ", ".join(features))
show("coefficients", model.params)
show("standard errors", model.bse)
show("z", model.tvalues)
show("p-values", model.pvalues)
print("log-likelihood:", repr(float(model.llf)))

# Penalized: StandardScaler + LogisticRegression(C = 1 / lambda).
for lam in (1.0, 100.0):
    scaler = StandardScaler().fit(X)
    Z = scaler.transform(X)
    clf = LogisticRegression(C=1.0 / lam, solver="newton-cholesky", tol=1e-14, max_iter=1000)
    clf.fit(Z, y)
    b = clf.coef_[0] / scaler.scale_
    b0 = clf.intercept_[0] - np.sum(b * scaler.mean_)
    print(f"sklearn LogisticRegression lambda={lam} C={1.0 / lam} (original scale)")
    show("coefficients", np.concatenate([[b0], b]))
    show("standardized", np.concatenate([clf.intercept_, clf.coef_[0]]))
    # Cross-check with lbfgs at a tight tolerance.
    clf2 = LogisticRegression(C=1.0 / lam, solver="lbfgs", tol=1e-12, max_iter=100000).fit(Z, y)
    print("  max |newton-cholesky - lbfgs| (standardized):",
          float(np.max(np.abs(np.concatenate([clf.intercept_ - clf2.intercept_,
                                              clf.coef_[0] - clf2.coef_[0]])))))
