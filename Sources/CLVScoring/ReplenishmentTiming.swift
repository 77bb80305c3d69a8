import CLVData

/// The replenishment rule that times a reminder by the customer's cycle *and* keeps only the
/// customers likely to buy in the window:
///
///     due        last purchase + round(cycle), cycle = ``SegmentationRules/cycleDays(of:)``
///                (own mean gap shrunk toward the population's)
///     state      s = (cycles since the last purchase, repeat purchase days), bucketed as
///                ``LapsedState``
///     P(s)       the share of the customers in state s at past dates tₖ = as-of − k · window
///                (k = 1 … 4) who bought within (tₖ, tₖ + window]: ``ReactivationTable``
///                replayed with the replenishment window over every customer, shrunk toward the
///                pooled rate; every replayed window ends by the as-of date (no look-ahead)
///     threshold  the mean of P(s) over the customers not lapsed at the as-of date: what a
///                reminder sent to a random active customer is expected to yield
///     listed     not lapsed, due within ±`withinDays` of the as-of date, and P(s) ≥ threshold
///
/// Why both: a due date alone assumes that purchases come when a cycle ends. In a shop whose
/// purchase timing is close to memoryless (Poisson while alive, as the BTYD models assume and
/// as CDNOW is), the time since the last purchase says nothing about the next gap, and a due
/// date only selects, by accident, customers whose cycle is short (the naive own-mean-gap rule
/// does this best, shrinkage toward the population's cycle undoes it). The state's purchase
/// rate measured on the shop's own history carries what does predict a purchase in the
/// window: how often the customer buys and how long they have been silent relative to their
/// cycle; for regular buyers it also carries the timing (the rate peaks at about one cycle).
/// The threshold is a lift ≥ 1 over a random list of active customers.
///
/// - Source: selecting the customers of a mailing by their estimated response probability,
///   from past responses of customers in the same recency/frequency cell, and mailing those
///   above the break-even (here: above the average) is the RFM-cell selection of database
///   marketing ([BKN2008]; [TBF2004] for recency relative to the customer's own history);
///   the cycle-timed due date is the replenishment practice of [BKN2008]. The threshold and
///   reusing the reactivation states and window replay are product decisions of clvkit.
public struct ReplenishmentTiming: Sendable, Equatable {
  /// The cycle and lapse rules at the as-of date (with the population cycle).
  public var rules: SegmentationRules
  /// P(purchase within the window | state), replayed at past dates.
  public var table: ReactivationTable
  /// The mean P(s) over the customers not lapsed at the as-of date.
  public var threshold: Double

  public static let defaultWindowDays = 30

  /// The rule at `rules.asOf` for `log` (orders after the as-of date are never used).
  ///
  /// - Parameters:
  ///   - rules: the as-of date, lapse and cycle rules; the population cycle is computed from
  ///     the log at the as-of date when `rules` has none.
  ///   - windowDays: the purchase window of P(s) (the reminder's window).
  /// - Throws: ``ScoringError/invalidRules(_:)`` for a window or date count below 1.
  public init(
    log: PurchaseLog, rules: SegmentationRules, windowDays: Int = defaultWindowDays,
    dates: Int = ReactivationTable.defaultDates
  ) throws {
    var rules = rules
    // In customer-id order: the threshold (a floating-point mean) must not depend on hashing.
    var histories: [CustomerFacts.History] = []
    for id in log.customers.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      if let history = log.customers[id]?.history(asOf: rules.asOf) { histories.append(history) }
    }
    if rules.populationCycleDays == nil {
      rules.populationCycleDays = SegmentationRules.medianCycleDays(
        of: histories.map { CustomerFacts(customerID: "", history: $0) })
    }
    let table = try ReactivationTable.backtest(
      log, rules: rules, windowDays: windowDays, dates: dates)
    self.rules = rules
    self.table = table
    var sum = 0.0
    var count = 0
    for history in histories where !rules.isLapsed(history) {
      if let p = Self.probability(of: history, rules: rules, table: table) {
        sum += p
        count += 1
      }
    }
    threshold = count > 0 ? sum / Double(count) : table.pooledProbability
  }

  public init(rules: SegmentationRules, table: ReactivationTable, threshold: Double) {
    self.rules = rules
    self.table = table
    self.threshold = threshold
  }

  private static func probability(
    of history: CustomerFacts.History, rules: SegmentationRules, table: ReactivationTable
  ) -> Double? {
    guard let cycles = rules.cyclesSinceLastPurchase(of: history) else { return nil }
    return table.probability(
      of: LapsedState(cyclesSinceLastPurchase: cycles, frequency: history.frequency))
  }

  /// P(purchase within the window | the customer's state); nil without a cycle.
  public func probability(of history: CustomerFacts.History) -> Double? {
    Self.probability(of: history, rules: rules, table: table)
  }

  /// The due date: last purchase + round(cycle); nil without a cycle.
  public func dueDate(of history: CustomerFacts.History) -> Day? {
    guard let cycle = rules.cycleDays(of: history) else { return nil }
    return history.lastPurchase + Int(cycle.rounded(.toNearestOrAwayFromZero))
  }

  /// Not lapsed and due within ±`withinDays` of the as-of date (the timing alone).
  public func isDue(_ history: CustomerFacts.History, withinDays: Int) -> Bool {
    guard !rules.isLapsed(history), let due = dueDate(of: history) else { return false }
    return abs(due - rules.asOf) <= withinDays
  }

  /// Due (``isDue(_:withinDays:)``) and P(s) ≥ ``threshold``.
  public func isListed(_ history: CustomerFacts.History, withinDays: Int) -> Bool {
    guard isDue(history, withinDays: withinDays), let p = probability(of: history) else {
      return false
    }
    return p >= threshold
  }
}

extension ReplenishmentCampaign {
  /// The list of ``list(_:options:)`` restricted to the customers likely to buy: those whose
  /// history in `log` at the as-of date puts them in a state with P(purchase within the
  /// window) ≥ ``ReplenishmentTiming/threshold``; `options.budget` applies after that. Each
  /// reason ends with the customer's P and the threshold.
  public static func list(
    _ records: [ScoreRecord], options: Options, log: PurchaseLog, timing: ReplenishmentTiming
  ) -> [ReplenishmentEntry] {
    var unbounded = options
    unbounded.budget = nil
    var entries: [ReplenishmentEntry] = []
    let window = timing.table.windowDays
    let threshold = NumberText.fixed(timing.threshold, digits: 2)
    for var entry in list(records, options: unbounded) {
      guard let history = log.customers[entry.record.customerID]?.history(asOf: options.asOf),
        let p = timing.probability(of: history), p >= timing.threshold
      else { continue }
      entry.reason +=
        "; P(purchase within \(window) days) \(NumberText.fixed(p, digits: 2)) ≥ \(threshold), "
        + "the active customers' mean"
      entries.append(entry)
    }
    if let budget = options.budget, entries.count > budget { entries.removeSubrange(budget...) }
    return entries
  }
}
