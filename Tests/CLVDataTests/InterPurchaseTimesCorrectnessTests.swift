import CLVData
import Foundation
import TestSupport
import Testing

/// litt (Σ log of the gaps between purchase days, in the unit) and the Wheat–Morrison
/// statistic of a hand-made log, computed by hand:
///
///     a: 01-01, 01-03, 01-10        gaps 2, 7 days     M = 2/9
///     b: 01-05                       no gap
///     c: 01-04, 01-01, 01-02, 01-05  (out of order) sorted gaps 1, 2, 1   M = 2/3
///
/// V = ((2/9 − ½)² + (2/3 − ½)²)/2 = 17/324, k̂ = (1 − 4V)/(8V) = 256/136.
@Suite struct InterPurchaseTimesCorrectnessTests {
  static func read(unit: TimeUnit, litt: Bool = true, end: Int = 31) throws -> CustomerSummaries {
    let folder = try Fixtures.temporaryDirectory()
    let path = folder.appendingPathComponent("orders.csv")
    try """
    customer_id,date,amount
    a,2024-01-01,1
    c,2024-01-04,1
    a,2024-01-03,1
    b,2024-01-05,1
    c,2024-01-01,1
    c,2024-01-02,1
    a,2024-01-03,4
    a,2024-01-10,1
    c,2024-01-05,1
    """.write(to: path, atomically: true, encoding: .utf8)
    return try CustomerSummaries.read(
      path: path.path, format: OrderLogFormat(),
      period: SummaryPeriod(
        unit: unit, observationEnd: Day(year: 2024, month: 1, day: end),
        interPurchaseTimes: litt))
  }

  @Test func littInDaysAndWeeks() throws {
    let days = try Self.read(unit: .day)
    #expect(days.summary.rows.map(\.customerID) == ["a", "c", "b"])
    let litt = try #require(days.summary.logInterPurchaseTimes)
    assertClose(litt[0], log(2) + log(7), relative: 1e-15, source: "by hand")
    assertClose(litt[1], log(2), relative: 1e-15, source: "by hand")
    #expect(litt[2] == 0)
    let weeks = try #require(try Self.read(unit: .week).summary.logInterPurchaseTimes)
    assertClose(weeks[0], log(2.0 / 7) + log(7.0 / 7), relative: 1e-14, source: "by hand")
    assertClose(weeks[1], 3 * log(1.0 / 7) + log(2.0), relative: 1e-14, source: "by hand")
  }

  @Test func wheatMorrisonStatistic() throws {
    let regularity = try #require(try Self.read(unit: .day).regularity)
    #expect(regularity.customers == 2)
    assertClose(regularity.meanSquaredDeviation, 17.0 / 324, relative: 1e-14, source: "by hand")
    assertClose(regularity.regularity ?? .nan, 256.0 / 136, relative: 1e-14, source: "by hand")
  }

  @Test func offByDefault() throws {
    let plain = try Self.read(unit: .day, litt: false)
    #expect(plain.summary.logInterPurchaseTimes == nil)
    #expect(plain.regularity == nil)
  }

  /// The summary CSV writes `litt` and reads it back to the same doubles.
  @Test func summaryCSVRoundTrip() throws {
    let summaries = try Self.read(unit: .week)
    let folder = try Fixtures.temporaryDirectory()
    let path = folder.appendingPathComponent("summary.csv").path
    let out = try AtomicOutput(path: path)
    try SummaryCSVWriter.write(summaries, to: out)
    try out.commit()
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.hasPrefix("customer_id,frequency,recency,T,monetary_value,litt\n"))
    let back = try SummaryCSVReader.read(path: path, unit: .week)
    #expect(back.summary.logInterPurchaseTimes == summaries.summary.logInterPurchaseTimes)
  }
}
