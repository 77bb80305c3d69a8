import CLVData
import CLVScoring
import Foundation
import TestSupport
import Testing

/// `PurchaseLog.read`: orders of one customer on one day are one purchase day with the amounts
/// summed; orders after `through` are ignored; an empty file is an error.
@Suite struct PurchaseLogInputTests {
  func write(_ text: String) throws -> String {
    let url = try Fixtures.temporaryDirectory().appendingPathComponent("orders.csv")
    try Data(text.utf8).write(to: url)
    return url.path
  }

  @Test func purchaseDaysWithAmountsSummed() throws {
    let path = try write(
      """
      customer_id,date,amount
      b,2024-01-05,3
      a,2024-01-02,10
      a,2024-01-02,5.5
      a,2024-01-01,1
      a,2024-03-01,7

      """)
    let log = try PurchaseLog.read(
      path: path, format: OrderLogFormat(), through: Day(year: 2024, month: 2, day: 1)!)
    #expect(log.hasAmounts)
    let a = try #require(log.customers["a"])
    #expect(a.days == [Day(year: 2024, month: 1, day: 1)!, Day(year: 2024, month: 1, day: 2)!])
    #expect(a.amounts == [1, 15.5])
    #expect(log.customers["b"]?.amounts == [3])
    #expect(log.lastDay == Day(year: 2024, month: 1, day: 5)!)
  }

  @Test func withoutAmountsAndEmptyFiles() throws {
    let path = try write("customer_id,date\nx,2024-01-01\nx,2024-01-01\n")
    let log = try PurchaseLog.read(
      path: path, format: OrderLogFormat(amountColumn: .name("amount")))
    #expect(!log.hasAmounts)
    #expect(log.customers["x"]?.days.count == 1 && log.customers["x"]?.amounts == [0])
    #expect(throws: DataError.self) { try PurchaseLog.read(path: try write(""), format: .init()) }
  }
}
