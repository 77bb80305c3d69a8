import CLVData
import CLVNumerics

extension ReactivationTable {
  /// `count` draws of the two rates of each of `states` from their posteriors given the
  /// backtest's counts (the pooled rates held at their estimates):
  ///
  ///     P(reactivation | s) ~ Beta(reactivated_s + m · P_all, n_s − reactivated_s + m · (1 − P_all))
  ///     E[purchase days | s, r] ~ Gamma(shape days_s + m · D_all, rate reactivated_s + m)
  ///
  /// The posterior means are exactly ``probability(of:)`` and ``purchaseDaysIfReactivated(of:)``:
  /// the beta prior of a binomial rate and the gamma prior of a Poisson mean (purchase days per
  /// reactivated customer) are conjugate, with m = ``priorWeight`` pseudo-observations at the
  /// pooled rate ([CB2002] §7.2.3, conjugate families). A beta parameter of 0 (a pooled rate of
  /// 0 or 1 and a state that agrees with it) is the point mass at 0 or 1.
  ///
  /// The states are drawn in ascending order from one ``SeededGenerator`` seeded with `seed`,
  /// each state's `count` draws in turn (at each draw the probability, then the purchase days):
  /// the same seed and states give the same draws.
  ///
  /// - Returns: per state, `probability[d]` and `purchaseDays[d]`, d = 0 ..< count.
  public func posteriorDraws(
    of states: Set<LapsedState>, count: Int, seed: UInt64
  ) -> [LapsedState: (probability: [Double], purchaseDays: [Double])] {
    var generator = SeededGenerator(seed: seed)
    let m = Self.priorWeight
    var draws: [LapsedState: (probability: [Double], purchaseDays: [Double])] = [:]
    for state in states.sorted() {
      let cell = cells[state] ?? Cell()
      let a = Double(cell.reactivated) + m * pooledProbability
      let b = Double(cell.customers - cell.reactivated) + m * (1 - pooledProbability)
      let shape = Double(cell.purchaseDays) + m * pooledPurchaseDays
      let rate = Double(cell.reactivated) + m
      var probability = [Double](repeating: 0, count: count)
      var purchaseDays = [Double](repeating: 0, count: count)
      for d in 0..<count {
        probability[d] = a <= 0 ? 0 : b <= 0 ? 1 : generator.beta(a, b)
        purchaseDays[d] = generator.gamma(shape: shape, rate: rate)
      }
      draws[state] = (probability, purchaseDays)
    }
    return draws
  }
}

extension WinBackCampaign {
  /// The value columns of a win-back list that `clv target --intervals` gives an interval, in
  /// order; the list's total is of `expected_value`.
  public static let intervalColumns = ["p_reactivation", "value_if_reactivated", "expected_value"]

  /// Intervals of `entries`' p_reactivation, value_if_reactivated and expected_value, and of
  /// the list's expected value (the sum of expected_value), over `draws` draws of the
  /// reactivation table's rates (``ReactivationTable/posteriorDraws(of:count:seed:)``):
  ///
  ///     at draw d:  p_d(s)    value_d = days_d(s) · spend    expected_d = p_d(s) · value_d
  ///     total_d = Σ over the list of expected_d
  ///
  /// Customers in the same lapsed state share their state's draw, so the total's interval
  /// keeps the states' rates as the uncertain quantities they are (it is narrower than the sum
  /// of the rows' bounds). The interval is of the uncertainty of the estimated rates: the list
  /// (who is on it, in what order) and each customer's spend per purchase day are held at
  /// their estimates, and whether a customer comes back is not drawn.
  ///
  /// - Parameter entries: a list from ``list(_:log:table:rules:departingDays:budget:minimumExpectedValue:file:)``
  ///   built with `table`.
  /// - Throws: ``ScoringError/nonFinite(customerID:quantity:)`` when a value is not finite.
  public static func intervals(
    of entries: [WinBackEntry], table: ReactivationTable, level: Double, draws: Int,
    seed: UInt64
  ) throws -> ListIntervals {
    let rates = table.posteriorDraws(
      of: Set(entries.map(\.state)), count: draws, seed: seed)
    return try ListIntervals(
      level: level, draws: draws, customerIDs: entries.map(\.record.customerID),
      columnNames: intervalColumns, totalColumn: 2,
      total: entries.reduce(0) { $0 + $1.expectedValue }
    ) { row, values in
      let entry = entries[row]
      let (probability, purchaseDays) = rates[entry.state]!
      for d in 0..<draws {
        let value = purchaseDays[d] * entry.spendPerPurchaseDay
        values[0][d] = probability[d]
        values[1][d] = value
        values[2][d] = probability[d] * value
      }
    }
  }
}
