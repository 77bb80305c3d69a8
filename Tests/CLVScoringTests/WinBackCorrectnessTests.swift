import CLVData
import CLVScoring
import TestSupport
import Testing

/// The win-back rule (`WinBackCampaign.swift`) on hand-made score rows; every expected value is
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

  @Test func eligibilityRankingAndTiers() throws {
    let rows = [
      Self.row("loyal", segment: .loyal, stage: .active, pAlive: 0.9, clv: 900),
      Self.row("prospect", segment: .prospect, stage: nil, pAlive: nil, clv: nil, last: nil),
      // at-risk, active stage: retained 100 / 0.4 = 250, stake 250 × 0.6 = 150, tier small.
      Self.row("risk", segment: .atRisk, stage: .active, pAlive: 0.4, clv: 100),
      // departing-90: retained 40 / 0.2 = 200, stake 160, small.
      Self.row("d90", segment: .nonTarget, stage: .departing(days: 90), pAlive: 0.2, clv: 40),
      // departing-180: retained 30 / 0.1 = 300, stake 270, medium.
      Self.row("d180", segment: .atRisk, stage: .departing(days: 180), pAlive: 0.1, clv: 30),
      // departing-360 with churn model: retained 50 / 0.5 = 100, stake 100 × 0.9 = 90, large.
      Self.row(
        "d360", segment: .nonTarget, stage: .departing(days: 360), pAlive: 0.5, clv: 50,
        churn: 0.9),
      Self.row("returned", segment: .lowAOVRegular, stage: .returned, pAlive: 0.7, clv: 5),
    ]
    let list = try WinBackCampaign.list(rows)
    #expect(list.map(\.record.customerID) == ["d180", "d90", "risk", "d360"])
    #expect(list.map(\.rank) == [1, 2, 3, 4])
    #expect(list.map(\.offerTier) == [.medium, .small, .small, .large])
    let source = "hand-computed: clv / p_alive × (churn or 1 − p_alive)"
    for (entry, stake) in zip(list, [270.0, 160, 150, 90]) {
      assertClose(entry.valueAtStake, stake, relative: 1e-14, source: source)
    }
    assertClose(list[3].retainedValue, 100, relative: 1e-15, source: source)
    assertClose(list[3].lossProbability, 0.9, absolute: 0, source: "the churn probability")
    #expect(list[0].reason.contains("no purchase for more than 180 days"))
    #expect(list[0].reason.contains("at-risk"))
    #expect(list[3].reason.contains("churn probability"))
  }

  @Test func tiesAreBrokenByCustomerID() throws {
    // Same stake (retained 100, loss 0.5 → 50) for all: order by id bytes ("B" < "a" < "b").
    let rows = ["b", "a", "B", "a2"].map {
      Self.row($0, segment: .atRisk, stage: .departing(days: 90), pAlive: 0.5, clv: 50)
    }
    let list = try WinBackCampaign.list(rows)
    #expect(list.map(\.record.customerID) == ["B", "a", "a2", "b"])
    #expect(
      try WinBackCampaign.list(rows.reversed()).map(\.record.customerID)
        == ["B", "a", "a2", "b"])
  }

  @Test func budgetKeepsTheTopN() throws {
    let rows = (1...5).map {
      Self.row(
        "c\($0)", segment: .atRisk, stage: .departing(days: 90), pAlive: 0.5,
        clv: Double($0))
    }
    #expect(try WinBackCampaign.list(rows, budget: 2).map(\.record.customerID) == ["c5", "c4"])
    #expect(try WinBackCampaign.list(rows, budget: 0).isEmpty)
    #expect(try WinBackCampaign.list(rows, budget: 99).count == 5)
    #expect(throws: ScoringError.self) { try WinBackCampaign.list(rows, budget: -1) }
  }

  @Test func emptyLists() throws {
    #expect(try WinBackCampaign.list([]).isEmpty)
    let nobody = [Self.row("l", segment: .loyal, stage: .active, pAlive: 0.9, clv: 1)]
    #expect(try WinBackCampaign.list(nobody).isEmpty)
  }

  @Test func expectedPurchasesWithoutCLVAndZeroPAlive() throws {
    let rows = [
      // no CLV: retained 2 / 0.5 = 4, stake 2.
      Self.row(
        "e", segment: .atRisk, stage: .departing(days: 90), pAlive: 0.5, clv: nil,
        expected: 2),
      // P(alive) = 0: retained = clv = 0, stake 0.
      Self.row("z", segment: .nonTarget, stage: .departing(days: 360), pAlive: 0, clv: 0),
    ]
    let list = try WinBackCampaign.list(rows)
    assertClose(list[0].valueAtStake, 2, relative: 1e-15, source: "hand-computed 2 / 0.5 × 0.5")
    #expect(list[0].reason.contains("expected purchases if retained"))
    #expect(list[1].valueAtStake == 0)
  }

  @Test func tiersFollowCustomDepartingDays() throws {
    let rows = [
      Self.row("a", segment: .nonTarget, stage: .departing(days: 30), pAlive: 0.5, clv: 3),
      Self.row("b", segment: .nonTarget, stage: .departing(days: 60), pAlive: 0.5, clv: 2),
      Self.row("c", segment: .nonTarget, stage: .departing(days: 120), pAlive: 0.5, clv: 1),
      Self.row("d", segment: .nonTarget, stage: .departing(days: 240), pAlive: 0.5, clv: 0.5),
    ]
    let list = try WinBackCampaign.list(rows, departingDays: [30, 60, 120, 240])
    #expect(list.map(\.offerTier) == [.small, .medium, .large, .large])
    #expect(throws: DataError.self) { try WinBackCampaign.list(rows) }  // 30 not in 90,180,360
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
