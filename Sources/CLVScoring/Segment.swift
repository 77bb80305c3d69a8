import CLVData

/// A marketing segment: who to talk to, and how.
///
/// Two axes split the customers with orders into four quadrants, after two special groups:
///
///     prospect        listed in --customers, no orders
///     new-buyer       one purchase day (x = 0), first purchase ≤ new-window days before as-of
///                      | value > threshold | value ≤ threshold
///     active           | loyal             | low-aov-regular (CLV)
///                      |                   | low-frequency-regular (expected purchases)
///     not active       | at-risk           | non-target
///
/// The value axis is CLV with a spend model, else the expected number of purchases over the
/// horizon; the low-value active quadrant is named after it: `low-aov-regular` with CLV
/// (`low-frequency-regular` without amounts: no spend words where there is no spend). Active
/// means activity ≥ the alive threshold *and* not lapsed (silent no longer than the first
/// departing threshold for a one-time buyer, than `lapse-cycles` own cycles for a repeat
/// buyer; see ``SegmentationRules/isActive(_:history:)``).
///
/// - Source: the value-by-relationship quadrant of [RK2002] (true friends, butterflies,
///   barnacles, strangers), itself a form of the "differentiate customers by value" step of
///   one-to-one marketing [PRD1999]; activity is a P(alive) cutoff, the model-based
///   active/inactive classifier that [WvW2008] compare with the hiatus heuristic (0.5 is the
///   conventional cutoff). The names, the prospect and new-buyer groups, and using the *expected* future
///   value (CLV) rather than past profit are product decisions of clvkit.
///
/// Under BG/NBD a customer without repeat purchases has P(alive) = 1 ([FHL2005a]: dropout
/// happens only after a purchase), so one-time buyers would be active on the P(alive) axis
/// however long ago they bought; the lapse check puts a one-time buyer silent past the first
/// departing threshold (`departing-N`) in `at-risk` or `non-target`, whatever the model.
public enum Segment: String, CaseIterable, Sendable, Codable {
  case prospect
  case newBuyer = "new-buyer"
  case loyal
  case lowAOVRegular = "low-aov-regular"
  case atRisk = "at-risk"
  case nonTarget = "non-target"
  /// The low-value active quadrant when the value is the expected number of purchases (no
  /// spend model): few expected purchases, still active.
  case lowFrequencyRegular = "low-frequency-regular"

  /// True for the active segments (`new-buyer` and the active quadrant).
  public var isActive: Bool {
    switch self {
    case .newBuyer, .loyal, .lowAOVRegular, .lowFrequencyRegular: return true
    case .prospect, .atRisk, .nonTarget: return false
    }
  }

  /// The quadrant of a customer with orders (not new): high value or not, active or not. The
  /// low-value active quadrant is `low-aov-regular` when the value is CLV (`valueIsSpend`),
  /// `low-frequency-regular` when it is the expected number of purchases.
  public static func quadrant(highValue: Bool, active: Bool, valueIsSpend: Bool) -> Segment {
    switch (highValue, active) {
    case (true, true): return .loyal
    case (false, true): return valueIsSpend ? .lowAOVRegular : .lowFrequencyRegular
    case (true, false): return .atRisk
    case (false, false): return .nonTarget
    }
  }
}

extension SegmentationRules {
  /// The segment of a customer, the first rule that applies:
  ///
  /// 1. `prospect`: no orders (``CustomerFacts/history`` is nil).
  /// 2. `new-buyer`: one purchase day (x = 0) and `asOf − firstPurchase ≤ newWindowDays`.
  /// 3. the quadrant of high value (`value > valueThreshold`, strictly) and active
  ///    (`activity ≥ aliveThreshold` and not lapsed, ``isActive(_:history:)``): `loyal`
  ///    (high, active), `low-aov-regular` (low, active; `low-frequency-regular` without a
  ///    spend model), `at-risk` (high, not active), `non-target` (low, not active).
  ///
  /// Value is CLV, or expected purchases when there is no spend model; activity is P(alive), or
  /// 1 − churn probability when a churn model is given (``CustomerFacts/activity``).
  ///
  /// - Parameter valueThreshold: the threshold in force: ``valueThreshold`` when set, else
  ///   ``medianValueThreshold(of:)`` over the whole file.
  /// - Throws: ``ScoringError/nonFinite(customerID:quantity:)`` when a customer with orders has
  ///   no finite value or activity.
  /// - Source: [RK2002] quadrants; [WvW2008] P(alive) cutoff and hiatus; see ``Segment``.
  public func segment(of customer: CustomerFacts, valueThreshold: Double) throws -> Segment {
    guard let history = customer.history else { return .prospect }
    try checkDates(of: customer, history)
    if history.frequency == 0, asOf - history.firstPurchase <= newWindowDays { return .newBuyer }
    let (value, _) = try axes(of: customer)
    return Segment.quadrant(
      highValue: value > valueThreshold, active: try isActive(customer, history: history),
      valueIsSpend: customer.clv != nil)
  }

  /// Checks `firstPurchase ≤ lastPurchase ≤ asOf` and a non-negative frequency and gap.
  func checkDates(of customer: CustomerFacts, _ history: CustomerFacts.History) throws {
    guard history.firstPurchase <= history.lastPurchase else {
      throw ScoringError.inconsistentDates(
        customerID: customer.customerID,
        reason: "last purchase \(history.lastPurchase) is before the first \(history.firstPurchase)"
      )
    }
    guard history.lastPurchase <= asOf else {
      throw ScoringError.inconsistentDates(
        customerID: customer.customerID,
        reason: "last purchase \(history.lastPurchase) is after the as-of date \(asOf)")
    }
    guard history.frequency >= 0, history.longestGapDays >= 0 else {
      throw ScoringError.inconsistentDates(
        customerID: customer.customerID, reason: "negative frequency or gap")
    }
  }

  /// The value and activity of a customer with orders, checked finite.
  func axes(of customer: CustomerFacts) throws -> (value: Double, activity: Double) {
    guard let value = customer.value, value.isFinite else {
      throw ScoringError.nonFinite(customerID: customer.customerID, quantity: "CLV")
    }
    return (value, try activity(of: customer))
  }

  /// The activity of a customer with orders, checked finite.
  func activity(of customer: CustomerFacts) throws -> Double {
    guard let activity = customer.activity, activity.isFinite else {
      let what = customer.churnProbability == nil ? "P(alive)" : "churn probability"
      throw ScoringError.nonFinite(customerID: customer.customerID, quantity: what)
    }
    return activity
  }
}
