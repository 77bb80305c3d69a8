// The Gauss hypergeometric function 2F1(a, b; c; z) for real arguments, in log space.

/// log 2F1(a, b; c; z) for a positive value; NaN where 2F1 ≤ 0 or outside the domain below.
///
/// The Gauss hypergeometric function is the series (DLMF 15.2.1)
///
///     2F1(a, b; c; z) = Σₙ (a)ₙ (b)ₙ / ((c)ₙ n!) zⁿ,   |z| < 1,
///
/// continued analytically to z < −1. Every evaluation is reduced to an argument w in [0, 1)
/// by one of the linear transformations, then summed in log-scaled form (the mantissa is
/// rescaled whenever it exceeds 2⁹⁰⁰, so a, b, c in the hundreds and (1 − z)^(c−a−b) in the
/// thousands of orders of magnitude never overflow):
///
///     z < 0:      2F1(a, b; c; z) = (1 − z)^(−a) 2F1(a, c − b; c; z/(z − 1))     (DLMF 15.8.1,
///                                 = (1 − z)^(−b) 2F1(c − a, b; c; z/(z − 1))      Pfaff)
///     0 ≤ z < 1:  2F1(a, b; c; z) = (1 − z)^(c−a−b) 2F1(c − a, c − b; c; z)      (DLMF 15.8.1,
///                                                                                   Euler)
///
/// Of the two equivalent forms, the one whose terms do not change sign repeatedly (if either)
/// and whose terms decay soonest is tried first; a series that loses more than 10 bits to
/// cancellation (Σ|tₙ| > 2¹⁰ |Σtₙ|) is rejected and the other form (or method) is tried. 1 − w
/// is carried exactly (1/(1 − z) for z < 0), so z close to −∞ or to 1 loses no accuracy.
/// Then, on [0, 1):
///
/// - w ≤ ½: the Maclaurin series (DLMF 15.2.1), stopped when a bound on the remaining tail,
///   |tₙ| R/(1 − R) with R the largest later term ratio, is below 2⁻⁵⁴ of the sum. Terms:
///   about 55 plus the index of the largest term (≈ 2.5 max(|a|, |b|) at worst; 0–20 in the
///   BTYD forms). Examples: BG/NBD eq. (10) on CDNOW (x = 0…19, T = 38.86, t = 39) takes
///   about 25 terms, Pareto/NBD A₀ with α < β about 9: a few hundred nanoseconds per call
///   in a release build.
/// - ½ < w < 1: first the same series, if it converges within 500 terms, or twice the largest
///   |parameter| when that is more (up to 100 000; the continuation's cost grows with the
///   parameters, the series' only with 1/(1 − w)) (the common BTYD
///   case: BG/NBD and MBG/NBD, whose Euler form has small upper and large lower parameters
///   when x is large, and Pareto/NBD with α < β). A series is abandoned as soon as its current
///   term ratio shows it cannot finish within the limit. Otherwise analytic continuation
///   along the real axis: the value and derivative are summed at w₀ = ½ and carried to w by
///   Taylor steps of the hypergeometric differential equation (DLMF 15.10.1)
///
///         z(1 − z) F″ + [c − (a + b + 1) z] F′ − a b F = 0,
///
///   whose Taylor coefficients uₖ = F⁽ᵏ⁾(z₀) hᵏ/k! about z₀ obey (with s₀ = 1 − z₀)
///
///         (k+1)(k+2) s₀(1−s₀) u_{k+2} = (k+a)(k+b) h² u_k
///                                  − (k+1) [(2s₀−1) k + (c−a−b−1) + (a+b+1) s₀] h u_{k+1}.
///
///   Each step has h ≤ ½ s₀ (so the Taylor series converges at least like 2⁻ᵏ) and h ≤ 3/Λ,
///   where Λ is the larger root in modulus of s₀(1−s₀) λ² + [(c−a−b−1) + (a+b+1)s₀] λ − ab = 0,
///   the local exponential rate of the solutions; this keeps the other solution, excited by
///   rounding, from being amplified by more than e³ within a step. The continuation replaces
///   the z → 1 − z connection formula (DLMF 15.8.4, 15.10.21), whose gamma factors cancel
///   catastrophically when c − a − b is close to an integer (the degenerate case, DLMF 15.8.10):
///   it has no such case. Steps: about log₂(1/(2(1 − w))) + |c − a − b|·log(1/(2(1 − w)))/3
///   + max(|a|, |b|)/6, each of 10–60 Taylor terms. Measured on the reference grid: at most
///   148 steps (3 000 Taylor terms) for the BTYD and degenerate rows, e.g. Pareto/NBD
///   2F1(r+s+x, s+1; r+s+x+1; 0.9998) with x = 500 takes 122 steps (1 600 terms) — some
///   microseconds; at most 1 154 steps (33 000 terms) on the random grid (|c − a − b| ≈ 170,
///   1 − w = 10⁻⁹).
///
/// At z = 1 the Gauss sum, 2F1(a, b; c; 1) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) when c − a − b > 0
/// (DLMF 15.4.20).
///
/// - Domain: finite a, b, c with c ∉ {0, −1, −2, …}; z < 1, or z = 1 with c − a − b > 0.
///   Returns NaN
///   - for z > 1 (the branch cut, where 2F1 is complex), c a non-positive integer, z = 1 with
///     c − a − b ≤ 0 (2F1 diverges), and non-finite input;
///   - where 2F1 ≤ 0, which needs a negative parameter (a, b, c, or c − a, c − b) — use
///     ``signedLogHypergeometric2F1(_:_:_:_:)`` there;
///   - where both forms' series (at w, or at ½ for the continuation) lose more than 10 bits
///     to cancellation: this needs c small against large a, b with z < 0 (e.g.
///     2F1(7.36, 8.43; 0.027; −0.7), 2F1(154, 181; 0.98; −3)), never a BTYD input, which would
///     need the 1/z connection formula (DLMF 15.8.2);
///   - if a series needs more than 100 000 terms (only when |a·b| ≳ 1e9), or the
///     continuation more than 20 000 steps (|c − a − b|·log(1/(1 − w)) ≳ 6·10⁴).
/// - Accuracy (against mpmath at 50 digits, `SpecialFunctionsCorrectnessTests`): absolute
///   error of the log ≤ 4e-15·max(1, |log 2F1|) over the BTYD grid (BG/NBD, MBG/NBD,
///   Pareto/NBD, x up to 500, T up to 5000, z up to 1 − 10⁻¹², z down to −10⁸) and the
///   (near-)integer c − a − b rows; ≤ 4e-13 on a random grid with parameters from 10⁻⁶ to
///   300, where tiny parameters make 2F1 follow the solution that is recessive along the
///   continuation path.
/// - BG/NBD with c = a + b + x − 1 ≤ 0 (x = 0 and a + b ≤ 1): 2F1(r, b; a + b − 1; z) is
///   negative for large enough z (e.g. r = 0.243, α = 4.414, a = 0.3, b = 0.5, T = 38.86,
///   t ≥ 100), where lifetimes 0.11.3 takes its log and returns NaN. The conditional
///   expectation of [FHL2005a] eq. (10), (c/(a − 1))·[1 − q^(r+x)·2F1], is still correct and
///   positive (CLVTools evaluates it directly, with a signed 2F1): callers use
///   ``signedLogHypergeometric2F1(_:_:_:_:)`` for c < 0, and for c = 0 the limit
///   c · 2F1(a, b; c; z) → a b z · 2F1(a + 1, b + 1; 2; z) (term by term from DLMF 15.2.1;
///   the n = 0 case of the limit in DLMF §15.2(ii)).
/// - Source: [DLMF] chapter 15 (https://dlmf.nist.gov/15), eqs. 15.2.1, 15.4.20, 15.8.1,
///   15.10.1; [AS1964] 15.1.1, 15.3.3–15.3.5, 15.5.1; BTYD uses: [FHL2005a] eq. (10),
///   [FH2005] (Pareto/NBD A₀), [BDF2007] (MBG/NBD). Continuation by Taylor series of the
///   differential equation, one of the methods compared in [POP2017] (Pearson, Olver & Porter
///   2017, "Numerical methods for the computation of the confluent and Gauss hypergeometric
///   functions", Numer. Algorithms 74(3), 821–866).
public func logHypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
  let result = signedLogHypergeometric2F1(a, b, c, z)
  return result.sign > 0 ? result.logMagnitude : .nan
}

/// log 2F1(a, b; c; z) on real or dual numbers: on ``Dual`` numbers the partials carry the
/// derivatives with respect to whatever a, b, c and z were differentiated by (forward mode; the
/// series, transformations and continuation steps of the `Double` function applied to dual
/// numbers, so the value is bit-identical).
///
/// The derivative of the truncated series is the truncated series of the derivatives: the
/// stopping rule (on the value, 2⁻⁵⁴ of the sum) leaves a derivative tail smaller by a factor
/// of order log n (terms' parameter derivatives grow like Σₖ<ₙ 1/(p + k)).
/// - Source: as ``logHypergeometric2F1(_:_:_:_:)``; forward mode: [GW2008] chapter 3.
@_specialize(where T == Double)
@_specialize(where T == Dual<SIMD4<Double>>)
public func logHypergeometric2F1<T: DifferentiableReal>(_ a: T, _ b: T, _ c: T, _ z: T) -> T {
  let result = signedLogHypergeometric2F1Generic(a, b, c, z)
  return result.sign > 0 ? result.logMagnitude : T(constant: .nan)
}

/// log |2F1(a, b; c; z)| and the sign of 2F1 (+1, −1, or 0 with log −∞ when 2F1 = 0).
///
/// The same method, domain and accuracy as ``logHypergeometric2F1(_:_:_:_:)``, but returns the
/// sign instead of NaN for a negative value; both fields are NaN outside the domain. Use it
/// when c (or a, b) may be negative, e.g. BG/NBD with a + b + x − 1 < 0.
public func signedLogHypergeometric2F1(
  _ a: Double, _ b: Double, _ c: Double, _ z: Double
) -> (logMagnitude: Double, sign: Double) {
  signedLogHypergeometric2F1Generic(a, b, c, z)
}
