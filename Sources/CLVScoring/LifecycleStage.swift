import CLVData

/// Where a customer with orders stands in the purchase cycle at the as-of date.
///
/// - `new`: one purchase day (x = 0), not departing.
/// - `active`: bought within the first departing threshold, never away longer than it.
/// - `departing-N`: more than N days since the last purchase, N the largest departing
///   threshold below the days since the last purchase (defaults 90, 180, 360).
/// - `returned`: not departing, and bought again after a gap longer than the first departing
///   threshold.
///
/// - Source: the recency-based lifecycle of the database-marketing literature ([BKN2008],
///   the "R" of RFM and the customer-lifecycle chapters; the hiatus heuristic of [WvW2008],
///   which calls a customer inactive after a fixed number of days without purchase). The
///   90/180/360-day defaults and the `returned` stage are product decisions of clvkit.
public enum LifecycleStage: Hashable, Sendable, CustomStringConvertible {
  case new
  case active
  /// More than `days` days since the last purchase; `days` is one of the departing thresholds.
  case departing(days: Int)
  case returned

  /// `new`, `active`, `departing-N`, `returned`.
  public var description: String {
    switch self {
    case .new: return "new"
    case .active: return "active"
    case .departing(let days): return "departing-\(days)"
    case .returned: return "returned"
    }
  }

  /// Parses ``description``; nil for any other text.
  public init?(_ text: some StringProtocol) {
    switch text {
    case "new": self = .new
    case "active": self = .active
    case "returned": self = .returned
    default:
      guard text.hasPrefix("departing-"), let days = Int(text.dropFirst("departing-".count)),
        days > 0
      else { return nil }
      self = .departing(days: days)
    }
  }
}

extension SegmentationRules {
  /// The lifecycle stage of a customer; nil for a prospect (no orders). The first rule that
  /// applies, with `d = asOf − lastPurchase` in days and thresholds `N₁ < N₂ < …`:
  ///
  /// 1. `departing-Nₖ` when `d > N₁`, with `Nₖ` the largest threshold below `d`;
  /// 2. `new` when the customer bought on one day only (x = 0);
  /// 3. `returned` when the longest gap between consecutive purchase days is `> N₁`;
  /// 4. `active`.
  ///
  /// Departing comes before `new` so that a one-time buyer silent for a year is
  /// `departing-360` (and can be won back), not `new` forever (a product decision).
  ///
  /// - Throws: ``ScoringError/inconsistentDates(customerID:reason:)`` when a purchase is after
  ///   `asOf` or the last purchase before the first.
  /// - Source: see ``LifecycleStage``.
  public func lifecycleStage(of customer: CustomerFacts) throws -> LifecycleStage? {
    guard let history = customer.history else { return nil }
    try checkDates(of: customer, history)
    let daysSinceLast = asOf - history.lastPurchase
    if let threshold = departingDays.last(where: { daysSinceLast > $0 }) {
      return .departing(days: threshold)
    }
    if history.frequency == 0 { return .new }
    if history.longestGapDays > departingDays[0] { return .returned }
    return .active
  }
}
