#!/usr/bin/env python3
"""Reference p-values of Fisher's randomization test for RandomizationIntervalCorrectnessTests.

Four treatment and four control customers (orders, revenue); the exact randomization
distribution of the difference in means over all C(8, 4) = 70 splits, by
scipy.stats.permutation_test (independent samples, every split enumerated since n_resamples
exceeds 70). The statistic is |mean_t - mean_c| with alternative 'greater', so p counts the
splits at least as extreme in absolute value: p = #{|T_pi| >= |T_obs|} / 70 (scipy's two-sided
option doubles the smaller tail instead, another p-value).

The p-value of a constant additive effect tau is the p-value of no effect for the treatment
outcomes minus tau (the outcomes without the offer under that null); the p-value of a constant
multiplicative effect rho that of the treatment outcomes divided by 1 + rho (Imbens & Rubin
2015, ch. 5). Writes Tests/CLVNumericsTests/Reference/randomization_test.csv:
measure,effect,value,p (17 significant digits).

Usage: python3 scripts/reference/randomization_test.py > Tests/CLVNumericsTests/Reference/randomization_test.csv
"""
import numpy as np
import scipy
from scipy.stats import permutation_test

TREATMENT = [(0, 0.0), (1, 12.5), (2, 40.0), (1, 3.0)]
CONTROL = [(0, 0.0), (0, 0.0), (1, 7.5), (1, 20.0)]


def p_value(t, c):
    def stat(x, y):
        return abs(np.mean(x) - np.mean(y))

    r = permutation_test((np.asarray(t), np.asarray(c)), stat, permutation_type="independent",
                         alternative="greater", n_resamples=np.inf)
    return r.pvalue


def main():
    print(f"# scipy {scipy.__version__}, numpy {np.__version__}; scripts/reference/randomization_test.py")
    print("measure,effect,value,p")
    for j, name in [(0, "orders"), (1, "revenue")]:
        t = [row[j] for row in TREATMENT]
        c = [row[j] for row in CONTROL]
        for tau in [0.0, -0.5, 1.5, 5.0, -10.0, 30.0]:
            if name == "orders" and abs(tau) > 2:
                continue
            print(f"{name},additive,{tau!r},{p_value([y - tau for y in t], c):.17g}")
        for rho in [0.5, -0.5, 3.0]:
            print(f"{name},multiplicative,{rho!r},{p_value([y / (1 + rho) for y in t], c):.17g}")


if __name__ == "__main__":
    main()
