import CLVData
import CLVModels
import CLVScoring
import Foundation
import TestSupport
import Testing

/// The library's score table (what `clv score` writes): its scores agree with the model's own
/// per-customer predictions, and the file it writes reads back through `ScoresReader` with the
/// same columns and values.
@Suite struct ScoreTableConsistencyTests {
  /// BG/NBD and Gamma-Gamma at the CDNOW estimates of [FHL2005a] and [FH2013] (weeks).
  let bgnbd = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
  let spend = GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)

  func demoSummaries() throws -> CustomerSummaries {
    let path = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
    return try CustomerSummaries.read(
      orders: path, format: OrderLogFormat(),
      period: SummaryPeriod(unit: .week, observationEnd: Day(iso: "2024-12-30")))
  }

  @Test func tableScoresAreTheModelsPredictions() throws {
    let summaries = try demoSummaries()
    let options = ScoringOptions(horizon: 26, discountRate: 0.01, margin: 0.3)
    let table = try ScoreTable(
      summaries: summaries, model: bgnbd, modelUnit: .time(.week), spend: spend, options: options)
    #expect(table.rows.count == summaries.count)
    #expect(table.conversion == nil)
    #expect(table.models == ModelIDs(transaction: "bgnbd", spend: "gamma-gamma"))
    #expect(table.segments?.rowCount == summaries.count)
    for index in stride(from: 0, to: summaries.count, by: 97) {
      let row = summaries.summary.rows[index]
      let alive = bgnbd.probabilityAlive(for: row)
      let expected = bgnbd.expectedPurchases(in: 26, for: row)
      // The batch scorer factors P(alive) out of a per-(x, T) cache: equal up to rounding.
      #expect(abs(table.scores.probabilityAlive[index] - alive) <= 1e-12 * max(1, alive))
      #expect(abs(table.scores.expectedPurchases[index] - expected) <= 1e-9 * max(1, expected))
      let clv = try #require(table.scores.clv[index])
      #expect(clv.isFinite && clv >= 0)
    }
  }

  @Test func modelUnitConvertsTheTimes() throws {
    let summaries = try demoSummaries()
    let table = try ScoreTable(summaries: summaries, model: bgnbd, modelUnit: .time(.day))
    #expect(table.conversion?.from == .week)
    #expect(table.conversion?.to == .day)
    let row = summaries.summary.rows[3]
    #expect(abs(table.rows[3].age - row.age * 7) <= 1e-9 * row.age * 7)
    #expect(table.scores.expectedSpend.allSatisfy { $0 == nil })
  }

  @Test func writtenTableReadsBackWithItsColumns() throws {
    let summaries = try demoSummaries()
    let table = try ScoreTable(
      summaries: summaries, model: bgnbd, modelUnit: .time(.week), spend: spend)
    let path = try Fixtures.temporaryDirectory().appendingPathComponent("scores.csv").path
    let out = try AtomicOutput(path: path)
    try table.write(to: out)
    try out.commit()
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.prefix(while: { $0 != "\n" }) == ScoreColumns.all.joined(separator: ","))
    let read = try ScoresReader.read(path: path)
    #expect(read.records.count == summaries.count)
    #expect(read.asOf == Day(iso: "2024-12-30"))
    for index in stride(from: 0, to: summaries.count, by: 131) {
      let record = read.records[index]
      #expect(record.customerID == table.rows[index].customerID)
      // Written in shortest round-trip form: read back exactly.
      #expect(record.probabilityAlive == table.scores.probabilityAlive[index])
      #expect(record.clv == table.scores.clv[index])
      #expect(record.segment == table.segments?.labels(row: index).segment)
    }
  }

  /// The table's segments (each row's facts built when needed, labels packed) agree with a
  /// `ScoreAugmenter` over every customer's facts built directly: the same rules (population
  /// cycle), value threshold, facts, labels and appended fields on every row, for an order log
  /// (dates from the log) and for its summary without dates (placed back from --as-of).
  @Test func segmentsAgreeWithTheAugmenterOnEveryRow() throws {
    let orders = try demoSummaries()
    let asOf = try #require(orders.observationEnd)
    let undated = CustomerSummaries(
      summary: orders.summary, hasMonetaryValue: true, layout: .summary,
      report: IngestReport(file: "summary.csv"))
    for summaries in [orders, undated] {
      let table = try ScoreTable(
        summaries: summaries, model: bgnbd, modelUnit: .time(.week), spend: spend,
        options: ScoringOptions(horizon: 26, discountRate: 0.01, asOf: asOf))
      let segments = try #require(table.segments)
      let facts = (0..<summaries.count).map { i in
        let row = summaries.summary.rows[i]
        let history =
          summaries.record(at: i).map {
            CustomerFacts.History(
              firstPurchase: $0.firstPurchase, lastPurchase: $0.lastPurchase,
              frequency: $0.calibration.frequency, longestGapDays: $0.longestGap)
          } ?? CustomerFacts.History(summaryRow: row, asOf: asOf, unit: .week)
        return CustomerFacts(
          customerID: row.customerID, history: history,
          probabilityAlive: table.scores.probabilityAlive[i],
          expectedPurchases: table.scores.expectedPurchases[i], clv: table.scores.clv[i],
          expectedWaitingDays: table.scores.expectedWaitingDays[i])
      }
      let augmenter = try ScoreAugmenter(
        customers: facts, rules: SegmentationRules(asOf: asOf), models: table.models)
      #expect(segments.rules == augmenter.rules)
      #expect(segments.valueThreshold == augmenter.valueThreshold)
      var mismatches = 0
      for i in 0..<summaries.count
      where segments.facts(row: i) != facts[i] || segments.labels(row: i) != augmenter.labels[i]
        || segments.fields(row: i) != augmenter.fields(row: i)
      {
        mismatches += 1
        if mismatches <= 3 { Issue.record("row \(i): \(segments.fields(row: i))") }
      }
      #expect(mismatches == 0)
      #expect(Set(augmenter.labels.map(\.segment)).count >= 4)
    }
  }
}
