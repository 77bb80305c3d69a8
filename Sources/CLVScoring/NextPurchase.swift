import CLVData

extension SegmentationRules {
  /// The day the customer's next purchase is expected; nil when not expected.
  ///
  ///     x ≥ 2:  lastPurchase + round((lastPurchase − firstPurchase) / x)
  ///     else:   asOf + round(E[waiting time])        (the model's expectation, in days)
  ///     nil:    a prospect, activity < alive threshold, or no finite model expectation
  ///
  /// The customer's own mean inter-purchase time needs at least two repeat purchases (three
  /// purchase days) to be a mean of more than one gap; otherwise the model's expected waiting
  /// time from `asOf` is used. Days are rounded to the nearest (halves away from zero). A date
  /// after 9999-12-31 is no date (nil). The date may be before `asOf` (the purchase is overdue).
  ///
  /// - Throws: ``ScoringError/nonFinite(customerID:quantity:)`` for a NaN or negative waiting
  ///   time, or a non-finite activity.
  /// - Source: the customer's own mean inter-purchase time is the classic next-purchase
  ///   heuristic of replenishment marketing ([BKN2008], purchase-timing models); the fallback
  ///   to the model's expected waiting time and the 2-repeat minimum are product decisions.
  public func expectedNextPurchase(of customer: CustomerFacts) throws -> Day? {
    guard let history = customer.history else { return nil }
    try checkDates(of: customer, history)
    guard try activity(of: customer) >= aliveThreshold else { return nil }
    if history.frequency >= 2, let mean = history.meanInterPurchaseDays {
      return history.lastPurchase + Int(mean.rounded(.toNearestOrAwayFromZero))
    }
    guard let waiting = customer.expectedWaitingDays else { return nil }
    guard !waiting.isNaN, waiting >= 0 else {
      throw ScoringError.nonFinite(
        customerID: customer.customerID, quantity: "expected waiting time \(waiting)")
    }
    return SegmentationRules.day(asOf, plus: waiting)
  }

  /// `day + round(days)`, or nil when that is after 9999-12-31 (or `days` is infinite).
  static func day(_ day: Day, plus days: Double) -> Day? {
    let last = Day(year: 9999, month: 12, day: 31)!
    let rounded = days.rounded(.toNearestOrAwayFromZero)
    guard rounded <= Double(last - day) else { return nil }
    return day + Int(rounded)
  }
}
