"""Reference values for Gamma-Gamma with spend covariates on CDNOW
(CovariateGammaGammaCorrectnessTests).

Independent of clvkit: the Gamma-Gamma density of a repeat buyer's mean spend ([FH2013]
eq. (1a)),

    l_i = lgamma(p x + q) - lgamma(p x) - lgamma(q) + q log g_i + (p x - 1) log zbar
          + p x log x - (p x + q) log(g_i + x zbar),

at each customer's own scale g_i = gamma * exp(d' w_i) (log link on the scale of the
spend-rate heterogeneity, [MN1989] ch. 8; E[z | w] = p g_i / (q - 1)).

Data: CDNOW_sample.txt (2,357 customers), calibration through 1997-09-30 (39 weeks) as
[FHL2005b]: x = repeat purchase days, zbar = mean dollars of those days (946 repeat buyers).
Attributes, built here as covariates_cdnow.py builds them: `first_cds`, the CDs bought on the
first purchase day (numeric, as is), and `cohort`, that day's month (jan, feb, mar; one-hot
against the first level in sorted order, `feb`). Spend covariates: w = (first_cds,
cohort=jan, cohort=mar).

Printed:
  1. the total log-likelihood at fixed parameters, in float64 (scipy gammaln) and in mpmath
     at 40 digits;
  2. the nested plain Gamma-Gamma fit (log-likelihood);
  3. the maximum-likelihood estimate: scipy L-BFGS-B on (log p, log q, log gamma, d) with the
     analytic gradient, from the nested estimate and d = 0, refined by Newton steps on a
     central-difference Hessian of the gradient; its log-likelihood and gradient norm.

Run: python3 scripts/reference/gamma_gamma_covariates_cdnow.py   (numpy, scipy, mpmath)
"""
import os
from collections import defaultdict

import mpmath as mp
import numpy as np
from scipy.optimize import minimize
from scipy.special import digamma, gammaln

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "datasets")


def load():
    cds = defaultdict(lambda: defaultdict(int))
    dollars = defaultdict(lambda: defaultdict(float))
    with open(os.path.join(SHARED, "CDNOW_sample.txt")) as f:
        for line in f:
            fields = line.split()
            if len(fields) != 5:
                continue
            cid, day = int(fields[1]), fields[2]
            cds[cid][day] += int(fields[3])
            dollars[cid][day] += float(fields[4])
    months = {"01": "jan", "02": "feb", "03": "mar"}
    x, zbar, first_cds, cohort = [], [], [], []
    for cid in sorted(cds):
        first = min(cds[cid])
        repeat = [d for d in sorted(dollars[cid]) if d != first and d <= "19970930"]
        if not repeat:
            continue
        mean = sum(dollars[cid][d] for d in repeat) / len(repeat)
        if mean <= 0:
            continue
        x.append(float(len(repeat)))
        zbar.append(mean)
        first_cds.append(float(cds[cid][first]))
        cohort.append(months[first[4:6]])
    levels = sorted(set(cohort))  # reference = levels[0]
    w = np.column_stack(
        [first_cds] + [[1.0 if c == lv else 0.0 for c in cohort] for lv in levels[1:]])
    return np.array(x), np.array(zbar), w, levels


def terms(v, x, m, w):
    p, q, g = np.exp(v[:3])
    gi = g * np.exp(w @ v[3:])
    px = p * x
    return (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(gi) + (px - 1) * np.log(m)
            + px * np.log(x) - (px + q) * np.log(gi + x * m))


def negll(v, x, m, w):
    return -terms(v, x, m, w).sum()


def grad(v, x, m, w):
    """Gradient of -log L in (log p, log q, log gamma, d)."""
    p, q, g = np.exp(v[:3])
    gi = g * np.exp(w @ v[3:])
    px = p * x
    den = gi + x * m
    dp = x * (digamma(px + q) - digamma(px) + np.log(m) + np.log(x) - np.log(den))
    dq = digamma(px + q) - digamma(q) + np.log(gi) - np.log(den)
    dlg = q - (px + q) * gi / den  # g_i * d l / d g_i
    out = [p * dp.sum(), q * dq.sum(), dlg.sum()] + list(w.T @ dlg)
    return -np.array(out)


def mp_loglik(v, x, m, w):
    mp.mp.dps = 40
    p, q, g = (mp.e ** mp.mpf(v[k]) for k in range(3))
    total = mp.mpf(0)
    for i in range(len(x)):
        gi = g * mp.e ** mp.fsum(mp.mpf(v[3 + k]) * mp.mpf(w[i, k]) for k in range(w.shape[1]))
        xi, mi = mp.mpf(x[i]), mp.mpf(m[i])
        px = p * xi
        total += (mp.loggamma(px + q) - mp.loggamma(px) - mp.loggamma(q) + q * mp.log(gi)
                  + (px - 1) * mp.log(mi) + px * mp.log(xi) - (px + q) * mp.log(gi + xi * mi))
    return total


def main():
    x, m, w, levels = load()
    print("repeat buyers", len(x), "levels", levels, "sum zbar %.6f" % m.sum())
    fixed = [6.0, 3.8, 15.0, 0.05, -0.1, 0.2]
    v = np.array([np.log(a) for a in fixed[:3]] + fixed[3:])
    print("fixed.params", " ".join(repr(a) for a in fixed))
    print("fixed.ll.float64 %.17g" % -negll(v, x, m, w))
    print("fixed.ll.mpmath40", mp.nstr(mp_loglik(v, x, m, w), 20))
    k = w.shape[1]
    nested = minimize(lambda u: negll(np.concatenate([u, np.zeros(k)]), x, m, w), np.log([1, 3, 10]),
                      jac=lambda u: grad(np.concatenate([u, np.zeros(k)]), x, m, w)[:3],
                      method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-16, "maxiter": 10000})
    print("nested.params", " ".join("%.12g" % a for a in np.exp(nested.x)))
    print("nested.ll %.12f" % -nested.fun)
    res = minimize(negll, np.concatenate([nested.x, np.zeros(k)]), args=(x, m, w), jac=grad,
                   method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-16, "maxiter": 20000})
    v = res.x.copy()
    for _ in range(8):  # Newton refinement on a central-difference Hessian of the gradient
        g = grad(v, x, m, w)
        h = np.zeros((len(v), len(v)))
        for j in range(len(v)):
            e = np.zeros(len(v))
            e[j] = 1e-6
            h[:, j] = (grad(v + e, x, m, w) - grad(v - e, x, m, w)) / 2e-6
        h = (h + h.T) / 2
        v = v - np.linalg.solve(h, g)
    natural = list(np.exp(v[:3])) + list(v[3:])
    print("fit.params", " ".join("%.12g" % a for a in natural))
    print("fit.ll %.12f" % -negll(v, x, m, w))
    print("fit.gradnorm %.3g" % np.linalg.norm(grad(v, x, m, w)))


if __name__ == "__main__":
    main()
