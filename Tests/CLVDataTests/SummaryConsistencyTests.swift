import CLVData
import Foundation
import TestSupport
import Testing

/// Invariants of the summary builder: row order in the file does not matter (except for the
/// order of customers), output round-trips, units only rescale, big tables stay exact.
@Suite struct SummaryConsistencyTests {
  /// A random order log: `customers` customers with 1–6 orders each on random days of 2020,
  /// some with two rows on one day; returns the CSV text (shuffled or sorted by date).
  private func randomLog(
    customers: Int, seed: UInt64, shuffled: Bool, longIDs: Bool = false
  )
    -> (text: String, purchaseDays: [String: Set<Int>])
  {
    var rng = SeededGenerator(seed: seed)
    var rows: [(id: String, day: Int, amount: String)] = []
    var purchaseDays: [String: Set<Int>] = [:]
    for c in 0..<customers {
      let id = longIDs && c % 2 == 0 ? "customer-with-a-long-identifier-\(c)" : String(c)
      for _ in 0..<(1 + Int(rng.next() % 6)) {
        let day = Int(rng.next() % 366)
        let cents = Int(rng.next() % 10_000)
        rows.append((id, day, "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"))
        purchaseDays[id, default: []].insert(day)
      }
    }
    if shuffled {
      rows.shuffle(using: &rng)
    } else {
      rows.sort { $0.day < $1.day }
    }
    let start = Day(year: 2020, month: 1, day: 1)!
    var text = "customer_id,date,amount\n"
    for row in rows { text += "\(row.id),\(start + row.day),\(row.amount)\n" }
    return (text, purchaseDays)
  }

  @Test func shuffledRowsGiveTheSameSummariesAsSortedRows() throws {
    let period = SummaryPeriod(
      unit: .week, observationEnd: Day(year: 2020, month: 12, day: 31),
      calibrationEnd: Day(year: 2020, month: 8, day: 31))
    let sorted = try summarize(
      randomLog(customers: 400, seed: 7, shuffled: false).text, period: period)
    let shuffled = try summarize(
      randomLog(customers: 400, seed: 7, shuffled: true).text, period: period)
    #expect(shuffled.report.customersOutOfOrder > 0)  // the second pass was exercised
    #expect(sorted.report.customersOutOfOrder == 0)
    #expect(sorted.count == shuffled.count)
    let a = Dictionary(
      uniqueKeysWithValues: (0..<sorted.count).map {
        (sorted.summary.rows[$0].customerID, sorted.record(at: $0)!)
      })
    for index in 0..<shuffled.count {
      let b = shuffled.record(at: index)!
      let expected = try #require(a[b.customerID])
      #expect(b.calibration.frequency == expected.calibration.frequency)
      #expect(b.calibration.recency == expected.calibration.recency)
      #expect(b.calibration.age == expected.calibration.age)
      // Amounts are summed in another order: equal to rounding.
      assertClose(
        b.calibration.monetaryValue, expected.calibration.monetaryValue, relative: 1e-12,
        source: "same data, sorted order (summation order only)")
      #expect(b.holdout?.frequency == expected.holdout?.frequency)
      assertClose(
        b.holdout!.monetaryValue, expected.holdout!.monetaryValue, relative: 1e-12,
        source: "same data, sorted order (summation order only)")
      #expect(b.longestGap == expected.longestGap)
      #expect(b.firstPurchase == expected.firstPurchase)
      #expect(b.lastPurchase == expected.lastPurchase)
    }
  }

  @Test func manyCustomersWithShortAndLongIDsAreCountedExactly() throws {
    // 20,000 customers: the customer table grows several times; half the ids exceed 16 bytes.
    let log = randomLog(customers: 20_000, seed: 11, shuffled: false, longIDs: true)
    let summaries = try summarize(log.text)
    #expect(summaries.count == 20_000)
    for row in summaries.summary.rows {
      let days = log.purchaseDays[row.customerID]!
      #expect(row.frequency == days.count - 1)
      #expect(row.recency == Double(days.max()! - days.min()!) / 7)
    }
  }

  @Test func customersAppearInTheOrderOfTheirFirstRow() throws {
    let summaries = try summarize(
      "customer_id,date\nb,2020-01-02\na,2020-01-01\nc,2020-01-03\na,2020-01-04\n")
    #expect(summaries.summary.rows.map(\.customerID) == ["b", "a", "c"])
  }

  @Test func unitsOnlyRescaleTime() throws {
    let log = randomLog(customers: 200, seed: 5, shuffled: false).text
    let days = try summarize(log, period: SummaryPeriod(unit: .day))
    let weeks = try summarize(log, period: SummaryPeriod(unit: .week))
    let months = try summarize(log, period: SummaryPeriod(unit: .month))
    #expect(weeks.unit == .week && months.unit == .month && days.unit == .day)
    for i in 0..<days.count {
      let d = days.summary.rows[i]
      #expect(weeks.summary.rows[i].recency == d.recency / 7)
      #expect(months.summary.rows[i].age == d.age / (365.25 / 12))
      #expect(weeks.summary.rows[i].frequency == d.frequency)
      #expect(weeks.summary.rows[i].monetaryValue == d.monetaryValue)
    }
  }

  @Test func observationAndCalibrationEndsAreCounted() throws {
    let text = "customer_id,date\n1,2020-01-01\n1,2020-01-10\n2,2020-01-20\n1,2020-02-01\n"
    let observed = try summarize(
      text, period: SummaryPeriod(unit: .day, observationEnd: Day(year: 2020, month: 1, day: 25)))
    #expect(observed.report.ordersAfterObservationEnd == 1)
    #expect(observed.summary.rows.map(\.age) == [24, 5])
    let split = try summarize(
      text,
      period: SummaryPeriod(
        unit: .day, observationEnd: Day(year: 2020, month: 2, day: 1),
        calibrationEnd: Day(year: 2020, month: 1, day: 15)))
    #expect(split.report.customersAfterCalibrationEnd == 1)
    #expect(split.count == 1)
    #expect(split.holdout == [HoldoutStatistics(frequency: 1, monetaryValue: 0, duration: 17)])
    #expect(split.summary.rows[0].age == 14)
  }

  @Test func aCalibrationEndNotBeforeTheObservationEndIsAnError() throws {
    let path = try temporaryFile("customer_id,date\n1,2020-01-01\n1,2020-01-10\n")
    #expect(throws: DataError.self) {
      try CustomerSummaries.read(
        path: path, format: OrderLogFormat(),
        period: SummaryPeriod(calibrationEnd: Day(year: 2020, month: 1, day: 10)))
    }
  }

  @Test func writtenSummariesReadBackExactly() throws {
    let original = try CalibrationHoldoutCorrectnessTests.cdnowMaster()
    let path = try Fixtures.temporaryDirectory().appendingPathComponent("split.csv").path
    let output = try AtomicOutput(path: path)
    try SummaryCSVWriter.write(original, to: output)
    try output.commit()
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(
      text.hasPrefix(
        "customer_id,frequency_cal,recency_cal,T_cal,monetary_value_cal,frequency_holdout,"
          + "monetary_value_holdout,duration_holdout,cohort\n00001,0,0,38.857142857142854,0,0,0,39,1997-01\n"
      ))
    let back = try SummaryCSVReader.read(path: path, unit: .week)
    #expect(back.layout == .calibrationHoldout)
    #expect(back.summary.rows == original.summary.rows)  // bit-identical doubles
    #expect(back.holdout == original.holdout)
    #expect(back.cohorts == (0..<original.count).map { original.cohort(at: $0)! })
    #expect(back.hasMonetaryValue)
  }

  @Test func largeSummariesAreWrittenInOrderByTwoThreads() throws {
    // ≥ 200,000 rows: the writer formats the second half on another thread.
    var rng = SeededGenerator(seed: 17)
    let rows = (0..<200_001).map { i -> RFMSummary.Row in
      let x = Int(rng.next() % 5)
      let t = Double(rng.next() % 400) / 7
      return RFMSummary.Row(
        customerID: "c\(i)", frequency: x, recency: x == 0 ? 0 : t / 2, age: t,
        monetaryValue: x == 0 ? 0 : Double(rng.next() % 100_000) / 100)
    }
    let summaries = CustomerSummaries(
      summary: RFMSummary(rows: rows, unit: .week), hasMonetaryValue: true, layout: .summary,
      report: IngestReport(file: "test"))
    let path = try Fixtures.temporaryDirectory().appendingPathComponent("big.csv").path
    let output = try AtomicOutput(path: path)
    try SummaryCSVWriter.write(summaries, to: output)
    try output.commit()
    let back = try SummaryCSVReader.read(path: path, unit: .week)
    #expect(back.summary.rows == rows)
  }

  @Test func numbersAreWrittenShortAndReadBackExactly() throws {
    let values = [0.1, 22.345, 0.005, 1e-7, 123_456.789_1, 1.0 / 3, 7, 2.5e12, 0.000_999, 99.99]
    let rows = values.enumerated().map {
      RFMSummary.Row(
        customerID: "\($0.offset)", frequency: 1, recency: 0, age: 1, monetaryValue: $0.element)
    }
    let summaries = CustomerSummaries(
      summary: RFMSummary(rows: rows, unit: .week), hasMonetaryValue: true, layout: .summary,
      report: IngestReport(file: "test"))
    let path = try Fixtures.temporaryDirectory().appendingPathComponent("numbers.csv").path
    let output = try AtomicOutput(path: path)
    try SummaryCSVWriter.write(summaries, to: output)
    try output.commit()
    let text = try String(contentsOfFile: path, encoding: .utf8)
    for expected in [
      ",0.1\n", ",22.345\n", ",0.005\n", ",1e-07\n", ",123456.7891\n", ",7\n", ",99.99\n",
    ] {
      #expect(text.contains(expected), "\(expected)")
    }
    let back = try SummaryCSVReader.read(path: path, unit: .week)
    #expect(back.summary.rows.map(\.monetaryValue) == values)
  }

  @Test func summaryCSVInputIsDetectedFromItsHeader() throws {
    let path = try temporaryFile(
      "customer_id,frequency,recency,T,monetary_value\n7,1,2.5,10,3.25\n")
    let read = try CustomerSummaries.read(
      path: path, format: OrderLogFormat(), period: SummaryPeriod())
    #expect(read.layout == .summary)
    #expect(
      read.summary.rows == [
        RFMSummary.Row(customerID: "7", frequency: 1, recency: 2.5, age: 10, monetaryValue: 3.25)
      ])
    #expect(read.records == nil)
  }
}
