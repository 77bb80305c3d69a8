// The Gauss hypergeometric function 2F1(a, b; c; z) for real arguments, in log space.

/// Relative size below which a neglected tail or Taylor term counts as zero (2⁻⁵⁴).
private let seriesTolerance = 0x1p-54

/// The largest Σ|tₙ| / |Σ tₙ| accepted from a series (2¹⁰: at most 10 bits lost).
private let maximumCancellation = 1024.0

/// Terms allowed for the Maclaurin series when z ≤ ½ (a bound, reached only for |a·b| ≳ 1e9).
private let maximumSeriesTerms = 100_000

/// Terms tried for the Maclaurin series when ½ < z < 1 before continuing analytically instead.
private let fastPathTerms = 500

/// Taylor steps allowed for the continuation (reached only when |c − a − b|·log(1/(1 − w))
/// ≳ 6·10⁴, e.g. |c − a − b| ≳ 2000 with 1 − w = 10⁻¹²).
private let maximumSteps = 20_000

/// Largest step, as a fraction of the distance to the singular point z = 1, of the Taylor
/// continuation; and the largest step times the local exponential rate Λ (see below).
private let stepFraction = 0.5
private let stepRate = 3.0

/// A number stored as `mantissa · exp(logScale)`, so that 2F1 of any size fits.
private struct ScaledValue {
  var mantissa: Double
  var logScale: Double
}

/// A hypergeometric series sum and its z-derivative, both times exp(−logScale).
private struct SeriesSum {
  var value: Double
  var derivative: Double
  var logScale: Double
}

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
/// - ½ < w < 1: first the same series, if it converges within 500 terms (the common BTYD
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

/// log |2F1(a, b; c; z)| and the sign of 2F1 (+1, −1, or 0 with log −∞ when 2F1 = 0).
///
/// The same method, domain and accuracy as ``logHypergeometric2F1(_:_:_:_:)``, but returns the
/// sign instead of NaN for a negative value; both fields are NaN outside the domain. Use it
/// when c (or a, b) may be negative, e.g. BG/NBD with a + b + x − 1 < 0.
public func signedLogHypergeometric2F1(
  _ a: Double, _ b: Double, _ c: Double, _ z: Double
) -> (logMagnitude: Double, sign: Double) {
  let invalid = (logMagnitude: Double.nan, sign: Double.nan)
  guard a.isFinite, b.isFinite, c.isFinite, z.isFinite, z <= 1 else { return invalid }
  if c <= 0 && c == c.rounded() { return invalid }
  if z == 0 || a == 0 || b == 0 { return (0, 1) }
  if z == 1 { return gaussSumAtOne(a, b, c) }

  // The two candidate forms (p, q; c; w) with their log prefactors; w in [0, 1) and
  // s = 1 − w exact.
  let w: Double
  let s: Double
  var first: SeriesForm
  var second: SeriesForm
  if z < 0 {
    s = 1 / (1 - z)
    w = -z * s  // z/(z − 1)
    let logOneMinusZ = Double.log(onePlus: -z)
    first = SeriesForm(p: a, q: c - b, logPrefactor: -a * logOneMinusZ)
    second = SeriesForm(p: c - a, q: b, logPrefactor: -b * logOneMinusZ)
  } else {
    w = z
    s = 1 - z
    first = SeriesForm(p: a, q: b, logPrefactor: 0)
    second = SeriesForm(p: c - a, q: c - b, logPrefactor: (c - a - b) * Double.log(onePlus: -z))
  }
  if second.cost(c, w) < first.cost(c, w) { swap(&first, &second) }

  // 1. The Maclaurin series of each form (all the terms it may take when w ≤ ½);
  // 2. for ½ < w < 1, analytic continuation from ½.
  let limit = w <= 0.5 ? maximumSeriesTerms : fastPathTerms
  var result: (value: ScaledValue, logPrefactor: Double)?
  if let sum = hypergeometricSeries(first.p, first.q, c, w, maximumTerms: limit) {
    result = (sum, first.logPrefactor)
  } else if let sum = hypergeometricSeries(second.p, second.q, c, w, maximumTerms: limit) {
    result = (sum, second.logPrefactor)
  } else if w > 0.5 {
    // The continuation starts from a series at ½ that should not cancel at all.
    if first.hasNegativeTerms(c) && !second.hasNegativeTerms(c) { swap(&first, &second) }
    if let value = continuedToOne(first.p, first.q, c, distanceToOne: s) {
      result = (value, first.logPrefactor)
    } else if let value = continuedToOne(second.p, second.q, c, distanceToOne: s) {
      result = (value, second.logPrefactor)
    }
  }
  guard let (scaled, logPrefactor) = result else { return invalid }
  guard scaled.mantissa.isFinite, scaled.logScale.isFinite else { return invalid }
  if scaled.mantissa == 0 { return (-.infinity, 0) }
  let logMagnitude = Double.log(abs(scaled.mantissa)) + scaled.logScale + logPrefactor
  guard !logMagnitude.isNaN else { return invalid }
  return (logMagnitude, scaled.mantissa > 0 ? 1 : -1)
}

/// One of the two equivalent forms prefactor · 2F1(p, q; c; w) of a 2F1.
private struct SeriesForm {
  var p: Double
  var q: Double
  var logPrefactor: Double

  /// A rough cost of summing the series: forms whose terms change sign repeatedly (p or q
  /// below −1 and not an integer, or c < −1: cancellation) come last; then the index of the
  /// largest term, plus 2(p + q − c), since the terms behave like n^(p+q−c−1) wⁿ for large n
  /// (DLMF 15.2.1 with 5.11.12): the form with the smaller exponent decays sooner.
  /// Whether some term of the series (for w > 0) is negative.
  func hasNegativeTerms(_ c: Double) -> Bool {
    func negative(_ x: Double) -> Bool { x < 0 && x != x.rounded() }
    return negative(p) || negative(q) || c < 0
  }

  func cost(_ c: Double, _ w: Double) -> Double {
    func oscillates(_ x: Double) -> Bool { x < -1 && x != x.rounded() }
    let penalty = oscillates(p) || oscillates(q) || c < -1 ? 1e12 : 0
    return penalty + lastGrowingTerm(p, q, c, w) + 2 * (p + q - c)
  }
}

/// The index past which the term ratio (p+n)(q+n)w/((c+n)(n+1)) stays in (−1, 1): past every
/// sign change of a factor, and past the larger root of (w−1)n² + (w(p+q)−c−1)n + (wpq−c) = 0.
private func lastGrowingTerm(_ p: Double, _ q: Double, _ c: Double, _ w: Double) -> Double {
  var index = Swift.max(0, -p, -q, -c)
  let quadratic = w - 1  // < 0
  let linear = w * (p + q) - c - 1
  let constant = w * p * q - c
  let discriminant = linear * linear - 4 * quadratic * constant
  if discriminant >= 0 {
    let root = (-linear - discriminant.squareRoot()) / (2 * quadratic)
    index = Swift.max(index, root)
  }
  return index
}

/// The series value only, as a scaled value.
private func hypergeometricSeries(
  _ p: Double, _ q: Double, _ c: Double, _ w: Double, maximumTerms: Int
) -> ScaledValue? {
  guard
    let sum = hypergeometricSeries(p, q, c, w, maximumTerms: maximumTerms, withDerivative: false)
  else { return nil }
  return ScaledValue(mantissa: sum.value, logScale: sum.logScale)
}

/// Σₙ (p)ₙ (q)ₙ / ((c)ₙ n!) wⁿ for 0 ≤ w < 1, log-scaled; nil if it needs more terms.
///
/// Stops when, past ``lastGrowingTerm(_:_:_:_:)``, the tail bound |tₙ| R/(1 − R) with
/// R = max(|ratio|, w) is below 2⁻⁵⁴ |sum| (and likewise for the derivative series
/// Σ n tₙ w^(n−1) when requested).
private func hypergeometricSeries(
  _ p: Double, _ q: Double, _ c: Double, _ w: Double, maximumTerms: Int, withDerivative: Bool
) -> SeriesSum? {
  let stable = lastGrowingTerm(p, q, c, w)
  if stable > Double(maximumTerms) { return nil }
  let rescaleAbove = 0x1p900
  let rescaleFactor = 0x1p-900
  let rescaleLog = 900 * Double.log(2.0)
  var term = 1.0
  var sum = 1.0
  var derivativeSum = 0.0  // Σ n tₙ
  var absoluteSum = 1.0  // Σ |tₙ|, for the cancellation check
  var logScale = 0.0
  var ratio = p * q / c * w  // t₁/t₀
  for n in 0..<maximumTerms {
    let m = Double(n)
    term *= ratio
    if term == 0 {
      // A terminating series (p or q a non-positive integer) or an underflowed tail.
      if p + m == 0 || q + m == 0 || m > stable {
        if absoluteSum > maximumCancellation * abs(sum) { return nil }
        return SeriesSum(value: sum, derivative: derivativeSum / w, logScale: logScale)
      }
      return nil
    }
    sum += term
    absoluteSum += abs(term)
    derivativeSum += (m + 1) * term
    if absoluteSum > rescaleAbove {
      term *= rescaleFactor
      sum *= rescaleFactor
      absoluteSum *= rescaleFactor
      derivativeSum *= rescaleFactor
      logScale += rescaleLog
    }
    let next = m + 1  // the index of `term`
    ratio = (p + next) * (q + next) / ((c + next) * (next + 1)) * w  // t_{n+2}/t_{n+1}
    guard next > stable else { continue }
    let bound = Swift.max(abs(ratio), w)
    guard bound < 1 else { continue }
    // Tail bound |t| R/(1 − R) ≤ tol |sum|, without dividing.
    var converged = abs(term) * bound <= seriesTolerance * abs(sum) * (1 - bound)
    if converged && withDerivative {
      let derivativeBound = bound * (next + 1) / next
      converged =
        derivativeBound < 1
        && (next + 1) * abs(term) * derivativeBound
          <= seriesTolerance * abs(derivativeSum) * (1 - derivativeBound)
    }
    if converged {
      // More than 10 bits lost to cancellation: not accurate enough; let the caller try
      // another form or method.
      if absoluteSum > maximumCancellation * abs(sum) { return nil }
      return SeriesSum(value: sum, derivative: derivativeSum / w, logScale: logScale)
    }
    if n % 32 == 31 && ratio != 0 {
      // Give up early when the terms, shrinking by the current ratio per term, cannot
      // meet the stopping rule within the allowed number of terms.
      let target = seriesTolerance * abs(sum) * (1 - bound) / bound
      let needed = Double.log(target / abs(term)) / Double.log(abs(ratio))
      if next + needed > Double(maximumTerms) { return nil }
    }
  }
  return nil
}

/// 2F1(p, q; c; 1 − s) for 0 < s < ½ by Taylor steps of the hypergeometric ODE from z = ½.
///
/// See ``logHypergeometric2F1(_:_:_:_:)`` for the recurrence and the step rule.
private func continuedToOne(
  _ p: Double, _ q: Double, _ c: Double, distanceToOne s: Double
)
  -> ScaledValue?
{
  guard
    let start = hypergeometricSeries(
      p, q, c, 0.5, maximumTerms: maximumSeriesTerms, withDerivative: true)
  else { return nil }
  var value = start.value
  var derivative = start.derivative  // dF/dz, same scale
  var logScale = start.logScale
  var s0 = 0.5  // current distance to z = 1
  let excess = c - p - q - 1
  let sumPlusOne = p + q + 1
  let product = p * q
  var steps = 0
  while s0 > s {
    steps += 1
    if steps > maximumSteps { return nil }
    let a2 = s0 * (1 - s0)
    let a1 = excess + sumPlusOne * s0
    let rate = (abs(a1) + (a1 * a1 + 4 * a2 * abs(product)).squareRoot()) / (2 * a2)
    var h = Swift.min(stepFraction * s0, stepRate / rate)
    if s0 - h <= s * (1 + 0x1p-40) { h = s0 - s }  // final step lands exactly on s
    guard
      let next = taylorStep(
        value: value, derivative: derivative, p: p, q: q, s0: s0, h: h,
        a1: a1, a2: a2)
    else { return nil }
    value = next.value
    derivative = next.derivative
    s0 = (h == s0 - s) ? s : s0 - h
    let magnitude = abs(value) + abs(derivative) * s0
    if magnitude == 0 || !magnitude.isFinite { return nil }
    value /= magnitude
    derivative /= magnitude
    logScale += Double.log(magnitude)
  }
  return ScaledValue(mantissa: value, logScale: logScale)
}

/// One Taylor step z₀ → z₀ + h of the hypergeometric ODE: the value and derivative at z₀ + h.
private func taylorStep(
  value: Double, derivative: Double, p: Double, q: Double, s0: Double, h: Double,
  a1: Double, a2: Double
) -> (value: Double, derivative: Double)? {
  let slope = 2 * s0 - 1
  var u0 = value
  var u1 = h * derivative
  var sum = u0 + u1
  var derivativeSum = u1  // Σ k u_k = h F′(z₀ + h)
  for k in 0..<300 {
    let kk = Double(k)
    let u2 =
      ((kk + p) * (kk + q) * h * h * u0 - (kk + 1) * (slope * kk + a1) * h * u1)
      / (a2 * (kk + 1) * (kk + 2))
    sum += u2
    derivativeSum += (kk + 2) * u2
    if k >= 2 {
      let valueTail = abs(u1) + abs(u2)
      let derivativeTail = (kk + 1) * abs(u1) + (kk + 2) * abs(u2)
      let size = abs(sum) + abs(derivativeSum)
      if valueTail <= seriesTolerance * abs(sum) && derivativeTail <= seriesTolerance * size {
        return (sum, derivativeSum / h)
      }
    }
    u0 = u1
    u1 = u2
  }
  return nil
}

/// Gauss's sum 2F1(a, b; c; 1) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) for c − a − b > 0 (DLMF 15.4.20).
private func gaussSumAtOne(
  _ a: Double, _ b: Double, _ c: Double
) -> (
  logMagnitude: Double, sign: Double
) {
  let excess = c - a - b
  guard excess > 0 else { return (.nan, .nan) }
  func isPole(_ x: Double) -> Bool { x <= 0 && x == x.rounded() }
  if isPole(c - a) || isPole(c - b) { return (-.infinity, 0) }
  func sign(_ x: Double) -> Double { Double.signGamma(x) == .minus ? -1 : 1 }
  let logMagnitude =
    Double.logGamma(c) + Double.logGamma(excess) - Double.logGamma(c - a) - Double.logGamma(c - b)
  return (logMagnitude, sign(c) * sign(excess) * sign(c - a) * sign(c - b))
}
