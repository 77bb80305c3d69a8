import CLVData
import CLVScoring
import Testing

/// The purchase cycle (shrunk toward the population), the lapse rule and the activity axis it
/// gives the segments, on hand-made customers; expected values by hand from `PurchaseCycle.swift`
/// (first departing threshold 90 days, lapse after 2 cycles, 2 pseudo-gaps of prior).
@Suite struct PurchaseCycleCorrectnessTests {
  let asOf = Customers.asOf

  func rules(population: Double?) throws -> SegmentationRules {
    var rules = try Customers.rules(valueThreshold: 100)
    rules.populationCycleDays = population
    return rules
  }

  @Test func cycleIsShrunkTowardThePopulation() throws {
    let rules = try rules(population: 60)
    // One-time buyer: the population's 60 days.
    let once = Customers.make("o", firstAgo: 10, lastAgo: 10, frequency: 0, pAlive: 1, clv: 1)
    #expect(rules.cycleDays(of: once.history!) == 60)
    // One repeat after 30 days: (2·60 + 30) / 3 = 50.
    let one = Customers.make("a", firstAgo: 40, lastAgo: 10, frequency: 1, pAlive: 1, clv: 1)
    #expect(rules.cycleDays(of: one.history!) == 50)
    // Ten repeats over 100 days (own 10): (120 + 100) / 12 = 18.33…, mostly the own cycle.
    let many = Customers.make("b", firstAgo: 110, lastAgo: 10, frequency: 10, pAlive: 1, clv: 1)
    #expect(rules.cycleDays(of: many.history!) == 220.0 / 12)
    // Without a population cycle: the own mean gap; none for a one-time buyer.
    let bare = try self.rules(population: nil)
    #expect(bare.cycleDays(of: many.history!) == 10)
    #expect(bare.cycleDays(of: once.history!) == nil)
  }

  @Test func oneTimeBuyerPastTheFirstDepartingThresholdIsNeverActive() throws {
    // BG/NBD: P(alive) = 1 for every one-time buyer. Silent 90 days: still active (loyal with
    // CLV 500 > 100); silent 91 or 450 days: lapsed, at-risk — whatever the population cycle.
    for population in [nil, 30.0, 400.0] {
      let rules = try rules(population: population)
      func make(_ ago: Int) -> CustomerFacts {
        Customers.make("x\(ago)", firstAgo: ago, lastAgo: ago, frequency: 0, pAlive: 1, clv: 500)
      }
      #expect(try rules.segment(of: make(90), valueThreshold: 100) == .loyal)
      #expect(try rules.segment(of: make(91), valueThreshold: 100) == .atRisk)
      #expect(try rules.segment(of: make(450), valueThreshold: 100) == .atRisk)
      #expect(try rules.lifecycleStage(of: make(91)) == .departing(days: 90))
      #expect(try rules.expectedNextPurchase(of: make(91)) == nil)
    }
  }

  @Test func repeatBuyerIsLapsedAfterTwoOwnCycles() throws {
    let rules = try rules(population: nil)
    // Own cycle 200 days (two repeats over 400 days): lapse after max(90, 400) = 400 days.
    func slow(_ ago: Int) -> CustomerFacts {
      Customers.make("s", firstAgo: 400 + ago, lastAgo: ago, frequency: 2, pAlive: 0.9, clv: 10)
    }
    #expect(rules.lapseDays(of: slow(0).history!) == 400)
    #expect(try rules.segment(of: slow(300), valueThreshold: 100) == .lowAOVRegular)
    #expect(try rules.segment(of: slow(400), valueThreshold: 100) == .lowAOVRegular)
    #expect(try rules.segment(of: slow(401), valueThreshold: 100) == .nonTarget)
    #expect(rules.cyclesSinceLastPurchase(of: slow(300).history!) == 1.5)
    // Own cycle 7 days: never lapsed before the first departing threshold, 90 days.
    func weekly(_ ago: Int) -> CustomerFacts {
      Customers.make("w", firstAgo: 70 + ago, lastAgo: ago, frequency: 10, pAlive: 0.9, clv: 10)
    }
    #expect(rules.lapseDays(of: weekly(0).history!) == 90)
    #expect(try rules.segment(of: weekly(90), valueThreshold: 100) == .lowAOVRegular)
    #expect(try rules.segment(of: weekly(91), valueThreshold: 100) == .nonTarget)
  }

  @Test func lapseCyclesOptionMovesTheCut() throws {
    var rules = try rules(population: nil)
    rules.lapseCycles = 3
    let c = Customers.make("s", firstAgo: 700, lastAgo: 500, frequency: 1, pAlive: 0.9, clv: 500)
    // Own cycle 200: 3 cycles = 600 > 500 days silent, active; with 2 cycles (400) lapsed.
    #expect(try rules.segment(of: c, valueThreshold: 100) == .loyal)
    rules.lapseCycles = 2
    #expect(try rules.segment(of: c, valueThreshold: 100) == .atRisk)
  }

  @Test func oneRepeatCustomersGetTheirOwnShrunkDates() throws {
    let rules = try rules(population: 60)
    // Gap 30 → cycle 50, last 10 days ago → due as-of + 40; gap 90 → cycle 70 → as-of + 60.
    let short = Customers.make(
      "a", firstAgo: 40, lastAgo: 10, frequency: 1, pAlive: 1, clv: 1, waitingDays: 900)
    let long = Customers.make(
      "b", firstAgo: 100, lastAgo: 10, frequency: 1, pAlive: 1, clv: 1, waitingDays: 900)
    #expect(try rules.expectedNextPurchase(of: short) == asOf + 40)
    #expect(try rules.expectedNextPurchase(of: long) == asOf + 60)
  }

  @Test func populationCycleIsTheMedianOwnGap() {
    let customers = [
      Customers.make("a", firstAgo: 100, lastAgo: 0, frequency: 1, pAlive: 1, clv: 1),  // 100
      Customers.make("b", firstAgo: 100, lastAgo: 40, frequency: 2, pAlive: 1, clv: 1),  // 30
      Customers.make("c", firstAgo: 50, lastAgo: 10, frequency: 4, pAlive: 1, clv: 1),  // 10
      Customers.make("d", firstAgo: 9, lastAgo: 9, frequency: 0, pAlive: 1, clv: 1),  // none
      .prospect("p"),
    ]
    #expect(SegmentationRules.medianCycleDays(of: customers) == 30)
    #expect(SegmentationRules.medianCycleDays(of: [customers[3]]) == nil)
  }

  @Test func invalidLapseAndPriorAreRejected() {
    #expect(throws: ScoringError.self) {
      try SegmentationRules(asOf: Customers.asOf, lapseCycles: 0)
    }
    #expect(throws: ScoringError.self) {
      try SegmentationRules(asOf: Customers.asOf, cyclePriorGaps: .infinity)
    }
    #expect(throws: ScoringError.self) {
      try SegmentationRules(asOf: Customers.asOf, populationCycleDays: 0)
    }
  }
}
