import CLVData
import Foundation

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

  /// Parses comma-separated text with the CSV reader every clvkit input goes through
  /// (``DelimitedRecordReader``: RFC 4180 quoting, LF or CRLF line ends, unquoted fields
  /// trimmed of blanks).
  ///
  /// - Throws: ``DataError`` with the file and line: no `customer_id` column, repeated column
  ///   names, a row with the wrong number of fields (naming the column), an unterminated
  ///   quote, a repeated customer, text that is not UTF-8.
  public init(csv text: String, file: String) throws {
    try self.init(
      DelimitedRecordReader(bytes: Array(text.utf8), displayName: file, delimiter: .comma))
  }

  /// Reads `path` (`-`: standard input) as ``init(csv:file:)`` parses text.
  public init(path: String) throws {
    try self.init(DelimitedRecordReader(path: path, delimiter: .comma))
  }

  init(_ reader: DelimitedRecordReader) throws {
    file = reader.displayName
    let names = try reader.header(expected: "a header with a customer_id column")
    guard let idColumn = names.firstIndex(of: "customer_id") else {
      throw DataError.invalidFile(file: file, reason: "no 'customer_id' column in the header")
    }
    columns = names.enumerated().filter { $0.offset != idColumn }.map(\.element)
    records = []
    index = [:]
    while try reader.next() {
      let line = reader.line
      try reader.requireFields(of: names)
      let fields = try (0..<names.count).map { try reader.text($0, column: names[$0]) }
      let id = fields[idColumn]
      guard !id.isEmpty else {
        throw DataError.invalidField(
          file: file, line: line, column: "customer_id", value: "", expected: "an id")
      }
      if let previous = index[id] {
        throw DataError.invalidRow(
          file: file, line: line,
          reason: "customer_id '\(DataError.shown(id))' repeats line \(records[previous].line)")
      }
      index[id] = records.count
      let values = fields.enumerated().filter { $0.offset != idColumn }.map(\.element)
      records.append(Record(line: line, customerID: id, values: values))
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
}
