import CLVData
import Foundation
import TestSupport
import Testing

/// Repeat purchase days per day (the actual line of the tracking plot) on a small order log.
@Suite struct DailyRepeatPurchasesCorrectnessTests {
  @Test func countsDistinctRepeatDaysOfCalibrationCustomers() throws {
    let folder = try Fixtures.temporaryDirectory()
    let path = folder.appendingPathComponent("orders.csv").path
    // a: first 01-01, repeat 01-03 twice (one day), 01-05; out of date order in the file.
    // b: first 01-02, a return (negative) on 01-04 is no purchase day, repeat 01-06 after E.
    // c: first seen 01-04, after the calibration end: not counted.
    try """
    customer_id,date,amount
    a,2020-01-03,5
    a,2020-01-01,10
    b,2020-01-02,7
    a,2020-01-03,1
    b,2020-01-04,-3
    c,2020-01-04,2
    c,2020-01-05,2
    a,2020-01-05,4
    b,2020-01-06,9
    """.write(toFile: path, atomically: true, encoding: .utf8)
    let format = OrderLogFormat(
      delimiter: .comma, hasHeader: true, customerColumn: .name("customer_id"),
      dateColumn: .name("date"), amountColumn: .name("amount"), amountColumnRequired: true,
      dateFormat: .isoDate, returns: .net, skipBadRows: false)
    let daily = try DailyRepeatPurchases.read(
      orders: path, format: format, calibrationEnd: Day(iso: "2020-01-03")!,
      observationEnd: Day(iso: "2020-01-05")!)
    #expect(daily.start == Day(iso: "2020-01-01")!)
    #expect(daily.counts == [0, 0, 1, 0, 1])
    #expect(daily.acquisitions == [Day(iso: "2020-01-01")!: 1, Day(iso: "2020-01-02")!: 1])
  }
}
