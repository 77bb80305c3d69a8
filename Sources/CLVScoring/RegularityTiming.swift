import CLVData
import CLVNumerics

/// The timing part of a replenishment reminder, weighted by how regularly the customer buys:
/// the chance that the next purchase comes within the window, given the silence so far, when
/// the gaps between purchases are gamma-distributed around the customer's cycle with a shape
/// k that measures their regularity.
///
///     gaps           G ~ gamma(shape k, mean c)          c = ``SegmentationRules/cycleDays(of:)``
///     timing         T = P(G ≤ a + w | G > a) = (S(a) − S(a + w)) / S(a)
///                    S(t) = Q(k, k t / c)                  (regularized upper incomplete gamma)
///     memoryless     E = 1 − exp(−w / c)                   (T for k = 1, whatever a)
///     timed rate     P = min(1, P(s) / E) · T             P(s): ``ReplenishmentTiming``'s
///                                                          replayed purchase rate of the state
///
/// with a = days since the last purchase and w the window. For a memoryless buyer (k = 1) T = E
/// and the timed rate is the replayed rate P(s): the silence says nothing more than the state
/// already does. For a regular buyer (k ≥ 2) T is small right after a purchase and peaks at
/// about one cycle, so the rate is moved toward the customers whose cycle ends in the window.
/// P(s) / E is the customer's rate relative to what their cycle alone would give (capped at
/// 1: a probability), so the product stays in [0, 1].
///
/// The shape k of each customer is the Wheat–Morrison statistic of their own consecutive gap
/// pairs shrunk toward the population's,
///
///     Mⱼ = τⱼ / (τⱼ + τⱼ₊₁)   (consecutive gaps, in days)
///     V  = (Σⱼ (Mⱼ − ½)² + m · V_pop) / (n + m),    k = (1 − 4V) / (8V), clamped to 1 … 12
///
/// with n the customer's gap pairs, V_pop = ``PurchaseRegularity/meanSquaredDeviation`` of the
/// population (last two gaps of every customer with three or more purchase days) and m =
/// ``priorPairs``. A customer with few gaps gets the population's regularity, one with many
/// their own; a population close to memoryless (CDNOW: k̂ ≈ 1) gives every customer k ≈ 1, so
/// timing counts only where customers do buy regularly. Clumpy buyers (V above 1/12, k < 1)
/// are treated as memoryless.
///
/// - Source: gamma (Erlang-k) inter-purchase times with k measuring regularity and the
///   conditional probability of the next purchase given the time since the last, as in the
///   BG/CNBD-k and MBG/CNBD-k models of [PR2016] (Platzer & Reutterer 2016), which show that
///   timing predicts the next purchase where customers buy regularly and adds nothing where
///   they do not; the regularity statistic of [WM1990]; the survival function as [DLMF] 8.2.4.
///   The per-customer shrinkage with m = 4 pairs, the clamp to 1 … 12 (the CNBD-k range) and
///   the product with the replayed rate are product decisions of clvkit, chosen by the
///   targeting backtest (guides/segments-and-targeting.md, "Which replenishment rule").
public struct RegularityTiming: Sendable, Equatable {
  /// V_pop, the population's mean squared deviation of M from ½; 1/12 (memoryless) when the
  /// log has no customer with two gaps.
  public var populationDeviation: Double
  /// m, the pseudo gap pairs at the population's regularity.
  public var priorPairs: Double

  /// The mean squared deviation of M under memoryless (k = 1) timing: M uniform on (0, 1).
  public static let memorylessDeviation = 1.0 / 12
  public static let defaultPriorPairs = 4.0
  /// The regularities k may take (those of the CNBD-k models).
  public static let regularities: ClosedRange<Double> = 1...12

  public init(populationDeviation: Double, priorPairs: Double = defaultPriorPairs) {
    self.populationDeviation = populationDeviation
    self.priorPairs = priorPairs
  }

  /// The population's regularity at `asOf` from the purchases on or before it.
  public init(log: PurchaseLog, asOf: Day, priorPairs: Double = defaultPriorPairs) {
    var pairs: [(previous: Int32, last: Int32)] = []
    for purchases in log.customers.values {
      let n = purchases.count(through: asOf)
      guard n >= 3 else { continue }
      let d = purchases.days
      pairs.append((Int32(d[n - 2] - d[n - 3]), Int32(d[n - 1] - d[n - 2])))
    }
    let deviation = PurchaseRegularity(lastTwoGaps: pairs)?.meanSquaredDeviation
    self.init(
      populationDeviation: deviation ?? Self.memorylessDeviation, priorPairs: priorPairs)
  }

  /// The population's k, `(1 − 4 V_pop) / (8 V_pop)` clamped to 1 … 12.
  public var populationRegularity: Double { Self.regularity(deviation: populationDeviation) }

  /// k from a mean squared deviation V, clamped to 1 … 12.
  static func regularity(deviation v: Double) -> Double {
    guard v > 0 else { return regularities.upperBound }
    let k = (1 - 4 * v) / (8 * v)
    return min(max(k, regularities.lowerBound), regularities.upperBound)
  }

  /// The customer's shrunk regularity k from their purchase days on or before `asOf`.
  public func regularity(of purchases: PurchaseLog.Purchases, asOf: Day) -> Double {
    let n = purchases.count(through: asOf)
    let d = purchases.days
    var sum = 0.0
    var pairs = 0
    if n >= 3 {
      for i in 2..<n {
        let (first, second) = (Double(d[i - 1] - d[i - 2]), Double(d[i] - d[i - 1]))
        let m = first / (first + second)
        sum += (m - 0.5) * (m - 0.5)
        pairs += 1
      }
    }
    let v = (sum + priorPairs * populationDeviation) / (Double(pairs) + priorPairs)
    return Self.regularity(deviation: v)
  }

  /// T = P(next purchase within `windowDays` | silent `silenceDays`) for gamma gaps of shape
  /// `regularity` and mean `cycleDays`; nil for a cycle that is not positive.
  public static func timing(
    silenceDays: Int, windowDays: Int, cycleDays: Double, regularity k: Double
  ) -> Double? {
    guard cycleDays > 0, cycleDays.isFinite, windowDays >= 0 else { return nil }
    let a = Double(max(silenceDays, 0))
    let w = Double(windowDays)
    // S(t) = Q(k, k t / c) = P(χ²(2k) > 2 k t / c).
    func survival(_ t: Double) -> Double {
      ChiSquared.survival(2 * k * t / cycleDays, degreesOfFreedom: 2 * k)
    }
    let before = survival(a)
    // Far beyond the cycle the gamma hazard tends to its rate k / c.
    guard before > 1e-250 else { return -Double.expMinusOne(-w * k / cycleDays) }
    return min(1, max(0, (before - survival(a + w)) / before))
  }

  /// The timed rate min(1, P(s) / E) · T of a customer with replayed rate `rate` (P(s)), or
  /// nil without a cycle.
  public func timedRate(
    rate: Double, history: CustomerFacts.History, purchases: PurchaseLog.Purchases,
    rules: SegmentationRules, windowDays: Int
  ) -> Double? {
    guard let cycle = rules.cycleDays(of: history), cycle > 0,
      let t = Self.timing(
        silenceDays: rules.asOf - history.lastPurchase, windowDays: windowDays,
        cycleDays: cycle, regularity: regularity(of: purchases, asOf: rules.asOf))
    else { return nil }
    let memoryless = -Double.expMinusOne(-Double(windowDays) / cycle)
    guard memoryless > 0 else { return nil }
    return min(1, rate / memoryless) * t
  }
}
