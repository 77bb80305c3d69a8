import CLVData
import CLVScoring
import Testing

/// The replenishment rule of `ReplenishmentTiming.swift` (due by the shrunk cycle and likely to
/// buy by the state's replayed purchase rate) on hand-made customers; expected values by hand
/// (population cycle 20 days, 2 pseudo-gaps, lapse after 2 cycles and 90 days, window ±14).
@Suite struct ReplenishmentTimingCorrectnessTests {
  static let asOf = Day(year: 2024, month: 6, day: 1)!

  static func history(firstAgo: Int, lastAgo: Int, frequency: Int) -> CustomerFacts.History {
    CustomerFacts.History(
      firstPurchase: asOf - firstAgo, lastPurchase: asOf - lastAgo, frequency: frequency,
      longestGapDays: firstAgo - lastAgo)
  }

  /// States (1–2 cycles, x 4–7) bought in 60 of 80 replays, (1–2 cycles, x 1) in 4 of 80:
  /// pooled 64 / 160 = 0.4, so P = (60 + 20 · 0.4) / 100 = 0.68 and (4 + 8) / 100 = 0.12.
  static func timing() throws -> ReplenishmentTiming {
    var rules = try SegmentationRules(asOf: asOf)
    rules.populationCycleDays = 20
    let table = ReactivationTable(
      windowDays: 30, dates: [asOf - 30],
      cells: [
        LapsedState(cyclesBucket: 1, frequencyBucket: 3): .init(customers: 80, reactivated: 60),
        LapsedState(cyclesBucket: 1, frequencyBucket: 1): .init(customers: 80, reactivated: 4),
      ])
    return ReplenishmentTiming(rules: rules, table: table, threshold: 0.4)
  }

  @Test func dueAndLikelyIsListedDueAloneIsNot() throws {
    let timing = try Self.timing()
    // x = 4 over 75 days: cycle (2·20 + 75) / 6 = 19.17, due D−25+19 = D−6; 25/19.17 = 1.3
    // cycles, state (1–2, x 4–7): P 0.68 ≥ 0.4, listed.
    let frequent = Self.history(firstAgo: 100, lastAgo: 25, frequency: 4)
    #expect(timing.dueDate(of: frequent) == Self.asOf - 6)
    #expect(timing.probability(of: frequent) == (60 + 20 * 0.4) / 100)
    #expect(timing.isDue(frequent, withinDays: 14) && timing.isListed(frequent, withinDays: 14))
    // x = 1 after 20 days: cycle (40 + 20) / 3 = 20, due D−5, 1.25 cycles, state (1–2, x 1):
    // P 0.12 < 0.4: due, not listed.
    let once = Self.history(firstAgo: 45, lastAgo: 25, frequency: 1)
    #expect(timing.dueDate(of: once) == Self.asOf - 5)
    #expect(timing.probability(of: once) == (4 + 20 * 0.4) / 100)
    #expect(timing.isDue(once, withinDays: 14) && !timing.isListed(once, withinDays: 14))
    // Not yet due: x = 4 over 49 days, bought today: cycle 89 / 6 = 14.83, due D+15.
    let fresh = Self.history(firstAgo: 49, lastAgo: 0, frequency: 4)
    #expect(timing.dueDate(of: fresh) == Self.asOf + 15)
    #expect(!timing.isDue(fresh, withinDays: 14) && !timing.isListed(fresh, withinDays: 14))
    #expect(timing.isDue(fresh, withinDays: 15))
    // Lapsed (silent 100 days > max(90, 2 · 34)): win-back material, never due.
    let lapsed = Self.history(firstAgo: 400, lastAgo: 100, frequency: 8)
    #expect(timing.rules.isLapsed(lapsed))
    #expect(!timing.isDue(lapsed, withinDays: 1000))
  }

  /// The threshold is the mean P(s) over the customers not lapsed at the as-of date, from the
  /// log before it: a2 bought once 20 days ago, a1 at D−60 and D−30, w2 once 400 days ago
  /// (lapsed, left out of the mean). Replays at D−30 … D−120 (window 30): a1 bought within the
  /// window once (at D−60, as a new buyer, state (<1, x 0)), nobody else: pooled 1 / 10. At D,
  /// a1 (1.29 cycles, x 1) and a2 (1 cycle, x 0) are in states never replayed: P = 2 / 20.
  @Test func thresholdIsTheMeanOverTheActiveCustomers() throws {
    let d = Self.asOf
    func p(_ days: [Int]) -> PurchaseLog.Purchases {
      .init(days: days.map { d + $0 }, amounts: days.map { _ in 1 })
    }
    let log = PurchaseLog(
      customers: [
        "w1": p([-300, -290, -280, 10]), "w2": p([-400]), "a1": p([-60, -30, 5]), "a2": p([-20]),
      ], hasAmounts: true)
    let timing = try ReplenishmentTiming(log: log, rules: try SegmentationRules(asOf: d))
    #expect(timing.rules.populationCycleDays == 20)
    #expect(timing.table.total == .init(customers: 10, reactivated: 1, purchaseDays: 1))
    #expect(timing.threshold == 0.1)
    // Orders after the as-of date never enter: the same log cut at D gives the same rule.
    let cut = PurchaseLog(
      customers: log.customers.mapValues { purchases in
        let n = purchases.count(through: d)
        return .init(days: Array(purchases.days[..<n]), amounts: Array(purchases.amounts[..<n]))
      }.filter { !$0.value.days.isEmpty }, hasAmounts: true)
    #expect(try ReplenishmentTiming(log: cut, rules: try SegmentationRules(asOf: d)) == timing)
  }
}
