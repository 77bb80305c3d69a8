import CLVData
import CLVNumerics
import Foundation
import RealModule

/// A customer attributes table read from CSV: a header with a `customer_id` column, then one
/// row per customer. Values are kept as text; ``ChurnFeatureSpecification`` decides which
/// columns are numeric. An empty field or `NA` is a missing value.
public struct CustomerAttributes: Sendable {
  public struct Record: Sendable {
    /// The record's line in the file (the header is line 1).
    public var line: Int
    public var customerID: String
    /// Values in `columns` order.
    public var values: [String]
  }

  /// The file name used in messages.
  public var file: String
  /// The attribute columns (every header column except `customer_id`), in file order.
  public var columns: [String]
  public var records: [Record]
  private var index: [String: Int]

  /// Parses comma-separated text (RFC 4180 quoting, LF or CRLF line ends).
  ///
  /// - Throws: ``DataError`` with the file and line: no `customer_id` column, repeated column
  ///   names, a row with the wrong number of fields, an unterminated quote, a repeated customer.
  public init(csv text: String, file: String) throws {
    self.file = file
    let lines = try Self.parse(text, file: file)
    guard let header = lines.first else {
      throw DataError.invalidFile(file: file, reason: "empty file (expected a header)")
    }
    let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
    guard let idColumn = names.firstIndex(of: "customer_id") else {
      throw DataError.invalidFile(file: file, reason: "no 'customer_id' column in the header")
    }
    if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
      throw DataError.invalidRow(file: file, line: 1, reason: "column '\(repeated)' appears twice")
    }
    columns = names.enumerated().filter { $0.offset != idColumn }.map(\.element)
    records = []
    index = [:]
    for line in lines.dropFirst() {
      guard line.fields.count == names.count else {
        throw DataError.invalidRow(
          file: file, line: line.number,
          reason: "\(line.fields.count) fields, the header has \(names.count)")
      }
      let id = line.fields[idColumn].trimmingCharacters(in: .whitespaces)
      guard !id.isEmpty else {
        throw DataError.invalidField(
          file: file, line: line.number, column: "customer_id", value: "", expected: "an id")
      }
      if let previous = index[id] {
        throw DataError.invalidRow(
          file: file, line: line.number,
          reason: "customer_id '\(id)' repeats line \(records[previous].line)")
      }
      index[id] = records.count
      let values = line.fields.enumerated().filter { $0.offset != idColumn }
        .map { $0.element.trimmingCharacters(in: .whitespaces) }
      records.append(Record(line: line.number, customerID: id, values: values))
    }
    guard !records.isEmpty else {
      throw DataError.invalidFile(file: file, reason: "no rows after the header")
    }
  }

  /// The record of a customer, or nil.
  public func record(for customerID: String) -> Record? {
    index[customerID].map { records[$0] }
  }

  /// An empty field or `NA`.
  public static func isMissing(_ value: String) -> Bool { value.isEmpty || value == "NA" }

  private struct Line {
    var number: Int
    var fields: [String]
  }

  /// RFC 4180: fields separated by commas, optionally quoted with `"` (a doubled `""` inside
  /// quotes is one quote); blank lines are skipped.
  private static func parse(_ text: String, file: String) throws -> [Line] {
    var lines: [Line] = []
    var fields: [String] = []
    var field = ""
    var quoted = false
    var lineNumber = 1
    var startLine = 1
    var atFieldStart = true
    var iterator = Array(text.unicodeScalars).makeIterator()
    var pending: Unicode.Scalar? = nil
    func next() -> Unicode.Scalar? {
      if let p = pending {
        pending = nil
        return p
      }
      return iterator.next()
    }
    func endLine() {
      fields.append(field)
      if !(fields.count == 1 && fields[0].isEmpty) {
        lines.append(Line(number: startLine, fields: fields))
      }
      fields = []
      field = ""
      atFieldStart = true
    }
    while let c = next() {
      if quoted {
        if c == "\"" {
          if let after = next() {
            if after == "\"" {
              field.unicodeScalars.append("\"")
            } else {
              quoted = false
              pending = after
            }
          } else {
            quoted = false
          }
        } else {
          if c == "\n" { lineNumber += 1 }
          field.unicodeScalars.append(c)
        }
        continue
      }
      switch c {
      case "\"" where atFieldStart:
        quoted = true
        atFieldStart = false
      case ",":
        fields.append(field)
        field = ""
        atFieldStart = true
      case "\r":
        continue
      case "\n":
        endLine()
        lineNumber += 1
        startLine = lineNumber
      default:
        field.unicodeScalars.append(c)
        atFieldStart = false
      }
    }
    if quoted {
      throw DataError.invalidRow(file: file, line: startLine, reason: "unterminated quote")
    }
    if !field.isEmpty || !fields.isEmpty { endLine() }
    return lines
  }
}
