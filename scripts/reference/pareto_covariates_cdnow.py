"""Reference values for Pareto/NBD with static covariates on CDNOW (CovariateCorrectnessTests).

Independent of clvkit: the Pareto/NBD likelihood ([FH2005-PNBD] eqs. 18-20, in the closed form
with the Gauss hypergeometric function) at each customer's own parameters ([FH2007-COV],
CLVTools' signs):

    alpha_i = alpha * exp(-g_p' z_p),   beta_i = beta * exp(-g_d' z_d)

Attributes as in covariates_cdnow.py (`first_cds`, `cohort` from CDNOW_sample.txt); purchase =
first_cds, cohort (z = first_cds, cohort=jan, cohort=mar; reference feb), dropout = first_cds.

Printed:
  1. the total log-likelihood at fixed parameters in mpmath at 30 digits (mpmath's own 2F1)
     and in float64 (scipy's hyp2f1);
  2. the maximum-likelihood estimate: scipy L-BFGS-B on (log r, log alpha, log s, log beta, g)
     with central-difference gradients, from the no-covariate estimate, then Nelder-Mead
     polishing and Newton steps on the central-difference gradient; the log-likelihood and the
     gradient norm at the optimum.

Run: python3 scripts/reference/pareto_covariates_cdnow.py   (numpy, scipy, mpmath)
"""
import numpy as np
import mpmath as mp
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1

from covariates_cdnow import load


def design():
    x, tx, t, cds, cohort = load()
    levels = sorted(set(cohort))
    zp = np.column_stack([cds] + [[1.0 if c == lv else 0.0 for c in cohort] for lv in levels[1:]])
    zd = cds.reshape(-1, 1)
    return x, tx, t, zp, zd


def split(p, zp, zd):
    r, alpha, s, beta = np.exp(p[:4])
    kp = zp.shape[1]
    al = alpha * np.exp(-zp @ p[4:4 + kp])
    be = beta * np.exp(-zd @ p[4 + kp:5 + kp])
    return r, al, s, be


def loglik(p, x, tx, t, zp, zd):
    """Per-customer log-likelihood in float64 (closed form, scipy hyp2f1)."""
    r, a, s, b = split(p, zp, zd)
    rsx = r + s + x
    big = a >= b
    m = np.where(big, a, b)
    d = np.abs(a - b)
    second = np.where(big, s + 1, r + x)
    # log of A0 = F(d/(m+tx))/(m+tx)^rsx - F(d/(m+T))/(m+T)^rsx, computed relative to the first.
    l1 = np.log(hyp2f1(rsx, second, rsx + 1, d / (m + tx))) - rsx * np.log(m + tx)
    l2 = np.log(hyp2f1(rsx, second, rsx + 1, d / (m + t))) - rsx * np.log(m + t)
    log_a0 = l1 + np.log1p(-np.exp(l2 - l1))
    alive = -(r + x) * np.log(a + t) - s * np.log(b + t)
    dead = np.log(s) - np.log(rsx) + log_a0
    mx = np.maximum(alive, dead)
    inner = mx + np.log(np.exp(alive - mx) + np.exp(dead - mx))
    return gammaln(r + x) - gammaln(r) + r * np.log(a) + s * np.log(b) + inner


def mp_loglik(p, x, tx, t, zp, zd):
    mp.mp.dps = 30
    kp = zp.shape[1]
    total = mp.mpf(0)
    r, s = mp.e ** mp.mpf(p[0]), mp.e ** mp.mpf(p[2])
    for i in range(len(x)):
        a = mp.e ** mp.mpf(p[1]) * mp.e ** (-mp.fsum(mp.mpf(p[4 + k]) * mp.mpf(zp[i, k]) for k in range(kp)))
        b = mp.e ** mp.mpf(p[3]) * mp.e ** (-mp.mpf(p[4 + kp]) * mp.mpf(zd[i, 0]))
        xi, txi, ti = mp.mpf(x[i]), mp.mpf(tx[i]), mp.mpf(t[i])
        if a >= b:
            m, d, second = a, a - b, s + 1
        else:
            m, d, second = b, b - a, r + xi
        rsx = r + s + xi
        a0 = mp.hyp2f1(rsx, second, rsx + 1, d / (m + txi)) / (m + txi) ** rsx \
            - mp.hyp2f1(rsx, second, rsx + 1, d / (m + ti)) / (m + ti) ** rsx
        inner = (a + ti) ** (-(r + xi)) * (b + ti) ** (-s) + s / rsx * a0
        total += mp.loggamma(r + xi) - mp.loggamma(r) + r * mp.log(a) + s * mp.log(b) + mp.log(inner)
    return total


def main():
    x, tx, t, zp, zd = design()
    fixed_natural = [0.55, 10.5, 0.6, 11.7, 0.05, -0.1, 0.2, 0.1]
    p = np.array([np.log(v) for v in fixed_natural[:4]] + fixed_natural[4:])
    print("fixed.params", " ".join(repr(v) for v in fixed_natural))
    print("fixed.ll.mpmath30", mp.nstr(mp_loglik(p, x, tx, t, zp, zd), 20))
    print("fixed.ll.float64 %.17g" % loglik(p, x, tx, t, zp, zd).sum())

    def f(v):
        value = -loglik(v, x, tx, t, zp, zd).sum()
        return value if np.isfinite(value) else 1e300

    def g(v):
        out = np.zeros(len(v))
        for j in range(len(v)):
            e = np.zeros(len(v)); e[j] = 1e-6
            out[j] = (f(v + e) - f(v - e)) / 2e-6
        return out

    nested = minimize(lambda v: f(np.concatenate([v, np.zeros(4)])), np.log([0.55, 10.5, 0.6, 11.7]),
                      method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000})
    print("nested.params", " ".join("%.12g" % w for w in np.exp(nested.x)))
    print("nested.ll %.12f" % -nested.fun)
    start = np.concatenate([nested.x, np.zeros(4)])
    res = minimize(f, start, jac=g, method="L-BFGS-B",
                   options={"gtol": 1e-9, "ftol": 1e-15, "maxiter": 20000})
    res = minimize(f, res.x, method="Nelder-Mead",
                   options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 50000, "maxfev": 50000})
    v = res.x.copy()
    for _ in range(6):  # Newton steps on the central-difference gradient (its zero is the MLE)
        grad = g(v)
        h = np.zeros((len(v), len(v)))
        for j in range(len(v)):
            e = np.zeros(len(v)); e[j] = 1e-4
            h[:, j] = (g(v + e) - g(v - e)) / 2e-4
        h = (h + h.T) / 2
        v = v - np.linalg.solve(h, grad)
    res.x, res.fun = v, f(v)
    natural = list(np.exp(res.x[:4])) + list(res.x[4:])
    print("fit.params", " ".join("%.12g" % w for w in natural))
    print("fit.ll %.12f" % -res.fun)
    print("fit.gradnorm %.3g" % np.linalg.norm(g(res.x)))


if __name__ == "__main__":
    main()
