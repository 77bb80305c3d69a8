import RealModule

/// The standard normal distribution: CDF, survival function and quantile.
public enum StandardNormal {
  /// Φ(x) = ½ erfc(−x/√2).
  ///
  /// - Source: [DLMF] 7.2.2, 7.17.1 (erfc from swift-numerics' RealModule).
  public static func cdf(_ x: Double) -> Double { 0.5 * Double.erfc(-x / 2.0.squareRoot()) }

  /// 1 − Φ(x) = ½ erfc(x/√2), without cancellation for large x.
  public static func survival(_ x: Double) -> Double { 0.5 * Double.erfc(x / 2.0.squareRoot()) }

  /// z with Φ(z) = p, for 0 < p < 1 (NaN outside).
  ///
  /// Bisection on Φ over [−40, 40] to the last bit (about 80 halvings), then the sign by
  /// symmetry, so that the upper tail keeps full relative accuracy: z(p) = −z(1 − p).
  /// - Accuracy: within 1e-13 of scipy.stats.norm.ppf on the probabilities of
  ///   `scripts/reference/campaign_statistics.py`.
  public static func quantile(_ p: Double) -> Double {
    guard p > 0, p < 1 else { return .nan }
    if p > 0.5 { return -quantile(1 - p) }
    // Solve survival(z) = p for z ≥ 0 in the upper tail, then negate.
    return -bisect(low: 0, high: 40, increasing: false) { survival($0) - p }
  }
}

/// Student's t distribution with ν > 0 degrees of freedom (ν need not be whole: Welch's ν).
public enum StudentT {
  /// P(T > t) for t ≥ 0 and ½ + … below: the upper tail
  ///
  ///     P(T > t) = ½ I_{ν/(ν+t²)}(ν/2, ½)      (t ≥ 0)
  ///
  /// - Source: [AS1964] 26.7.1 with 26.5.27 (the t CDF as a regularized incomplete beta).
  public static func survival(_ t: Double, degreesOfFreedom nu: Double) -> Double {
    guard nu > 0, !t.isNaN else { return .nan }
    if t.isInfinite { return t > 0 ? 0 : 1 }
    let tail = 0.5 * regularizedIncompleteBeta(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
    return t >= 0 ? tail : 1 - tail
  }

  /// P(T ≤ t).
  public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
    survival(-t, degreesOfFreedom: nu)
  }

  /// t with P(T ≤ t) = p, 0 < p < 1 (NaN outside), by bisection on the upper tail.
  /// - Accuracy: within 1e-10 relative of scipy.stats.t.ppf (`campaign_statistics.py`).
  public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
    guard p > 0, p < 1, nu > 0 else { return .nan }
    if p > 0.5 { return -quantile(1 - p, degreesOfFreedom: nu) }
    // The upper bound doubles until the tail falls below p (heavy tails for small ν).
    var high = 1.0
    while survival(high, degreesOfFreedom: nu) > p, high < 1e300 { high *= 2 }
    return -bisect(low: 0, high: high, increasing: false) {
      survival($0, degreesOfFreedom: nu) - p
    }
  }
}

/// I_x(a, b), the regularized incomplete beta function, for 0 ≤ x ≤ 1, a, b > 0.
///
///     I_x(a, b) = x^a (1−x)^b / (a B(a, b)) · 1/(1+ d₁/(1+ d₂/(1+ …)))
///     d₂ₘ₊₁ = −(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),  d₂ₘ = m(b−m) x / ((a+2m−1)(a+2m))
///
/// evaluated by the modified Lentz method where it converges fast (x < (a+1)/(a+b+2)), and
/// through I_x(a, b) = 1 − I_{1−x}(b, a) elsewhere. The prefactor is formed in log space.
///
/// - Source: [DLMF] 8.17.22 (continued fraction), 8.17.4 (symmetry); Lentz's algorithm as in
///   [NR2007] §5.2 and §6.4.
public func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
  guard a > 0, b > 0, x >= 0, x <= 1 else { return .nan }
  if x == 0 { return 0 }
  if x == 1 { return 1 }
  if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(x: 1 - x, a: b, b: a) }
  let logPrefactor = a * Double.log(x) + b * Double.log(onePlus: -x) - logBeta(a, b) - Double.log(a)
  let tiny = 1e-300
  var c = 1.0
  var d = 1 - (a + b) * x / (a + 1)
  if abs(d) < tiny { d = tiny }
  d = 1 / d
  var fraction = d
  for m in 1...10_000 {
    let m = Double(m)
    let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
    d = 1 + even * d
    if abs(d) < tiny { d = tiny }
    c = 1 + even / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    fraction *= d * c
    let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
    d = 1 + odd * d
    if abs(d) < tiny { d = tiny }
    c = 1 + odd / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    let step = d * c
    fraction *= step
    if abs(step - 1) < 1e-16 { break }
  }
  return Double.exp(logPrefactor) * fraction
}

/// The root of a monotone `f` on [low, high] by bisection to adjacent doubles.
private func bisect(
  low: Double, high: Double, increasing: Bool, _ f: (Double) -> Double
) -> Double {
  var low = low
  var high = high
  for _ in 0..<2_000 {
    let middle = low + (high - low) / 2
    if middle <= low || middle >= high { break }
    let value = f(middle)
    if value == 0 { return middle }
    if (value < 0) == increasing { low = middle } else { high = middle }
  }
  return low + (high - low) / 2
}

/// The chi-squared distribution with k > 0 degrees of freedom.
public enum ChiSquared {
  /// P(X > x) = Q(k/2, x/2), the regularized upper incomplete gamma function: by its power
  /// series P(a, y) = e^−y yᵃ Σₙ yⁿ / Γ(a + n + 1) when y < a + 1 (Q = 1 − P), else by the
  /// continued fraction of Γ(a, y) (modified Lentz), both to the last bit.
  ///
  /// - Source: [DLMF] 8.2.4 (Q = Γ(a, y)/Γ(a)), 8.7.1 (series), 8.9.2 (continued fraction);
  ///   the split at y = a + 1 as in Press et al., Numerical Recipes, 3rd ed., section 6.2.
  public static func survival(_ x: Double, degreesOfFreedom k: Double) -> Double {
    guard k > 0, !x.isNaN else { return .nan }
    guard x > 0 else { return 1 }
    let a = k / 2, y = x / 2
    let logPrefix = a * Double.log(y) - y - Double.logGamma(a)
    if y < a + 1 {
      // P(a, y) = e^{-y} y^a / Γ(a+1) · Σ yⁿ / ((a+1)…(a+n))
      var term = 1.0 / a
      var sum = term
      var n = 1.0
      while n < 10_000 {
        term *= y / (a + n)
        sum += term
        if abs(term) < abs(sum) * 1e-17 { break }
        n += 1
      }
      return Swift.max(0, 1 - Double.exp(logPrefix) * sum)
    }
    // Γ(a, y) e^{y} y^{-a} by its continued fraction.
    let h = upperIncompleteGammaContinuedFraction(a: a, z: y)
    return Double.exp(logPrefix) * h
  }
}

/// The continued fraction Γ(a, z) e^z z^−a = 1/(z + 1 − a − 1·(1 − a)/(z + 3 − a − …)) (the
/// even contraction of [DLMF] 8.9.2), by the modified Lentz algorithm to a relative change of
/// 1e-16. Converges fast for z ≥ a + 1 (and for z ≥ 1 when a ≤ 1); callers use a series below.
///
/// - Source: [DLMF] 8.9.2; the modified Lentz algorithm as in Press et al., Numerical Recipes,
///   3rd ed., sections 5.2 and 6.2.
public func upperIncompleteGammaContinuedFraction(a: Double, z: Double) -> Double {
  let tiny = 1e-300
  var b = z + 1 - a
  var c = 1 / tiny
  var d = 1 / b
  var h = d
  var i = 1.0
  while i < 100_000 {
    let an = -i * (i - a)
    b += 2
    d = an * d + b
    if abs(d) < tiny { d = tiny }
    c = b + an / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    let delta = d * c
    h *= delta
    if abs(delta - 1) < 1e-16 { break }
    i += 1
  }
  return h
}
