#!/usr/bin/env python3
"""Reference values for the campaign readout with unequal groups (a 10% control group).

Run:  python3 scripts/reference/campaign_readout_unequal.py
Writes Tests/CLVEvaluationTests/Reference/campaign_readout_unequal.csv, read by
CampaignReadoutUnequalCorrectnessTests. Requires scipy (tested with 1.17.1) and statsmodels
(tested with 0.15.0: an implementation of Newcombe's interval independent of clvkit's).

The list: customers i = 1..1000; i a multiple of 10 is in the control group (100 customers),
the others in the treatment group (900). Customer i purchased when (37 i) mod 100 < 30
(treatment) or < 20 (control); a purchaser placed 1 + [i mod 3 = 0] orders of
((53 i) mod 97 + 5) / 4 each. Every value is exact in binary64 but the sums.

Rows: name, value (17 significant digits).
- wilson_{t,c}_{lower,upper}   scipy.stats.binomtest(k, n).proportion_ci(0.95, 'wilson')
- newcombe_{lower,upper}       statsmodels confint_proportions_2indep(k_t, n_t, k_c, n_c,
                               method='newcomb', compare='diff', alpha=0.05)
- rate_p                       scipy.stats.chi2_contingency(correction=False) p-value
- {orders,revenue}_welch_{lower,upper,p,df}
                               scipy.stats.ttest_ind(t, c, equal_var=False) and its
                               confidence_interval(0.95)
- incremental_revenue_{value,lower,upper}
                               n_t * (mean revenue difference and its Welch interval)
- mde                          (norm.ppf(0.975) + norm.ppf(0.8)) sqrt(p (1 - p) (1/n_t + 1/n_c))
                               at the control's purchase rate p
- mde_equal_halves             the same with both groups of 500 (what a readout that assumed
                               equal halves would report; the test checks it differs)
"""
import csv
import math
import os

from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "CLVEvaluationTests", "Reference",
                   "campaign_readout_unequal.csv")


def customers():
    """(control, orders, revenue) for i = 1..1000, as CampaignReadoutUnequalCorrectnessTests
    builds them."""
    rows = []
    for i in range(1, 1001):
        control = i % 10 == 0
        purchased = (37 * i) % 100 < (20 if control else 30)
        orders = (1 + (1 if i % 3 == 0 else 0)) if purchased else 0
        revenue = orders * (((53 * i) % 97 + 5) / 4)
        rows.append((control, orders, revenue))
    return rows


def main():
    rows = customers()
    t = [r for r in rows if not r[0]]
    c = [r for r in rows if r[0]]
    nt, nc = len(t), len(c)
    kt = sum(1 for r in t if r[1] > 0)
    kc = sum(1 for r in c if r[1] > 0)
    out = []
    g = lambda x: "%.17g" % x
    for name, k, n in [("t", kt, nt), ("c", kc, nc)]:
        ci = stats.binomtest(k, n).proportion_ci(0.95, method="wilson")
        out += [[f"wilson_{name}_lower", g(ci.low)], [f"wilson_{name}_upper", g(ci.high)]]
    low, high = confint_proportions_2indep(kt, nt, kc, nc, method="newcomb", compare="diff",
                                           alpha=0.05)
    out += [["newcombe_lower", g(low)], ["newcombe_upper", g(high)]]
    table = [[kt, nt - kt], [kc, nc - kc]]
    out.append(["rate_p", g(stats.chi2_contingency(table, correction=False).pvalue)])
    for name, column in [("orders", 1), ("revenue", 2)]:
        x = [float(r[column]) for r in t]
        y = [float(r[column]) for r in c]
        w = stats.ttest_ind(x, y, equal_var=False)
        ci = w.confidence_interval(0.95)
        out += [[f"{name}_welch_lower", g(ci.low)], [f"{name}_welch_upper", g(ci.high)],
                [f"{name}_welch_p", g(w.pvalue)], [f"{name}_welch_df", g(w.df)]]
        if name == "revenue":
            d = sum(x) / nt - sum(y) / nc
            out += [["incremental_revenue_value", g(nt * d)],
                    ["incremental_revenue_lower", g(nt * ci.low)],
                    ["incremental_revenue_upper", g(nt * ci.high)]]
    p = kc / nc
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    out.append(["mde", g(z * math.sqrt(p * (1 - p) * (1 / nt + 1 / nc)))])
    out.append(["mde_equal_halves", g(z * math.sqrt(p * (1 - p) * (2 / 500)))])
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "value"])
        w.writerows(out)
    print(f"wrote {len(out)} rows to {OUT}: {nt} treatment ({kt} purchasers), "
          f"{nc} control ({kc})")


if __name__ == "__main__":
    main()
