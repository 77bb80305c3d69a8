"""Reference NBD fit on the CDNOW calibration data, for NBDCorrectnessTests.

The NBD model [Ehr1959]: while observed, a customer buys as a Poisson process with rate
lambda ~ gamma(shape r, rate alpha); there is no dropout. With repeat purchases x in (0, T]
(T = the customer's age since the first purchase) the likelihood of the purchase times is

    L(r, alpha | x, T) = Gamma(r + x) / Gamma(r) * alpha^r / (alpha + T)^(r + x)

([FHL2005a] eq. (6) without its dropout term; the NBD count pmf differs from it by
T^x / x!, which does not depend on the parameters). The maximum is found independently of
clvkit: scipy's L-BFGS-B on (log r, log alpha) from several starts, then refined by Newton's
method on the analytic gradient and Hessian in mpmath at 40 digits. Printed: r, alpha, the
log-likelihood, the standard errors from the inverse observed information, and two
predictions for the customer (x, T) = (2, 38.86): E[X(39) | x, T] = (r + x) / (alpha + T) * 39
and P(no purchase in 39 weeks | x, T) = ((alpha + T) / (alpha + T + 39))^(r + x).

Data: ../shared/datasets/cdnow_customers_summary.csv (2,357 customers, weeks).
Run: python3 scripts/reference/nbd_cdnow.py   (numpy, scipy, mpmath)
"""
import csv
import math
import os

import mpmath as mp
import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, digamma

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "datasets", "cdnow_customers_summary.csv")


def load():
    x, t = [], []
    with open(DATA) as f:
        for row in csv.DictReader(f):
            x.append(int(row["frequency"]))
            t.append(float(row["T"]))
    return np.array(x, dtype=float), np.array(t)


def negll(theta, x, t):
    r, alpha = np.exp(theta)
    ll = gammaln(r + x) - gammaln(r) + r * np.log(alpha) - (r + x) * np.log(alpha + t)
    return -ll.sum()


def grad(theta, x, t):
    r, alpha = np.exp(theta)
    dr = (digamma(r + x) - digamma(r) + np.log(alpha) - np.log(alpha + t)).sum()
    da = (r / alpha - (r + x) / (alpha + t)).sum()
    return -np.array([dr * r, da * alpha])


def main():
    x, t = load()
    best = None
    for start in [(0.1, 1.0), (1.0, 10.0), (0.5, 5.0), (2.0, 20.0)]:
        res = minimize(negll, np.log(start), args=(x, t), jac=grad, method="L-BFGS-B",
                       options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 10000})
        if best is None or res.fun < best.fun:
            best = res
    r0, a0 = np.exp(best.x)

    # Newton refinement in mpmath on the natural parameters.
    mp.mp.dps = 40
    xs = [mp.mpf(int(v)) for v in x]
    ts = [mp.mpf(repr(float(v))) for v in t]
    r, a = mp.mpf(r0), mp.mpf(a0)

    def derivatives(r, a):
        g = [mp.mpf(0), mp.mpf(0)]
        h = [[mp.mpf(0), mp.mpf(0)], [mp.mpf(0), mp.mpf(0)]]
        for xi, ti in zip(xs, ts):
            g[0] += mp.digamma(r + xi) - mp.digamma(r) + mp.log(a) - mp.log(a + ti)
            g[1] += r / a - (r + xi) / (a + ti)
            h[0][0] += mp.psi(1, r + xi) - mp.psi(1, r)
            h[0][1] += 1 / a - 1 / (a + ti)
            h[1][1] += -r / a**2 + (r + xi) / (a + ti) ** 2
        h[1][0] = h[0][1]
        return g, h

    for _ in range(8):
        g, h = derivatives(r, a)
        step = mp.lu_solve(mp.matrix(h), mp.matrix(g))
        r, a = r - step[0], a - step[1]
    g, h = derivatives(r, a)
    ll = mp.fsum(mp.loggamma(r + xi) - mp.loggamma(r) + r * mp.log(a) - (r + xi) * mp.log(a + ti)
                 for xi, ti in zip(xs, ts))
    covariance = mp.inverse(-mp.matrix(h))
    print(f"customers        {len(xs)}")
    print(f"r                {mp.nstr(r, 15)}")
    print(f"alpha            {mp.nstr(a, 15)}")
    print(f"log-likelihood   {mp.nstr(ll, 15)}")
    print(f"gradient norm    {mp.nstr(mp.sqrt(g[0]**2 + g[1]**2), 3)}")
    print(f"se(r)            {mp.nstr(mp.sqrt(covariance[0, 0]), 10)}")
    print(f"se(alpha)        {mp.nstr(mp.sqrt(covariance[1, 1]), 10)}")
    xc, tc, h39 = 2, mp.mpf("38.86"), 39
    print(f"E[X(39)|2,38.86] {mp.nstr((r + xc) / (a + tc) * h39, 15)}")
    print(f"P0(39|2,38.86)   {mp.nstr(((a + tc) / (a + tc + h39)) ** (r + xc), 15)}")
    print(f"scipy start      r={r0:.10f} alpha={a0:.10f} -ll={best.fun:.10f}")


if __name__ == "__main__":
    main()
