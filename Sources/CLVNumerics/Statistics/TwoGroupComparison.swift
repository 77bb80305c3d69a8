import RealModule

/// A two-sided confidence interval.
public struct ConfidenceInterval: Sendable, Equatable, Codable {
  public var lower: Double
  public var upper: Double
  public init(lower: Double, upper: Double) {
    self.lower = lower
    self.upper = upper
  }
  /// True when `value` lies in [lower, upper].
  public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}

/// Intervals and tests for comparing a treatment group with a control group: proportions
/// (Wilson, Newcombe, the two-proportion z-test, the log risk ratio) and means (Welch).
public enum TwoGroupComparison {
  /// z₀.₉₇₅, the two-sided 95% normal quantile.
  public static let z95 = StandardNormal.quantile(0.975)

  /// The Wilson score interval for a proportion k/n (n ≥ 1, 0 ≤ k ≤ n):
  ///
  ///     (2k + z² ± z √(z² + 4k(1 − k/n))) / (2(n + z²))
  ///
  /// - Source: [WIL1927]; [NEW1998a] method 3 (eq. on p. 861), whose Table I gives the worked
  ///   examples checked in `CampaignStatisticsCorrectnessTests`.
  public static func wilsonInterval(
    successes k: Int, trials n: Int, z: Double = z95
  ) -> ConfidenceInterval {
    precondition(n >= 1 && k >= 0 && k <= n, "Wilson interval needs 0 ≤ k ≤ n, n ≥ 1")
    let (k, n) = (Double(k), Double(n))
    let root = z * (z * z + 4 * k * (1 - k / n)).squareRoot()
    let denominator = 2 * (n + z * z)
    return ConfidenceInterval(
      lower: max(0, (2 * k + z * z - root) / denominator),
      upper: min(1, (2 * k + z * z + root) / denominator))
  }

  /// Newcombe's hybrid score interval for p₁ − p₂ (method 10), from the Wilson intervals
  /// (l₁, u₁) and (l₂, u₂) of the two groups:
  ///
  ///     lower = (p₁ − p₂) − √((p₁ − l₁)² + (u₂ − p₂)²)
  ///     upper = (p₁ − p₂) + √((u₁ − p₁)² + (p₂ − l₂)²)
  ///
  /// - Source: [NEW1998b] method 10 (p. 876); its Table II gives the worked examples checked in
  ///   `CampaignStatisticsCorrectnessTests`.
  public static func newcombeDifference(
    successes k1: Int, trials n1: Int, versus k2: Int, trials n2: Int, z: Double = z95
  ) -> ConfidenceInterval {
    let p1 = Double(k1) / Double(n1)
    let p2 = Double(k2) / Double(n2)
    let w1 = wilsonInterval(successes: k1, trials: n1, z: z)
    let w2 = wilsonInterval(successes: k2, trials: n2, z: z)
    let d = p1 - p2
    return ConfidenceInterval(
      lower: d
        - ((p1 - w1.lower) * (p1 - w1.lower) + (w2.upper - p2) * (w2.upper - p2))
        .squareRoot(),
      upper: d
        + ((w1.upper - p1) * (w1.upper - p1) + (p2 - w2.lower) * (p2 - w2.lower))
        .squareRoot())
  }

  /// The two-sided p-value of the pooled two-proportion z-test (the score test, equal to
  /// Pearson's χ² test of the 2×2 table without continuity correction):
  ///
  ///     p̄ = (k₁ + k₂)/(n₁ + n₂),  z = (p₁ − p₂) / √(p̄(1 − p̄)(1/n₁ + 1/n₂)),  P = 2(1 − Φ(|z|))
  ///
  /// 1 when p̄ is 0 or 1 (no variation: no evidence of a difference).
  /// - Source: [FLP2003] §6.2 (eq. 6.6).
  public static func twoProportionPValue(
    successes k1: Int, trials n1: Int, versus k2: Int, trials n2: Int
  ) -> Double {
    let pooled = Double(k1 + k2) / Double(n1 + n2)
    guard pooled > 0, pooled < 1 else { return 1 }
    let se = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
    let z = (Double(k1) / Double(n1) - Double(k2) / Double(n2)) / se
    return min(1, 2 * StandardNormal.survival(abs(z)))
  }

  /// The interval for the relative lift p₁/p₂ − 1 from the log risk ratio:
  ///
  ///     exp(log(p₁/p₂) ± z √(1/k₁ − 1/n₁ + 1/k₂ − 1/n₂)) − 1
  ///
  /// nil when k₁ or k₂ is 0 (the ratio or its logarithm is undefined).
  /// - Source: [KAT1978] (the log method; [FLP2003] §7.4).
  public static func relativeLiftInterval(
    successes k1: Int, trials n1: Int, versus k2: Int, trials n2: Int, z: Double = z95
  ) -> ConfidenceInterval? {
    guard k1 > 0, k2 > 0 else { return nil }
    let (a, b, c, d) = (Double(k1), Double(n1), Double(k2), Double(n2))
    let logRatio = Double.log(a / b) - Double.log(c / d)
    let se = (1 / a - 1 / b + 1 / c - 1 / d).squareRoot()
    return ConfidenceInterval(
      lower: Double.expMinusOne(logRatio - z * se), upper: Double.expMinusOne(logRatio + z * se))
  }

  /// A sample's size, mean and unbiased variance.
  public struct Moments: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    /// Σ(x − mean)²/(n − 1); 0 for n < 2.
    public var variance: Double

    /// The moments of `values` (Welford's one-pass update, stable for large sums).
    /// - Source: [Welford1962].
    public init<S: Sequence>(_ values: S) where S.Element == Double {
      var n = 0
      var mean = 0.0
      var squares = 0.0
      for x in values {
        n += 1
        let delta = x - mean
        mean += delta / Double(n)
        squares += delta * (x - mean)
      }
      count = n
      self.mean = mean
      variance = n > 1 ? squares / Double(n - 1) : 0
    }

    public init(count: Int, mean: Double, variance: Double) {
      self.count = count
      self.mean = mean
      self.variance = variance
    }
  }

  /// Welch's comparison of two means: the difference, its interval and p-value.
  public struct WelchResult: Sendable, Equatable {
    public var difference: Double
    public var standardError: Double
    /// Welch–Satterthwaite degrees of freedom; nil when both variances are 0.
    public var degreesOfFreedom: Double?
    public var interval: ConfidenceInterval
    /// Two-sided; nil when both variances are 0 (no test is possible).
    public var pValue: Double?
  }

  /// Welch's t interval and test for mean₁ − mean₂ (each group needs n ≥ 2):
  ///
  ///     se = √(s₁²/n₁ + s₂²/n₂),  ν = se⁴ / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1))
  ///     interval = d ± t_{ν, 1−α/2} se,  P = 2 P(T_ν > |d|/se)
  ///
  /// When both variances are 0 the interval is the difference itself and there is no p-value.
  /// - Source: [WEL1947] (eq. 27, the approximate degrees of freedom); [SAT1946].
  public static func welch(
    _ first: Moments, _ second: Moments, confidence: Double = 0.95
  ) -> WelchResult {
    precondition(first.count >= 2 && second.count >= 2, "Welch's test needs n ≥ 2 per group")
    let v1 = first.variance / Double(first.count)
    let v2 = second.variance / Double(second.count)
    let se = (v1 + v2).squareRoot()
    let d = first.mean - second.mean
    guard se > 0 else {
      return WelchResult(
        difference: d, standardError: 0, degreesOfFreedom: nil,
        interval: ConfidenceInterval(lower: d, upper: d), pValue: nil)
    }
    let nu =
      (v1 + v2) * (v1 + v2)
      / (v1 * v1 / Double(first.count - 1) + v2 * v2 / Double(second.count - 1))
    let t = StudentT.quantile(1 - (1 - confidence) / 2, degreesOfFreedom: nu)
    return WelchResult(
      difference: d, standardError: se, degreesOfFreedom: nu,
      interval: ConfidenceInterval(lower: d - t * se, upper: d + t * se),
      pValue: min(1, 2 * StudentT.survival(abs(d) / se, degreesOfFreedom: nu)))
  }

  /// The interval for the relative difference mean₁/mean₂ − 1 by the delta method on the log
  /// ratio of the means:
  ///
  ///     Var(log m̄₁ − log m̄₂) ≈ s₁²/(n₁ m̄₁²) + s₂²/(n₂ m̄₂²)
  ///
  /// nil when a mean is not positive.
  /// - Source: [DXF2018] §3 (the delta method for ratio metrics of online experiments).
  public static func relativeDifferenceInterval(
    _ first: Moments, _ second: Moments, z: Double = z95
  ) -> ConfidenceInterval? {
    guard first.mean > 0, second.mean > 0, first.count > 0, second.count > 0 else { return nil }
    let logRatio = Double.log(first.mean) - Double.log(second.mean)
    let se =
      (first.variance / (Double(first.count) * first.mean * first.mean)
      + second.variance / (Double(second.count) * second.mean * second.mean)).squareRoot()
    return ConfidenceInterval(
      lower: Double.expMinusOne(logRatio - z * se), upper: Double.expMinusOne(logRatio + z * se))
  }

  /// The smallest absolute difference in a proportion that a two-sided test at level α
  /// detects with probability `power`, for groups of n₁ and n₂ and a baseline rate p:
  ///
  ///     MDE = (z_{1−α/2} + z_{power}) √(p(1 − p)(1/n₁ + 1/n₂))
  ///
  /// (the variance of both groups taken at the baseline, as for planning). NaN-free: 0 groups
  /// give +∞ (nothing detectable), reported as such by the callers.
  /// - Source: [FLP2003] §4.2 (eq. 4.14, sample size for comparing two proportions, solved
  ///   for the difference); [KTX2020] ch. 17 (minimum detectable effect of online experiments).
  public static func minimumDetectableDifference(
    baselineRate p: Double, treatment n1: Int, control n2: Int, alpha: Double = 0.05,
    power: Double = 0.8
  ) -> Double {
    guard n1 > 0, n2 > 0 else { return .infinity }
    let z = StandardNormal.quantile(1 - alpha / 2) + StandardNormal.quantile(power)
    return z * (p * (1 - p) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
  }
}
