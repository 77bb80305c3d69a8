import CLVData
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The shared reader's fault handling (issue 20): a file rewritten or replaced while it is
/// read, invalid UTF-8, long or multi-line values in messages, the one quoting writer.
@Suite struct ReaderFaultInputTests {
  private func file(_ text: String) throws -> URL {
    let dir = try Fixtures.temporaryDirectory()
    let url = dir.appendingPathComponent("orders.csv")
    try Data(text.utf8).write(to: url)
    return url
  }

  /// A file appended to while it is read: the reader says so instead of mixing contents.
  @Test func aFileRewrittenWhileReadIsAnError() throws {
    let url = try file("customer_id,date\na,2024-01-01\n")
    let reader = try DelimitedRecordReader(path: url.path, delimiter: .comma)
    #expect(try reader.next())
    try reader.checkUnchanged()
    let handle = try FileHandle(forWritingTo: url)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("b,2024-01-02\n".utf8))
    try handle.close()
    #expect {
      try reader.checkUnchanged()
    } throws: { error in
      (error as? DataError)?.description.contains("changed while it was being read") == true
    }
    #expect(throws: DataError.self) { _ = try reader.reopened() }
  }

  /// A file replaced by `mv` while it is read: the second pass reads the same open file (the
  /// old contents, whole), not the new file at the path.
  @Test func aFileReplacedWhileReadIsReadAsItWas() throws {
    let url = try file("customer_id,date\nold,2024-01-01\n")
    let reader = try DelimitedRecordReader(path: url.path, delimiter: .comma)
    while try reader.next() {}
    let replacement = url.deletingLastPathComponent().appendingPathComponent("new.csv")
    try Data("customer_id,date\nnew,2024-01-01\n".utf8).write(to: replacement)
    #expect(rename(replacement.path, url.path) == 0)
    let again = try reader.reopened()
    var ids: [String] = []
    while try again.next() { ids.append(again.field(0)) }
    #expect(ids == ["customer_id", "old"])
  }

  @Test func invalidUTF8IsALocatedErrorShowingTheBytes() throws {
    let bytes = Array("customer_id\na".utf8) + [0xFF, 0x0A]
    let reader = DelimitedRecordReader(bytes: bytes, displayName: "ids.csv", delimiter: .comma)
    #expect(try reader.next())
    #expect(try reader.next())
    #expect(
      throws: DataError.invalidField(
        file: "ids.csv", line: 2, column: "customer_id", value: "a\\xFF", expected: "UTF-8 text")
    ) { _ = try reader.text(0, column: "customer_id") }
  }

  /// Messages stay one short line: values cut at 80 characters (with their length), line
  /// breaks and control characters escaped.
  @Test func messagesShowValuesOnOneShortLine() {
    let long = String(repeating: "9", count: 1_000_000)
    let message = DataError.invalidField(
      file: "f.csv", line: 2, column: "amount", value: long, expected: "a number"
    ).description
    #expect(message.utf8.count < 200)
    #expect(message.contains("… (1000000 bytes)"))
    #expect(DataError.shown("a\nb\r\u{0}c") == "a\\nb\\r\\u{0}c")
    let row = DataError.invalidRow(file: "f.csv", line: 3, reason: "x\n" + long).description
    #expect(!row.contains("\n") && row.utf8.count < 500)
    // A column name from a header is cut too (found by clv-fuzz in 10 minutes).
    let column = DataError.invalidField(
      file: "f.csv", line: 2, column: long, value: "x", expected: "a number"
    ).description
    #expect(column.utf8.count < 300)
  }

  /// The one quoting writer quotes what the reader would change: delimiters, quotes, line
  /// breaks, and blanks at either end (unquoted fields are trimmed); what it writes reads back.
  @Test func theQuotingWriterRoundTripsThroughTheReader() throws {
    let values = ["plain", "a,b", "say \"hi\"", "two\nlines", " padded ", "\ttab", "=1+1", ""]
    var bytes = Array("id\n".utf8)
    for value in values {
      NumberText.appendField(value, to: &bytes)
      bytes.append(10)
    }
    let reader = DelimitedRecordReader(bytes: bytes, displayName: "w.csv", delimiter: .comma)
    var read: [String] = []
    while try reader.next() { read.append(try reader.text(0, column: "id")) }
    // The empty value is a blank line, which the reader skips.
    #expect(read == ["id"] + values.dropLast())
  }

  @Test func formulaLikeIdsAreNeutralizedWithAQuote() {
    for id in ["=cmd", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
      #expect(CSVFormula.isFormulaLike(id))
      #expect(CSVFormula.neutralized(id) == "'" + id)
    }
    for id in ["a=1", "12", "", "'=x"] {
      #expect(!CSVFormula.isFormulaLike(id))
      #expect(CSVFormula.neutralized(id) == id)
    }
  }
}
