import CLVData
import CLVModels
import CLVScoring
import Testing

/// The replenishment ranking (`ReplenishmentRanking.swift`) on hand-made customers: who is a
/// candidate, the threshold, the order of the list, and the regular timing of BG/CNBD-k.
@Suite struct ReplenishmentRankingCorrectnessTests {
  static let asOf = Day(year: 2024, month: 3, day: 1)!
  /// CDNOW's BG/NBD ([FHL2005a] Table 1), in weeks.
  static let bgnbd = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)

  static func log(_ customers: [String: [Int]]) -> PurchaseLog {
    PurchaseLog(
      customers: customers.mapValues { days in
        .init(days: days.map { asOf + $0 }, amounts: days.map { _ in 10 })
      }, hasAmounts: true)
  }

  static func record(_ id: String, last: Int) -> ScoreRecord {
    ScoreRecord(
      customerID: id, frequency: nil, probabilityAlive: nil, clv: nil, segment: .loyal,
      lifecycleStage: nil, lastPurchase: asOf + last)
  }

  /// f bought every 14 days up to D−14; s at D−200 and D−100; o once at D−30; l once at D−200.
  /// Population cycle: median of f's 14 and s's 100 = 57; s's cycle (2·57 + 100)/3 = 71.3, lapse
  /// after max(90, 142.7) days: s (100 days) is not lapsed; l (one-time, 200 > 90) is.
  @Test func candidatesThresholdAndOrder() throws {
    let log = Self.log([
      "f": [-70, -56, -42, -28, -14], "s": [-200, -100], "o": [-30], "l": [-200],
    ])
    let ranking = try ReplenishmentRanking(
      log: log, rules: try SegmentationRules(asOf: Self.asOf), model: Self.bgnbd, unit: .week)
    #expect(Set(ranking.probabilities.keys) == ["f", "s", "o"])
    #expect(ranking.model == "bgnbd" && ranking.windowDays == 30)
    // Each P is 1 − P(no purchase in 30/7 weeks) of the history at D in weeks.
    let rows = [
      RFMSummary.Row(customerID: "f", frequency: 4, recency: 56.0 / 7, age: 70.0 / 7),
      RFMSummary.Row(customerID: "s", frequency: 1, recency: 100.0 / 7, age: 200.0 / 7),
      RFMSummary.Row(customerID: "o", frequency: 0, recency: 0, age: 30.0 / 7),
    ]
    var sum = 0.0
    for row in rows {
      let expected = 1 - Self.bgnbd.probabilityOfNoPurchase(in: 30.0 / 7, for: row)
      let p = try #require(ranking.probabilities[row.customerID])
      #expect(abs(p - expected) <= 1e-12 * max(1, expected), "\(row.customerID): \(p)")
      sum += p
    }
    #expect(abs(ranking.threshold - sum / 3) <= 1e-12)
    // The frequent recent buyer is likelier than the threshold, the one-time buyer is not.
    #expect(ranking.isListed("f") && !ranking.isListed("o") && !ranking.isListed("l"))
    // The list: the listed customers of the records, by P descending, each at or above the
    // threshold; due dates from the cycle (no expected_next_purchase in the records): f's
    // cycle (2·57 + 56)/6 = 28.3 → due D−14+28 = D+14, send 3 days ahead.
    let options = try ReplenishmentCampaign.Options(asOf: Self.asOf, budget: 5)
    let records = ["f", "s", "o", "l"].map {
      Self.record($0, last: ["f": -14, "s": -100, "o": -30, "l": -200][$0]!)
    }
    let list = ReplenishmentCampaign.list(records, options: options, ranking: ranking)
    let ids = list.map(\.record.customerID)
    #expect(ids.first == "f")
    #expect(!ids.contains("l") && !ids.contains("o"))
    let p = list.map { ranking.probabilities[$0.record.customerID]! }
    #expect(zip(p, p.dropFirst()).allSatisfy { $0 >= $1 })
    #expect(p.allSatisfy { $0 >= ranking.threshold })
    let f = try #require(list.first)
    #expect(f.dueDate == Self.asOf + 14 && f.sendDate == Self.asOf + 11 && f.daysUntilDue == 14)
    #expect(f.dueSource == .cycle)
    #expect(f.reason.contains("≥") && f.reason.contains("by bgnbd; last purchase + cycle"))
    // A budget keeps the first N.
    var one = options
    one.budget = 0
    #expect(ReplenishmentCampaign.list(records, options: one, ranking: ranking).isEmpty)
  }

  /// Two regular buyers with four gaps of 56 days each, one whose cycle ends now (last
  /// purchase D−56) and one who just bought (D−2): the next 30 days hold the first one's next
  /// purchase, not the second's. Under BG/CNBD-k with k = 8 (gaps with coefficient of
  /// variation 0.35, prior mean gap 8 weeks) the first ranks above the second ([PR2016]: the
  /// Erlang phases completed since the last purchase); under BG/NBD (memoryless) it is the
  /// other way round (the longer silence lowers P(alive)).
  @Test func regularTimingRanksTheDueCustomerFirst() throws {
    let log = Self.log([
      "due": [-280, -224, -168, -112, -56], "fresh": [-226, -170, -114, -58, -2],
    ])
    let rules = try SegmentationRules(asOf: Self.asOf)
    let cnbd = BGCNBDk(k: 8, r: 8, alpha: 8, a: 0.8, b: 6)
    let regular = try ReplenishmentRanking(log: log, rules: rules, model: cnbd, unit: .week)
    let memoryless = try ReplenishmentRanking(
      log: log, rules: rules, model: Self.bgnbd, unit: .week)
    let (due, fresh) = (regular.probabilities["due"]!, regular.probabilities["fresh"]!)
    #expect(due > fresh, "BG/CNBD-k: due \(due), fresh \(fresh)")
    #expect(memoryless.probabilities["due"]! < memoryless.probabilities["fresh"]!)
  }

  @Test func windowBelowOneDayIsAnError() throws {
    #expect(throws: ScoringError.self) {
      try ReplenishmentRanking(
        log: Self.log(["a": [-1]]), rules: try SegmentationRules(asOf: Self.asOf),
        model: Self.bgnbd, unit: .week, windowDays: 0)
    }
  }
}
