#!/usr/bin/env python3
"""Reference values for the studentized bootstrap (bootstrap-t) of two group means.

Run:  python3 scripts/reference/bootstrap_t.py
Writes Tests/CLVNumericsTests/Reference/bootstrap_t.csv, read by
StudentizedBootstrapCorrectnessTests. Requires numpy (tested with 2.4.6).

An independent computation from the textbook definition (Efron & Tibshirani 1993, section 12.5;
Davison & Hinkley 1997, section 5.2), written from those definitions and not from clvkit's code:
each resample draws n1 indices of group 1 and then n2 of group 2 with replacement; t* is the
difference of the resampled means minus the observed one, over the resample's Welch standard
error sqrt(s1*^2/n1 + s2*^2/n2) (numpy's var with ddof=1); the interval is
[d - q(0.975) se, d - q(0.025) se] with numpy's default (linear, Hyndman-Fan 7) percentile; the
relative interval does the same on log(mean1) - log(mean2) with the delta-method standard error;
the p-value is 2 (1 + min(#{t* >= t}, #{t* <= t})) / (B + 1), capped at 1, with t = d / se.
Resamples with a zero standard error (or a mean that is not positive, for the log ratio) are
left out.

The random indices are the ones clvkit draws, so that the two computations can be compared to
rounding: SplitMix64 (Steele, Lea & Flood 2014; Vigna's splitmix64.c constants) seeded with the
seed, index = (n * next()) >> 64, group 1's n1 draws then group 2's n2 for each resample.

Data (two measures per customer, like the readout's orders and revenue):
- treatment, 14 customers: customer i = 1..14 has orders (3 i) mod 4 and revenue
  orders * (7 + (11 i) mod 13) / 3 (zero without orders).
- control, 6 customers: customer i = 1..6 has orders (i mod 3 == 0) + (i == 5) and revenue
  orders * (5 + 2 i) / 7.
Two cases: B = 999, seed 42; B = 1999, seed 7.

`python3 scripts/reference/bootstrap_t.py --coverage` prints the coverage check behind
StudentizedBootstrapConsistencyTests: 300 null comparisons of 270 and 30 customers drawn from
one zero-inflated log-normal (half buy, log spend N(3, 0.8^2)), numpy's generator (seed 5), B =
499: how often the bootstrap-t interval covers 0, and how often it reaches further below the
difference than above it.

Rows: case, measure (0 orders, 1 revenue), lower, upper, relative_lower, relative_upper, p,
usable, usable_relative (17 significant digits).
"""
import csv
import math
import os

import numpy as np

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def index(self, n):
        return (n * self.next()) >> 64


def groups():
    treatment = []
    for i in range(1, 15):
        orders = (3 * i) % 4
        treatment.append((orders, orders * (7 + (11 * i) % 13) / 3))
    control = []
    for i in range(1, 7):
        orders = (1 if i % 3 == 0 else 0) + (1 if i == 5 else 0)
        control.append((orders, orders * (5 + 2 * i) / 7))
    return np.array(treatment, dtype=float), np.array(control, dtype=float)


def bootstrap_t(x, y, resamples, seed, level=0.95):
    n1, n2 = len(x), len(y)
    g = SplitMix64(seed)
    measures = x.shape[1]
    t_diff = [[] for _ in range(measures)]
    t_rel = [[] for _ in range(measures)]
    for _ in range(resamples):
        i1 = [g.index(n1) for _ in range(n1)]
        i2 = [g.index(n2) for _ in range(n2)]
        xs, ys = x[i1], y[i2]
        for j in range(measures):
            m1, m2 = xs[:, j].mean(), ys[:, j].mean()
            v1, v2 = xs[:, j].var(ddof=1) / n1, ys[:, j].var(ddof=1) / n2
            se = math.sqrt(v1 + v2)
            if se > 0:
                t_diff[j].append(((m1 - m2) - (x[:, j].mean() - y[:, j].mean())) / se)
            if x[:, j].mean() > 0 and y[:, j].mean() > 0 and m1 > 0 and m2 > 0:
                se_log = math.sqrt(v1 / m1**2 + v2 / m2**2)
                if se_log > 0:
                    observed = math.log(x[:, j].mean()) - math.log(y[:, j].mean())
                    t_rel[j].append((math.log(m1) - math.log(m2) - observed) / se_log)
    rows = []
    lo_q, hi_q = 100 * (1 - level) / 2, 100 * (1 + level) / 2
    for j in range(measures):
        m1, m2 = x[:, j].mean(), y[:, j].mean()
        v1, v2 = x[:, j].var(ddof=1) / n1, y[:, j].var(ddof=1) / n2
        se = math.sqrt(v1 + v2)
        d = m1 - m2
        td = np.array(t_diff[j])
        q_lo, q_hi = np.percentile(td, lo_q), np.percentile(td, hi_q)
        t = d / se
        above, below = int((td >= t).sum()), int((td <= t).sum())
        p = min(1.0, 2 * (1 + min(above, below)) / (len(td) + 1))
        tr = np.array(t_rel[j])
        r_lo, r_hi = np.percentile(tr, lo_q), np.percentile(tr, hi_q)
        se_log = math.sqrt(v1 / m1**2 + v2 / m2**2)
        log_ratio = math.log(m1) - math.log(m2)
        rows.append([
            j, d - q_hi * se, d - q_lo * se,
            math.expm1(log_ratio - r_hi * se_log), math.expm1(log_ratio - r_lo * se_log),
            p, len(td), len(tr),
        ])
    return rows


def main():
    x, y = groups()
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(
        here, "..", "..", "Tests", "CLVNumericsTests", "Reference", "bootstrap_t.csv")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([
            "case", "measure", "lower", "upper", "relative_lower", "relative_upper", "p",
            "usable", "usable_relative",
        ])
        for name, resamples, seed in [("b999_seed42", 999, 42), ("b1999_seed7", 1999, 7)]:
            for row in bootstrap_t(x, y, resamples, seed):
                w.writerow([name, row[0]] + [f"{v:.17g}" for v in row[1:6]] + row[6:])
    print(out)


def coverage(replications=300, treated=270, held=30, resamples=499):
    rng = np.random.default_rng(5)
    covered = longer_below = 0
    for _ in range(replications):
        x = np.where(rng.random(treated) < 0.5, np.exp(3 + 0.8 * rng.standard_normal(treated)), 0)
        y = np.where(rng.random(held) < 0.5, np.exp(3 + 0.8 * rng.standard_normal(held)), 0)
        d = x.mean() - y.mean()
        se = math.sqrt(x.var(ddof=1) / treated + y.var(ddof=1) / held)
        xs = x[rng.integers(0, treated, (resamples, treated))]
        ys = y[rng.integers(0, held, (resamples, held))]
        ses = np.sqrt(xs.var(1, ddof=1) / treated + ys.var(1, ddof=1) / held)
        ok = ses > 0
        t = (xs.mean(1)[ok] - ys.mean(1)[ok] - d) / ses[ok]
        lo, hi = np.percentile(t, [2.5, 97.5])
        lower, upper = d - hi * se, d - lo * se
        covered += lower <= 0 <= upper
        longer_below += (d - lower) > (upper - d)
    print(f"covers 0 in {covered} of {replications}; longer below the difference in "
          f"{longer_below} of {replications}")


if __name__ == "__main__":
    import sys
    if "--coverage" in sys.argv:
        coverage()
    else:
        main()
