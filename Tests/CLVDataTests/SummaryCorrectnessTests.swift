import CLVData
import TestSupport
import Testing

/// The CDNOW summary of Fader, Hardie & Lee (2005a), reproduced from the raw sample log.
@Suite struct SummaryCorrectnessTests {
  /// `clv summarize CDNOW_sample.txt --no-header --delimiter whitespace --customer-column 2
  /// --date-column 3 --amount-column 5 --date-format yyyyMMdd --observation-end 1997-09-30`.
  static func cdnowSample() throws -> CustomerSummaries {
    let path = try Fixtures.sharedDataset("CDNOW_sample.txt").path
    let format = OrderLogFormat(
      delimiter: .whitespace, hasHeader: false, customerColumn: .number(2), dateColumn: .number(3),
      amountColumn: .number(5), amountColumnRequired: true, dateFormat: .compact)
    return try CustomerSummaries.read(
      path: path, format: format,
      period: SummaryPeriod(unit: .week, observationEnd: Day(year: 1997, month: 9, day: 30)))
  }

  @Test func cdnowSampleReproducesThePublishedSummary() throws {
    let ours = try Self.cdnowSample()
    // cdnow_customers_summary.csv: the lifetimes layout `ID,frequency,recency,T`, read by our
    // own summary reader (ids unpadded there, zero-padded in the log).
    let published = try SummaryCSVReader.read(
      path: Fixtures.sharedDataset("cdnow_customers_summary.csv").path, unit: .week)
    #expect(published.layout == .lifetimes)
    #expect(published.count == 2357)
    #expect(ours.count == 2357)
    let byID = Dictionary(uniqueKeysWithValues: ours.summary.rows.map { (Int($0.customerID)!, $0) })
    var frequencyMismatches = 0
    for expected in published.summary.rows {
      guard let row = byID[Int(expected.customerID)!] else {
        Issue.record("customer \(expected.customerID) missing")
        continue
      }
      if row.frequency != expected.frequency { frequencyMismatches += 1 }
      let source =
        "cdnow_customers_summary.csv (FHL2005a), 2 decimals, customer \(expected.customerID)"
      assertClose(row.recency, expected.recency, absolute: 0.005, source: source)
      assertClose(row.age, expected.age, absolute: 0.005, source: source)
    }
    #expect(frequencyMismatches == 0)
    // Customers in order of first appearance: the sample is sorted by id.
    #expect(ours.summary.rows.first?.customerID == "0001")
    #expect(ours.summary.rows.last?.customerID == "2357")
    #expect(ours.report.ordersAfterObservationEnd == 6919 - 4960)
  }

  @Test func cdnowSampleTotals() throws {
    let ours = try Self.cdnowSample()
    // Sums over cdnow_customers_summary.csv (published, 2 decimals per row): frequency exact.
    #expect(ours.summary.rows.reduce(0) { $0 + $1.frequency } == 2457)
    // Mean spend per repeat purchase day: lifetimes 0.11.3,
    //   summary_data_from_transaction_data(cal, 'customer_id', 'date', monetary_value_col=
    //   'dollar_value', observation_period_end='1997-09-30', freq='D', freq_multiplier=7)
    //   ['monetary_value'].sum() = 33183.643766870584 (cal = rows dated <= 1997-09-30 of
    //   CDNOW_sample.txt, column 2 as customer_id); its 2-decimal copy in lifetimes'
    //   cdnow_customers_summary_with_transactions.csv sums to 33184.31.
    assertClose(
      ours.summary.rows.reduce(0) { $0 + $1.monetaryValue }, 33183.643766870584, relative: 1e-12,
      source: "lifetimes 0.11.3 (command above)")
  }
}
