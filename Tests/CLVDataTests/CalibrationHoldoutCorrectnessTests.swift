import CLVData
import TestSupport
import Testing

/// CDNOW_master.txt split at 1997-09-30 (39 weeks of calibration, FHL2005a) with the holdout to
/// 1998-06-30, against lifetimes.
///
/// Expected values: lifetimes 0.11.3,
/// `/work/pyref/bin/python scripts/reference/cdnow_calibration_holdout.py ../shared/datasets/CDNOW_master.txt`
/// (`calibration_and_holdout_data(..., calibration_period_end='1997-09-30',
/// observation_period_end='1998-06-30', freq='D', freq_multiplier=7,
/// monetary_value_col='dollar_value')`; "raw" = on the transactions, "daily" = on the
/// transactions collapsed to one row per customer and day).
///
/// One deliberate difference: lifetimes' `monetary_value_holdout` is the mean per holdout
/// *row*, while clvkit's is the mean per holdout *purchase day* (the definition of its
/// calibration monetary value and of Gamma-Gamma's transactions). On day-collapsed input the two
/// agree, so that column is checked against the "daily" run.
@Suite struct CalibrationHoldoutCorrectnessTests {
  static func cdnowMaster() throws -> CustomerSummaries {
    let path = try Fixtures.sharedDataset("CDNOW_master.txt").path
    let format = OrderLogFormat(
      delimiter: .whitespace, customerColumn: .name("customer_id"), dateColumn: .name("date"),
      amountColumn: .name("dollar_value"), amountColumnRequired: true)
    return try CustomerSummaries.read(
      path: path, format: format,
      period: SummaryPeriod(
        unit: .week, observationEnd: Day(year: 1998, month: 6, day: 30),
        calibrationEnd: Day(year: 1997, month: 9, day: 30)))
  }

  @Test func columnSumsEqualLifetimes() throws {
    let s = try Self.cdnowMaster()
    let split = try #require(s.split)
    #expect(s.report.dateFormat == .compact)  // detected
    #expect(split.calibration.rows.count == 23570)
    let rows = split.calibration.rows
    let source = "lifetimes 0.11.3: scripts/reference/cdnow_calibration_holdout.py, raw"
    #expect(rows.reduce(0) { $0 + $1.frequency } == 24337)
    assertClose(
      rows.reduce(0) { $0 + $1.recency }, 161377.71428571426, relative: 1e-9, source: source)
    assertClose(rows.reduce(0) { $0 + $1.age }, 771390.857142857, relative: 1e-9, source: source)
    assertClose(
      rows.reduce(0) { $0 + $1.monetaryValue }, 336714.28743822424, relative: 1e-9, source: source)
    #expect(split.holdout.reduce(0) { $0 + $1.frequency } == 19684)
    assertClose(
      split.holdout.reduce(0) { $0 + $1.duration }, 919230.0, relative: 1e-9, source: source)
    assertClose(
      split.holdout.reduce(0) { $0 + $1.monetaryValue }, 265814.3940302582, relative: 1e-9,
      source: "lifetimes 0.11.3: scripts/reference/cdnow_calibration_holdout.py, daily")
    #expect(split.calibrationEnd == Day(year: 1997, month: 9, day: 30))
    #expect(split.observationEnd == Day(year: 1998, month: 6, day: 30))
    #expect(s.report.customersAfterCalibrationEnd == 0)  // the whole cohort starts in Q1 1997
  }

  @Test func namedCustomers() throws {
    let s = try Self.cdnowMaster()
    let index = Dictionary(
      uniqueKeysWithValues: s.summary.rows.enumerated().map { ($1.customerID, $0) })
    let source = "lifetimes 0.11.3: scripts/reference/cdnow_calibration_holdout.py, daily"

    // Customer 00002: two orders on 1997-01-12, nothing else: one purchase day.
    let two = try #require(s.record(at: index["00002"]!))
    #expect(two.calibration.frequency == 0)
    #expect(two.calibration.recency == 0)
    assertClose(two.calibration.age, 37.285714285714285, relative: 1e-12, source: source)
    #expect(two.calibration.monetaryValue == 0)
    #expect(two.holdout == HoldoutStatistics(frequency: 0, monetaryValue: 0, duration: 39))
    #expect(two.firstPurchase == Day(year: 1997, month: 1, day: 12))
    #expect(two.lastPurchase == two.firstPurchase)
    #expect(two.longestGap == 0)
    #expect(two.cohort == "1997-01")

    // Customer 01722: purchases on both sides of the calibration end.
    let many = try #require(s.record(at: index["01722"]!))
    #expect(many.calibration.frequency == 18)
    assertClose(many.calibration.recency, 37.857142857142854, relative: 1e-12, source: source)
    assertClose(many.calibration.age, 38.0, relative: 1e-12, source: source)
    assertClose(many.calibration.monetaryValue, 18.275555555555556, relative: 1e-12, source: source)
    #expect(many.holdout?.frequency == 32)
    assertClose(many.holdout!.monetaryValue, 25.1196875, relative: 1e-12, source: source)
    #expect(many.holdout?.duration == 39)
    #expect(many.lastPurchase == Day(year: 1997, month: 9, day: 29))  // 265 days after 1997-01-07
    #expect(many.firstPurchase + 265 == many.lastPurchase)
    // Longest gap between its 19 calibration purchase days: 92 days (from the log with
    // `grep '^ 01722' CDNOW_master.txt`, dates <= 19970930, consecutive distinct days).
    #expect(many.longestGap == 92)

    // Customer 23570: the last id; first purchase 1997-03-25, one repeat the next day.
    let last = try #require(s.record(at: index["23570"]!))
    #expect(last.calibration.frequency == 1)
    assertClose(last.calibration.recency, 0.14285714285714285, relative: 1e-12, source: source)
    assertClose(last.calibration.age, 27.0, relative: 1e-12, source: source)
    assertClose(last.calibration.monetaryValue, 42.96, relative: 1e-12, source: source)
    #expect(last.cohort == "1997-03")
    #expect(last.longestGap == 1)
  }
}
