import CLVData
import CLVEvaluation
import CLVModels
import CLVNumerics
import CLVScoring
import Testing

/// The replenishment ranking chosen from the backtest (guides/segments-and-targeting.md,
/// "Which replenishment rule"): the customers not lapsed ranked by a purchase model's
/// P(at least one purchase in the window | history). On data simulated from a known process,
/// with the true model, at equal list size it must beat the naive mean-gap rule and tie or beat
/// the replayed purchase rate alone; on regular buyers (CNBD-k) the model with their regular
/// timing must tie or beat the memoryless model of the same mean gap.
///
/// Deterministic: a seeded simulation, no BLAS. Tolerance: "tie" allows the ranking 2
/// percentage points below the other (about half the binomial standard error of a list of
/// 400: 0.5 / √400 = 2.5 points), "beat" asks for a strictly higher rate.
@Suite struct ReplenishmentRuleConsistencyTests {
  static let start = Day(year: 2024, month: 1, day: 1)!
  static let tolerance = 0.02

  /// The order log of `settings` and the customers' summaries at `asOf` in weeks.
  static func simulate(_ settings: Simulation.Settings) -> PurchaseLog {
    var days: [Int: [Day]] = [:]
    Simulation.orders(settings) { customer, day, _ in
      if days[customer]?.last != day { days[customer, default: []].append(day) }
    }
    var customers: [String: PurchaseLog.Purchases] = [:]
    for (customer, d) in days {
      customers["c\(customer)"] = .init(days: d, amounts: d.map { _ in 0 })
    }
    return PurchaseLog(customers: customers, hasAmounts: false)
  }

  /// frequency, recency and T (weeks) of every customer with a purchase by `asOf`.
  static func rows(_ log: PurchaseLog, asOf: Day) -> [RFMSummary.Row] {
    log.customers.compactMap { id, purchases in
      guard let history = purchases.history(asOf: asOf) else { return nil }
      return RFMSummary.Row(
        customerID: id, frequency: history.frequency,
        recency: Double(history.lastPurchase - history.firstPurchase) / 7,
        age: Double(asOf - history.firstPurchase) / 7)
    }
  }

  static func equalSize(
    _ log: PurchaseLog, asOf: Day, end: Day, model: any TransactionModel
  ) throws -> (TargetingBacktest.EqualSize, TargetingBacktest.Replenishment) {
    let probabilities = TargetingBacktest.purchaseProbabilities(
      rows: rows(log, asOf: asOf), unit: .week, model: model,
      windowDays: TargetingBacktest.defaultReplenishmentWindowDays)
    let r = try TargetingBacktest.run(
      log, asOf: asOf, end: end, model: (id: "truth", probabilities: probabilities)
    ).replenishment
    return (try #require(r.equalSize), r)
  }

  /// Regular buyers: BG/CNBD-k with k = 4 (gaps Erlang-4, coefficient of variation 0.5),
  /// rate λ ~ gamma(3, 6 weeks) per phase (mean gap 8 weeks), dropout beta(0.8, 6); 4,000
  /// customers acquired over 90 days, 730 days observed; lists at three dates.
  @Test func modelRankingTimesRegularBuyers() throws {
    let truth = BGCNBDk(k: 4, r: 3, alpha: 6, a: 0.8, b: 6)
    // The memoryless model of the same mean gap: one phase of rate λ / 4.
    let memoryless = BGNBD(r: 3, alpha: 24, a: 0.8, b: 6)
    let settings = Simulation.Settings(
      customers: 4000, seed: 14, process: truth, start: Self.start)
    let log = Self.simulate(settings)
    let end = settings.observationEnd
    for asOf in [end - 365, end - 240, end - 120] {
      let (e, r) = try Self.equalSize(log, asOf: asOf, end: end, model: truth)
      let (m, _) = try Self.equalSize(log, asOf: asOf, end: end, model: memoryless)
      let model = try #require(e.modelProbability?.rate)
      let naive = try #require(e.naive.rate)
      let rate = try #require(e.rateAlone.rate)
      let random = try #require(r.allActive.rate)
      let flat = try #require(m.modelProbability?.rate)
      #expect(e.customers >= 200, "\(asOf): N = \(e.customers)")
      #expect(model > naive, "\(asOf): model \(model), naive \(naive)")
      #expect(model >= rate - Self.tolerance, "\(asOf): model \(model), rate alone \(rate)")
      #expect(model > random, "\(asOf): model \(model), random \(random)")
      #expect(
        model >= flat - Self.tolerance, "\(asOf): regular timing \(model), memoryless \(flat)")
    }
  }

  /// Memoryless buyers: BG/NBD, rate λ ~ gamma(3, 24 weeks) (mean gap 8 weeks), dropout
  /// beta(0.8, 6); the due date carries nothing, and the model's ranking must still beat the
  /// naive rule and tie or beat the rate alone.
  @Test func modelRankingOnMemorylessBuyers() throws {
    let truth = BGNBD(r: 3, alpha: 24, a: 0.8, b: 6)
    let settings = Simulation.Settings(
      customers: 4000, seed: 15, process: truth, start: Self.start)
    let log = Self.simulate(settings)
    let end = settings.observationEnd
    for asOf in [end - 365, end - 120] {
      let (e, _) = try Self.equalSize(log, asOf: asOf, end: end, model: truth)
      let model = try #require(e.modelProbability?.rate)
      let naive = try #require(e.naive.rate)
      let rate = try #require(e.rateAlone.rate)
      #expect(model > naive, "\(asOf): model \(model), naive \(naive)")
      #expect(model >= rate - Self.tolerance, "\(asOf): model \(model), rate alone \(rate)")
    }
  }
}
