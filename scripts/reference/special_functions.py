#!/usr/bin/env python3
"""Reference values for clvkit's special functions (digamma, trigamma, logBeta, log 2F1).

Run:  /work/pyref/bin/python scripts/reference/special_functions.py
Writes Tests/CLVNumericsTests/Reference/special_functions.csv, read by
SpecialFunctionsCorrectnessTests. Requires mpmath (tested with 1.4.1).

Every input is a binary64 number (a Python float) taken exactly into mpmath; every value is
computed with mp.dps = 50 and cross-checked at mp.dps = 70 (agreement to 1e-35 relative is
asserted), then printed with 25 significant digits. For 2F1 the columns are a, b, c, z and the
value is log 2F1(a, b; c; z); rows whose 2F1 is not positive are written with value 'nan'
(logHypergeometric2F1 must return NaN there) and with the sign and log |2F1| in the last
columns for the signed variant. The last column flags inputs where every series form that
logHypergeometric2F1 may use loses more than 10 bits to cancellation (see ill_conditioned()).
"""
import csv
import os
import random

import mpmath as mp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "CLVNumericsTests", "Reference", "special_functions.csv")


def at_two_precisions(f):
    with mp.workdps(50):
        v50 = f()
    with mp.workdps(70):
        v70 = f()
    if v70 != 0:
        assert abs((v50 - v70) / v70) < mp.mpf("1e-35"), (v50, v70)
    return v50


rows = []


def add(function, region, args, value, sign=None, logabs=None, illconditioned=""):
    rows.append(
        {
            "function": function,
            "region": region,
            "x1": repr(args[0]),
            "x2": repr(args[1]) if len(args) > 1 else "",
            "x3": repr(args[2]) if len(args) > 2 else "",
            "x4": repr(args[3]) if len(args) > 3 else "",
            "value": value,
            "sign": "" if sign is None else sign,
            "log_abs": "" if logabs is None else logabs,
            "ill_conditioned": illconditioned,
        }
    )


def s(v):
    return mp.nstr(v, 25, min_fixed=-1, max_fixed=-1) if mp.isfinite(v) else str(v)


# ---- digamma / trigamma -------------------------------------------------------------------
grid = [1.2, 1.3, 1.4, 1.45, 1.46, 1.4616321449683622, 1.47, 1.5, 1.55, 1.65, 1.72,
        1e-300, 1e-12, 1e-6, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0, 1.25, 1.7, 2.0, 2.5,
        3.0, 4.5, 7.25, 9.99, 10.0, 14.5, 15.0, 15.5, 20.0, 33.3, 100.0, 1234.5, 1e5, 1e8,
        1e15, 1e100, 1e300]
negatives = [-0.5, -0.25, -1.5, -2.75, -10.1, -100.3]
for x in grid + negatives:
    add("digamma", "grid", [x], s(at_two_precisions(lambda: mp.digamma(mp.mpf(x)))))
    if x > 1e-150:  # trigamma(1e-300) = 1e600 overflows binary64
        add("trigamma", "grid", [x], s(at_two_precisions(lambda: mp.psi(1, mp.mpf(x)))))

# ---- logBeta ------------------------------------------------------------------------------
pairs = [(1.0, 1.0), (0.5, 0.5), (2.0, 3.0), (0.1, 0.2), (1e-8, 1e-8), (1e-8, 5.0),
         (3.5, 9.75), (9.9, 9.9), (10.0, 10.0), (12.5, 0.3), (50.0, 0.001), (100.0, 200.0),
         (1e4, 1e4), (1e6, 2.5), (1e10, 0.5), (1e12, 1e-3), (1e15, 7.0), (1e8, 1e8),
         (1e300, 1e-300), (0.793, 2.426), (500.793, 2.426), (6.25, 3.74), (1.204, 0.75),
         (0.657, 2.783), (1e5, 30.0)]
for a, b in pairs:
    value = at_two_precisions(lambda: mp.log(mp.beta(mp.mpf(a), mp.mpf(b))))
    add("logBeta", "grid", [a, b], s(value))


# ---- log 2F1 ------------------------------------------------------------------------------
def cancellation(p, q, c, w):
    """sum |t_n| / |sum t_n| of the series of 2F1(p, q; c; w), 0 <= w <= 1/2."""
    with mp.workdps(30):
        p, q, c, w = mp.mpf(p), mp.mpf(q), mp.mpf(c), mp.mpf(w)
        term, total, absolute = mp.mpf(1), mp.mpf(1), mp.mpf(1)
        for n in range(200000):
            term *= (p + n) * (q + n) / ((c + n) * (n + 1)) * w
            total += term
            absolute += abs(term)
            past_growth = n > max(-p, -q, -c, 0) + 10
            if term == 0 or (past_growth and abs(term) < absolute * mp.mpf("1e-25")):
                break
        return absolute / abs(total) if total != 0 else mp.inf


def ill_conditioned(a, b, c, z):
    """'1' when every form clvkit may sum (Pfaff forms for z < 0, Euler forms for z >= 0) loses
    more than 10 bits to cancellation at w = min(w, 1/2): logHypergeometric2F1 may return NaN
    there (it does not sum a series that cancels so badly)."""
    if z < 0:
        w = min(-z / (1 - z), 0.5)
        forms = [(a, c - b), (c - a, b)]
    else:
        w = min(z, 0.5)
        forms = [(a, b), (c - a, c - b)]
    worst = min(cancellation(p, q, c, w) for p, q in forms)
    return "1" if worst > 1024 else ""


def hyp_row(region, a, b, c, z):
    def f():
        return mp.hyp2f1(mp.mpf(a), mp.mpf(b), mp.mpf(c), mp.mpf(z))

    v = at_two_precisions(f)
    flag = ill_conditioned(a, b, c, z)
    if v > 0:
        add("log2F1", region, [a, b, c, z], s(mp.log(v)), "1", s(mp.log(v)), flag)
    else:
        add("log2F1", region, [a, b, c, z], "nan", "-1" if v < 0 else "0",
            s(mp.log(abs(v))) if v != 0 else "-inf", flag)


# BG/NBD conditional expectation, FHL2005a eq. (10): 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t)).
# MBG/NBD (Batislam et al. 2007, via lifetimes): 2F1(r+x, b+x+1; a+b+x; t/(alpha+T+t)).
for (r, alpha, a, b) in [(0.243, 4.414, 0.793, 2.426), (0.525, 6.183, 0.891, 1.614),
                         (0.243, 4.414, 0.3, 0.5), (2.5, 0.7, 3.0, 1e-3), (0.05, 50.0, 1e-3, 5.0)]:
    for x in [0, 1, 2, 10, 100, 400, 500]:
        for T in [38.86, 1000.0, 5000.0]:
            for t in [1.0, 39.0, 520.0, 5000.0, 1e5]:
                z = t / (alpha + T + t)
                if a + b + x - 1 != 0:
                    hyp_row("bgnbd", r + x, b + x, a + b + x - 1, z)
                hyp_row("mbgnbd", r + x, b + x + 1, a + b + x, z)

# Pareto/NBD A0 (Fader & Hardie 2005 note, eq. for A0; Fader, Hardie & Lee 2005b):
#   alpha >= beta: 2F1(r+s+x, s+1; r+s+x+1; (alpha-beta)/(alpha+y)), y in {t_x, T};
#   alpha <  beta: 2F1(r+s+x, r+x; r+s+x+1; (beta-alpha)/(beta+y)),
# and the unswapped form with negative z = (alpha-beta)/(alpha+y) (as some code uses).
for (r, alpha, s_, beta) in [(0.553, 10.578, 0.606, 11.669), (0.553, 11.669, 0.606, 10.578),
                             (0.553, 50.0, 1.0, 0.01), (1.2, 0.01, 0.3, 40.0),
                             (0.05, 3.0, 2.0, 1e-4), (3.0, 1e-3, 0.9999999, 200.0)]:
    for x in [0, 1, 5, 50, 400, 500]:
        for y in [0.0, 0.5, 30.43, 38.86, 1000.0, 5000.0]:
            if alpha >= beta:
                hyp_row("pnbd", r + s_ + x, s_ + 1, r + s_ + x + 1, (alpha - beta) / (alpha + y))
            else:
                hyp_row("pnbd", r + s_ + x, r + x, r + s_ + x + 1, (beta - alpha) / (beta + y))
            hyp_row("pnbd-negative-z", r + s_ + x, s_ + 1, r + s_ + x + 1,
                    (alpha - beta) / (alpha + y) if alpha < beta else (beta - alpha) / (beta + y))

# Near-integer and integer c - a - b at z close to 1 (degenerate connection formulas).
for (a, b, c) in [(1.0, 1.0, 2.0), (0.5, 0.5, 1.0), (0.3, 1.7, 3.0), (0.3, 1.7, 3.0 + 1e-9),
                  (1.5, 2.5, 1.0), (2.0, 3.0, 5.0 - 1e-7), (1.0, 501.0, 502.0 - 1e-12)]:
    for z in [0.5, 0.9, 0.99, 0.999999, 1 - 1e-12, -0.9, -5.0, -1e6]:
        hyp_row("degenerate", a, b, c, z)

# Seeded random grid over parameter magnitudes and every z region.
rng = random.Random(20261122)
zs = [-1e8, -1e3, -30.0, -3.0, -1.0, -0.7, -0.3, -1e-3, 0.0, 1e-6, 0.2, 0.45, 0.5, 0.55,
      0.8, 0.95, 0.999, 1 - 1e-9]
for k in range(220):
    scale = rng.choice([1e-6, 1e-2, 1.0, 10.0, 200.0])
    a = float(f"{rng.uniform(0.0, 1.0) * scale + 1e-9:.6g}")
    b = float(f"{rng.uniform(0.0, 1.0) * rng.choice([1e-6, 1e-2, 1.0, 10.0, 200.0]) + 1e-9:.6g}")
    c = float(f"{rng.uniform(0.05, 1.0) * rng.choice([0.1, 1.0, 10.0, 300.0]):.6g}")
    if rng.random() < 0.15:
        a = -a  # a few negative a (polynomials are not chosen on purpose)
    z = zs[k % len(zs)]
    hyp_row("random", a, b, c, z)

with open(OUT, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["function", "region", "x1", "x2", "x3", "x4", "value",
                                      "sign", "log_abs", "ill_conditioned"],
                       lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
print(f"wrote {len(rows)} rows to {OUT}")
