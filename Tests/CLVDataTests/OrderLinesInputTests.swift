import CLVData
import Testing

/// Line-item exports: quantity × price, order ids, duplicate lines, continuation lines and
/// cancellations; expected values worked out by hand from the rows.
@Suite struct OrderLinesInputTests {
  private let uci = """
    Invoice,StockCode,Quantity,InvoiceDate,Price,Customer ID
    489434,85048,12,12/1/2009 7:45,6.95,13085
    489434,79323P,12,12/1/2009 7:45,6.75,13085
    489434,79323P,12,12/1/2009 7:45,6.75,13085
    489436,22350,2,12/13/2009 9:06,2.55,13085
    C489449,22350,-2,12/14/2009 10:33,2.55,13085
    489450,21523,10,12/15/2009 10:33,5.95,13085
    C489451,21523,3,12/15/2009 11:00,5.95,13085

    """

  private func format(
    _ returns: ReturnsPolicy = .ignore, keepDuplicates: Bool = false
  )
    -> OrderLogFormat
  {
    var format = OrderLogFormat(
      customerColumn: .name("Customer ID"), dateColumn: .name("InvoiceDate"), returns: returns)
    format.lines = OrderLines(
      orderColumn: .name("Invoice"), quantityColumn: .name("Quantity"),
      priceColumn: .name("Price"), keepDuplicates: keepDuplicates, cancelPrefix: "C")
    return format
  }

  @Test func quantityTimesPriceDuplicatesAndCancellations() throws {
    let summaries = try summarize(uci, format: format())
    let row = summaries.summary.rows[0]
    // Purchase days 12/1, 12/13, 12/15; the cancellations (one with a positive quantity) are
    // returns, dropped under `ignore`.
    #expect(row.frequency == 2)
    #expect(row.recency == 14.0 / 7)
    // Repeat days: 2 × 2.55 = 5.10 and 10 × 5.95 = 59.50.
    #expect(row.monetaryValue == (2 * 2.55 + 10 * 5.95) / 2)
    #expect(summaries.report.duplicateLinesDropped == 1)
    #expect(summaries.report.cancellationLines == 2)
    #expect(summaries.report.returnsIgnored == 2)
    #expect(summaries.report.amountColumn == "Quantity × Price")
  }

  @Test func cancellationsNetAgainstTheirDay() throws {
    let summaries = try summarize(uci, format: format(.net, keepDuplicates: true))
    let row = summaries.summary.rows[0]
    // 12/14 is a return only (not a purchase day); 12/15 nets 59.50 − 17.85.
    #expect(row.frequency == 2)
    let expected = (2 * 2.55 - 2 * 2.55 + 10 * 5.95 - 3 * 5.95) / 2
    #expect(abs(row.monetaryValue - expected) <= 1e-12 * 60)
    #expect(summaries.report.duplicateLinesDropped == 0)
    #expect(summaries.report.returnsNetted == 2)
  }

  /// Shopify writes the order total (and often the customer and date) on the first line only.
  @Test func continuationLinesMayLeaveOrderFieldsEmpty() throws {
    let text = """
      Name,Email,Created at,Lineitem quantity,Total
      #1001,a@x.com,2023-01-15 10:32:11 -0500,1,25.00
      #1001,,,1,
      #1002,a@x.com,2023-02-01 08:00:00 -0500,2,10.00
      #1002,,,1,

      """
    var format = OrderLogFormat(
      customerColumn: .name("Email"), dateColumn: .name("Created at"),
      amountColumn: .name("Total"))
    format.lines = OrderLines(orderColumn: .name("Name"))
    let summaries = try summarize(text, format: format)
    #expect(summaries.summary.rows.count == 1)
    #expect(summaries.summary.rows[0].frequency == 1)
    #expect(summaries.summary.rows[0].monetaryValue == 10)
    // Without the order column, the empty total is a located error naming the option.
    format.lines = OrderLines()
    let path = try temporaryFile(
      text.replacingOccurrences(of: "#1001,,,1,", with: "#1001,a@x.com,2023-01-15 10:32,1,"))
    let error = #expect(throws: DataError.self) {
      try CustomerSummaries.read(path: path, format: format, period: SummaryPeriod())
    }
    #expect(
      error?.description
        == path + ":3: column 'Total': cannot parse '' as a number (an export with the amount on "
        + "an order's first line only needs --order-column)")
    #expect(error?.exitCode == 65)
  }

  @Test func aBadPriceIsALocatedError() throws {
    let text = uci.replacingOccurrences(of: "2,12/13/2009 9:06,2.55", with: "2,12/13/2009 9:06,x")
    let path = try temporaryFile(text)
    let error = #expect(throws: DataError.self) {
      try CustomerSummaries.read(path: path, format: format(), period: SummaryPeriod())
    }
    #expect(error?.description == path + ":5: column 'Price': cannot parse 'x' as a number")
  }

  @Test func halfALineItemLayoutIsAnError() throws {
    var format = OrderLogFormat()
    format.lines = OrderLines(quantityColumn: .name("amount"))
    #expect(throws: DataError.self) {
      try summarize("customer_id,date,amount\n1,2020-01-01,3\n", format: format)
    }
    format.lines = OrderLines(cancelPrefix: "C")
    #expect(throws: DataError.self) {
      try summarize("customer_id,date,amount\n1,2020-01-01,3\n", format: format)
    }
  }
}
