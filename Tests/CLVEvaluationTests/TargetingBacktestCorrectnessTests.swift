import CLVData
import CLVEvaluation
import CLVModels
import CLVScoring
import TestSupport
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
    // Both are in states the replays at D−30 … D−120 never saw, so both have the pooled rate
    // 1/10 (a1 bought within 30 days of D−60), which is also the threshold (the mean over a1
    // and a2): the list is the due-date list (ReplenishmentTimingCorrectnessTests checks this
    // by hand).
    #expect(result.replenishment.timingOnly == .init(customers: 2, purchasers: 1))
    #expect(result.replenishment.threshold == 0.1)
    #expect(result.replenishment.list == .init(customers: 2, purchasers: 1))
    #expect(result.replenishment.listRepeatBuyers == .init(customers: 1, purchasers: 1))
    #expect(result.replenishment.naive == .init(customers: 1, purchasers: 1))
    #expect(result.replenishment.allActive == .init(customers: 2, purchasers: 1))
    #expect(result.replenishment.windowDays == 30 && result.winBack.windowDays == 90)
    // At equal size N = min(2, 1) = 1: the list's top is a2 (a1's rate, due date closer to D:
    // 0 days against 7), who did not buy; the naive rule's is a1, who did. A random list of
    // one active customer: rate 1/2, 95% margin 1.96 · √(1/2 · 1/2 / 1).
    let equal = try #require(result.replenishment.equalSize)
    #expect(equal.customers == 1)
    #expect(equal.list == .init(customers: 1, purchasers: 0))
    #expect(equal.naive == .init(customers: 1, purchasers: 1))
    #expect(equal.rateAlone.customers == 1)
    #expect(abs((equal.randomMargin ?? 0) - 1.959_963_984_540_054 * 0.5) < 1e-12)
    // Without a model the model's ranking is left out; with one, its top 1 is the customer
    // with the larger P: a1 (bought) when a1's P is larger, a2 (did not) when a2's is.
    #expect(equal.modelProbability == nil && equal.model == nil)
    for (probabilities, bought) in [(["a1": 0.9, "a2": 0.2], 1), (["a1": 0.1, "a2": 0.2], 0)] {
      let ranked = try TargetingBacktest.run(
        Self.log(), asOf: Self.asOf, model: (id: "bgnbd", probabilities: probabilities))
      let e = try #require(ranked.replenishment.equalSize)
      #expect(e.modelProbability == .init(customers: 1, purchasers: bought))
      #expect(e.model == "bgnbd")
      // The other rankings do not depend on the model.
      #expect(e.list == equal.list && e.naive == equal.naive && e.rateAlone == equal.rateAlone)
    }
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

  /// Regular buyers whose true cycle is known: gaps gamma(4, μ/4) (coefficient of variation
  /// 0.5) around a customer mean μ ~ gamma with mean 45 days (CV 0.6), leaving after each
  /// purchase with probability 0.08; 3,000 customers acquired over 180 days, 730 days. Here
  /// a purchase does come about one cycle after the last, so the due date times it: the
  /// due-date list must beat a random list of active customers, and the list that adds the
  /// replayed purchase rate must beat the naive mean-gap rule (the rule it replaces).
  @Test func replenishmentTimesRegularBuyers() throws {
    var rng = SeededGenerator(seed: 21)
    let start = Day(year: 2023, month: 1, day: 1)!
    let end = start + 729
    var customers: [String: PurchaseLog.Purchases] = [:]
    for i in 0..<3000 {
      let first = start + Int(rng.next() % 180)
      let mean = rng.gamma(shape: 1 / 0.36, rate: 1 / (45 * 0.36))
      var days = [first]
      var clock = Double(first.daysSinceEpoch)
      while true {
        clock += rng.gamma(shape: 4, rate: 4 / mean)
        guard clock <= Double(end.daysSinceEpoch) else { break }
        let day = max(Day(daysSinceEpoch: Int(clock)), days[days.count - 1] + 1)
        guard day <= end else { break }
        days.append(day)
        if rng.uniform() < 0.08 { break }
      }
      customers["r\(i)"] = .init(days: days, amounts: days.map { _ in 10 })
    }
    let log = PurchaseLog(customers: customers, hasAmounts: true)
    for asOf in [end - 300, end - 100] {
      let r = try TargetingBacktest.run(log, asOf: asOf, end: end).replenishment
      let list = try #require(r.list.rate)
      let due = try #require(r.timingOnly?.rate)
      let naive = try #require(r.naive.rate)
      let random = try #require(r.allActive.rate)
      #expect(due > random, "\(asOf): due date \(due), random \(random)")
      #expect(list > naive, "\(asOf): list \(list), naive \(naive)")
      #expect(r.list.customers >= 100, "\(asOf): \(r.list.customers) customers")
      // At equal size (the naive rule cut to the list's size by its due date closest to D)
      // the list still beats it: the smaller list is not what wins.
      let e = try #require(r.equalSize)
      #expect(e.customers == min(r.list.customers, r.naive.customers))
      let listAtSize = try #require(e.list.rate)
      let naiveAtSize = try #require(e.naive.rate)
      #expect(
        listAtSize > naiveAtSize,
        "\(asOf): at size \(e.customers) list \(listAtSize), naive \(naiveAtSize)")
    }
  }

  /// Each segment's customers and holdout purchases, by hand: s1 (loyal) bought twice for
  /// 30 in (D, E], s2 (loyal) not at all; s3 (at-risk) once for 5; s4 has no orders by D and
  /// is left out.
  @Test func segmentOutcomesCountHoldoutPurchasesAndSpend() {
    let d = Self.asOf
    func p(_ days: [Int], _ amounts: [Double]) -> PurchaseLog.Purchases {
      .init(days: days.map { d + $0 }, amounts: amounts)
    }
    let log = PurchaseLog(
      customers: [
        "s1": p([-10, 3, 40], [1, 10, 20]), "s2": p([-5], [7]),
        "s3": p([-200, 60, 200], [1, 5, 9]),
        "s4": p([10], [3]),
      ], hasAmounts: true)
    let outcomes = TargetingBacktest.segmentOutcomes(
      log, asOf: d, end: d + 90,
      segments: ["s1": .loyal, "s2": .loyal, "s3": .atRisk, "s4": .newBuyer, "s5": .loyal])
    #expect(outcomes.map(\.segment) == ["loyal", "at-risk"])
    #expect(outcomes[0].customers == 2 && outcomes[0].purchasers == 1 && outcomes[0].rate == 0.5)
    #expect(outcomes[0].purchaseDays == 1 && outcomes[0].spend == 15)
    #expect(outcomes[1].customers == 1 && outcomes[1].rate == 1 && outcomes[1].spend == 5)
    // Without amounts there is no spend.
    let noAmounts = PurchaseLog(customers: log.customers, hasAmounts: false)
    #expect(
      TargetingBacktest.segmentOutcomes(noAmounts, asOf: d, end: d + 90, segments: ["s1": .loyal])
        .first?.spend == nil)
  }
}
