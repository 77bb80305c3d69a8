"""Reference sBG and BdW computations, for the contractual models' correctness tests.

Independent of clvkit: mpmath at 40 digits for values at fixed parameters, scipy's optimizer
then Newton's method in mpmath for the maximum-likelihood estimates.

Models ([FH2007] Fader & Hardie 2007, "How to Project Customer Retention"; [FHLDS2018] Fader,
Hardie, Liu, Davin & Steenburgh 2018, "'How to Project Customer Retention' Revisited"):

    S(t) = B(gamma, delta + t^c) / B(gamma, delta)     (c = 1: the sBG, [FH2007] eq. (6))
    P(T = t) = S(t - 1) - S(t)                          (sBG: B(gamma+1, delta+t-1)/B(gamma, delta), eq. (5))
    LL = sum_t n_t log P(T = t) + n_censored log S(7)   ([FH2007] Appendix B)
    DEL(d) = sum_{t>=0} S(t) / (1+d)^t                  ([FH2010])
    DERL(d | a) = sum_{k>=0} S(a+1+k)/S(a) / (1+d)^k    ([FH2010]; a renewals made)

Data: the two cohorts of [FH2007] Table 1 ("regular" and "high end", 1000 customers each,
survivors at the end of years 0..12), calibration on years 0..7.

Run: python3 scripts/reference/contractual_sbg_bdw.py   (scipy, mpmath)
"""
import mpmath as mp
import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln

mp.mp.dps = 40

REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]


def cells(alive, periods=7):
    lost = [(t, alive[t - 1] - alive[t]) for t in range(1, periods + 1)]
    return lost, alive[periods], periods


def mp_log_s(t, g, d, c):
    if t == 0:
        return mp.mpf(0)
    x = mp.mpf(t) ** c
    return mp.log(mp.beta(g, d + x)) - mp.log(mp.beta(g, d))


def mp_ll(params, data):
    g, d = params[0], params[1]
    c = params[2] if len(params) > 2 else mp.mpf(1)
    lost, censored, a = data
    total = mp.mpf(0)
    for t, n in lost:
        p = mp.exp(mp_log_s(t - 1, g, d, c)) - mp.exp(mp_log_s(t, g, d, c))
        total += n * mp.log(p)
    return total + censored * mp_log_s(a, g, d, c)


def np_negll(phi, data, k):
    th = np.exp(phi)
    g, d = th[0], th[1]
    c = th[2] if k > 2 else 1.0
    lost, censored, a = data
    def log_s(t):
        return 0.0 if t == 0 else betaln(g, d + t ** c) - betaln(g, d)
    total = 0.0
    for t, n in lost:
        total += n * np.log(np.exp(log_s(t - 1)) - np.exp(log_s(t)))
    return -(total + censored * log_s(a))


def fit(data, k):
    best = None
    starts = [[0.0, 0.0], [np.log(0.5), np.log(2.0)]] if k == 2 else [
        [0.0, 0.0, 0.0], [0.0, 0.0, np.log(0.5)], [0.0, 0.0, np.log(2.0)]]
    for s in starts:
        r = minimize(np_negll, s, args=(data, k), method="Nelder-Mead",
                     options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000})
        if best is None or r.fun < best.fun:
            best = r
    # Newton in mpmath on the log-parameters.
    x = [mp.mpf(v) for v in best.x]
    f = lambda *phi: mp_ll([mp.exp(p) for p in phi], data)
    for _ in range(30):
        grad = [mp.diff(f, x, tuple(1 if j == i else 0 for j in range(k))) for i in range(k)]
        hess = mp.matrix(k, k)
        for i in range(k):
            for j in range(k):
                order = [0] * k
                order[i] += 1
                order[j] += 1
                hess[i, j] = mp.diff(f, x, tuple(order))
        step = mp.lu_solve(hess, mp.matrix(grad))
        x = [x[i] - step[i] for i in range(k)]
        if max(abs(s) for s in step) < mp.mpf(10) ** -25:
            break
    theta = [mp.exp(v) for v in x]
    return theta, mp_ll(theta, data)


def del_(g, d, c, rate):
    x = 1 / (1 + mp.mpf(rate))
    return mp.nsum(lambda t: mp.exp(mp_log_s(int(t), g, d, c)) * x ** t, [0, mp.inf])


def derl(g, d, c, a, rate):
    x = 1 / (1 + mp.mpf(rate))
    base = mp_log_s(a, g, d, c)
    return mp.nsum(lambda k: mp.exp(mp_log_s(a + 1 + int(k), g, d, c) - base) * x ** k,
                   [0, mp.inf])


def show(name, values):
    print(name + ": " + ", ".join(mp.nstr(v, 17) for v in values))


if __name__ == "__main__":
    for label, alive in (("regular", REGULAR), ("high end", HIGH_END)):
        data = cells(alive)
        theta, ll = fit(data, 2)
        show(f"sBG {label} (gamma, delta, LL)", theta + [ll])
        theta3, ll3 = fit(data, 3)
        show(f"BdW {label} (gamma, delta, c, LL)", theta3 + [ll3])
    # Values at fixed parameters (the published sBG estimates, and a BdW point).
    one = mp.mpf(1)
    for g, d, c in ((mp.mpf("0.704"), mp.mpf("1.182"), one),
                    (mp.mpf("0.668"), mp.mpf("3.806"), one),
                    (mp.mpf("0.9"), mp.mpf("2.5"), mp.mpf("0.7")),
                    (mp.mpf("1.3"), mp.mpf("0.8"), mp.mpf("1.6"))):
        tag = f"gamma={g}, delta={d}, c={c}"
        show(f"S(1), S(7), S(12), S(100) at {tag}",
             [mp.exp(mp_log_s(t, g, d, c)) for t in (1, 7, 12, 100)])
        show(f"LL regular, LL high end at {tag}",
             [mp_ll([g, d, c], cells(REGULAR)), mp_ll([g, d, c], cells(HIGH_END))])
        show(f"DEL(0.1), DERL(0.1 | 0), DERL(0.1 | 4), DERL(0.01 | 4) at {tag}",
             [del_(g, d, c, 0.1), derl(g, d, c, 0, 0.1), derl(g, d, c, 4, 0.1),
              derl(g, d, c, 4, 0.01)])
