"""Reference values for the Pareto/NBD tests (Tests/CLVModelsTests/ParetoNBD*Tests.swift).

Run from the repository root with the reference venv (never a dependency of the project):

    /work/pyref/bin/python scripts/reference/pareto_nbd.py

Uses lifetimes 0.11.3 (scipy 1.10 hyp2f1) and mpmath 1.4.1 (50 significant digits).
Prints every value the tests quote, with 17 significant digits.
"""
import numpy as np
import pandas as pd
import mpmath as mp
import lifetimes
from lifetimes import ParetoNBDFitter

mp.mp.dps = 50
PUBLISHED = (0.553, 10.578, 0.606, 11.669)  # Fader, Hardie & Lee 2005a/b, CDNOW, weeks

summary = pd.read_csv("../shared/datasets/cdnow_customers_summary.csv")
x, tx, T = summary["frequency"], summary["recency"], summary["T"]
print("lifetimes", lifetimes.__version__)


def fitter_with(params):
    f = ParetoNBDFitter()
    f.params_ = pd.Series(list(params), ["r", "alpha", "s", "beta"])
    return f


# 1. lifetimes fit (Nelder-Mead from N(1, 0.05) starts; numpy seed 0, default options).
np.random.seed(0)
fitted = ParetoNBDFitter().fit(x, tx, T)
p = fitted.params_
total_ll = ParetoNBDFitter._conditional_log_likelihood(
    (p["r"], p["alpha"], p["s"], p["beta"]), x.values, tx.values, T.values).sum()
print("fit seed 0:", ", ".join("%s=%.17g" % (k, v) for k, v in p.items()), "LL=%.17g" % total_ll)

# 2. Log-likelihood at the published parameters (total and first ten rows).
ll_rows = ParetoNBDFitter._conditional_log_likelihood(PUBLISHED, x.values, tx.values, T.values)
print("LL at published params: total=%.17g" % ll_rows.sum())
print("LL rows 1-10:", ", ".join("%.17g" % v for v in ll_rows[:10]))

# 3. P(alive) and conditional expected purchases in the next 39 weeks, first ten customers,
#    at the published parameters.
pub = fitter_with(PUBLISHED)
head = summary.head(10)
palive = pub.conditional_probability_alive(head["frequency"], head["recency"], head["T"])
expected = pub.conditional_expected_number_of_purchases_up_to_time(
    39, head["frequency"], head["recency"], head["T"])
for i in range(10):
    print("customer %d (%d, %.2f, %.2f): p_alive=%.17g expected39=%.17g" % (
        head["ID"][i], head["frequency"][i], head["recency"][i], head["T"][i],
        palive[i], expected[i]))

# 4. Unconditional E[X(t)] at the published parameters.
for t in (39.0, 78.0):
    print("E[X(%g)] = %.17g" % (t, pub.expected_number_of_purchases_up_to_time(t)))

# 5. Conditional P(X(T, T+t) = n | history), lifetimes (FH note 028 eq. 16), published params.
for (cx, ctx, cT) in ((2, 30.43, 38.86), (0, 0.0, 38.86)):
    for n in (0, 1, 2, 5):
        v = pub.conditional_probability_of_n_purchases_up_to_time(n, 39.0, cx, ctx, cT)
        print("P(X(39)=%d | %d, %.2f, %.2f) = %.17g" % (n, cx, ctx, cT, v))


# 6. mpmath (50 digits): the likelihood from its definition as an integral over the death time,
#    L = Γ(r+x) α^r β^s / Γ(r) [ (α+T)^-(r+x) (β+T)^-s + s ∫_tx^T (α+y)^-(r+x) (β+y)^-(s+1) dy ],
#    (Fader & Hardie 2005 note, the step before eq. 19) — independent of any 2F1 code.
def mp_loglik(r, a, s, b, x, tx, T):
    r, a, s, b, tx, T = (mp.mpf(v) for v in (r, a, s, b, tx, T))
    f = lambda y: (a + y) ** (-(r + x)) * (b + y) ** (-(s + 1))
    # The integrand is divided by its largest value f(tx) (mpmath's error control is absolute)
    # and breakpoints crowd towards tx, where (α+y)^-(r+x) falls fastest.
    scale = f(tx)
    points = [tx] + [tx + (T - tx) * mp.mpf(10) ** k for k in range(-12, 1)]
    integral = scale * mp.quad(lambda y: f(y) / scale, points) if T > tx else mp.mpf(0)
    inner = (a + T) ** (-(r + x)) * (b + T) ** (-s) + s * integral
    return mp.loggamma(r + x) - mp.loggamma(r) + r * mp.log(a) + s * mp.log(b) + mp.log(inner)


def mp_palive(r, a, s, b, x, tx, T):
    r, a, s, b, tx, T = (mp.mpf(v) for v in (r, a, s, b, tx, T))
    alive = mp.loggamma(r + x) - mp.loggamma(r) + r * mp.log(a) + s * mp.log(b) \
        - (r + x) * mp.log(a + T) - s * mp.log(b + T)
    return mp.exp(alive - mp_loglik(r, a, s, b, x, tx, T))


stress = [
    # (r, alpha, s, beta, x, tx, T)
    (0.553, 10.578, 0.606, 11.669, 500, 4999.0, 5000.0),
    (0.553, 10.578, 0.606, 11.669, 500, 10.0, 5000.0),
    (0.553, 10.578, 0.606, 11.669, 0, 0.0, 5000.0),
    (0.553, 0.01, 0.606, 11.669, 500, 2500.0, 5000.0),   # α < β, far apart
    (0.553, 11.669, 0.606, 0.01, 500, 2500.0, 5000.0),   # α > β, far apart
    (20.0, 3.0, 50.0, 100.0, 3, 20.0, 30.0),             # large r, s
    (0.05, 1.0e3, 0.02, 1.0e-3, 7, 12.5, 40.0),           # extreme scales
    (2.0, 5.0, 1.0, 5.0, 4, 10.0, 20.0),                 # α = β, s = 1
]
for case in stress:
    ll = mp_loglik(*case)
    pa = mp_palive(*case)
    print("mpmath stress %s: LL=%s p_alive=%s" % (case, mp.nstr(ll, 17), mp.nstr(pa, 17)))


# 7. Cross-check of (6) with the closed form (FH 2005 note eqs. 18-20) in mpmath's own 2F1.
def mp_loglik_closed(r, a, s, b, x, tx, T):
    r, a, s, b, tx, T = (mp.mpf(v) for v in (r, a, s, b, tx, T))
    if a >= b:
        m, d, second = a, a - b, s + 1
    else:
        m, d, second = b, b - a, r + x
    rsx = r + s + x
    A0 = mp.hyp2f1(rsx, second, rsx + 1, d / (m + tx)) / (m + tx) ** rsx \
        - mp.hyp2f1(rsx, second, rsx + 1, d / (m + T)) / (m + T) ** rsx
    inner = (a + T) ** (-(r + x)) * (b + T) ** (-s) + s / rsx * A0
    return mp.loggamma(r + x) - mp.loggamma(r) + r * mp.log(a) + s * mp.log(b) + mp.log(inner)


for case in stress:
    print("mpmath closed form %s: LL=%s (integral - closed = %s)" % (
        case, mp.nstr(mp_loglik_closed(*case), 17),
        mp.nstr(mp_loglik(*case) - mp_loglik_closed(*case), 3)))


# 8. The maximum-likelihood estimate to high precision: lifetimes' own log-likelihood
#    (_conditional_log_likelihood, scipy hyp2f1) maximized in log-parameters by scipy BFGS
#    (gtol 1e-10) from the lifetimes fit above, then polished by Nelder-Mead (xatol 1e-12).
from scipy.optimize import minimize


def neg_ll(theta):
    params = np.exp(theta)
    return -ParetoNBDFitter._conditional_log_likelihood(params, x.values, tx.values, T.values).sum()


theta0 = np.log([p["r"], p["alpha"], p["s"], p["beta"]])
res = minimize(neg_ll, theta0, method="BFGS", options={"gtol": 1e-10, "maxiter": 10000})
res = minimize(neg_ll, res.x, method="Nelder-Mead",
               options={"xatol": 1e-12, "fatol": 1e-12, "maxiter": 20000})
print("precise MLE:", ", ".join("%.10g" % v for v in np.exp(res.x)), "LL=%.12g" % -res.fun)


# 9. Gradient of the summed log-likelihood of the first ten CDNOW customers with respect to
#    log(r, alpha, s, beta), at the published parameters: mpmath.diff of the closed form (6-7).
rows10 = list(zip(x[:10], tx[:10], T[:10]))


def mp_ll10(lr, la, ls, lb):
    r, a, s, b = mp.exp(lr), mp.exp(la), mp.exp(ls), mp.exp(lb)
    return mp.fsum(mp_loglik_closed(r, a, s, b, int(xi), mp.mpf(str(ti)), mp.mpf(str(Ti)))
                   for xi, ti, Ti in rows10)


theta_pub = [mp.log(mp.mpf(str(v))) for v in PUBLISHED]
grad = []
for j in range(4):
    order = [0, 0, 0, 0]
    order[j] = 1
    grad.append(mp.diff(mp_ll10, theta_pub, tuple(order)))
print("gradient of LL(first ten) wrt log-params:", ", ".join(mp.nstr(g, 17) for g in grad))


# 10. Unconditional P(X(t) = n) from the model's definition (mpmath, 50 digits): given the death
#     time ω, X(t) is NBD with exposure min(t, ω); ω is Pareto II with P(ω > t) = (β/(β+t))^s:
#     P(X(t)=n) = NB(n; t) (β/(β+t))^s + ∫_0^t NB(n; ω) s β^s (β+ω)^-(s+1) dω.
def mp_pmf(r, a, s, b, n, t):
    r, a, s, b, t = (mp.mpf(str(v)) for v in (r, a, s, b, t))
    nb = lambda tau: mp.exp(mp.loggamma(r + n) - mp.loggamma(r) - mp.loggamma(n + 1)) \
        * (a / (a + tau)) ** r * (tau / (a + tau)) ** n
    inside = mp.quad(lambda w: nb(w) * s * b ** s * (b + w) ** (-(s + 1)), [0, t / 4, t / 2, t])
    return nb(t) * (b / (b + t)) ** s + inside


for case in ((0.553, 10.578, 0.606, 11.669, 39.0), (0.553, 11.669, 0.606, 10.578, 39.0),
             (2.0, 5.0, 1.0, 5.0, 10.0)):
    values = [mp_pmf(*case[:4], n, case[4]) for n in (0, 1, 2, 5, 10)]
    print("mpmath P(X(t)=n), n = 0,1,2,5,10, %s:" % (case,), ", ".join(mp.nstr(v, 17) for v in values))


# 11. DERT with continuous discounting (FHL2005b eq. 2), mpmath 50 digits, two ways:
#     (a) FHL2005b: α^r β^s δ^(s-1) Γ(r+x+1) U(s, s; δ(β+T)) / (Γ(r) (α+T)^(r+x+1) L)  (mp.hyperu)
#     (b) P(alive) (r+x)/(α+T) E[1/(μ+δ)], μ ~ Gamma(s, β+T), by quadrature (no U at all).
def mp_dert(r, a, s, b, x, tx, T, d):
    r, a, s, b, tx, T, d = (mp.mpf(str(v)) for v in (r, a, s, b, tx, T, d))
    ll = mp_loglik_closed(r, a, s, b, x, tx, T)
    fhl = mp.exp(r * mp.log(a) + s * mp.log(b) + (s - 1) * mp.log(d) + mp.loggamma(r + x + 1)
                 + mp.log(mp.hyperu(s, s, d * (b + T))) - mp.loggamma(r)
                 - (r + x + 1) * mp.log(a + T) - ll)
    B = b + T
    density = lambda m: mp.exp(s * mp.log(B) + (s - 1) * mp.log(m) - B * m - mp.loggamma(s))
    mean_inverse = mp.quad(lambda m: density(m) / (m + d), [0, s / B, 10 * s / B, mp.inf])
    pa = mp_palive(r, a, s, b, x, tx, T)
    return fhl, pa * (r + x) / (a + T) * mean_inverse


weekly = mp.log(mp.mpf("1.15")) / 52
dert_cases = [
    (0.553, 10.578, 0.606, 11.669, 2, 30.43, 38.86, weekly),
    (0.553, 10.578, 0.606, 11.669, 0, 0.0, 38.86, weekly),
    (0.553, 10.578, 0.606, 11.669, 7, 29.43, 38.86, weekly),
    (2.0, 5.0, 1.0, 5.0, 4, 10.0, 20.0, 0.01),        # s = 1: a = 0, E1
    (2.0, 5.0, 2.0, 5.0, 4, 10.0, 20.0, 0.01),        # s = 2: a = -1
    (2.0, 5.0, 3.5, 5.0, 4, 10.0, 20.0, 0.01),        # s = 3.5: a = -2.5
    (0.553, 10.578, 0.606, 11.669, 500, 4999.0, 5000.0, 1.0),  # z = 5011.7, large
    (0.553, 10.578, 30.0, 11.669, 3, 20.0, 30.0, 1e-4),        # small z, s = 30
]
for case in dert_cases:
    fhl, direct = mp_dert(*case)
    print("mpmath DERT %s: %s (quadrature %s)" % (
        tuple(float(v) for v in case), mp.nstr(fhl, 17), mp.nstr(direct, 17)))


# 12. Next purchase, given alive at T (λ ~ Gamma(r+x, α+T), μ ~ Gamma(s, β+T) independent):
#     E[λ/(λ+μ)^k] = ∫_0^∞ u^(k-1)/Γ(k) E[λ e^(-λu)] E[e^(-μu)] du, by mpmath quadrature (no 2F1).
#     Prints P(another purchase) = P(alive) E[λ/(λ+μ)] and E[W | purchase] = E[λ/(λ+μ)²]/E[λ/(λ+μ)].
def mp_next(r, a, s, b, x, tx, T):
    r, a, s, b, tx, T = (mp.mpf(str(v)) for v in (r, a, s, b, tx, T))
    rp, A, B = r + x, a + T, b + T
    f = lambda u: rp / A * (A / (A + u)) ** (rp + 1) * (B / (B + u)) ** s
    pts = [0, min(A, B), max(A, B), 10 * max(A, B), mp.inf]
    e1 = mp.quad(f, pts)
    e2 = mp.quad(lambda u: u * f(u), pts)
    return mp_palive(r, a, s, b, x, tx, T) * e1, e2 / e1


for case in ((0.553, 10.578, 0.606, 11.669, 2, 30.43, 38.86),
             (0.553, 10.578, 0.606, 11.669, 0, 0.0, 38.86),
             (0.553, 10.578, 0.606, 11.669, 7, 29.43, 38.86),
             (0.553, 11.669, 0.606, 10.578, 2, 30.43, 38.86),
             (2.0, 5.0, 1.0, 5.0, 4, 10.0, 20.0)):
    another, wait = mp_next(*case)
    print("mpmath next purchase %s: P(another)=%s E[W|purchase]=%s" % (
        case, mp.nstr(another, 17), mp.nstr(wait, 17)))


# 12b. Cross-check of the quadrature in (12) with the closed form through mpmath's 2F1
#      (ParetoNBD+NextPurchase.swift): J0, J1 by Euler's integral.
def mp_next_closed(r, a, s, b, x, tx, T):
    r, a, s, b, tx, T = (mp.mpf(str(v)) for v in (r, a, s, b, tx, T))
    p, q, A, B = r + x + 1, s, a + T, b + T
    M, bb, z = (A, q, 1 - B / A) if A >= B else (B, p, 1 - A / B)
    n = p + q
    J0 = M ** (1 - n) / (n - 1) * mp.hyp2f1(bb, n - 1, n, z)
    J1 = M ** (2 - n) / ((n - 2) * (n - 1)) * mp.hyp2f1(bb, n - 2, n, z)
    pre = (r + x) * A ** (r + x) * B ** s
    return mp_palive(r, a, s, b, x, tx, T) * pre * J0, J1 / J0


for case in ((0.553, 10.578, 0.606, 11.669, 0, 0.0, 38.86), (2.0, 5.0, 1.0, 5.0, 4, 10.0, 20.0),
             (0.553, 11.669, 0.606, 10.578, 2, 30.43, 38.86)):
    q1, q2 = mp_next(*case)
    c1, c2 = mp_next_closed(*case)
    print("next purchase quadrature - closed form %s: %s, %s" % (
        case, mp.nstr(q1 - c1, 3), mp.nstr(q2 - c2, 3)))


# 13. Standard errors at the precise maximum of section 8: the Hessian of −log L in (r, α, s, β)
#     by central second differences in mpmath (30 digits, h = 1e-8 relative: truncation ~1e-16),
#     over the distinct (x, tx, T) rows with their counts; SE = sqrt(diag(H⁻¹)).
mp.mp.dps = 30
mle = [mp.mpf("%.10g" % v) for v in np.exp(res.x)]
counts = summary.groupby(["frequency", "recency", "T"]).size()
distinct = [(int(k[0]), mp.mpf(str(k[1])), mp.mpf(str(k[2])), int(c)) for k, c in counts.items()]


def mp_neg_ll(params):
    r, a, s, b = params
    return -mp.fsum(c * mp_loglik_closed(r, a, s, b, xi, ti, Ti) for xi, ti, Ti, c in distinct)


h = [v * mp.mpf("1e-8") for v in mle]


def shifted(i, di, j=None, dj=0):
    p = list(mle)
    p[i] += di * h[i]
    if j is not None:
        p[j] += dj * h[j]
    return p


f0 = mp_neg_ll(mle)
H = mp.matrix(4, 4)
for i in range(4):
    H[i, i] = (mp_neg_ll(shifted(i, 1)) - 2 * f0 + mp_neg_ll(shifted(i, -1))) / h[i] ** 2
    for j in range(i):
        v = (mp_neg_ll(shifted(i, 1, j, 1)) - mp_neg_ll(shifted(i, 1, j, -1))
             - mp_neg_ll(shifted(i, -1, j, 1)) + mp_neg_ll(shifted(i, -1, j, -1))) / (4 * h[i] * h[j])
        H[i, j] = H[j, i] = v
inv = H ** -1
print("standard errors at the precise MLE:", ", ".join(mp.nstr(mp.sqrt(inv[i, i]), 10) for i in range(4)))
