// The Gauss hypergeometric function 2F1(a, b; c; z) for real arguments, in log space.

/// Relative size below which a neglected tail or Taylor term counts as zero (2⁻⁵⁴).
private let seriesTolerance = 0x1p-54

/// The largest Σ|tₙ| / |Σ tₙ| accepted from a series (2¹⁰: at most 10 bits lost).
private let maximumCancellation = 1024.0

/// Terms allowed for the Maclaurin series when z ≤ ½ (a bound, reached only for |a·b| ≳ 1e9).
private let maximumSeriesTerms = 100_000

/// Terms tried for the Maclaurin series when ½ < z < 1 before continuing analytically instead.
private let fastPathTerms = 500

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
/// Of the two equivalent forms, the one whose series has no sign changes (if any) and the
/// fewest terms before it decays is used; 1 − w is carried exactly (1/(1 − z) for z < 0), so z
/// close to −∞ or to 1 loses no accuracy. Then, on [0, 1):
///
/// - w ≤ ½: the Maclaurin series (DLMF 15.2.1), stopped when a bound on the remaining tail,
///   |tₙ| R/(1 − R) with R the ratio bound past the last growing term, is below 2⁻⁵⁴ of the
///   sum. Terms: about 55 + the index of the largest term, which is 0 for BTYD inputs in the
///   Euler/Pfaff form chosen here and at most ≈ 2.5 max(|a|, |b|) in general.
/// - ½ < w < 1: first the same series, if it converges within 500 terms (the common BTYD
///   case: BG/NBD and MBG/NBD, where the Euler form has small upper and large lower
///   parameters, and Pareto/NBD with α < β). Otherwise analytic continuation along the real
///   axis: the value and derivative are summed at w₀ = ½ and carried to w by Taylor steps of
///   the hypergeometric differential equation (DLMF 15.10.1)
///
///         z(1 − z) F″ + [c − (a + b + 1) z] F′ − a b F = 0,
///
///   whose Taylor coefficients about z₀ obey the three-term recurrence (with s₀ = 1 − z₀)
///
///         (k+1)(k+2) s₀(1−s₀) u_{k+2} = (k+a)(k+b) h² u_k
///                                  − (k+1) [(2s₀−1) k + (c−a−b−1) + (a+b+1) s₀] h u_{k+1}.
///
///   Each step h ≤ ½ s₀ (so the Taylor series converges at least like 2⁻ᵏ) and h ≤ 3/Λ, where
///   Λ is the larger root in modulus of s₀(1−s₀) λ² + [(c−a−b−1) + (a+b+1)s₀] λ − ab = 0, the
///   local exponential rate of the solutions; this keeps the unwanted solution, excited by
///   rounding, from being amplified by more than e³ in a step. This replaces the z → 1 − z
///   connection formula (DLMF 15.8.4, 15.10.21), whose gamma factors cancel catastrophically
///   when c − a − b is close to an integer (the degenerate case of DLMF 15.8.10): the
///   continuation has no such case. Steps: about log₂(1/(2(1 − w))) + Λ/6; each needs at
///   most 60 Taylor terms (e.g. 2F1(r+s+x, s+1; r+s+x+1; 1 − 10⁻¹²) with x = 500 takes
///   ~170 steps, an ordinary slow case ~40 steps).
///
/// At z = 1 the Gauss sum, 2F1(a, b; c; 1) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) when c − a − b > 0
/// (DLMF 15.4.20).
///
/// - Domain: finite a, b, c with c ∉ {0, −1, −2, …}; z < 1, or z = 1 with c − a − b > 0.
///   Returns NaN for z > 1 (the branch cut, where 2F1 is complex), for c a non-positive
///   integer, for non-finite input, where 2F1 ≤ 0 (possible when a parameter is negative, in
///   particular c < 0; see ``signedLogHypergeometric2F1(_:_:_:_:)``), and if a series needs
///   more than 100 000 terms (only when |a·b| ≳ 1e9).
/// - Accuracy: relative error of 2F1 (absolute error of the log) ≤ 1e-13 against mpmath at 50
///   digits over the BTYD grid of `SpecialFunctionsCorrectnessTests` (x up to 500, T up to
///   5000, z up to 1 − 10⁻¹², z down to −10⁸). Where 2F1 results from cancellation (mixed
///   signs: a, b or c negative, or c − b, c − a < 0 in the chosen form), the error is relative
///   to the largest term instead.
/// - BG/NBD with c = a + b + x − 1 ≤ 0 (x = 0 and a + b ≤ 1, where lifetimes returns NaN):
///   2F1(r, b; a + b − 1; z) may be negative; the conditional expectation of [FHL2005a]
///   eq. (10) stays finite because it contains c · 2F1, an entire function of c. Callers
///   should use ``signedLogHypergeometric2F1(_:_:_:_:)`` for c < 0, and for c = 0 the limit
///   c · 2F1(a, b; c; z) → a b z · 2F1(a + 1, b + 1; 2; z) (DLMF 15.2.3 with c → 0).
/// - Source: DLMF chapter 15 (https://dlmf.nist.gov/15), eqs. 15.2.1, 15.4.20, 15.8.1,
///   15.10.1; Abramowitz & Stegun (1964) 15.1.1, 15.3.3–15.3.5, 15.5.1. Continuation by
///   Taylor series of the ODE as in Pearson, Olver & Porter (2017), "Numerical methods for
///   the computation of the confluent and Gauss hypergeometric functions", Numer. Algorithms
///   74, 821–866, §4.5 (method (e)).
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

  // Candidate forms (p, q; c; w) with log prefactor, w in [0, 1) and s = 1 − w exact.
  let w: Double
  let s: Double
  let forms: [(p: Double, q: Double, logPrefactor: Double)]
  if z < 0 {
    s = 1 / (1 - z)
    w = -z * s  // z/(z − 1)
    let logOneMinusZ = Double.log(onePlus: -z)
    forms = [(a, c - b, -a * logOneMinusZ), (c - a, b, -b * logOneMinusZ)]
  } else {
    w = z
    s = 1 - z
    forms = [(a, b, 0), (c - a, c - b, (c - a - b) * Double.log(onePlus: -z))]
  }
  let ordered = forms.sorted {
    formCost($0.p, $0.q, c, w) < formCost($1.p, $1.q, c, w)
  }

  var result: (value: ScaledValue, logPrefactor: Double)?
  // 1. The Maclaurin series of each form (all the terms it may take when w ≤ ½).
  for form in ordered where result == nil {
    let limit = w <= 0.5 ? maximumSeriesTerms : fastPathTerms
    if let sum = hypergeometricSeries(
      form.p, form.q, c, w, maximumTerms: limit, withDerivative: false)
    {
      result = (ScaledValue(mantissa: sum.value, logScale: sum.logScale), form.logPrefactor)
    }
  }
  // 2. For ½ < w < 1, analytic continuation from ½.
  if w > 0.5 {
    for form in ordered where result == nil {
      if let value = continuedToOne(form.p, form.q, c, distanceToOne: s) {
        result = (value, form.logPrefactor)
      }
    }
  }
  guard let (scaled, logPrefactor) = result else { return invalid }
  guard scaled.mantissa.isFinite, scaled.logScale.isFinite else { return invalid }
  if scaled.mantissa == 0 { return (-.infinity, 0) }
  let logMagnitude = Double.log(abs(scaled.mantissa)) + scaled.logScale + logPrefactor
  guard !logMagnitude.isNaN else { return invalid }
  return (logMagnitude, scaled.mantissa > 0 ? 1 : -1)
}

/// A rough cost of summing 2F1(p, q; c; w): a form whose terms may change sign (cancellation)
/// comes after one whose terms cannot; then the index of the largest term (where the term
/// ratio falls below 1 for good).
private func formCost(_ p: Double, _ q: Double, _ c: Double, _ w: Double) -> Double {
  let signChanges = (p < 0 && p != p.rounded()) || (q < 0 && q != q.rounded()) || c < 0
  return lastGrowingTerm(p, q, c, w) + (signChanges ? .greatestFiniteMagnitude / 2 : 0)
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
  for n in 0..<maximumTerms {
    let m = Double(n)
    let ratio = (p + m) * (q + m) / ((c + m) * (m + 1)) * w
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
    if abs(term) > rescaleAbove || absoluteSum > rescaleAbove {
      term *= rescaleFactor
      sum *= rescaleFactor
      absoluteSum *= rescaleFactor
      derivativeSum *= rescaleFactor
      logScale += rescaleLog
    }
    if m + 1 > stable {
      let next = m + 1
      let nextRatio = abs((p + next) * (q + next) / ((c + next) * (next + 1)) * w)
      let bound = Swift.max(nextRatio, w)
      if bound < 1 {
        let tail = abs(term) * bound / (1 - bound)
        var converged = tail <= seriesTolerance * abs(sum)
        if withDerivative {
          let derivativeBound = bound * (next + 1) / next
          converged =
            converged && derivativeBound < 1
            && (next + 1) * abs(term) * derivativeBound / (1 - derivativeBound)
              <= seriesTolerance * abs(derivativeSum)
        }
        if converged {
          // More than 10 bits lost to cancellation: not accurate enough; let the caller try
          // another form or method.
          if absoluteSum > maximumCancellation * abs(sum) { return nil }
          return SeriesSum(value: sum, derivative: derivativeSum / w, logScale: logScale)
        }
      }
    }
  }
  return nil
}

/// 2F1(p, q; c; 1 − s) for 0 < s < ½ by Taylor steps of the hypergeometric ODE from z = ½.
///
/// See ``logHypergeometric2F1(_:_:_:_:)`` for the recurrence and the step rule.
private func continuedToOne(_ p: Double, _ q: Double, _ c: Double, distanceToOne s: Double)
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
    if steps > 100_000 { return nil }
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
private func gaussSumAtOne(_ a: Double, _ b: Double, _ c: Double) -> (
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
