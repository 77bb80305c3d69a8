// The machinery of ``logHypergeometric2F1(_:_:_:_:)``: transformations, Maclaurin series and
// Taylor continuation, written once over ``DifferentiableReal`` so that the same code computes
// the value (Double) or the value and its derivatives (Dual). Every decision — which form,
// when to stop, step sizes — is taken on values only, so both evaluations take the same path.

/// Relative size below which a neglected tail or Taylor term counts as zero (2⁻⁵⁴).
private let seriesTolerance = 0x1p-54

/// The largest Σ|tₙ| / |Σ tₙ| accepted from a series (2¹⁰: at most 10 bits lost).
private let maximumCancellation = 1024.0

/// Terms allowed for the Maclaurin series when z ≤ ½ (a bound, reached only for |a·b| ≳ 1e9).
private let maximumSeriesTerms = 100_000

/// Terms tried for the Maclaurin series when ½ < z < 1 before continuing analytically instead:
/// at least 500, and up to twice the largest |parameter| (capped at ``maximumSeriesTerms``),
/// since the continuation then needs about max(|a|, |b|)/6 steps of 10–60 Taylor terms each
/// and the series is the cheaper method. Example: Pareto/NBD's A₀ on data whose purchase rates
/// barely vary, where the fit moves r and α towards infinity together: 2F1(47 000, 1.05;
/// 47 001; 0.946) sums in about 700 terms, where the continuation takes about 8 000 steps.
private let fastPathTerms = 500

/// The term limit of the Maclaurin series for ½ < w < 1 (see ``fastPathTerms``).
private func fastPathLimit(_ a: Double, _ b: Double, _ c: Double) -> Int {
  let largest = Swift.max(abs(a), abs(b), abs(c))
  guard largest * 2 > Double(fastPathTerms) else { return fastPathTerms }
  return Int(Swift.min(Double(maximumSeriesTerms), largest * 2))
}

/// Taylor steps allowed for the continuation (reached only when |c − a − b|·log(1/(1 − w))
/// ≳ 6·10⁴, e.g. |c − a − b| ≳ 2000 with 1 − w = 10⁻¹²).
private let maximumSteps = 20_000

/// Largest step, as a fraction of the distance to the singular point z = 1, of the Taylor
/// continuation; and the largest step times the local exponential rate Λ (see
/// ``logHypergeometric2F1(_:_:_:_:)``).
private let stepFraction = 0.5
private let stepRate = 3.0

/// A number stored as `mantissa · exp(logScale)`, so that 2F1 of any size fits.
private struct ScaledValue<T: DifferentiableReal> {
  var mantissa: T
  var logScale: Double
}

/// A hypergeometric series sum and its z-derivative, both times exp(−logScale).
private struct SeriesSum<T: DifferentiableReal> {
  var value: T
  var derivative: T
  var logScale: Double
}

/// log |2F1(a, b; c; z)| and its sign, on real or dual numbers (see
/// ``signedLogHypergeometric2F1(_:_:_:_:)`` for the domain; the method is described at
/// ``logHypergeometric2F1(_:_:_:_:)``).
///
/// At z = 0 the dual result is z·ab/c (value 0, first derivatives exact); at a = 0 or b = 0
/// the derivatives in a and b are not carried (no BTYD formula has a zero parameter).
func signedLogHypergeometric2F1Generic<T: DifferentiableReal>(
  _ a: T, _ b: T, _ c: T, _ z: T
) -> (logMagnitude: T, sign: Double) {
  let invalid = (logMagnitude: T(constant: .nan), sign: Double.nan)
  guard a.value.isFinite, b.value.isFinite, c.value.isFinite, z.value.isFinite, z.value <= 1
  else { return invalid }
  if c.value <= 0 && c.value == c.value.rounded() { return invalid }
  if a.value == 0 || b.value == 0 { return (T(constant: 0), 1) }
  if z.value == 0 { return (z * (a * b / c) + 0.0, 1) }  // + 0: the value is +0, not −0
  if z.value == 1 { return gaussSumAtOne(a, b, c) }

  // The two candidate forms (p, q; c; w) with their log prefactors; w in [0, 1) and
  // s = 1 − w exact.
  let w: T
  let s: T
  var first: SeriesForm<T>
  var second: SeriesForm<T>
  if z.value < 0 {
    s = T(constant: 1) / (-z + 1)
    w = -z * s  // z/(z − 1)
    let logOneMinusZ = T.log(onePlus: -z)
    first = SeriesForm(p: a, q: c - b, logPrefactor: -a * logOneMinusZ)
    second = SeriesForm(p: c - a, q: b, logPrefactor: -b * logOneMinusZ)
  } else {
    w = z
    s = -z + 1
    first = SeriesForm(p: a, q: b, logPrefactor: T(constant: 0))
    second = SeriesForm(p: c - a, q: c - b, logPrefactor: (c - a - b) * T.log(onePlus: -z))
  }
  if second.cost(c.value, w.value) < first.cost(c.value, w.value) { swap(&first, &second) }

  // 1. The Maclaurin series of each form (all the terms it may take when w ≤ ½);
  // 2. for ½ < w < 1, analytic continuation from ½.
  let limit =
    w.value <= 0.5 ? maximumSeriesTerms : fastPathLimit(a.value, b.value, c.value)
  var result: (value: ScaledValue<T>, logPrefactor: T)?
  if let sum = hypergeometricSeries(first.p, first.q, c, w, maximumTerms: limit) {
    result = (sum, first.logPrefactor)
  } else if let sum = hypergeometricSeries(second.p, second.q, c, w, maximumTerms: limit) {
    result = (sum, second.logPrefactor)
  } else if w.value > 0.5 {
    // The continuation starts from a series at ½ that should not cancel at all.
    if first.hasNegativeTerms(c.value) && !second.hasNegativeTerms(c.value) {
      swap(&first, &second)
    }
    if let value = continuedToOne(first.p, first.q, c, distanceToOne: s) {
      result = (value, first.logPrefactor)
    } else if let value = continuedToOne(second.p, second.q, c, distanceToOne: s) {
      result = (value, second.logPrefactor)
    }
  }
  guard let (scaled, logPrefactor) = result else { return invalid }
  guard scaled.mantissa.value.isFinite, scaled.logScale.isFinite else { return invalid }
  if scaled.mantissa.value == 0 { return (T(constant: -.infinity), 0) }
  let magnitude = scaled.mantissa.value > 0 ? scaled.mantissa : -scaled.mantissa
  let logMagnitude = T.log(magnitude) + scaled.logScale + logPrefactor
  guard !logMagnitude.value.isNaN else { return invalid }
  return (logMagnitude, scaled.mantissa.value > 0 ? 1 : -1)
}

/// One of the two equivalent forms prefactor · 2F1(p, q; c; w) of a 2F1.
private struct SeriesForm<T: DifferentiableReal> {
  var p: T
  var q: T
  var logPrefactor: T

  /// Whether some term of the series (for w > 0) is negative.
  func hasNegativeTerms(_ c: Double) -> Bool {
    func negative(_ x: Double) -> Bool { x < 0 && x != x.rounded() }
    return negative(p.value) || negative(q.value) || c < 0
  }

  /// A rough cost of summing the series: forms whose terms change sign repeatedly (p or q
  /// below −1 and not an integer, or c < −1: cancellation) come last; then the index of the
  /// largest term, plus 2(p + q − c), since the terms behave like n^(p+q−c−1) wⁿ for large n
  /// (DLMF 15.2.1 with 5.11.12): the form with the smaller exponent decays sooner.
  func cost(_ c: Double, _ w: Double) -> Double {
    func oscillates(_ x: Double) -> Bool { x < -1 && x != x.rounded() }
    let (p, q) = (p.value, q.value)
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
private func hypergeometricSeries<T: DifferentiableReal>(
  _ p: T, _ q: T, _ c: T, _ w: T, maximumTerms: Int
) -> ScaledValue<T>? {
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
private func hypergeometricSeries<T: DifferentiableReal>(
  _ p: T, _ q: T, _ c: T, _ w: T, maximumTerms: Int, withDerivative: Bool
) -> SeriesSum<T>? {
  let stable = lastGrowingTerm(p.value, q.value, c.value, w.value)
  if stable > Double(maximumTerms) { return nil }
  let rescaleAbove = 0x1p900
  let rescaleFactor = 0x1p-900
  let rescaleLog = 900 * Double.log(2.0)
  var term = T(constant: 1)
  var sum = T(constant: 1)
  var derivativeSum = T(constant: 0)  // Σ n tₙ
  var absoluteSum = 1.0  // Σ |tₙ|, for the cancellation check
  var logScale = 0.0
  var ratio = p * q / c * w  // t₁/t₀
  for n in 0..<maximumTerms {
    let m = Double(n)
    term = term * ratio
    if term.value == 0 {
      // A terminating series (p or q a non-positive integer) or an underflowed tail.
      if p.value + m == 0 || q.value + m == 0 || m > stable {
        if absoluteSum > maximumCancellation * abs(sum.value) { return nil }
        return SeriesSum(value: sum, derivative: derivativeSum / w, logScale: logScale)
      }
      return nil
    }
    sum = sum + term
    absoluteSum += abs(term.value)
    derivativeSum = derivativeSum + term * (m + 1)
    if absoluteSum > rescaleAbove {
      term = term * rescaleFactor
      sum = sum * rescaleFactor
      absoluteSum *= rescaleFactor
      derivativeSum = derivativeSum * rescaleFactor
      logScale += rescaleLog
    }
    let next = m + 1  // the index of `term`
    ratio = (p + next) * (q + next) / ((c + next) * (next + 1)) * w  // t_{n+2}/t_{n+1}
    guard next > stable else { continue }
    let ratioValue = ratio.value
    let bound = Swift.max(abs(ratioValue), w.value)
    guard bound < 1 else { continue }
    // Tail bound |t| R/(1 − R) ≤ tol |sum|, without dividing.
    let termSize = abs(term.value)
    var converged = termSize * bound <= seriesTolerance * abs(sum.value) * (1 - bound)
    if converged && withDerivative {
      let derivativeBound = bound * (next + 1) / next
      converged =
        derivativeBound < 1
        && (next + 1) * termSize * derivativeBound
          <= seriesTolerance * abs(derivativeSum.value) * (1 - derivativeBound)
    }
    if converged {
      // More than 10 bits lost to cancellation: not accurate enough; let the caller try
      // another form or method.
      if absoluteSum > maximumCancellation * abs(sum.value) { return nil }
      return SeriesSum(value: sum, derivative: derivativeSum / w, logScale: logScale)
    }
    if n % 32 == 31 && ratioValue != 0 {
      // Give up early when the terms, shrinking by the current ratio per term, cannot
      // meet the stopping rule within the allowed number of terms.
      let target = seriesTolerance * abs(sum.value) * (1 - bound) / bound
      let needed = Double.log(target / termSize) / Double.log(abs(ratioValue))
      if next + needed > Double(maximumTerms) { return nil }
    }
  }
  return nil
}

/// 2F1(p, q; c; 1 − s) for 0 < s < ½ by Taylor steps of the hypergeometric ODE from z = ½.
///
/// See ``logHypergeometric2F1(_:_:_:_:)`` for the recurrence and the step rule. Only the last
/// step, which lands on s, depends on s (and so carries its derivative).
private func continuedToOne<T: DifferentiableReal>(
  _ p: T, _ q: T, _ c: T, distanceToOne s: T
)
  -> ScaledValue<T>?
{
  guard
    let start = hypergeometricSeries(
      p, q, c, T(constant: 0.5), maximumTerms: maximumSeriesTerms, withDerivative: true)
  else { return nil }
  var value = start.value
  var derivative = start.derivative  // dF/dz, same scale
  var logScale = start.logScale
  var s0 = T(constant: 0.5)  // current distance to z = 1
  let excess = c - p - q + -1.0
  let sumPlusOne = p + q + 1.0
  let product = p * q
  var steps = 0
  while s0.value > s.value {
    steps += 1
    if steps > maximumSteps { return nil }
    let a2 = s0 * (-s0 + 1)
    let a1 = excess + sumPlusOne * s0
    let (a1v, a2v) = (a1.value, a2.value)
    let rate = (abs(a1v) + (a1v * a1v + 4 * a2v * abs(product.value)).squareRoot()) / (2 * a2v)
    let step = Swift.min(stepFraction * s0.value, stepRate / rate)
    // The final step lands exactly on s.
    let final = s0.value - step <= s.value * (1 + 0x1p-40)
    let h = final ? s0 - s : T(constant: step)
    guard
      let next = taylorStep(
        value: value, derivative: derivative, p: p, q: q, s0: s0, h: h,
        a1: a1, a2: a2)
    else { return nil }
    value = next.value
    derivative = next.derivative
    s0 = final ? s : s0 - h
    let magnitude = abs(value.value) + abs(derivative.value) * s0.value
    if magnitude == 0 || !magnitude.isFinite { return nil }
    value = value / magnitude
    derivative = derivative / magnitude
    logScale += Double.log(magnitude)
  }
  return ScaledValue(mantissa: value, logScale: logScale)
}

/// One Taylor step z₀ → z₀ + h of the hypergeometric ODE: the value and derivative at z₀ + h.
private func taylorStep<T: DifferentiableReal>(
  value: T, derivative: T, p: T, q: T, s0: T, h: T, a1: T, a2: T
) -> (value: T, derivative: T)? {
  let slope = s0 * 2 + -1.0
  var u0 = value
  var u1 = h * derivative
  var sum = u0 + u1
  var derivativeSum = u1  // Σ k u_k = h F′(z₀ + h)
  for k in 0..<300 {
    let kk = Double(k)
    let u2 =
      ((p + kk) * (q + kk) * h * h * u0 - (slope * kk + a1) * (kk + 1) * h * u1)
      / (a2 * (kk + 1) * (kk + 2))
    sum = sum + u2
    derivativeSum = derivativeSum + u2 * (kk + 2)
    if k >= 2 {
      let valueTail = abs(u1.value) + abs(u2.value)
      let derivativeTail = (kk + 1) * abs(u1.value) + (kk + 2) * abs(u2.value)
      let size = abs(sum.value) + abs(derivativeSum.value)
      if valueTail <= seriesTolerance * abs(sum.value)
        && derivativeTail <= seriesTolerance * size
      {
        return (sum, derivativeSum / h)
      }
    }
    u0 = u1
    u1 = u2
  }
  return nil
}

/// Gauss's sum 2F1(a, b; c; 1) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) for c − a − b > 0 (DLMF 15.4.20).
private func gaussSumAtOne<T: DifferentiableReal>(
  _ a: T, _ b: T, _ c: T
) -> (logMagnitude: T, sign: Double) {
  let excess = c - a - b
  guard excess.value > 0 else { return (T(constant: .nan), .nan) }
  func isPole(_ x: Double) -> Bool { x <= 0 && x == x.rounded() }
  if isPole((c - a).value) || isPole((c - b).value) { return (T(constant: -.infinity), 0) }
  func sign(_ x: Double) -> Double { Double.signGamma(x) == .minus ? -1 : 1 }
  let logMagnitude = T.logGamma(c) + T.logGamma(excess) - T.logGamma(c - a) - T.logGamma(c - b)
  return (
    logMagnitude, sign(c.value) * sign(excess.value) * sign((c - a).value) * sign((c - b).value)
  )
}
