import CLVData

extension SegmentationRules {
  /// The customer's purchase cycle in days: their own mean gap shrunk toward the population's,
  ///
  ///     cycle = (k · c_pop + (last − first)) / (k + x)
  ///           = w · own mean gap + (1 − w) · c_pop,   w = x / (x + k)
  ///
  /// with x repeat purchase days, own mean gap (last − first) / x, k = ``cyclePriorGaps``
  /// pseudo-gaps at the population cycle c_pop = ``populationCycleDays``. A one-time buyer
  /// (x = 0) gets the population cycle; one repeat (x = 1, k = 2) weighs the own gap 1/3; ten
  /// repeats 10/12. Without a population cycle: the own mean gap, nil for a one-time buyer.
  ///
  /// - Source: the credibility-weighted mean, a weighted average of the customer's mean and the
  ///   population's whose weight on the customer's grows with the number of observations, as in
  ///   the Gamma-Gamma conditional expected spend ([FH2013] eq. (5); [FHL2005b]); here for
  ///   gaps between purchases. The prior weight k = 2 and the median as c_pop are product
  ///   decisions of clvkit.
  public func cycleDays(of history: CustomerFacts.History) -> Double? {
    let span = Double(history.lastPurchase - history.firstPurchase)
    guard let population = populationCycleDays else {
      return history.frequency > 0 ? span / Double(history.frequency) : nil
    }
    return (cyclePriorGaps * population + span) / (cyclePriorGaps + Double(history.frequency))
  }

  /// Days since the last purchase in the customer's own cycles, `(asOf − last) / cycle`; nil
  /// without a cycle, or when the cycle is 0 days (every purchase on one day: no cycle known).
  public func cyclesSinceLastPurchase(of history: CustomerFacts.History) -> Double? {
    guard let cycle = cycleDays(of: history), cycle > 0 else { return nil }
    return Double(asOf - history.lastPurchase) / cycle
  }

  /// The silence after which a customer is lapsed, in days since the last purchase:
  ///
  ///     x = 0:  N₁                                   (the first departing threshold)
  ///     x ≥ 1:  max(N₁, lapse-cycles × cycle)        (cycle from ``cycleDays(of:)``)
  ///
  /// A one-time buyer has shown no cycle of their own: the first departing threshold is their
  /// hiatus. A repeat buyer is never lapsed before N₁ (a weekly shopper away for three weeks
  /// is not lost), and not before `lapse-cycles` of their own cycles either (a customer who
  /// buys twice a year is not lost after 100 days).
  ///
  /// - Source: the hiatus heuristic of [WvW2008] (inactive after a fixed time without purchase,
  ///   which they find to classify active customers as well as P(alive) from Pareto/NBD and
  ///   BG/NBD), scaled here to the customer's own purchase cycle; the scaling, the default of 2
  ///   cycles and the floor N₁ are product decisions of clvkit.
  public func lapseDays(of history: CustomerFacts.History) -> Double {
    let floor = Double(departingDays[0])
    guard history.frequency > 0, let cycle = cycleDays(of: history) else { return floor }
    return max(floor, lapseCycles * cycle)
  }

  /// True when the customer has been silent longer than ``lapseDays(of:)``.
  public func isLapsed(_ history: CustomerFacts.History) -> Bool {
    Double(asOf - history.lastPurchase) > lapseDays(of: history)
  }

  /// The activity axis of the segments: activity (P(alive), or 1 − churn probability) at
  /// least the alive threshold, and not lapsed (``isLapsed(_:)``).
  ///
  /// The lapse check keeps model artefacts out of the active segments: under BG/NBD a one-time
  /// buyer has P(alive) = 1 however long ago they bought ([FHL2005a]: dropout happens only
  /// after a purchase), and a model's P(alive) of a repeat buyer silent for many of their own
  /// cycles may still be high when the population's dropout rate is low.
  /// - Throws: ``ScoringError/nonFinite(customerID:quantity:)`` for a non-finite activity.
  public func isActive(_ customer: CustomerFacts, history: CustomerFacts.History) throws -> Bool {
    try activity(of: customer) >= aliveThreshold && !isLapsed(history)
  }

  /// The population cycle: the median of the repeat buyers' own mean gaps
  /// ((last − first) / x, customers with x ≥ 1 and a positive span); nil when there is none.
  ///
  /// - Source: the median, robust to the long gaps of customers who came back after years, is
  ///   a product decision of clvkit.
  public static func medianCycleDays(of customers: [CustomerFacts]) -> Double? {
    customers.withUnsafeBufferPointer { customers in
      medianCycleDays(count: customers.count) { customers[$0].history }
    }
  }

  /// ``medianCycleDays(of:)`` of the histories `history(i)`, i in 0..<count (nil: a prospect).
  static func medianCycleDays(
    count: Int, history: (Int) -> CustomerFacts.History?
  ) -> Double? {
    var gaps: [Double] = []
    for i in 0..<count {
      guard let history = history(i), history.frequency > 0,
        history.lastPurchase > history.firstPurchase
      else { continue }
      gaps.append(Double(history.lastPurchase - history.firstPurchase) / Double(history.frequency))
    }
    return Median.of(&gaps)
  }
}
