import CLVData
import CLVModels

/// The replenishment rule chosen by the targeting backtest: the customers who are not lapsed,
/// ranked by a purchase model's probability of at least one purchase in the window.
///
///     P(i)       = 1 − P(no purchase in the next w days | xᵢ, tₓᵢ, Tᵢ)
///                  (``TransactionModel/probabilityOfNoPurchase(in:for:)``, w in the model's unit;
///                  the history at the as-of date from the order log, in the model's unit)
///     candidates = the customers not lapsed at the as-of date (``SegmentationRules/isLapsed(_:)``)
///     threshold  = the mean of P over the candidates: what a reminder to a random active
///                  customer is expected to yield
///     listed     = candidates with P ≥ threshold, by P descending
///
/// Under BG/NBD or Pareto/NBD P is rate × P(alive): the due date counts for nothing, rightly
/// where purchase timing is memoryless. Under BG/CNBD-k and MBG/CNBD-k P also carries how far
/// the customer is into their Erlang-k cycle: a regular buyer whose cycle ends in the window
/// ranks above one who just bought.
///
/// - Source: the model's conditional probability of no purchase in the next period given the
///   history, as each model defines it (``TransactionModel/probabilityOfNoPurchase(in:for:)``:
///   [FHL2005a] for BG/NBD; [PR2016] section 3 for the regular timing of the CNBD-k models,
///   whose paper shows that timing predicts the next purchase where customers buy regularly);
///   selecting the customers above the average response, a lift of at least 1 over a random
///   mailing ([BKN2008]). The choice of this rule over the due date and the
///   replayed rate is a product decision from the backtest in
///   guides/segments-and-targeting.md ("Which replenishment rule").
public struct ReplenishmentRanking: Sendable, Equatable {
  /// The purchase model's registry id.
  public var model: String
  /// The window w in days.
  public var windowDays: Int
  /// P of every candidate (customer not lapsed at the as-of date), by customer id.
  public var probabilities: [String: Double]
  /// The mean P over the candidates (0 without candidates).
  public var threshold: Double
  /// Each candidate's cycle due date, last purchase + round(``SegmentationRules/cycleDays(of:)``),
  /// by customer id (the due date of a customer whose scores have no expected next purchase).
  public var cycleDueDates: [String: Day]

  public static let defaultWindowDays = 30

  /// Each customer's P(at least one purchase in the next `windowDays` days | history), by
  /// customer id; non-finite values are left out.
  ///
  /// - Parameter rows: frequency, recency and T at the as-of date in `unit` (the model's unit).
  public static func probabilities(
    rows: [RFMSummary.Row], unit: TimeUnit, model: any TransactionModel, windowDays: Int
  ) -> [String: Double] {
    let horizon = Double(windowDays) / unit.days
    var probabilities: [String: Double] = [:]
    probabilities.reserveCapacity(rows.count)
    for row in rows {
      let p = 1 - model.probabilityOfNoPurchase(in: horizon, for: row)
      if p.isFinite { probabilities[row.customerID] = min(1, max(0, p)) }
    }
    return probabilities
  }

  /// The ranking at `rules.asOf` from the purchases in `log` on or before it.
  ///
  /// - Parameters:
  ///   - rules: the as-of date and the lapse rules; the population cycle is computed from the
  ///     log when `rules` has none.
  ///   - unit: the model's time unit.
  /// - Throws: ``ScoringError/invalidRules(_:)`` for a window below 1 day.
  public init(
    log: PurchaseLog, rules: SegmentationRules, model: any TransactionModel, unit: TimeUnit,
    windowDays: Int = defaultWindowDays
  ) throws {
    guard windowDays >= 1 else {
      throw ScoringError.invalidRules("window-days \(windowDays) is below 1")
    }
    var rules = rules
    let asOf = rules.asOf
    // In customer-id order: the threshold (a floating-point mean) must not depend on hashing.
    var histories: [(String, CustomerFacts.History)] = []
    for id in log.customers.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      if let history = log.customers[id]?.history(asOf: asOf) { histories.append((id, history)) }
    }
    if rules.populationCycleDays == nil {
      rules.populationCycleDays = SegmentationRules.medianCycleDays(
        of: histories.map { CustomerFacts(customerID: $0.0, history: $0.1) })
    }
    var rows: [RFMSummary.Row] = []
    var due: [String: Day] = [:]
    for (id, history) in histories where !rules.isLapsed(history) {
      rows.append(
        RFMSummary.Row(
          customerID: id, frequency: history.frequency,
          recency: Double(history.lastPurchase - history.firstPurchase) / unit.days,
          age: Double(asOf - history.firstPurchase) / unit.days))
      if let cycle = rules.cycleDays(of: history),
        let day = SegmentationRules.day(history.lastPurchase, plus: cycle)
      {
        due[id] = day
      }
    }
    let probabilities = Self.probabilities(
      rows: rows, unit: unit, model: model, windowDays: windowDays)
    var sum = 0.0
    for row in rows { sum += probabilities[row.customerID] ?? 0 }
    self.model = type(of: model).modelID
    self.windowDays = windowDays
    self.probabilities = probabilities
    threshold = probabilities.isEmpty ? 0 : sum / Double(probabilities.count)
    cycleDueDates = due
  }

  /// True when the customer is a candidate with P ≥ ``threshold``.
  public func isListed(_ customerID: String) -> Bool {
    guard let p = probabilities[customerID] else { return false }
    return p >= threshold
  }
}

extension ReplenishmentCampaign {
  /// The list of ``ReplenishmentRanking``: the customers of `records` it lists, by P
  /// descending (then send date, `customer_id`); `options.budget` keeps the first N;
  /// `options.withinDays` and `options.cycleDays` do not apply.
  ///
  ///     due date   = expected_next_purchase, else last purchase + cycle (the ranking's)
  ///     send date  = max(due − lead-days, as-of) when that is within the window, else as-of
  ///
  /// The send date is a product decision: the reminder goes out in the window the customer is
  /// likely to buy in, a few days before the due date when the due date is in it.
  public static func list(
    _ records: [ScoreRecord], options: Options, ranking: ReplenishmentRanking
  ) -> [ReplenishmentEntry] {
    var entries: [(p: Double, entry: ReplenishmentEntry)] = []
    let asOf = options.asOf
    let threshold = NumberText.fixed(ranking.threshold, digits: 2)
    for record in records {
      let id = record.customerID
      guard ranking.isListed(id), let p = ranking.probabilities[id] else { continue }
      let source: ReplenishmentEntry.DueSource
      let due: Day
      if let next = record.expectedNextPurchase {
        (due, source) = (next, .expectedNextPurchase)
      } else if let cycle = ranking.cycleDueDates[id] {
        (due, source) = (cycle, .cycle)
      } else {
        continue
      }
      let lead = due - options.leadDays
      let send = lead >= asOf && lead < asOf + ranking.windowDays ? lead : asOf
      let until = due - asOf
      let when =
        until == 0 ? "due today" : until > 0 ? "due in \(until) days" : "overdue by \(-until) days"
      let reason =
        "P(purchase within \(ranking.windowDays) days) \(NumberText.fixed(p, digits: 2)) ≥ "
        + "\(threshold), the active customers' mean, by \(ranking.model); "
        + (source == .cycle ? "last purchase + cycle" : "expected next purchase")
        + " \(due), \(when)"
      entries.append(
        (
          p,
          ReplenishmentEntry(
            record: record, dueDate: due, sendDate: send, daysUntilDue: until,
            dueSource: source, reason: reason)
        ))
    }
    entries.sort { a, b in
      if a.p != b.p { return a.p > b.p }
      if a.entry.sendDate != b.entry.sendDate { return a.entry.sendDate < b.entry.sendDate }
      return a.entry.record.customerID.utf8.lexicographicallyPrecedes(
        b.entry.record.customerID.utf8)
    }
    var list = entries.map(\.entry)
    if let budget = options.budget, list.count > budget { list.removeSubrange(budget...) }
    return list
  }
}
