import CLVData

extension SegmentationRules {
  /// The day the customer's next purchase is expected; nil when not expected.
  ///
  ///     regular timing: asOf + round(E[waiting time])   (a model whose gaps are Erlang-k,
  ///                                                       ``CustomerFacts/waitingFromRegularTiming``:
  ///                                                       its expectation given the time since
  ///                                                       the last purchase, [PR2016])
  ///     with a cycle:  lastPurchase + round(cycle)      (``cycleDays(of:)``: own mean gap
  ///                                                       shrunk toward the population's)
  ///     else:          asOf + round(E[waiting time])    (the model's expectation, in days)
  ///     nil:           a prospect, not active (``isActive(_:history:)``), or neither a cycle
  ///                    nor a finite model expectation
  ///
  /// A customer with few repeat purchases gets mostly the population's cycle, one with many
  /// mostly their own; a one-time buyer the population's. The model's waiting time is the
  /// fallback only when there is no cycle (a one-time buyer in a file without repeat buyers).
  /// Days are rounded to the nearest (halves away from zero). A date after 9999-12-31 is no
  /// date (nil). The date may be before `asOf` (the purchase is overdue, by less than
  /// `lapse-cycles` − 1 cycles, else the customer is lapsed).
  ///
  /// - Throws: ``ScoringError/nonFinite(customerID:quantity:)`` for a NaN or negative waiting
  ///   time, or a non-finite activity.
  /// - Source: the customer's own inter-purchase time is the classic next-purchase heuristic
  ///   of replenishment marketing ([BKN2008], purchase-timing models); its shrinkage toward the
  ///   population's, see ``cycleDays(of:)``; the fallback to the model's expected waiting time
  ///   is a product decision.
  public func expectedNextPurchase(of customer: CustomerFacts) throws -> Day? {
    guard let history = customer.history else { return nil }
    try checkDates(of: customer, history)
    guard try isActive(customer, history: history) else { return nil }
    if customer.waitingFromRegularTiming, let waiting = customer.expectedWaitingDays {
      guard !waiting.isNaN, waiting >= 0 else {
        throw ScoringError.nonFinite(
          customerID: customer.customerID, quantity: "expected waiting time \(waiting)")
      }
      return SegmentationRules.day(asOf, plus: waiting)
    }
    if let cycle = cycleDays(of: history) {
      return SegmentationRules.day(history.lastPurchase, plus: cycle)
    }
    guard let waiting = customer.expectedWaitingDays else { return nil }
    guard !waiting.isNaN, waiting >= 0 else {
      throw ScoringError.nonFinite(
        customerID: customer.customerID, quantity: "expected waiting time \(waiting)")
    }
    return SegmentationRules.day(asOf, plus: waiting)
  }

  /// 9999-12-31, the last day written as `yyyy-MM-dd`.
  private static let lastDay = Day(year: 9999, month: 12, day: 31)!

  /// `day + round(days)`, or nil when that is after 9999-12-31 (or `days` is infinite).
  static func day(_ day: Day, plus days: Double) -> Day? {
    let last = lastDay
    let rounded = days.rounded(.toNearestOrAwayFromZero)
    guard rounded <= Double(last - day) else { return nil }
    return day + Int(rounded)
  }
}
