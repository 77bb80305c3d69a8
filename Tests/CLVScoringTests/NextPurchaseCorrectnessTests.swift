import CLVData
import CLVScoring
import Testing

/// The expected-next-purchase rule, hand-computed from `NextPurchase.swift`.
@Suite struct NextPurchaseCorrectnessTests {
  let rules: SegmentationRules
  let asOf = Customers.asOf
  init() throws { rules = try Customers.rules() }

  @Test func ownMeanInterPurchaseTimeWithTwoRepeatPurchases() throws {
    // First 100 days ago, last 20 days ago, 2 repeats: mean gap 80 / 2 = 40 days,
    // next = last + 40 = as-of + 20.
    let c = Customers.make(
      "a", firstAgo: 100, lastAgo: 20, frequency: 2, pAlive: 0.8, clv: 1,
      waitingDays: 3)
    #expect(try rules.expectedNextPurchase(of: c) == asOf + 20)
  }

  @Test func meanIsRoundedToTheNearestDayHalvesAway() throws {
    // 85 / 2 = 42.5 → 43; last 20 days ago → as-of + 23.  83 / 3 = 27.67 → 28.
    let half = Customers.make("h", firstAgo: 105, lastAgo: 20, frequency: 2, pAlive: 0.8, clv: 1)
    #expect(try rules.expectedNextPurchase(of: half) == asOf + 23)
    let third = Customers.make("t", firstAgo: 103, lastAgo: 20, frequency: 3, pAlive: 0.8, clv: 1)
    #expect(try rules.expectedNextPurchase(of: third) == asOf + 8)
  }

  @Test func overdueDateIsKept() throws {
    // Mean gap 10 days, last purchase 50 days ago: due 40 days ago.
    let c = Customers.make("o", firstAgo: 70, lastAgo: 50, frequency: 2, pAlive: 0.6, clv: 1)
    #expect(try rules.expectedNextPurchase(of: c) == asOf - 40)
  }

  @Test func modelWaitingTimeOnlyWithoutACycle() throws {
    // No population cycle in the rules: a one-time buyer has no cycle, the model's waiting
    // time (12.5 → 13 days from as-of) is used; a repeat buyer uses their own gap (50 days).
    let none = Customers.make(
      "z", firstAgo: 5, lastAgo: 5, frequency: 0, pAlive: 1, clv: 1,
      waitingDays: 12.5)
    #expect(try rules.expectedNextPurchase(of: none) == asOf + 13)
    let one = Customers.make(
      "w", firstAgo: 60, lastAgo: 10, frequency: 1, pAlive: 0.7, clv: 1,
      waitingDays: 12.4)
    #expect(try rules.expectedNextPurchase(of: one) == asOf + 40)
  }

  @Test func regularTimingModelDatesTheNextPurchaseByItsWait() throws {
    // A model with Erlang-k timing (regularTiming): its wait (12.4 → 12 days from as-of) is
    // used although the customer has a cycle (own gap 50 days → as-of + 40); the same facts
    // from a memoryless model keep the cycle.
    var regular = Customers.make(
      "r", firstAgo: 60, lastAgo: 10, frequency: 1, pAlive: 0.7, clv: 1, waitingDays: 12.4)
    #expect(try rules.expectedNextPurchase(of: regular) == asOf + 40)
    regular.waitingFromRegularTiming = true
    #expect(try rules.expectedNextPurchase(of: regular) == asOf + 12)
    regular.expectedWaitingDays = -1
    #expect(throws: ScoringError.self) { try rules.expectedNextPurchase(of: regular) }
  }

  @Test func emptyWithoutACycleOrAModelExpectation() throws {
    let missing = Customers.make("m", firstAgo: 5, lastAgo: 5, frequency: 0, pAlive: 1, clv: 1)
    #expect(try rules.expectedNextPurchase(of: missing) == nil)
    let infinite = Customers.make(
      "i", firstAgo: 5, lastAgo: 5, frequency: 0, pAlive: 1,
      clv: 1, waitingDays: .infinity)
    #expect(try rules.expectedNextPurchase(of: infinite) == nil)
    let huge = Customers.make(
      "u", firstAgo: 5, lastAgo: 5, frequency: 0, pAlive: 1,
      clv: 1, waitingDays: 1e300)
    #expect(try rules.expectedNextPurchase(of: huge) == nil)
  }

  @Test func emptyBelowTheAliveThreshold() throws {
    let c = Customers.make("d", firstAgo: 100, lastAgo: 20, frequency: 2, pAlive: 0.49, clv: 1)
    #expect(try rules.expectedNextPurchase(of: c) == nil)
    let churned = Customers.make(
      "k", firstAgo: 100, lastAgo: 20, frequency: 2, pAlive: 0.9,
      clv: 1, churn: 0.6)
    #expect(try rules.expectedNextPurchase(of: churned) == nil)
    #expect(try rules.expectedNextPurchase(of: .prospect("p")) == nil)
  }

  @Test func meanInterPurchaseDays() throws {
    let c = Customers.make("a", firstAgo: 100, lastAgo: 20, frequency: 4, pAlive: 1, clv: 1)
    #expect(c.history?.meanInterPurchaseDays == 20)  // exact: 80 / 4
    let one = Customers.make("b", firstAgo: 1, lastAgo: 1, frequency: 0, pAlive: 1, clv: 1)
    #expect(one.history?.meanInterPurchaseDays == nil)
  }
}

/// `CustomerFacts(record:…)` carries the ingest record's dates, frequency and gap.
@Suite struct CustomerFactsConsistencyTests {
  @Test func factsFromAnIngestRecord() {
    let first = Day(year: 2024, month: 1, day: 1)!
    let record = CustomerRecord(
      customerID: "42", firstPurchase: first, lastPurchase: first + 40, longestGap: 25,
      calibration: RFMSummary.Row(customerID: "42", frequency: 2, recency: 40 / 7, age: 60 / 7),
      holdout: nil, cohort: "2024-01")
    let facts = CustomerFacts(
      record: record, probabilityAlive: 0.8, expectedPurchases: 1.5, clv: 30,
      expectedWaitingDays: 12)
    #expect(facts.customerID == "42")
    #expect(
      facts.history
        == .init(
          firstPurchase: first, lastPurchase: first + 40, frequency: 2,
          longestGapDays: 25))
    #expect(facts.probabilityAlive == 0.8 && facts.clv == 30 && facts.churnProbability == nil)
    #expect(facts.expectedWaitingDays == 12)
  }
}

extension CustomerFactsConsistencyTests {
  @Test func historyFromASummaryRow() {
    let asOf = Day(year: 1997, month: 9, day: 30)!
    // CDNOW-like row in weeks: T = 38.86 (272.02 days → 272), tₓ = 30.43 (213.01 → 213).
    let row = RFMSummary.Row(customerID: "1", frequency: 2, recency: 30.43, age: 38.86)
    let history = CustomerFacts.History(summaryRow: row, asOf: asOf, unit: .week)
    #expect(history.firstPurchase == asOf - 272)
    #expect(history.lastPurchase == asOf - 272 + 213)
    #expect(history.frequency == 2 && history.longestGapDays == 0)
  }
}
