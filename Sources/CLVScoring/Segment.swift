import CLVData

/// A marketing segment: who to talk to, and how.
///
/// Two axes split the customers with orders into four quadrants, after two special groups:
///
///     prospect        listed in --customers, no orders
///     new-buyer       one purchase day (x = 0), first purchase ≤ new-window days before as-of
///                      | value > threshold | value ≤ threshold
///     active           | loyal             | low-aov-regular
///     not active       | at-risk           | non-target
///
/// - Source: the value-by-relationship quadrant of [RK2002] (true friends, butterflies,
///   barnacles, strangers), itself a form of the "differentiate customers by value" step of
///   one-to-one marketing [PRD1999]; activity is a P(alive) cutoff, the model-based
///   active/inactive classifier that [WvW2008] compare with the hiatus heuristic (0.5 is the
///   conventional cutoff). The names, the prospect and new-buyer groups, and using the *expected* future
///   value (CLV) rather than past profit are product decisions of clvkit.
///
/// Under BG/NBD a customer without repeat purchases has P(alive) = 1 ([FHL2005a]: dropout
/// happens only after a purchase), so one-time buyers are active on the P(alive) axis however
/// long ago they bought; their lifecycle stage (`departing-N`) still shows it, and MBG/NBD,
/// Pareto/NBD or a churn model (`--churn-model`) avoid it.
public enum Segment: String, CaseIterable, Sendable, Codable {
  case prospect
  case newBuyer = "new-buyer"
  case loyal
  case lowAOVRegular = "low-aov-regular"
  case atRisk = "at-risk"
  case nonTarget = "non-target"
}

extension SegmentationRules {
  /// The segment of a customer, the first rule that applies:
  ///
  /// 1. `prospect`: no orders (``CustomerFacts/history`` is nil).
  /// 2. `new-buyer`: one purchase day (x = 0) and `asOf − firstPurchase ≤ newWindowDays`.
  /// 3. the quadrant of high value (`value > valueThreshold`, strictly) and active
  ///    (`activity ≥ aliveThreshold`): `loyal` (high, active), `low-aov-regular` (low,
  ///    active), `at-risk` (high, not active), `non-target` (low, not active).
  ///
  /// Value is CLV, or expected purchases when there is no spend model; activity is P(alive), or
  /// 1 − churn probability when a churn model is given (``CustomerFacts/activity``).
  ///
  /// - Parameter valueThreshold: the threshold in force: ``valueThreshold`` when set, else
  ///   ``medianValueThreshold(of:)`` over the whole file.
  /// - Throws: ``ScoringError/nonFinite(customerID:quantity:)`` when a customer with orders has
  ///   no finite value or activity.
  /// - Source: [RK2002] quadrants; [WvW2008] P(alive) cutoff; see ``Segment``.
  public func segment(of customer: CustomerFacts, valueThreshold: Double) throws -> Segment {
    guard let history = customer.history else { return .prospect }
    try checkDates(of: customer, history)
    if history.frequency == 0, asOf - history.firstPurchase <= newWindowDays { return .newBuyer }
    let (value, activity) = try axes(of: customer)
    let high = value > valueThreshold
    let active = activity >= aliveThreshold
    switch (high, active) {
    case (true, true): return .loyal
    case (false, true): return .lowAOVRegular
    case (true, false): return .atRisk
    case (false, false): return .nonTarget
    }
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
