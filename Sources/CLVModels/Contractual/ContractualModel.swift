import CLVData
import CLVNumerics

/// A model of contract renewals in discrete periods (``ModelKind/contractual``): sBG, BdW.
///
/// T is a subscriber's lifetime in periods (T = t: paid t periods, then cancelled at the t-th
/// renewal decision); S(t) = P(T > t) is the probability of still being subscribed after t
/// renewal decisions, S(0) = 1. "Renewals" below counts the renewal decisions a subscriber has
/// survived (a = periods paid − 1).
public protocol ContractualModel: ParametricModel, ModelFileConvertible {
  /// log S(t), t ≥ 0.
  func logSurvival(_ t: Int) -> Double
  /// log P(T = t), t ≥ 1.
  func logProbabilityOfLifetime(_ t: Int) -> Double
  /// E[T] = Σ_{t≥0} S(t), or nil when it is infinite (heavy tail of the mixing distribution).
  var expectedLifetime: Double? { get }
  /// The total log-likelihood of `durations`.
  func logLikelihood(of durations: ContractDurations) -> Double
  /// Fits the model by maximum likelihood on `durations`.
  static func fit(_ durations: ContractDurations, options: FitOptions) throws -> Self
}

extension ContractualModel {
  /// S(t) = P(T > t): the share of a cohort still subscribed after t periods.
  /// - Source: [FH2007] eq. (1) (survivor function), (6) for the sBG.
  public func survival(_ t: Int) -> Double { Double.exp(logSurvival(t)) }

  /// The survival curve S(0), S(1), …, S(`periods`).
  public func survivalCurve(through periods: Int) -> [Double] {
    (0...Swift.max(periods, 0)).map(survival)
  }

  /// The retention rate of period t ≥ 1, r_t = S(t) / S(t − 1): the share of those subscribed
  /// after t − 1 periods who renew once more.
  /// - Source: [FH2007] eq. (2); eq. (8) for its sBG closed form.
  public func retentionRate(_ t: Int) -> Double {
    precondition(t >= 1, "retention rates start at period 1")
    return Double.exp(logSurvival(t) - logSurvival(t - 1))
  }

  /// P(still subscribed `horizon` periods from now | survived `renewals` renewals so far)
  /// = S(a + h) / S(a).
  /// - Source: [FH2007] eq. (2) chained; [FH2010] (conditioning on the renewals made).
  public func probabilityActive(after horizon: Int, renewals: Int) -> Double {
    Double.exp(logSurvival(renewals + horizon) - logSurvival(renewals))
  }

  /// E[min(T, H)] = Σ_{t=0}^{H−1} S(t): the expected number of periods paid within the first
  /// `horizon` periods (finite even when E[T] is not).
  /// - Source: [FH2007] (expected tenure as the area under the survivor function).
  public func expectedLifetime(within horizon: Int) -> Double {
    var sum = 0.0
    for t in 0..<Swift.max(horizon, 0) { sum += survival(t) }
    return sum
  }

  /// Discounted expected lifetime of a new subscriber, the number of payments discounted at
  /// rate d per period, the first (at acquisition) undiscounted:
  ///
  ///     DEL(d) = Σ_{t≥0} S(t) / (1 + d)^t
  ///
  /// - Source: [FH2010] (DEL; multiplied by the margin per period it is the expected CLV of
  ///   [FH2007] §"Introduction" E(CLV) = Σ m S(t)/(1+d)^t).
  /// - Throws: ``ModelError/unusableData(model:reason:)`` for d ≤ 0 (the sum may diverge),
  ///   ``ModelError/nonFinite(model:quantity:)`` when the series does not settle.
  public func discountedExpectedLifetime(discountRate: Double) throws -> Double {
    try 1 + discountedSurvivalSum(first: 1, base: 0, discountRate: discountRate)
      / (1 + discountRate)
  }

  /// Discounted expected residual lifetime of a subscriber who has survived `renewals` renewal
  /// decisions, valued just before the next one (the payment it brings undiscounted):
  ///
  ///     DERL(d | a) = Σ_{k≥0} [S(a + 1 + k) / S(a)] / (1 + d)^k
  ///
  /// - Source: [FH2010] (DERL for a customer with n − 1 = a renewals; for the sBG its
  ///   closed form is (δ + a)/(γ + δ + a) · 2F1(1, δ + a + 1; γ + δ + a + 1; 1/(1 + d))).
  /// - Throws: as ``discountedExpectedLifetime(discountRate:)``.
  public func discountedExpectedResidualLifetime(
    renewals: Int, discountRate: Double
  ) throws
    -> Double
  {
    try discountedSurvivalSum(first: renewals + 1, base: renewals, discountRate: discountRate)
  }

  /// Σ_{k≥0} [S(first + k) / S(base)] / (1 + d)^k by direct summation. The terms decrease at
  /// least as fast as 1/(1 + d)^k, so the tail after a term τ is below τ (1 + d)/d; the sum
  /// stops when that bound is under 2⁻⁵³ of the sum.
  func discountedSurvivalSum(first: Int, base: Int, discountRate d: Double) throws -> Double {
    guard d.isFinite, d > 0 else {
      throw ModelError.unusableData(
        model: Self.modelName,
        reason: "discounted lifetimes need a discount rate > 0 per period (got \(d)); with 0 "
          + "the sum is the expected lifetime, which may be infinite")
    }
    let logX = -Double.log(onePlus: d)
    let logBase = logSurvival(base)
    let tailFactor = (1 + d) / d
    var sum = 0.0
    for k in 0..<Self.maximumTerms {
      let term = Double.exp(logSurvival(first + k) - logBase + Double(k) * logX)
      sum += term
      if term * tailFactor <= 0x1p-53 * sum || term == 0 {
        return try checkedFinite(sum, "a discounted lifetime")
      }
    }
    throw ModelError.nonFinite(
      model: Self.modelName,
      quantity: "a discounted lifetime at discount rate \(d) (more than \(Self.maximumTerms) "
        + "terms)")
  }

  /// Σ_{t≥0} S(t) by summation, for a survivor function with a power-law tail
  /// S(t) ~ C t^(−p), p > 1 (beta mixtures: p = cγ). Partial sums to N = 2^k; the tail beyond N
  /// is estimated by ∫_N^∞ C t^(−p) dt + S(N)/2 = S(N) (N/(p̂ − 1) + 1/2) (Euler–Maclaurin,
  /// first terms) with the local exponent p̂ = log₂(S(N/2)/S(N)); stops when two successive
  /// estimates (N/2 and N) agree to 10⁻¹¹. nil when they do not by N = 2²².
  func expectedLifetimeBySummation() -> Double? {
    var sum = 0.0
    var t = 0
    var limit = 16
    var previous: Double?
    while limit <= 1 << 22 {
      while t < limit {
        sum += survival(t)
        t += 1
      }
      let exponent = (logSurvival(limit / 2) - logSurvival(limit)) / Double.log(2)
      if exponent > 1 {
        let estimate = sum + survival(limit) * (Double(limit) / (exponent - 1) + 0.5)
        if let previous, abs(estimate - previous) <= 1e-11 * estimate { return estimate }
        previous = estimate
      }
      limit *= 2
    }
    return nil
  }

  /// The most terms a discounted sum may take (a discount rate of about 4·10⁻⁶ per period).
  static var maximumTerms: Int { 10_000_000 }
}
