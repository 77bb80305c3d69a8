import CLVData
import CLVScoring
import Foundation
import TestSupport
import Testing

/// `clv evaluate` reads its order log once (``CustomerSummaries/readKeepingOrders``) and
/// derives the shifted window's summaries, the daily repeat purchases and the purchase log from
/// the orders in memory: each must equal what reading the file again gives.
@Suite struct RecordedOrdersConsistencyTests {
  /// Customers out of date order (recomputed from the orders in memory), a same-day return,
  /// a return before any purchase, a row after the observation end, a customer first seen
  /// after the calibration end, a bad row skipped, a long id (over 16 bytes, kept apart from
  /// the short ones).
  static let log = """
    customer_id,date,amount
    a,2020-01-03,5
    a,2020-01-01,10
    b,2020-01-02,7
    a,2020-01-03,1
    b,2020-01-04,-3
    customer-with-a-long-identifier,2020-01-02,4
    c,2020-01-04,2
    c,2020-01-05,2
    d,2020-01-02,-1
    d,2020-01-03,6
    a,2020-01-05,4
    customer-with-a-long-identifier,2020-01-06,8
    b,not-a-date,9
    b,2020-01-09,9
    b,2020-01-06,9
    a,2020-01-07,3
    """

  static let format = OrderLogFormat(
    delimiter: .comma, hasHeader: true, customerColumn: .name("customer_id"),
    dateColumn: .name("date"), amountColumn: .name("amount"), amountColumnRequired: true,
    dateFormat: .isoDate, returns: .net, skipBadRows: true)

  func expectSame(_ derived: CustomerSummaries, _ read: CustomerSummaries) {
    #expect(derived.summary.rows == read.summary.rows)
    #expect(derived.holdout == read.holdout)
    #expect(derived.observationEnd == read.observationEnd)
    #expect(derived.calibrationEnd == read.calibrationEnd)
    #expect(derived.report.customersOutOfOrder == read.report.customersOutOfOrder)
    #expect(derived.report.returnsBeforeFirstPurchase == read.report.returnsBeforeFirstPurchase)
    #expect(derived.report.ordersAfterObservationEnd == read.report.ordersAfterObservationEnd)
    #expect(derived.report.customersAfterCalibrationEnd == read.report.customersAfterCalibrationEnd)
    #expect(derived.report.rows == read.report.rows && derived.report.badRows.count == 1)
    #expect(derived.report.firstDate == read.report.firstDate)
    #expect(derived.report.lastDate == read.report.lastDate)
  }

  @Test func viewsOfTheOrdersInMemoryEqualReadingTheFileAgain() throws {
    let path = try Fixtures.temporaryDirectory().appendingPathComponent("orders.csv").path
    try Self.log.write(toFile: path, atomically: true, encoding: .utf8)
    let day = { (text: String) in Day(iso: text)! }
    let period = SummaryPeriod(
      unit: .day, observationEnd: day("2020-01-07"), calibrationEnd: day("2020-01-04"))
    let (summaries, kept) = try CustomerSummaries.readKeepingOrders(
      orders: path, format: Self.format, period: period)
    let orders = try #require(kept)
    #expect(summaries.report.customersOutOfOrder > 0, "the log has customers out of date order")
    expectSame(
      summaries, try CustomerSummaries.read(orders: path, format: Self.format, period: period))
    // The shifted window of churn-logit: another period of the same orders.
    let shifted = SummaryPeriod(
      unit: .day, observationEnd: day("2020-01-04"), calibrationEnd: day("2020-01-02"))
    expectSame(
      try CustomerSummaries(orders: orders, period: shifted),
      try CustomerSummaries.read(orders: path, format: Self.format, period: shifted))
    #expect(
      try DailyRepeatPurchases(
        orders: orders, calibrationEnd: day("2020-01-04"), observationEnd: day("2020-01-07"))
        == DailyRepeatPurchases.read(
          orders: path, format: Self.format, calibrationEnd: day("2020-01-04"),
          observationEnd: day("2020-01-07")))
    #expect(
      PurchaseLog(orders: orders, through: day("2020-01-07"))
        == (try PurchaseLog.read(path: path, format: Self.format, through: day("2020-01-07"))))
    // A period whose customers are all acquired after its end fails as reading does.
    let early = SummaryPeriod(unit: .day, observationEnd: day("2019-12-31"))
    #expect(throws: DataError.self) { try CustomerSummaries(orders: orders, period: early) }
    #expect(throws: DataError.self) {
      try CustomerSummaries.read(orders: path, format: Self.format, period: early)
    }
  }

  /// A summary file has no orders to keep.
  @Test func aSummaryFileKeepsNoOrders() throws {
    let path = try Fixtures.temporaryDirectory().appendingPathComponent("s.csv").path
    try "customer_id,frequency,recency,T\na,1,2,5\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    let read = try CustomerSummaries.readKeepingOrders(
      orders: path, format: Self.format, period: SummaryPeriod(unit: .week))
    #expect(read.orders == nil && read.summaries.summary.rows.count == 1)
  }
}
