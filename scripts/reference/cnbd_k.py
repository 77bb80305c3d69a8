"""Reference values for the (M)BG/CNBD-k models [PR2016], for ErlangBetaGeometric*Tests.

The model: while alive, a customer's inter-purchase times are Erlang-k with rate lambda
(lambda ~ gamma(shape r, rate alpha)); after each repeat purchase (MBG: after every purchase,
the first included) the customer drops out with probability p ~ beta(a, b). With
x repeat purchase days, recency t_x, age T (weeks since the first purchase day) and
litt = sum of the logs of the x gaps between consecutive purchase days (in weeks), the
log-likelihood of one customer is written here directly from the model (Platzer & Reutterer
2016, section 3), independently of clvkit's code:

    log L = (k-1) litt - x log((k-1)!) + log B(a, b+x+m) - log B(a, b)
            + log[ Gamma(r+kx) alpha^r / Gamma(r) * (alpha+T)^-(r+kx)
                   * sum_{j<k} Gamma(r+kx+j) / (Gamma(r+kx) j!) ((T-t_x)/(alpha+T))^j
                   + delta * a/(b+x-1+m) * Gamma(r+kx) alpha^r / Gamma(r) (alpha+t_x)^-(r+kx) ]

(m = 0, delta = 1{x>0} for BG/CNBD-k; m = 1, delta = 1 for MBG/CNBD-k). The predictions are
computed by numerical integration over lambda with scipy (the posterior given alive
lambda^(r+kx-1) e^(-lambda(alpha+T)) sum_j (lambda s)^j/j!, s = T - t_x, and a Poisson count
of phases), not by the negative-binomial sums clvkit uses.

Sections (printed):
 1. Data: customers, sum x, sum litt of the CDNOW calibration period (1997-01-01 .. 1997-09-30).
 2. Total log-likelihood at fixed parameters, k = 1, 2, 3, 6, both variants.
 3. Maximum likelihood for k = 1 .. 6 (scipy L-BFGS-B on the log parameters from three
    starts, then a Nelder-Mead polish), both variants: the profile falls from k = 1 on.
 4. Predictions for three customers at fixed parameters (scipy adaptive quadrature over
    lambda, relative tolerance 1e-13, with the Poisson tails from scipy's incomplete gamma).
 5. The Wheat-Morrison statistic of the calibration period (last two gaps of customers with
    3+ purchase days): V = mean (M - 1/2)^2, k = (1 - 4V)/(8V).

Data: ../shared/datasets/CDNOW_sample.txt (columns: id, customer, yyyymmdd, quantity, amount).
Run: python3 scripts/reference/cnbd_k.py [--fit]   (numpy, scipy; --fit: section 3, minutes)
"""
import math
import os
import sys
from collections import defaultdict
from datetime import date

import numpy as np
from scipy import integrate, special, stats
from scipy.optimize import minimize
from scipy.special import betaln, gammaln

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "datasets", "CDNOW_sample.txt")
END = date(1997, 9, 30)


def load():
    days = defaultdict(set)
    with open(DATA) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 5:
                continue
            d = parts[2]
            day = date(int(d[:4]), int(d[4:6]), int(d[6:]))
            if day <= END:
                days[int(parts[1])].add(day.toordinal())
    x, tx, T, litt, last_two = [], [], [], [], []
    for cust in sorted(days):
        ds = sorted(days[cust])
        gaps = [b - a for a, b in zip(ds, ds[1:])]
        x.append(len(gaps))
        tx.append((ds[-1] - ds[0]) / 7)
        T.append((END.toordinal() - ds[0]) / 7)
        litt.append(sum(math.log(g / 7) for g in gaps))
        if len(gaps) >= 2:
            last_two.append((gaps[-2], gaps[-1]))
    return np.array(x, float), np.array(tx), np.array(T), np.array(litt), last_two


def loglik(params, k, x, tx, T, litt, m):
    r, alpha, a, b = params
    K = r + k * x
    s = (T - tx) / (alpha + T)
    # log of sum_{j<k} Gamma(K+j)/(Gamma(K) j!) s^j, term by term with gammaln.
    terms = [gammaln(K + j) - gammaln(K) - gammaln(j + 1) + (j * np.log(s) if j else 0.0)
             for j in range(k)]
    with np.errstate(divide="ignore"):
        logS = np.logaddexp.reduce(np.array(terms), axis=0) if k > 1 else 0.0
    common = gammaln(K) - gammaln(r) + r * np.log(alpha)
    alive = common - K * np.log(alpha + T) + logS
    delta = np.ones_like(x) if m == 1 else (x > 0).astype(float)
    with np.errstate(divide="ignore"):
        dead = np.where(delta > 0,
                        np.log(a) - np.log(b + x - 1 + m) + common - K * np.log(alpha + tx),
                        -np.inf)
    ll = ((k - 1) * litt - x * gammaln(k) + betaln(a, b + x + m) - betaln(a, b)
          + np.logaddexp(alive, dead))
    return ll.sum()


def fit(k, data, m, start):
    x, tx, T, litt = data

    def f(phi):
        v = -loglik(np.exp(phi), k, x, tx, T, litt, m)
        return v if np.isfinite(v) else 1e30

    best = None
    for s in start:
        res = minimize(f, np.log(s), method="L-BFGS-B",
                       options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 5000})
        res = minimize(f, res.x, method="Nelder-Mead",
                       options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 4000, "maxfev": 8000})
        if best is None or res.fun < best.fun:
            best = res
    return np.exp(best.x), -best.fun


def quad(f, lo=0.0, hi=np.inf, points=None):
    value, _ = integrate.quad(f, lo, hi, epsabs=0, epsrel=1e-13, limit=500, points=points)
    return value


def poisson_at_least(n, mu):
    """P(Poisson(mu) >= n) = regularized lower incomplete gamma P(n, mu); 1 for n <= 0."""
    return 1.0 if n <= 0 else float(special.gammainc(n, mu))


def predictions(params, k, m, x, tx, T, t):
    """P(alive), E[Y(t)], P(no purchase in t), E[wait | alive] of one customer, by quadrature over
    the rate: given alive, lambda has density proportional to gamma(K, alpha+T)(lambda) *
    sum_{j<k} (lambda s)^j / j!, and the phases j already completed have weights (lambda s)^j/j!."""
    r, alpha, a, b = params
    s = T - tx
    K = r + k * x
    beta = alpha + T
    g = stats.gamma(K, scale=1 / beta)
    surv = lambda lam: sum((lam * s) ** j / math.factorial(j) for j in range(k))
    lo, hi = g.ppf(1e-16), g.ppf(1 - 1e-16)
    e_surv = quad(lambda lam: g.pdf(lam) * surv(lam), lo, hi)
    delta = 1 if (m == 1 or x > 0) else 0
    if delta:
        log_odds = (math.log(a) - math.log(b + x - 1 + m) + K * (math.log(beta) - math.log(alpha + tx))
                    - math.log(e_surv))
        p_alive = 1 / (1 + math.exp(log_odds))
    else:
        p_alive = 1.0
    bp = b + x + m

    def c(n):  # E[(1-p)^(n-1)], p ~ beta(a, b')
        return math.exp(special.betaln(a, bp + n - 1) - special.betaln(a, bp))

    def given(lam, what):
        w = [(lam * s) ** j / math.factorial(j) for j in range(k)]
        mu = lam * t
        out = 0.0
        for j in range(k):
            if what == 0:
                n, acc = 1, 0.0
                while True:
                    tail = poisson_at_least(n * k - j, mu)
                    acc += c(n) * tail
                    if tail < 1e-18 and n > 2:
                        break
                    n += 1
                out += w[j] * acc
            elif what == 1:
                out += w[j] * (1 - poisson_at_least(k - j, mu))
            else:
                out += w[j] * (k - j) / lam
        return out

    def expect(what):
        return quad(lambda lam: g.pdf(lam) * given(lam, what), lo, hi) / e_surv

    ey = p_alive * expect(0)
    p_none = 1 - p_alive + p_alive * expect(1)
    wait = expect(2) if K > 1 else float("nan")  # no finite mean when K <= 1
    return p_alive, ey, p_none, wait


def unconditional(params, k, m, t, n_max):
    """E[X(t)] and P(X(t)=n) of a new customer, by quadrature over lambda ~ gamma(r, alpha)
    (p integrated in closed form: the beta moments)."""
    r, alpha, a, b = params
    g = stats.gamma(r, scale=1 / alpha)
    lo, hi = 0.0, g.ppf(1 - 1e-15)
    B = lambda u, v: math.exp(special.betaln(u, v) - special.betaln(a, b))

    def p_x(n):
        g_more = B(a, b + n + m)
        g_eq = (B(a + 1, b + n - 1 + m) if (n > 0 or m == 1) else 0.0)
        f = lambda lam: g.pdf(lam) * (
            g_more * (poisson_at_least(n * k, lam * t) - poisson_at_least(n * k + k, lam * t))
            + g_eq * poisson_at_least(n * k, lam * t))
        return quad(f, lo, hi, points=[1e-6, 1e-3, 0.1, 1])

    def ex(lam):
        total, n = 0.0, 1
        while True:
            tail = poisson_at_least(n * k, lam * t)
            total += B(a, b + n - 1 + m) * tail
            if tail < 1e-18 and n > 2:
                break
            n += 1
        return total

    e = quad(lambda lam: g.pdf(lam) * ex(lam), lo, hi, points=[1e-6, 1e-3, 0.1, 1])
    return e, [p_x(n) for n in range(n_max + 1)]


def main():
    np.seterr(divide="ignore")
    x, tx, T, litt, last_two = load()
    print("1. customers", len(x), "sum x", int(x.sum()), "sum litt %.15g" % litt.sum())

    fixed = {1: (0.25, 4.4, 0.8, 2.4), 2: (0.25, 2.2, 0.8, 2.4), 3: (0.3, 1.5, 0.7, 2.0),
             6: (0.4, 0.8, 0.9, 3.0)}
    for m, name in [(0, "bgcnbd-k"), (1, "mbgcnbd-k")]:
        for k, p in fixed.items():
            print("2.", name, "k", k, "params", p, "LL %.15g" % loglik(p, k, x, tx, T, litt, m))

    for m, name in [(0, "bgcnbd-k"), (1, "mbgcnbd-k")] if "--fit" in sys.argv else []:
        prev = None
        results = []
        for k in range(1, 7):
            starts = [(0.25, 4.4 / k, 0.8, 2.4), (1, 10 / k, 1, 3)]
            if prev is not None:
                starts.append((prev[0], prev[1] * (k - 1) / k, prev[2], prev[3]))
            params, ll = fit(k, (x, tx, T, litt), m, starts)
            prev = params
            results.append((ll, k, params))
            print("3.", name, "k", k, "LL %.10f" % ll, "params", " ".join("%.10g" % v for v in params))
        ll, k, params = max(results)
        print("3.", name, "best k", k, "LL %.10f" % ll)

    customers = [(2, 30.43, 38.86), (0, 0.0, 38.86), (7, 35.0, 38.0)]
    for m, name in [(0, "bgcnbd-k"), (1, "mbgcnbd-k")]:
        for k, p in [(1, fixed[1]), (3, fixed[3])]:
            for cx, ctx, cT in customers:
                pa, ey, pn, wait = predictions(p, k, m, cx, ctx, cT, 39)
                print("4.", name, "k", k, "customer", (cx, ctx, cT), "P(alive) %.15g E[Y(39)] %.15g "
                      "P(none 39) %.15g E[wait|alive] %.15g" % (pa, ey, pn, wait))
            e, px = unconditional(p, k, m, 39, 3)
            print("4.", name, "k", k, "E[X(39)] %.15g P(X(39)=0..3) %s" % (
                e, " ".join("%.15g" % v for v in px)))

    ms = [g1 / (g1 + g2) for g1, g2 in last_two]
    v = sum((mm - 0.5) ** 2 for mm in ms) / len(ms)
    print("5. Wheat-Morrison customers", len(ms), "V %.17g" % v, "k %.17g" % ((1 - 4 * v) / (8 * v)))


if __name__ == "__main__":
    main()
