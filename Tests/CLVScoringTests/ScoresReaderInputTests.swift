import CLVData
import CLVScoring
import Foundation
import Testing

/// Reading a scores file: the header contract and field errors with file and line.
@Suite struct ScoresReaderInputTests {
  static let header = ScoresReader.requiredColumns.joined(separator: ",")
  static let loyal =
    "a,3,10,20,5,0.9,2,0.1,5,100,loyal,active,2024-03-01,2024-01-01,2024-02-20,2024-03-10,,"
    + "bgnbd,gamma-gamma,"
  static let prospect = "\"p,1\",,,,,,,,,,prospect,,2024-03-01,,,,,bgnbd,gamma-gamma,"

  func parse(_ lines: [String]) throws -> ScoresTable {
    try ScoresReader.parse(Array(lines.joined(separator: "\n").utf8), file: "s.csv")
  }

  func expectError(_ lines: [String], _ expected: DataError) {
    #expect(throws: expected) { try parse(lines) }
  }

  @Test func readsRowsAndQuotedIDs() throws {
    let table = try parse([Self.header, Self.loyal, Self.prospect, ""])
    #expect(table.asOf == Day(year: 2024, month: 3, day: 1))
    #expect(table.records.map(\.customerID) == ["a", "p,1"])
    let a = table.records[0]
    #expect(a.line == 2 && a.frequency == 3 && a.probabilityAlive == 0.9 && a.clv == 100)
    #expect(a.segment == .loyal && a.lifecycleStage == .active)
    #expect(a.expectedNextPurchase == Day(year: 2024, month: 3, day: 10))
    #expect(a.churnProbability == nil)
    #expect(table.records[1].segment == .prospect && table.records[1].lifecycleStage == nil)
  }

  @Test func crlfAndColumnOrderAndExtraColumns() throws {
    let names = ScoresReader.requiredColumns
    let fields = Self.loyal.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    // Reverse the columns and add one: the reader goes by name.
    let header = (["extra"] + names.reversed()).joined(separator: ",")
    let row = (["x"] + fields.reversed()).joined(separator: ",")
    let table = try parse([header + "\r", row + "\r"])
    #expect(table.records.first?.clv == 100)
  }

  @Test func emptyFileAndHeaderOnly() throws {
    expectError([], .invalidFile(file: "s.csv", reason: "is empty (expected a scores header)"))
    let table = try parse([Self.header])
    #expect(table.records.isEmpty && table.asOf == nil)
  }

  @Test func missingColumnIsALineOneError() {
    let header = Self.header.replacingOccurrences(of: ",segment,", with: ",segmnt,")
    #expect(throws: DataError.self) { try parse([header, Self.loyal]) }
    do {
      _ = try parse([header, Self.loyal])
    } catch let error as DataError {
      #expect(
        error.description.hasPrefix("s.csv:1: not a scores header: missing column(s) 'segment'"))
      #expect(error.exitCode == 65)
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func fieldErrorsNameFileLineAndColumn() {
    let h = Self.header
    func replace(_ old: String, _ new: String) -> String {
      Self.loyal.replacingOccurrences(of: old, with: new)
    }
    expectError(
      [h, replace("loyal", "vip")],
      .invalidField(
        file: "s.csv", line: 2, column: "segment", value: "vip",
        expected: "one of prospect, new-buyer, loyal, low-aov-regular, at-risk, non-target, "
          + "low-frequency-regular"))
    expectError(
      [h, replace(",active,", ",sleeping,")],
      .invalidField(
        file: "s.csv", line: 2, column: "lifecycle_stage", value: "sleeping",
        expected: "new, active, departing-N or returned"))
    expectError(
      [h, replace("0.9", "1.5")],
      .invalidField(
        file: "s.csv", line: 2, column: "p_alive", value: "1.5",
        expected: "a probability in [0, 1]"))
    expectError(
      [h, replace(",100,", ",nan,")],
      .invalidField(
        file: "s.csv", line: 2, column: "clv", value: "nan",
        expected: "a finite number"))
    expectError(
      [h, replace("2024-03-10", "2024-02-30")],
      .invalidField(
        file: "s.csv", line: 2, column: "expected_next_purchase",
        value: "2024-02-30", expected: "a date yyyy-MM-dd"))
    expectError(
      [h, Self.loyal, Self.loyal],
      .invalidRow(file: "s.csv", line: 3, reason: "customer 'a' appears twice"))
    expectError(
      [h, "a,1"],
      .invalidRow(
        file: "s.csv", line: 2,
        reason: "2 fields, expected 20 as in the header (no value for column 'recency')"))
    expectError([h, "\"a,1"], .invalidRow(file: "s.csv", line: 2, reason: "unterminated quote"))
    expectError(
      [h, Self.loyal, Self.prospect.replacingOccurrences(of: "2024-03-01", with: "2024-03-02")],
      .invalidField(
        file: "s.csv", line: 3, column: "as_of", value: "2024-03-02",
        expected: "the as-of date of the other rows, 2024-03-01"))
    expectError(
      [h, "a,3,10,20,5,0.9,2,0.1,5,100,,,,,,,,bgnbd,gamma-gamma,"],
      .invalidRow(
        file: "s.csv", line: 2,
        reason: "no segment: the scores were made without dates (score an order log, or "
          + "give clv score --as-of with a summary CSV)"))
    expectError(
      [h, replace(",0.9,", ",,")],
      .invalidField(
        file: "s.csv", line: 2, column: "p_alive", value: "",
        expected: "a value (only a prospect has none)"))
  }

  @Test func unreadablePath() {
    #expect(
      throws: DataError.notReadable(
        path: "/no/such/file.csv",
        reason: "No such file or directory")
    ) {
      try ScoresReader.read(path: "/no/such/file.csv")
    }
  }
}
