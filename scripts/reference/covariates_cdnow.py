"""Reference values for BG/NBD with static covariates on CDNOW (CovariateCorrectnessTests).

Independent of clvkit: the BG/NBD likelihood ([FHL2005a] eq. (6)) at each customer's own
parameters ([FH2007-COV]; signs as CLVTools' static covariates, with separate dropout vectors
for a and b):

    alpha_i = alpha * exp(-g_p' z_p),  a_i = a * exp(g_a' z_d),  b_i = b * exp(g_b' z_d)

The attribute is built here from CDNOW_sample.txt (sample customer id = ID of
cdnow_customers_summary.csv): `first_cds`, the number of CDs bought on the customer's first
purchase day (numeric, as is), and `cohort`, the month of that day (jan, feb, mar; one-hot
against the first level in sorted order, `feb`, as clvkit encodes text attributes).
Covariates: purchase = first_cds, cohort (z = first_cds, cohort=jan, cohort=mar); dropout =
first_cds.

Printed:
  1. the total log-likelihood at fixed parameters, in float64 (scipy gammaln/betaln) and in
     mpmath at 40 digits (they agree to ~1e-12 relative);
  2. the maximum-likelihood estimate: scipy L-BFGS-B on (log r, log alpha, log a, log b, g)
     from the no-covariate estimate, refined by Newton steps on a central-difference Hessian
     of the analytic gradient; the log-likelihood and the gradient norm at the optimum;
  3. the no-covariate BG/NBD log-likelihood (the nested model).

Data: ../shared/datasets/cdnow_customers_summary.csv and CDNOW_sample.txt.
Run: python3 scripts/reference/covariates_cdnow.py   (numpy, scipy, mpmath)
"""
import csv
import os
from collections import defaultdict

import mpmath as mp
import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, digamma, gammaln

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "datasets")


def load():
    ids, x, tx, t = [], [], [], []
    with open(os.path.join(SHARED, "cdnow_customers_summary.csv")) as f:
        for row in csv.DictReader(f):
            ids.append(int(row["ID"]))
            x.append(float(row["frequency"]))
            tx.append(float(row["recency"]))
            t.append(float(row["T"]))
    days = defaultdict(lambda: defaultdict(int))
    with open(os.path.join(SHARED, "CDNOW_sample.txt")) as f:
        for line in f:
            fields = line.split()
            if len(fields) != 5:
                continue
            days[int(fields[1])][fields[2]] += int(fields[3])
    months = {"01": "jan", "02": "feb", "03": "mar"}
    first_cds, cohort = [], []
    for i in ids:
        first = min(days[i])
        first_cds.append(float(days[i][first]))
        cohort.append(months[first[4:6]])
    return np.array(x), np.array(tx), np.array(t), np.array(first_cds), cohort


def design():
    x, tx, t, cds, cohort = load()
    levels = sorted(set(cohort))  # reference = levels[0]
    zp = np.column_stack([cds] + [[1.0 if c == lv else 0.0 for c in cohort] for lv in levels[1:]])
    zd = cds.reshape(-1, 1)
    return x, tx, t, zp, zd, levels


def individual(p, zp, zd):
    r, alpha, a, b = np.exp(p[:4])
    kp = zp.shape[1]
    gp, ga, gb = p[4:4 + kp], p[4 + kp:5 + kp], p[5 + kp:6 + kp]
    return r, alpha * np.exp(-zp @ gp), a * np.exp(zd @ ga), b * np.exp(zd @ gb)


def loglik_terms(r, al, a, b, x, tx, t):
    """Per-customer [FHL2005a] eq. (6) with per-customer alpha, a, b (log-sum-exp form)."""
    c = gammaln(r + x) - gammaln(r) + r * np.log(al) + betaln(a, b + x) - betaln(a, b)
    a3 = -(r + x) * np.log(al + t)
    with np.errstate(divide="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(al + tx), -np.inf)
    m = np.maximum(a3, a4)
    return c + m + np.log(np.exp(a3 - m) + np.exp(a4 - m))


def negll(p, x, tx, t, zp, zd):
    r, al, a, b = individual(p, zp, zd)
    return -loglik_terms(r, al, a, b, x, tx, t).sum()


def grad_natural(r, al, a, b, x, tx, t):
    """Per-customer d ll / d (r, alpha_i, a_i, b_i)."""
    a3 = -(r + x) * np.log(al + t)
    with np.errstate(divide="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(al + tx), -np.inf)
    m = np.maximum(a3, a4)
    w = np.exp(a4 - m) / (np.exp(a3 - m) + np.exp(a4 - m))  # weight of the second term
    dr = digamma(r + x) - digamma(r) + np.log(al) - (1 - w) * np.log(al + t) - w * np.log(al + tx)
    dal = r / al - (r + x) * ((1 - w) / (al + t) + w / (al + tx))
    da = digamma(a + b) - digamma(a + b + x) + w / a
    db = digamma(a + b) + digamma(b + x) - digamma(b) - digamma(a + b + x) - np.where(x > 0, w / np.maximum(b + x - 1, 1e-300), 0)
    return dr, dal, da, db


def grad(p, x, tx, t, zp, zd):
    r, al, a, b = individual(p, zp, zd)
    dr, dal, da, db = grad_natural(r, al, a, b, x, tx, t)
    alpha0, a0, b0 = np.exp(p[1]), np.exp(p[2]), np.exp(p[3])
    g = [
        (dr * r).sum(),
        (dal * al).sum(),  # d alpha_i / d log alpha = alpha_i
        (da * a).sum(),
        (db * b).sum(),
    ]
    g += list(zp.T @ (dal * -al))
    g += list(zd.T @ (da * a))
    g += list(zd.T @ (db * b))
    return -np.array(g)


def mp_loglik(p, x, tx, t, zp, zd):
    mp.mp.dps = 40
    total = mp.mpf(0)
    kp = zp.shape[1]
    r = mp.e ** mp.mpf(p[0])
    for i in range(len(x)):
        al = mp.e ** mp.mpf(p[1]) * mp.e ** (-mp.fsum(mp.mpf(p[4 + k]) * mp.mpf(zp[i, k]) for k in range(kp)))
        a = mp.e ** mp.mpf(p[2]) * mp.e ** (mp.mpf(p[4 + kp]) * mp.mpf(zd[i, 0]))
        b = mp.e ** mp.mpf(p[3]) * mp.e ** (mp.mpf(p[5 + kp]) * mp.mpf(zd[i, 0]))
        xi, txi, ti = mp.mpf(x[i]), mp.mpf(tx[i]), mp.mpf(t[i])
        term = mp.beta(a, b + xi) / mp.beta(a, b) * mp.gamma(r + xi) / mp.gamma(r) * al ** r
        inner = (al + ti) ** (-(r + xi))
        if x[i] > 0:
            inner += a / (b + xi - 1) * (al + txi) ** (-(r + xi))
        total += mp.log(term * inner)
    return total


def main():
    x, tx, t, zp, zd, levels = design()
    print("levels", levels, "first_cds mean %.6f max %g" % (zp[:, 0].mean(), zp[:, 0].max()))
    # 1. Fixed parameters (natural scale): r, alpha, a, b, g_p (first_cds, cohort=..), g_a, g_b.
    fixed_natural = [0.25, 4.0, 0.8, 2.5, 0.05, -0.1, 0.2, 0.1, -0.05]
    p = np.array([np.log(v) for v in fixed_natural[:4]] + fixed_natural[4:])
    print("fixed.params", " ".join(repr(v) for v in fixed_natural))
    print("fixed.ll.float64 %.17g" % -negll(p, x, tx, t, zp, zd))
    print("fixed.ll.mpmath40", mp.nstr(mp_loglik(p, x, tx, t, zp, zd), 20))
    # 3. The nested model (no covariates).
    p0 = None
    for start in [(0.25, 4.0, 0.8, 2.5), (1, 10, 1, 3)]:
        q = np.concatenate([np.log(start), np.zeros(5)])
        res = minimize(lambda v: negll(np.concatenate([v, np.zeros(5)]), x, tx, t, zp, zd), q[:4],
                       jac=lambda v: grad(np.concatenate([v, np.zeros(5)]), x, tx, t, zp, zd)[:4],
                       method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 10000})
        if p0 is None or res.fun < p0.fun:
            p0 = res
    print("nested.params", " ".join("%.12g" % v for v in np.exp(p0.x)))
    print("nested.ll %.12f" % -p0.fun)
    # 2. The covariate fit from the nested estimate.
    start = np.concatenate([p0.x, np.zeros(5)])
    res = minimize(negll, start, args=(x, tx, t, zp, zd), jac=grad, method="L-BFGS-B",
                   options={"gtol": 1e-12, "ftol": 1e-16, "maxiter": 20000})
    v = res.x.copy()
    for _ in range(8):  # Newton refinement on a central-difference Hessian of the gradient
        g = grad(v, x, tx, t, zp, zd)
        h = np.zeros((len(v), len(v)))
        for j in range(len(v)):
            e = np.zeros(len(v)); e[j] = 1e-6
            h[:, j] = (grad(v + e, x, tx, t, zp, zd) - grad(v - e, x, tx, t, zp, zd)) / 2e-6
        h = (h + h.T) / 2
        v = v - np.linalg.solve(h, g)
    natural = list(np.exp(v[:4])) + list(v[4:])
    print("fit.params", " ".join("%.12g" % w for w in natural))
    print("fit.ll %.12f" % -negll(v, x, tx, t, zp, zd))
    print("fit.gradnorm %.3g" % np.linalg.norm(grad(v, x, tx, t, zp, zd)))


if __name__ == "__main__":
    main()
