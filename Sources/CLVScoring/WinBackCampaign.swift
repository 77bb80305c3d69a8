import CLVData

/// The size of a win-back incentive.
public enum OfferTier: String, CaseIterable, Sendable {
  case small, medium, large
}

/// One customer on a win-back list.
public struct WinBackEntry: Sendable, Equatable {
  /// 1 for the highest expected recoverable value.
  public var rank: Int
  public var record: ScoreRecord
  /// The customer's history at the list's as-of date (from the order log).
  public var history: CustomerFacts.History
  /// The purchase cycle in days, ``SegmentationRules/cycleDays(of:)``.
  public var cycleDays: Double
  /// Days since the last purchase over the cycle.
  public var cyclesSinceLastPurchase: Double
  public var state: LapsedState
  /// P(a purchase within the campaign window), from the backtest of the shop's history.
  public var reactivationProbability: Double
  /// Expected value within the window if the customer buys again: purchase days × spend per
  /// purchase day (purchase days alone without amounts).
  public var valueIfReactivated: Double
  /// The spend per purchase day that values the purchase days (1 without amounts):
  /// valueIfReactivated = E[purchase days | state, reactivated] × spendPerPurchaseDay.
  public var spendPerPurchaseDay: Double
  /// reactivationProbability × valueIfReactivated.
  public var expectedValue: Double
  public var offerTier: OfferTier
  /// Why the customer is on the list and where the numbers come from, in words.
  public var reason: String
}

/// The win-back list: lapsed customers, ranked by what a campaign can recover.
///
///     eligible:          not in an active segment (at-risk, non-target) and departing-N or
///                        at-risk, with purchases in the order log
///     expected value   = P(reactivation | state) × value if reactivated
///     P(reactivation)  = the shop's own rate for the customer's lapsed state (cycles since
///                        the last purchase, frequency), ``ReactivationTable``
///     value if react.  = E[purchase days in the window | state, reactivated]
///                        × spend per purchase day (without amounts: the purchase days)
///     spend per day    = (2 · population mean + customer's total) / (2 + customer's days)
///     order:             expected value descending, then customer_id (UTF-8 bytes)
///     list:              the first `budget` (default 500) with expected value ≥ the minimum
///     offer_tier:        departing-N₁ → small, N₂ → medium, N₃ and later → large;
///                        at-risk but not departing → small
///
/// Every factor is bounded (a probability, purchase days within a window, an average amount):
/// no ratio of vanishing model outputs (a CLV over a P(alive) of 1e-17) can rank a customer.
/// The value is what the window can bring back, which a backtest can check; the longer-term
/// value of a won-back customer is left out on purpose (it would come from the same model that
/// called them gone).
///
/// - Source: recapture of lapsed customers and its dependence on the time since the last
///   purchase and past purchasing, [TBF2004]; expected response × value per contact as the
///   targeting score of direct marketing ([BKN2008], the expected-profit selection rule);
///   the spend shrinkage as for the cycle ([FH2013] eq. (5)). Offer escalation with the lapse
///   time (90 → small, 180 → medium, 360 → large) is the lifecycle-playbook rule of the issue,
///   [GL2001]; the default budget of 500, the tiers and the tie-break are product decisions.
public enum WinBackCampaign {
  /// The default list length.
  public static let defaultBudget = 500
  /// Pseudo purchase days at the population's mean spend, see ``WinBackCampaign``.
  public static let spendPriorDays = 2.0

  /// The list for `records`, with histories from `log` and rates from `table`.
  ///
  /// - Parameters:
  ///   - rules: the as-of date of the list and the cycle rule (its population cycle, when nil,
  ///     is the median own gap of `log` at the as-of date).
  ///   - departingDays: the departing thresholds the scores were made with (ascending), which
  ///     name the offer tiers.
  ///   - budget: keep the first `budget` customers; nil for all.
  ///   - minimumExpectedValue: keep customers whose expected value is at least this.
  ///   - file: the scores file's name, for errors.
  /// - Throws: ``DataError/invalidField(file:line:column:value:expected:)`` for a departing
  ///   stage whose days are not among `departingDays`, or an eligible customer without
  ///   purchases in the log by the as-of date; ``ScoringError/invalidRules(_:)`` for a negative
  ///   budget or a non-finite minimum.
  public static func list(
    _ records: [ScoreRecord], log: PurchaseLog, table: ReactivationTable,
    rules: SegmentationRules, departingDays: [Int] = SegmentationRules.defaultDepartingDays,
    budget: Int? = defaultBudget, minimumExpectedValue: Double = 0, file: String = "<scores>"
  ) throws -> [WinBackEntry] {
    if let budget, budget < 0 {
      throw ScoringError.invalidRules("budget \(budget) is negative")
    }
    guard minimumExpectedValue.isFinite else {
      throw ScoringError.invalidRules(
        "minimum expected value \(minimumExpectedValue) is not finite")
    }
    var rules = rules
    var histories: [String: CustomerFacts.History] = [:]
    var totalSpend = 0.0
    var totalDays = 0
    // In id order, so that the sums (and the list) are the same bytes on every run.
    for id in log.customers.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      let purchases = log.customers[id]!
      guard let history = purchases.history(asOf: rules.asOf) else { continue }
      histories[id] = history
      for amount in purchases.amounts.prefix(history.frequency + 1) { totalSpend += max(amount, 0) }
      totalDays += history.frequency + 1
    }
    if rules.populationCycleDays == nil {
      rules.populationCycleDays = SegmentationRules.medianCycleDays(
        of: histories.values.map { CustomerFacts(customerID: "", history: $0) })
    }
    let populationSpend = totalDays > 0 ? totalSpend / Double(totalDays) : 0
    var entries: [WinBackEntry] = []
    for record in records {
      let departing: Int?
      if case .departing(let days) = record.lifecycleStage {
        departing = days
      } else {
        departing = nil
      }
      guard !record.segment.isActive, record.segment != .prospect,
        record.segment == .atRisk || departing != nil
      else { continue }
      var tier = OfferTier.small
      if let departing {
        guard let index = departingDays.firstIndex(of: departing) else {
          throw DataError.invalidField(
            file: file, line: record.line, column: "lifecycle_stage",
            value: "departing-\(departing)",
            expected: "a stage of the departing days "
              + departingDays.map(String.init).joined(separator: ",")
              + " (set --departing-days as for clv score)")
        }
        tier = OfferTier.allCases[min(index, OfferTier.allCases.count - 1)]
      }
      guard let history = histories[record.customerID],
        let cycle = rules.cycleDays(of: history), cycle > 0,
        let cycles = rules.cyclesSinceLastPurchase(of: history)
      else {
        throw DataError.invalidField(
          file: file, line: record.line, column: "customer_id", value: record.customerID,
          expected: "a customer with purchases in the order log by \(rules.asOf)")
      }
      let state = LapsedState(cyclesSinceLastPurchase: cycles, frequency: history.frequency)
      let probability = table.probability(of: state)
      let days = table.purchaseDaysIfReactivated(of: state)
      var spend: Double? = nil
      if log.hasAmounts, let purchases = log.customers[record.customerID] {
        let own = purchases.amounts.prefix(history.frequency + 1).reduce(0) { $0 + max($1, 0) }
        spend =
          (spendPriorDays * populationSpend + own)
          / (spendPriorDays + Double(history.frequency + 1))
      }
      let value = days * (spend ?? 1)
      let expected = probability * value
      guard expected >= minimumExpectedValue else { continue }
      entries.append(
        WinBackEntry(
          rank: 0, record: record, history: history, cycleDays: cycle,
          cyclesSinceLastPurchase: cycles, state: state, reactivationProbability: probability,
          valueIfReactivated: value, spendPerPurchaseDay: spend ?? 1, expectedValue: expected,
          offerTier: tier,
          reason: reason(
            record, history: history, departing: departing, cycle: cycle, cycles: cycles,
            state: state, table: table, days: days, spend: spend, expected: expected,
            asOf: rules.asOf)))
    }
    entries.sort {
      $0.expectedValue != $1.expectedValue
        ? $0.expectedValue > $1.expectedValue
        : $0.record.customerID.utf8.lexicographicallyPrecedes($1.record.customerID.utf8)
    }
    if let budget, entries.count > budget { entries.removeSubrange(budget...) }
    for index in entries.indices { entries[index].rank = index + 1 }
    return entries
  }

  /// The records with their departing stage brought forward to `asOf` (a list built some days
  /// after the scores): a customer with more than N₁ days since the last purchase at `asOf` is
  /// `departing-Nₖ` (Nₖ the largest threshold below those days), as in
  /// ``SegmentationRules/lifecycleStage(of:)``; other stages are kept.
  /// - Throws: ``ScoringError/invalidRules(_:)`` when `asOf` is before the scores' as-of date.
  public static func restaged(
    _ table: ScoresTable, asOf: Day, departingDays: [Int]
  ) throws -> [ScoreRecord] {
    if let scoresAsOf = table.asOf, asOf < scoresAsOf {
      throw ScoringError.invalidRules(
        "as-of \(asOf) is before the as-of date of the scores, \(scoresAsOf)")
    }
    return table.records.map { record in
      guard let last = record.lastPurchase,
        let days = departingDays.last(where: { asOf - last > $0 })
      else { return record }
      var record = record
      record.lifecycleStage = .departing(days: days)
      return record
    }
  }

  private static func reason(
    _ record: ScoreRecord, history: CustomerFacts.History, departing: Int?, cycle: Double,
    cycles: Double, state: LapsedState, table: ReactivationTable, days: Double, spend: Double?,
    expected: Double, asOf: Day
  ) -> String {
    var parts: [String] = []
    if let departing { parts.append("no purchase for more than \(departing) days") }
    if record.segment == .atRisk { parts.append("at-risk (high value, not active)") }
    let cell = table.cells[state] ?? ReactivationTable.Cell()
    parts.append(
      "silent \(asOf - history.lastPurchase) days = \(NumberText.fixed(cycles, digits: 1)) cycles of "
        + "\(NumberText.fixed(cycle, digits: 0)) days, \(history.frequency) repeat purchases "
        + "(\(state)): \(cell.reactivated) of \(cell.customers) such customers bought again "
        + "within \(table.windowDays) days at \(table.dates.count) past dates")
    let value =
      spend.map {
        "\(NumberText.fixed(days, digits: 2)) purchases x \(NumberText.fixed($0, digits: 2)) per purchase"
      } ?? "\(NumberText.fixed(days, digits: 2)) purchases"
    parts.append(
      "expected value \(NumberText.fixed(expected, digits: 2)) = P(reactivation) "
        + "\(NumberText.fixed(table.probability(of: state), digits: 3)) x \(value)")
    return parts.joined(separator: "; ")
  }
}
