import CLVData
import Foundation
import TestSupport
import Testing

/// Accepted oddities of order logs, and every class of bad input: each error names file, line
/// (header = line 1), column and value; with `skipBadRows` the row is counted instead.
@Suite struct OrdersCSVReaderInputTests {
  // MARK: Accepted oddities

  @Test func byteOrderMarkCRLFQuotingAndBlankLastLine() throws {
    let text =
      "\u{FEFF}customer_id,date,amount\r\n\"0042\",2020-01-01,10\r\n"
      + "\"a,\"\"b\"\"\",2020-01-02,\"5.50\"\r\n0042,2020-01-08,2\r\n\r\n"
    let summaries = try summarize(text)
    #expect(summaries.summary.rows.map(\.customerID) == ["0042", "a,\"b\""])
    let row = summaries.summary.rows[0]
    #expect(row.frequency == 1)
    #expect(row.recency == 1)  // 7 days = 1 week
    #expect(row.monetaryValue == 2)
    #expect(summaries.hasMonetaryValue)
  }

  @Test func quotedLineBreaksKeepLineNumbersRight() throws {
    let text = "customer_id,date,note\n1,2020-01-01,\"two\nlines\"\n2,2020-13-01,x\n"
    let error = #expect(throws: DataError.self) {
      try summarize(text, format: OrderLogFormat(amountColumn: nil, dateFormat: .isoDate))
    }
    // The record starting on line 2 spans lines 2–3; the bad date is on line 4.
    #expect(
      error?.description.hasSuffix(":4: column 'date': cannot parse '2020-13-01' as yyyy-MM-dd")
        == true)
  }

  @Test func whitespaceDelimitedWithLeadingBlanks() throws {
    // The CDNOW layout: runs of spaces, a leading space on every line, CRLF.
    let text =
      " customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n"
      + " 00001 19970101  2   1.00\r\n 00001 19970115\t1   3.50\r\n"
    let format = OrderLogFormat(
      delimiter: .whitespace, amountColumn: .name("dollar_value"), amountColumnRequired: true)
    let summaries = try summarize(text, format: format)
    let row = summaries.summary.rows[0]
    #expect(row.customerID == "00001")
    #expect(row.frequency == 1)
    #expect(row.recency == 2)
    #expect(row.monetaryValue == 3.5)
    #expect(summaries.report.dateFormat == .compact)
  }

  @Test func otherDelimitersNoHeaderAndColumnNumbers() throws {
    let semicolon = try summarize(
      "date;amount;id\n2020-01-01;1;7\n2020-01-03;2;7\n",
      format: OrderLogFormat(
        delimiter: .character(UInt8(ascii: ";")), customerColumn: .name("id"),
        dateColumn: .number(1), amountColumn: .number(2)))
    #expect(semicolon.summary.rows[0].frequency == 1)
    #expect(semicolon.summary.rows[0].monetaryValue == 2)
    let tab = try summarize(
      "9\t2020-01-01\t1\n9\t2020-01-02\t3\n",
      format: OrderLogFormat(
        delimiter: Delimiter(argument: "tab")!, hasHeader: false, customerColumn: .number(1),
        dateColumn: .number(2), amountColumn: .number(3)))
    #expect(tab.summary.rows[0].customerID == "9")
    #expect(tab.summary.rows[0].recency == 1.0 / 7)
    #expect(tab.report.rows == 2)
  }

  @Test func missingFinalLineEndAndZeroAmounts() throws {
    let summaries = try summarize("customer_id,date,amount\n1,2020-01-01,0\n1,2020-01-02,0")
    #expect(summaries.summary.rows[0].frequency == 1)  // zero-amount rows are purchases
    #expect(summaries.summary.rows[0].monetaryValue == 0)
  }

  @Test func aFileShorterThanAByteOrderMarkIsStillRead() throws {
    // Two bytes in all: the reader must not wait for a third to rule out a BOM.
    let path = try temporaryFile("7\n")
    let format = OrderLogFormat(
      hasHeader: false, customerColumn: .number(1), dateColumn: .number(1), amountColumn: nil)
    let error = #expect(throws: DataError.self) {
      try CustomerSummaries.read(path: path, format: format, period: SummaryPeriod())
    }
    #expect(error?.description.hasPrefix("\(path): column '1': no date layout fits") == true)
  }

  @Test func withoutAnAmountColumnThereIsNoSpend() throws {
    let summaries = try summarize("customer_id,date\n1,2020-01-01\n1,2020-01-02\n")
    #expect(!summaries.hasMonetaryValue)
    #expect(summaries.report.amountColumn == nil)
    #expect(summaries.summary.rows[0].frequency == 1)
  }

  @Test func returnsPolicies() throws {
    let text = "customer_id,date,amount\n1,2020-01-01,10\n1,2020-01-08,30\n1,2020-01-08,-10\n"
    let ignored = try summarize(text)
    #expect(ignored.summary.rows[0].monetaryValue == 30)
    #expect(ignored.report.returnsIgnored == 1)
    let netted = try summarize(text, format: OrderLogFormat(returns: .net))
    #expect(netted.summary.rows[0].monetaryValue == 20)
    #expect(netted.summary.rows[0].frequency == 1)
    #expect(netted.report.returnsNetted == 1)
    let error = #expect(throws: DataError.self) {
      try summarize(text, format: OrderLogFormat(returns: .error))
    }
    #expect(
      error?.description.hasSuffix(
        ":4: column 'amount': '-10' is negative (a return; see --returns ignore|net)") == true)
  }

  @Test func aReturnOnADayWithoutPurchaseIsNotAPurchaseDay() throws {
    let text = "customer_id,date,amount\n1,2020-01-01,10\n1,2020-01-05,-4\n1,2020-01-08,30\n"
    let row = try summarize(text, format: OrderLogFormat(returns: .net)).summary.rows[0]
    #expect(row.frequency == 1)
    #expect(row.monetaryValue == 26)
  }

  // MARK: Bad rows

  private func expectError(
    _ text: String, _ suffix: String, reason: BadRowReason,
    format: OrderLogFormat = OrderLogFormat(dateFormat: .isoDate),
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let path = try temporaryFile(text)
    let error = #expect(throws: DataError.self, sourceLocation: sourceLocation) {
      try CustomerSummaries.read(path: path, format: format, period: SummaryPeriod())
    }
    #expect(error?.description == path + suffix, sourceLocation: sourceLocation)
    #expect(error?.exitCode == 65, sourceLocation: sourceLocation)
    var skipping = format
    skipping.skipBadRows = true
    let summaries = try CustomerSummaries.read(
      path: path, format: skipping, period: SummaryPeriod())
    #expect(summaries.report.badRows[reason]?.count == 1, sourceLocation: sourceLocation)
    #expect(summaries.summary.rows.map(\.customerID) == ["1", "3"], sourceLocation: sourceLocation)
  }

  private let head = "customer_id,date,amount\n1,2020-01-01,5\n"
  private let tail = "3,2020-01-02,1\n"

  @Test func wrongFieldCount() throws {
    try expectError(
      head + "2,2020-01-02\n" + tail, ":3: expected 3 fields, found 2", reason: .fieldCount)
    try expectError(
      head + "2,2020-01-02,1,9\n" + tail, ":3: expected 3 fields, found 4", reason: .fieldCount)
  }

  @Test func unparsableDate() throws {
    try expectError(
      head + "2,1997-13-45,1\n" + tail,
      ":3: column 'date': cannot parse '1997-13-45' as yyyy-MM-dd",
      reason: .date)
  }

  @Test func nonNumericAmount() throws {
    // A decimal comma where a decimal point was given (or detected) names the option.
    try expectError(
      head + "2,2020-01-02,12,50\n".replacingOccurrences(of: "12,50", with: "\"12,50\"") + tail,
      ":3: column 'amount': cannot parse '12,50' as a number with a decimal point (given); "
        + "use --decimal-comma if ',' is the decimal mark", reason: .amount,
      format: OrderLogFormat(dateFormat: .isoDate, decimalMark: .point))
    try expectError(
      head + "2,2020-01-02,3.75\n" + tail,
      ":3: column 'amount': cannot parse '3.75' as a number with a decimal comma (given); "
        + "use --decimal-point if '.' is the decimal mark", reason: .amount,
      format: OrderLogFormat(dateFormat: .isoDate, decimalMark: .comma))
    try expectError(
      head + "2,2020-01-02,3 apples\n" + tail,
      ":3: column 'amount': cannot parse '3 apples' as a number", reason: .amount)
    try expectError(
      head + "2,2020-01-02,(3\n" + tail, ":3: column 'amount': cannot parse '(3' as a number",
      reason: .amount)
  }

  @Test func nanOrInfiniteAmount() throws {
    try expectError(
      head + "2,2020-01-02,NaN\n" + tail,
      ":3: column 'amount': cannot parse 'NaN' as a finite number",
      reason: .nonFiniteAmount)
    try expectError(
      head + "2,2020-01-02,-inf\n" + tail,
      ":3: column 'amount': cannot parse '-inf' as a finite number",
      reason: .nonFiniteAmount)
    try expectError(
      head + "2,2020-01-02,1e999\n" + tail,
      ":3: column 'amount': cannot parse '1e999' as a finite number",
      reason: .nonFiniteAmount)
  }

  @Test func emptyCustomerID() throws {
    try expectError(
      head + ",2020-01-02,1\n" + tail,
      ":3: column 'customer_id': '' is empty (every row needs a customer id)",
      reason: .emptyCustomerID)
  }

  @Test func unterminatedQuote() throws {
    // The open quote swallows the rest of the file; skipping resumes at the next line.
    try expectError(head + "\"2,2020-01-02,1\n" + tail, ":3: unterminated quote", reason: .quoting)
  }

  @Test func textAfterAClosingQuote() throws {
    try expectError(
      head + "\"2\"x,2020-01-02,1\n" + tail, ":3: field 1: unexpected text after a closing quote",
      reason: .quoting)
  }

  // MARK: Bad files

  private func fileError(_ path: String, format: OrderLogFormat = OrderLogFormat()) -> DataError? {
    #expect(throws: DataError.self) {
      try CustomerSummaries.read(path: path, format: format, period: SummaryPeriod())
    }
  }

  @Test func emptyFileAndHeaderWithoutRows() throws {
    let empty = try temporaryFile("")
    #expect(fileError(empty) == .invalidFile(file: empty, reason: "empty file"))
    let blank = try temporaryFile("\n\r\n")
    #expect(fileError(blank) == .invalidFile(file: blank, reason: "empty file"))
    let headerOnly = try temporaryFile("customer_id,date,amount\n")
    #expect(
      fileError(headerOnly) == .invalidFile(file: headerOnly, reason: "a header but no data rows"))
    let noRows = try temporaryFile("")
    #expect(
      fileError(
        noRows,
        format: OrderLogFormat(hasHeader: false, customerColumn: .number(1), dateColumn: .number(2))
      )
        == .invalidFile(file: noRows, reason: "empty file (no rows)"))
  }

  @Test func missingColumns() throws {
    let path = try temporaryFile("cust,date\n1,2020-01-01\n")
    #expect(
      fileError(path)
        == .invalidFile(
          file: path, reason: "no column 'customer_id' for the customer (columns: cust, date)"))
    #expect(
      fileError(path, format: OrderLogFormat(customerColumn: .number(3)))
        == .invalidFile(
          file: path, reason: "customer column 3 does not exist (the file has 2 columns)"))
    // An amount column asked for explicitly must exist.
    #expect(
      fileError(
        path, format: OrderLogFormat(customerColumn: .name("cust"), amountColumnRequired: true))
        == .invalidFile(
          file: path, reason: "no column 'amount' for the amount (columns: cust, date)"))
    let noHeader = try temporaryFile("1,2020-01-01\n")
    #expect(
      fileError(noHeader, format: OrderLogFormat(hasHeader: false, customerColumn: .number(1)))
        == .invalidFile(
          file: noHeader,
          reason: "date column 'date' is a name but the file has no header; give a column number"))
  }

  @Test func noRecognisableDates() throws {
    let path = try temporaryFile("customer_id,date\n1,yesterday\n")
    #expect(
      fileError(path)?.description.hasPrefix("\(path): column 'date': no date layout fits") == true)
  }

  @Test func binaryGarbage() throws {
    var rng = SeededGenerator(seed: 3)
    var bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    bytes[100] = 0
    let path = try temporaryFile(bytes: bytes)
    let error = fileError(path)
    #expect(error?.exitCode == 65)
    #expect(error?.description.contains("binary data") == true)
  }

  @Test func unreadableInput() throws {
    let missing = "/nonexistent-folder/orders.csv"
    #expect(fileError(missing) == .notReadable(path: missing, reason: "No such file or directory"))
    #expect(fileError(missing)?.exitCode == 66)
    let folder = try Fixtures.temporaryDirectory().path
    #expect(fileError(folder) == .notReadable(path: folder, reason: "is a folder"))
  }

  @Test func skippedRowsAreCountedPerReasonWithTheFirstLine() throws {
    let text = "customer_id,date,amount\n1,2020-01-01,1\n2,bad,1\n3,2020-01-01,x\n4,worse,1\n"
    let summaries = try summarize(
      text, format: OrderLogFormat(dateFormat: .isoDate, skipBadRows: true))
    #expect(summaries.report.badRows[.date]?.count == 2)
    #expect(summaries.report.badRows[.date]?.firstLine == 3)
    #expect(summaries.report.badRows[.amount]?.count == 1)
    #expect(summaries.report.rows == 4)
    #expect(summaries.count == 1)
  }

  @Test func allRowsBadIsAnError() throws {
    let path = try temporaryFile("customer_id,date,amount\n1,bad,1\n")
    #expect(
      fileError(path, format: OrderLogFormat(dateFormat: .isoDate, skipBadRows: true))
        == .invalidFile(file: path, reason: "no valid orders"))
  }
}
