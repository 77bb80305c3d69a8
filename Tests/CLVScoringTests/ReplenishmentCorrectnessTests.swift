import CLVData
import CLVScoring
import Testing

/// The replenishment rule (`ReplenishmentCampaign.swift`) on hand-made score rows; expected
/// dates are hand-computed from the rule (as-of 2024-03-01, window 14, lead 3 by default).
@Suite struct ReplenishmentCorrectnessTests {
  let asOf = Customers.asOf

  func row(
    _ id: String, segment: Segment = .loyal, next: Day?, last: Day? = nil, clv: Double = 1
  ) -> ScoreRecord {
    ScoreRecord(
      customerID: id, line: 2, probabilityAlive: 0.9, clv: clv, segment: segment,
      lifecycleStage: .active, lastPurchase: last ?? asOf - 30, expectedNextPurchase: next)
  }

  @Test func windowAroundAsOf() throws {
    let rows = [
      row("in14", next: asOf + 14), row("out15", next: asOf + 15),
      row("over14", next: asOf - 14), row("over15", next: asOf - 15),
      row("today", next: asOf), row("none", next: nil),
    ]
    let list = ReplenishmentCampaign.list(rows, options: try .init(asOf: asOf))
    #expect(Set(list.map(\.record.customerID)) == ["in14", "over14", "today"])
  }

  @Test func sendDateIsLeadDaysBeforeDueNeverBeforeAsOf() throws {
    let rows = [
      row("far", next: asOf + 10), row("near", next: asOf + 2),
      row("late", next: asOf - 5),
    ]
    let list = ReplenishmentCampaign.list(rows, options: try .init(asOf: asOf))
    // Order by send date: near and late are clamped to as-of (late due earlier), far at +7.
    #expect(list.map(\.record.customerID) == ["late", "near", "far"])
    #expect(list.map(\.sendDate) == [asOf, asOf, asOf + 7])
    #expect(list.map(\.dueDate) == [asOf - 5, asOf + 2, asOf + 10])
    #expect(list.map(\.daysUntilDue) == [-5, 2, 10])
    // Cycle of late: due − last = (as-of − 5) − (as-of − 30) = 25 days; 5 / 25 = 0.2 cycles.
    #expect(list[0].reason.contains("overdue by 5 days (0.20 cycles)"))
    #expect(list[1].reason.contains("send on the as-of date"))
    #expect(
      list[2].reason
        == "expected next purchase = last purchase 2024-01-31 + 40-day cycle, 2024-03-11, "
        + "due in 10 days; send 3 days ahead")
    let noLead = ReplenishmentCampaign.list(rows, options: try .init(asOf: asOf, leadDays: 0))
    #expect(noLead.map(\.sendDate) == [asOf, asOf + 2, asOf + 10])
  }

  @Test func cycleDaysFromLastPurchase() throws {
    let rows = [
      row("a", next: nil, last: asOf - 25),  // due +5
      row("b", next: asOf + 1, last: asOf - 50),  // cycle wins: due −20, outside the window
      row("new", segment: .newBuyer, next: nil, last: asOf - 28),  // due +2
      row("gone", segment: .atRisk, next: nil, last: asOf - 30),  // inactive segment
      row("cheap", segment: .nonTarget, next: nil, last: asOf - 30),
      ScoreRecord(
        customerID: "p", probabilityAlive: nil, clv: nil, segment: .prospect,
        lifecycleStage: nil),
    ]
    let list = ReplenishmentCampaign.list(rows, options: try .init(asOf: asOf, cycleDays: 30))
    #expect(list.map(\.record.customerID) == ["new", "a"])
    #expect(list.map(\.dueDate) == [asOf + 2, asOf + 5])
    #expect(list.map(\.sendDate) == [asOf, asOf + 2])
    #expect(list.allSatisfy { $0.dueSource == .cycle })
    #expect(list[1].reason.hasPrefix("last purchase 2024-02-05 + 30-day cycle 2024-03-06"))
  }

  @Test func tiesAndBudget() throws {
    // Same send and due dates: value descending, then id bytes.
    let rows = [
      row("b", next: asOf + 9, clv: 5), row("a", next: asOf + 9, clv: 5),
      row("c", next: asOf + 9, clv: 7), row("d", next: asOf + 4),
    ]
    let options = try ReplenishmentCampaign.Options(asOf: asOf)
    #expect(
      ReplenishmentCampaign.list(rows, options: options).map(\.record.customerID)
        == ["d", "c", "a", "b"])
    let two = try ReplenishmentCampaign.Options(asOf: asOf, budget: 2)
    #expect(
      ReplenishmentCampaign.list(rows.reversed(), options: two).map(\.record.customerID)
        == ["d", "c"])
  }

  @Test func emptyList() throws {
    #expect(ReplenishmentCampaign.list([], options: try .init(asOf: asOf)).isEmpty)
    let zero = try ReplenishmentCampaign.Options(asOf: asOf, budget: 0)
    #expect(ReplenishmentCampaign.list([row("a", next: asOf)], options: zero).isEmpty)
  }

  @Test func invalidOptions() {
    #expect(throws: ScoringError.self) {
      try ReplenishmentCampaign.Options(asOf: asOf, withinDays: -1)
    }
    #expect(throws: ScoringError.self) {
      try ReplenishmentCampaign.Options(asOf: asOf, cycleDays: 0)
    }
    #expect(throws: ScoringError.self) {
      try ReplenishmentCampaign.Options(asOf: asOf, leadDays: -1)
    }
    #expect(throws: ScoringError.self) { try ReplenishmentCampaign.Options(asOf: asOf, budget: -1) }
  }
}
