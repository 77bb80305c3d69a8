"""Reference values for Tests/CLVModelsTests from lifetimes 0.11.3.

Run: /work/pyref/bin/python scripts/reference/lifetimes_models.py
(lifetimes 0.11.3, numpy 1.24, pandas 1.5, scipy 1.10; see HELPERS.md). Prints the numbers that
the *CorrectnessTests quote, with 10 significant digits.
"""
import warnings

warnings.filterwarnings("ignore")
import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter, GammaGammaFitter, BetaGeoBetaBinomFitter
from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value

SHARED = "../shared/datasets/"
cd = pd.read_csv(SHARED + "cdnow_customers_summary.csv")
first10 = cd.head(10)


def show(name, values):
    print(name, " ".join("%.10g" % v for v in np.atleast_1d(values)))


for label, cls in [("bgnbd", BetaGeoFitter), ("mbgnbd", ModifiedBetaGeoFitter)]:
    f = cls().fit(cd.frequency, cd.recency, cd["T"])
    show(label + ".params", f.params_.values)
    show(label + ".ll", -f._negative_log_likelihood_ * len(cd))
    show(label + ".palive", f.conditional_probability_alive(first10.frequency, first10.recency, first10["T"]))
    show(label + ".cond39", f.conditional_expected_number_of_purchases_up_to_time(
        39, first10.frequency, first10.recency, first10["T"]))
    show(label + ".ex39", f.expected_number_of_purchases_up_to_time(39))
    show(label + ".pn39", [f.probability_of_n_purchases_up_to_time(39, n) for n in range(4)])
    # Penalized fit (penalizer_coef = 0.1), same meaning as clv --penalizer.
    g = cls(penalizer_coef=0.1).fit(cd.frequency, cd.recency, cd["T"])
    show(label + ".penalized0.1.params", g.params_.values)

# Gamma-Gamma on the 946 repeat buyers (lifetimes' own summary with zbar).
s = load_cdnow_summary_data_with_monetary_value()
rep = s[s.frequency > 0]
gg = GammaGammaFitter().fit(rep.frequency, rep.monetary_value)
show("gg.params", gg.params_.values)
show("gg.ll", -gg._negative_log_likelihood_ * len(rep))
show("gg.n", len(rep))
show("gg.spend_first10", gg.conditional_expected_average_profit(s.head(10).frequency, s.head(10).monetary_value))
# CLV, 12 periods of the transaction model's unit (weeks here: freq='W' would use 4.345 weeks per
# month, so compute it with freq='M' semantics: factor 1, i.e. one period = one model unit).
bg = BetaGeoFitter().fit(s.frequency, s.recency, s["T"])
clv = gg.customer_lifetime_value(bg, s.head(10).frequency, s.head(10).recency, s.head(10)["T"],
                                 s.head(10).monetary_value, time=12, discount_rate=0.01, freq="M")
show("clv.bg.params", bg.params_.values)
show("clv.first10", clv.values)

d = pd.read_csv(SHARED + "donations.csv")
bb = BetaGeoBetaBinomFitter().fit(d.frequency, d.recency, d.periods, weights=d.weights)
show("bgbb.params", bb.params_.values)
show("bgbb.ll", -bb._negative_log_likelihood_ * d.weights.sum())
x, tx, n = np.array([0, 2, 6]), np.array([0, 4, 6]), np.array([6, 6, 6])
show("bgbb.palive1", bb.conditional_probability_alive(1, x, tx, n))
show("bgbb.cond5", bb.conditional_expected_number_of_purchases_up_to_time(5, x, tx, n))
