import CLVData
import CLVEvaluation
import CLVModels
import CLVScoring
import Testing

/// The targeting backtest (`TargetingBacktest.swift`): group counts on a hand-made log, and the
/// lists against the rest on simulated data whose purchase process is known.
@Suite struct TargetingBacktestCorrectnessTests {
  static let asOf = Day(year: 2024, month: 3, day: 1)!

  /// Days relative to D = 2024-03-01: w1 bought at D−300, −290, −280 and again at D+10; w2 once
  /// at D−400; a1 at D−60, D−30 and D+5; a2 once at D−20.
  static func log() -> PurchaseLog {
    func p(_ days: [Int]) -> PurchaseLog.Purchases {
      .init(days: days.map { asOf + $0 }, amounts: days.map { _ in 10 })
    }
    return PurchaseLog(
      customers: [
        "w1": p([-300, -290, -280, 10]), "w2": p([-400]), "a1": p([-60, -30, 5]),
        "a2": p([-20]),
      ], hasAmounts: true)
  }

  @Test func groupsOnAHandMadeLog() throws {
    let result = try TargetingBacktest.run(Self.log(), asOf: Self.asOf)
    #expect(result.asOf == "2024-03-01")
    // Lapsed at D: w1 (cycle (2·20 + 20) / 4 = 15, silent 280 > max(90, 30)) and w2 (one-time,
    // 400 > 90); w1 came back within 90 days. The default budget keeps both.
    #expect(result.winBack.list == .init(customers: 2, purchasers: 1))
    #expect(result.winBack.otherLapsed == .init(customers: 0, purchasers: 0))
    #expect(result.winBack.otherLapsed.rate == nil)
    #expect(result.winBack.allLapsed.rate == 0.5)
    // Not lapsed: a1 and a2; population cycle = median(10, 30) = 20. a1: cycle (40 + 30) / 3
    // = 23.3, due D−30+23 = D−7, on the list; naive due D−30+30 = D, on it too. a2: cycle 20,
    // due D, on the shrunk list only (the naive rule needs a repeat). a1 bought within 30 days.
    #expect(result.replenishment.list == .init(customers: 2, purchasers: 1))
    #expect(result.replenishment.listRepeatBuyers == .init(customers: 1, purchasers: 1))
    #expect(result.replenishment.naive == .init(customers: 1, purchasers: 1))
    #expect(result.replenishment.allActive == .init(customers: 2, purchasers: 1))
    #expect(result.replenishment.windowDays == 30 && result.winBack.windowDays == 90)
    // Budget 1: one of the two lapsed on the list, the other in the rest; totals kept.
    let one = try TargetingBacktest.run(Self.log(), asOf: Self.asOf, budget: 1)
    #expect(one.winBack.list.customers == 1 && one.winBack.otherLapsed.customers == 1)
    #expect(one.winBack.list.purchasers + one.winBack.otherLapsed.purchasers == 1)
    // Windows are cut to the end of the data; an empty judged period is an error.
    let cut = try TargetingBacktest.run(Self.log(), asOf: Self.asOf, end: Self.asOf + 7)
    #expect(cut.winBack.windowDays == 7 && cut.winBack.list.purchasers == 0)
    #expect(throws: ScoringError.self) {
      try TargetingBacktest.run(Self.log(), asOf: Self.asOf, end: Self.asOf)
    }
  }

  /// BG/NBD customers (r 0.5, α 10 weeks, a 0.8, b 2.5: heterogeneous rates, dropout after
  /// purchases), two years from 2023-01-01, lists built at 2024-09-01. In this process a
  /// lapsed customer comes back only if alive, and more often the higher their rate: the
  /// frequent, recently lapsed customers the reactivation table ranks first. The win-back list
  /// must reactivate more than the other lapsed customers and than a random list.
  @Test func winBackListBeatsTheRestOnSimulatedData() throws {
    let settings = Simulation.Settings(
      customers: 4000, seed: 14, process: BGNBD(r: 0.5, alpha: 10, a: 0.8, b: 2.5),
      spend: GammaGamma(p: 6, q: 4, gamma: 15), start: Day(year: 2023, month: 1, day: 1)!,
      acquisitionDays: 180, days: 730)
    var days: [String: [Day: Double]] = [:]
    Simulation.orders(settings) { customer, day, amount in
      days["c\(customer)", default: [:]][day, default: 0] += amount
    }
    let log = PurchaseLog(
      customers: days.mapValues { byDay in
        let sorted = byDay.keys.sorted()
        return .init(days: sorted, amounts: sorted.map { byDay[$0]! })
      }, hasAmounts: true)
    let result = try TargetingBacktest.run(
      log, asOf: Day(year: 2024, month: 9, day: 1)!, end: settings.observationEnd, budget: 300)
    let winBack = result.winBack
    #expect(winBack.list.customers == 300)
    let list = try #require(winBack.list.rate)
    let rest = try #require(winBack.otherLapsed.rate)
    let all = try #require(winBack.allLapsed.rate)
    #expect(list > 2 * rest, "list \(list), other lapsed \(rest)")
    #expect(list > all, "list \(list), all lapsed \(all)")
    // Purchase timing in this process is memoryless (Poisson while alive): no due date can
    // time a purchase, so the shrunk and the naive rule are not compared here. Both pick
    // customers whose cycle is about as long as their silence, which favours high rates: the
    // list buys more than a random list of active customers.
    let replenishment = try #require(result.replenishment.list.rate)
    let random = try #require(result.replenishment.allActive.rate)
    #expect(replenishment > random, "list \(replenishment), random \(random)")
  }
}
