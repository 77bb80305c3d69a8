import CLVData
import CLVScoring
import TestSupport
import Testing

/// The win-back rule (`WinBackCampaign.swift`) on hand-made score rows, logs and rates; every expected value is
/// hand-computed from the rule.
@Suite struct WinBackCorrectnessTests {
  static func row(
    _ id: String, segment: Segment, stage: LifecycleStage?, pAlive: Double?, clv: Double?,
    churn: Double? = nil, expected: Double? = nil, last: Day? = Customers.asOf - 100
  ) -> ScoreRecord {
    ScoreRecord(
      customerID: id, line: 2, probabilityAlive: pAlive, expectedPurchases: expected, clv: clv,
      churnProbability: churn, segment: segment, lifecycleStage: stage, lastPurchase: last)
  }

  /// A hand-made log at as-of A = 2024-03-01: r bought A−200 (100) and A−150 (50); q A−300,
  /// A−290, A−280 (10 each); o once, A−400 (40); l and act recently. Own gaps of the repeat
  /// buyers r 50, q 10, l 10, act 5: population cycle = median 10 (of 5, 10, 10, 50).
  static func log(amounts: Bool = true) -> PurchaseLog {
    let a = Customers.asOf
    func p(_ days: [Int], _ amounts: [Double]) -> PurchaseLog.Purchases {
      .init(days: days.map { a - $0 }, amounts: amounts)
    }
    let customers: [String: PurchaseLog.Purchases] = [
      "r": p([200, 150], [100, 50]), "q": p([300, 290, 280], [10, 10, 10]),
      "o": p([400], [40]), "l": p([30, 20], [5, 5]), "act": p([110, 105], [5, 5]),
    ]
    return PurchaseLog(
      customers: amounts
        ? customers
        : customers.mapValues { .init(days: $0.days, amounts: $0.amounts.map { _ in 0 }) },
      hasAmounts: amounts)
  }

  /// Cells with pooled rate 20 / 200 = 0.1 and 30 / 20 = 1.5 purchase days.
  static let table = ReactivationTable(
    windowDays: 90, dates: [Customers.asOf - 90],
    cells: [
      LapsedState(cyclesBucket: 4, frequencyBucket: 1): .init(
        customers: 80, reactivated: 20, purchaseDays: 30),
      LapsedState(cyclesBucket: 4, frequencyBucket: 0): .init(
        customers: 120, reactivated: 0, purchaseDays: 0),
    ])

  static let records = [
    row("l", segment: .loyal, stage: .active, pAlive: 0.9, clv: 900),
    row("p", segment: .prospect, stage: nil, pAlive: nil, clv: nil, last: nil),
    row("act", segment: .lowAOVRegular, stage: .departing(days: 90), pAlive: 0.9, clv: 5),
    row("r", segment: .nonTarget, stage: .departing(days: 90), pAlive: 1e-17, clv: 1e-13),
    row("q", segment: .atRisk, stage: .departing(days: 180), pAlive: 0.2, clv: 50),
    row("o", segment: .nonTarget, stage: .departing(days: 360), pAlive: 1, clv: 3),
  ]

  @Test func rankedByExpectedRecoverableValue() throws {
    let rules = try Customers.rules()
    let list = try WinBackCampaign.list(
      Self.records, log: Self.log(), table: Self.table, rules: rules)
    // Active segments and prospects are not eligible.
    #expect(list.map(\.record.customerID) == ["r", "q", "o"])
    #expect(list.map(\.rank) == [1, 2, 3])
    #expect(list.map(\.offerTier) == [.small, .medium, .large])
    // Cycles (population 10): r (2·10 + 50) / 3 = 23.33, silent 150 → 6.43 cycles → bucket
    // 3 (4–8), x 1; q (20 + 20) / 4 = 10, 280 → 28 cycles → bucket 4, x 2–3; o 10, 400 → 40
    // cycles → bucket 4, x 0.
    let source = "hand-computed from WinBackCampaign and ReactivationTable"
    assertClose(list[0].cycleDays, 70.0 / 3, relative: 1e-15, source: source)
    assertClose(list[1].cyclesSinceLastPurchase, 28, relative: 1e-15, source: source)
    #expect(list.map(\.state.cyclesBucket) == [3, 4, 4])
    #expect(list.map(\.state.frequencyBucket) == [1, 2, 0])
    // P: r and q unseen states → pooled 0.1; o (0 + 20 · 0.1) / (120 + 20) = 1 / 70.
    // Purchase days: pooled 1.5 (unseen), o (0 + 20 · 1.5) / (0 + 20) = 1.5.
    // Spend per day: population (r 150, q 30, o 40, l 10, act 10) / 10 days = 24: r (2 · 24 + 150) / 4 = 49.5, q (48 + 30) / 5 = 15.6, o (48 + 40) / 3 = 29.33.
    assertClose(list[0].reactivationProbability, 0.1, relative: 1e-15, source: source)
    assertClose(list[2].reactivationProbability, 1.0 / 70, relative: 1e-15, source: source)
    assertClose(list[0].valueIfReactivated, 1.5 * 49.5, relative: 1e-14, source: source)
    assertClose(list[1].valueIfReactivated, 1.5 * 15.6, relative: 1e-14, source: source)
    assertClose(list[2].valueIfReactivated, 1.5 * 88 / 3, relative: 1e-14, source: source)
    assertClose(list[0].expectedValue, 0.1 * 1.5 * 49.5, relative: 1e-14, source: source)
    assertClose(list[2].expectedValue, 1.5 * 88 / 3 / 70, relative: 1e-14, source: source)
    // The vanishing P(alive) and CLV of r play no part; every number is finite.
    #expect(list.allSatisfy { $0.expectedValue.isFinite && $0.valueIfReactivated.isFinite })
    #expect(list[0].reason.contains("0 of 0 such customers bought again within 90 days"))
    #expect(list[2].reason.contains("0 of 120 such customers"))
    #expect(list[1].reason.contains("at-risk"))
    #expect(list[0].reason.contains("purchases x 49.50 per purchase"))
  }

  @Test func budgetAndMinimumBoundTheList() throws {
    let rules = try Customers.rules()
    func ids(budget: Int?, minimum: Double = 0) throws -> [String] {
      try WinBackCampaign.list(
        Self.records, log: Self.log(), table: Self.table, rules: rules, budget: budget,
        minimumExpectedValue: minimum
      ).map(\.record.customerID)
    }
    #expect(try ids(budget: 2) == ["r", "q"])
    #expect(try ids(budget: 0).isEmpty)
    // o's expected value is 0.63, q's 2.34.
    #expect(try ids(budget: nil, minimum: 1) == ["r", "q"])
    #expect(WinBackCampaign.defaultBudget == 500)
    #expect(throws: ScoringError.self) { try ids(budget: -1) }
    #expect(throws: ScoringError.self) { try ids(budget: nil, minimum: .nan) }
  }

  @Test func purchasesWithoutAmounts() throws {
    let list = try WinBackCampaign.list(
      Self.records, log: Self.log(amounts: false), table: Self.table,
      rules: try Customers.rules())
    // Value = purchase days in the window: 1.5 each; expected 0.15, 0.15, 1.5 / 70; ties by id.
    #expect(list.map(\.record.customerID) == ["q", "r", "o"])
    #expect(list.allSatisfy { $0.valueIfReactivated == 1.5 })
    #expect(!list[0].reason.contains("per purchase"))
  }

  @Test func eligibleCustomerMissingFromTheLogIsAnError() throws {
    let rows = [
      Self.row("ghost", segment: .nonTarget, stage: .departing(days: 90), pAlive: 0.1, clv: 1)
    ]
    #expect(throws: DataError.self) {
      try WinBackCampaign.list(
        rows, log: Self.log(), table: Self.table, rules: try Customers.rules())
    }
  }

  @Test func tiersFollowCustomDepartingDays() throws {
    let rows = [
      Self.row("r", segment: .nonTarget, stage: .departing(days: 120), pAlive: 0.5, clv: 3),
      Self.row("q", segment: .nonTarget, stage: .departing(days: 240), pAlive: 0.5, clv: 2),
    ]
    let list = try WinBackCampaign.list(
      rows, log: Self.log(), table: Self.table, rules: try Customers.rules(),
      departingDays: [30, 60, 120, 240])
    #expect(list.map(\.offerTier) == [.large, .large])
    #expect(throws: DataError.self) {
      try WinBackCampaign.list(
        rows, log: Self.log(), table: Self.table, rules: try Customers.rules())
    }
  }

  @Test func restagingToALaterAsOf() throws {
    let asOf = Customers.asOf
    let table = ScoresTable(
      file: "s.csv",
      records: [
        Self.row("a", segment: .loyal, stage: .active, pAlive: 0.9, clv: 1, last: asOf - 80),
        Self.row("b", segment: .loyal, stage: .active, pAlive: 0.9, clv: 1, last: asOf - 10),
      ], asOf: asOf)
    // 20 days later: a has 100 days since the last purchase → departing-90; b has 30 → kept.
    let moved = try WinBackCampaign.restaged(table, asOf: asOf + 20, departingDays: [90, 180])
    #expect(moved.map(\.lifecycleStage) == [.departing(days: 90), .active])
    #expect(throws: ScoringError.self) {
      try WinBackCampaign.restaged(table, asOf: asOf - 1, departingDays: [90])
    }
  }
}
