#!/usr/bin/env python3
"""Reference values for clvkit's campaign statistics (CLVNumerics/Statistics).

Run:  python3 scripts/reference/campaign_statistics.py
Writes Tests/CLVNumericsTests/Reference/campaign_statistics.csv, read by
CampaignStatisticsCorrectnessTests. Requires scipy (tested with 1.17.1).

Rows: kind, inputs (a;b;c…), value, printed with 17 significant digits.
- norm_ppf p                         scipy.stats.norm.ppf(p)
- t_ppf p;nu                         scipy.stats.t.ppf(p, nu)
- t_sf t;nu                          scipy.stats.t.sf(t, nu)
- betainc x;a;b                      scipy.special.betainc(a, b, x)
- prop_p k1;n1;k2;n2                 Pearson chi-square p of the 2x2 table, no continuity
                                     correction (scipy.stats.chi2_contingency(correction=False)),
                                     which equals the pooled two-proportion z-test
- welch_* seed;n1;n2                 scipy.stats.ttest_ind(x, y, equal_var=False) on the samples
                                     of welch_samples(seed, n): statistic-based interval via
                                     result.confidence_interval(0.95), p-value, df
- mde p;n1;n2                        (norm.ppf(0.975) + norm.ppf(0.8)) * sqrt(p(1-p)(1/n1+1/n2))
"""
import csv
import math
import os

import numpy as np
from scipy import special, stats

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "CLVNumericsTests", "Reference", "campaign_statistics.csv")


def welch_samples(seed, n):
    """Deterministic samples the Swift test rebuilds exactly: x_i = ((i * seed) mod 97) / 7 for
    i = 1..n (exact binary64 values: small integers over 7)."""
    return [((i * seed) % 97) / 7 for i in range(1, n + 1)]


def main():
    rows = []
    g = lambda x: "%.17g" % x
    for p in [0.5, 0.8, 0.9, 0.975, 0.995, 0.999, 1e-10, 0.025, 0.2]:
        rows.append(["norm_ppf", g(p), g(stats.norm.ppf(p))])
    for p, nu in [(0.975, 1), (0.975, 2.5), (0.975, 10), (0.975, 57.3), (0.975, 19998.2),
                  (0.995, 3), (0.9, 7.5), (0.025, 4)]:
        rows.append(["t_ppf", f"{g(p)};{g(nu)}", g(stats.t.ppf(p, nu))])
    for t, nu in [(0.5, 1), (2.0, 3), (1.96, 100), (4.5, 12.25), (-1.0, 5), (10.0, 2)]:
        rows.append(["t_sf", f"{g(t)};{g(nu)}", g(stats.t.sf(t, nu))])
    for x, a, b in [(0.3, 2, 3), (0.9, 0.5, 0.5), (0.01, 10, 0.5), (0.999, 50, 0.5),
                    (0.5, 200, 200)]:
        rows.append(["betainc", f"{g(x)};{g(a)};{g(b)}", g(special.betainc(a, b, x))])
    for k1, n1, k2, n2 in [(56, 70, 48, 80), (9, 10, 3, 10), (120, 1000, 95, 1000),
                           (5, 56, 0, 29)]:
        table = [[k1, n1 - k1], [k2, n2 - k2]]
        p = stats.chi2_contingency(table, correction=False).pvalue
        rows.append(["prop_p", f"{k1};{n1};{k2};{n2}", g(p)])
    for seed1, n1, seed2, n2 in [(13, 40, 29, 25), (31, 200, 37, 180), (5, 8, 11, 12)]:
        x, y = welch_samples(seed1, n1), welch_samples(seed2, n2)
        r = stats.ttest_ind(x, y, equal_var=False)
        ci = r.confidence_interval(0.95)
        key = f"{seed1};{n1};{seed2};{n2}"
        rows.append(["welch_lower", key, g(ci.low)])
        rows.append(["welch_upper", key, g(ci.high)])
        rows.append(["welch_p", key, g(r.pvalue)])
        rows.append(["welch_df", key, g(r.df)])
    for p, n1, n2 in [(0.1, 900, 100), (0.25, 5000, 5000), (0.02, 450, 50)]:
        z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
        rows.append(["mde", f"{g(p)};{n1};{n2}", g(z * math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2)))])
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["kind", "inputs", "value"])
        w.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
