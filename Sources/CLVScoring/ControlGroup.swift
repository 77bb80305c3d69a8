import CLVData
import CLVNumerics

/// The group of a customer on a campaign list: sent the offer, or held out as control.
public enum CampaignGroup: String, CaseIterable, Sendable, Codable {
  case treatment, control
}

/// A random control group for a ranked list, and what the list can detect.
///
///     strata:      the list's rank deciles: positions ⌊10·i/n⌋ (i = 0 … n−1, rank order)
///     controls:    c = round(f · n) in all; stratum k gets round(f · Nₖ) − round(f · Nₖ₋₁)
///                  (Nₖ the customers in strata 0…k), so every decile holds its share ±1
///     within:      a seeded Fisher–Yates shuffle of the stratum; its first cₖ are control
///
/// Stratifying by rank keeps the two groups alike in expected value (the rank orders the
/// list by it), so a difference in outcomes is the offer's and not the mix's.
///
/// - Source: random hold-out groups and stratified randomization of online experiments,
///   [KTX2020] ch. 2 and ch. 18; the shuffle [K1997] §3.4.2 Algorithm P. Deciles and the
///   rounding rule are product decisions.
public struct ControlGroup: Sendable, Equatable {
  /// The share of the list held out, 0 < fraction < 1.
  public var fraction: Double
  /// The seed of the shuffle (the same seed and list give the same groups).
  public var seed: UInt64
  /// Rank strata (10: deciles).
  public static let strata = 10

  /// A control share written as a percentage, "10%" or "10", as a fraction (0.1); nil unless
  /// strictly between 0 and 100 (`clv target --control`, `clv simulate --control`).
  public static func fraction(percentage text: String) -> Double? {
    let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
    guard let percent = Double(digits), percent > 0, percent < 100 else { return nil }
    return percent / 100
  }

  /// - Throws: ``ScoringError/invalidRules(_:)`` unless 0 < fraction < 1.
  public init(fraction: Double, seed: UInt64) throws {
    guard fraction > 0, fraction < 1 else {
      throw ScoringError.invalidRules(
        "the control share \(fraction) is not between 0 and 1 (exclusive)")
    }
    self.fraction = fraction
    self.seed = seed
  }

  /// The group of each of `count` list positions, in rank order.
  public func groups(count: Int) -> [CampaignGroup] {
    var groups = Array(repeating: CampaignGroup.treatment, count: count)
    var rng = SeededGenerator(seed: seed)
    var start = 0
    var controlsSoFar = 0
    for stratum in 0..<Self.strata {
      // Positions i with ⌊strata · i / count⌋ == stratum.
      var end = start
      while end < count, end * Self.strata / count == stratum { end += 1 }
      let target = Int((fraction * Double(end)).rounded(.toNearestOrAwayFromZero))
      var positions = Array(start..<end)
      for i in stride(from: positions.count - 1, to: 0, by: -1) {
        positions.swapAt(i, Int(rng.next() % UInt64(i + 1)))
      }
      for position in positions.prefix(max(0, target - controlsSoFar)) {
        groups[position] = .control
      }
      controlsSoFar = max(controlsSoFar, target)
      start = end
    }
    return groups
  }

  /// What a list with these groups can detect.
  public struct Design: Sendable, Equatable {
    public var treatment: Int
    public var control: Int
    /// The purchase rate expected without the offer.
    public var baselineRate: Double
    /// The smallest absolute lift in the purchase rate that a two-sided test at α = 0.05
    /// detects with power 0.8 (∞ without customers in a group),
    /// ``TwoGroupComparison/minimumDetectableDifference(baselineRate:treatment:control:alpha:power:)``.
    public var minimumDetectableLift: Double
    /// minimumDetectableLift / baselineRate (∞ at a zero baseline).
    public var relativeMinimumDetectableLift: Double {
      baselineRate > 0 ? minimumDetectableLift / baselineRate : .infinity
    }
    /// True when the list cannot detect less than half the baseline rate again (a relative
    /// lift of 50%), or a group is empty: a product decision, as offers rarely lift a purchase
    /// rate by half.
    public var isTooSmall: Bool {
      !(relativeMinimumDetectableLift <= Self.largestUsefulRelativeLift)
    }
    /// The relative lift above which a list is called too small.
    public static let largestUsefulRelativeLift = 0.5
  }

  /// The design of `groups` for a purchase rate of `baselineRate` without the offer.
  public static func design(of groups: [CampaignGroup], baselineRate: Double) -> Design {
    let control = groups.count(where: { $0 == .control })
    let treatment = groups.count - control
    return Design(
      treatment: treatment, control: control, baselineRate: baselineRate,
      minimumDetectableLift: TwoGroupComparison.minimumDetectableDifference(
        baselineRate: baselineRate, treatment: treatment, control: control))
  }
}
