import CLVData
import CLVModels
import CLVScoring
import Foundation
import TestSupport
import Testing

/// The score table's byte writer (chunks of rows formatted in parallel into pointer-written
/// buffers) writes, line for line, what formatting each field as text writes: every number as
/// Swift's `description` (whole numbers below 10¹⁵ without `.0`), ids quoted by the one quoting
/// writer, the segment fields of ``ScoreSegments/fields(row:)``.
@Suite struct ScoreWriterConsistencyTests {
  let bgnbd = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
  let spend = GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)

  /// The one number format, from `description` (independent of `NumberText`).
  static func text(_ value: Double) -> String {
    if abs(value) < 1e15, value == value.rounded(.towardZero) { return String(Int(value)) }
    return value.description
  }

  static func text(_ value: Double?) -> String { value.map { text($0) } ?? "" }

  /// The file as field-by-field text would write it.
  static func expectedFile(_ table: ScoreTable) -> String {
    var lines = [ScoreColumns.header]
    for (i, row) in table.rows.enumerated() {
      let scores = table.scores
      var fields = [
        ScoreAugmenter.quoted(row.customerID), String(row.frequency), text(row.recency),
        text(row.age), table.hasMonetaryValue ? text(row.monetaryValue) : "",
        text(scores.probabilityAlive[i]), text(scores.expectedPurchases[i]),
        text(scores.probabilityOfNoPurchase[i]), text(scores.expectedSpend[i]),
        text(scores.clv[i]),
      ].joined(separator: ",")
      fields += table.segments?.fields(row: i) ?? ""
      lines.append(fields)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Seeded summaries of `count` customers (several write chunks of 8,192 rows), some ids
  /// needing quotes, days / 7 and other times, amounts with and without cents.
  static func summaries(count: Int, seed: UInt64) -> CustomerSummaries {
    var rng = SeededGenerator(seed: seed)
    let rows = (0..<count).map { i -> RFMSummary.Row in
      let days = Double(rng.next() % 700 + 1)
      let age = i % 5 == 0 ? days / 7 + 0.013 : days / 7
      let frequency = Int(rng.next() % 8)
      let recency = frequency == 0 ? 0 : (age * Double(rng.next() % 1000) / 1000)
      let money = frequency == 0 ? 0 : Double(rng.next() % 30_000) / 100 + 1
      let id = i == 7 ? "a,b" : (i == 9_001 ? "q\"x" : "k\(i)")
      return RFMSummary.Row(
        customerID: id, frequency: frequency, recency: recency, age: age, monetaryValue: money)
    }
    return CustomerSummaries(
      summary: RFMSummary(rows: rows, unit: .week), hasMonetaryValue: true, layout: .summary,
      report: IngestReport(file: "summary.csv"))
  }

  func written(_ table: ScoreTable) throws -> String {
    let path = try Fixtures.temporaryDirectory().appendingPathComponent("scores.csv").path
    let out = try AtomicOutput(path: path)
    try table.write(to: out)
    try out.commit()
    return try String(contentsOfFile: path, encoding: .utf8)
  }

  @Test func manyChunksWithSegmentsAreTheFieldText() throws {
    let summaries = Self.summaries(count: 20_000, seed: 11)
    let table = try ScoreTable(
      summaries: summaries, model: bgnbd, modelUnit: .time(.week), spend: spend,
      options: ScoringOptions(
        horizon: 52, discountRate: 0.01, margin: 0.3, asOf: Day(iso: "2025-06-30")))
    #expect(table.segments != nil)
    let text = try written(table)
    let expected = Self.expectedFile(table)
    let (lines, expectedLines) = (text.split(separator: "\n"), expected.split(separator: "\n"))
    #expect(lines.count == expectedLines.count)
    let first = lines.indices.first { $0 < expectedLines.count && lines[$0] != expectedLines[$0] }
    #expect(first == nil, "line \(first ?? 0): \(first.map { lines[$0] } ?? "")")
    #expect(text == expected)
  }

  @Test func orderLogWithoutSpendIsTheFieldText() throws {
    let path = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
    let summaries = try CustomerSummaries.read(
      orders: path, format: OrderLogFormat(),
      period: SummaryPeriod(unit: .week, observationEnd: Day(iso: "2024-12-30")))
    let table = try ScoreTable(summaries: summaries, model: bgnbd, modelUnit: .time(.week))
    #expect(try written(table) == Self.expectedFile(table))
  }
}
