import CLVData

/// Reads a campaign list written by `clv target --control` (or `clv simulate --uplift`): the
/// customers and their groups, from the `customer_id` and `group` columns (others ignored).
///
/// Ids written with `--neutralize-formulas` (a `'` before a formula-like id) are read back
/// without the `'`, so that they match the order log.
public enum CampaignListReader {
  /// One customer of the list.
  public struct Row: Sendable, Equatable {
    public var customerID: String
    public var group: CampaignGroup
    public init(customerID: String, group: CampaignGroup) {
      self.customerID = customerID
      self.group = group
    }
  }

  /// Reads `path` (`-` for standard input) with the one CSV reader, ``DelimitedRecordReader``.
  /// - Throws: ``DataError/notReadable(path:reason:)``; ``DataError`` with file and line for a
  ///   missing column, an empty id, a group other than treatment or control (also an empty
  ///   one: a customer in neither group), a row without a group field, or an id listed twice.
  public static func read(path: String) throws -> [Row] {
    try parse(DelimitedRecordReader(path: path, delimiter: .comma))
  }

  /// Parses the bytes of a list named `file` (for messages).
  public static func parse(_ bytes: [UInt8], file: String) throws -> [Row] {
    try parse(DelimitedRecordReader(bytes: bytes, displayName: file, delimiter: .comma))
  }

  static func parse(_ records: DelimitedRecordReader) throws -> [Row] {
    let file = records.displayName
    let header = try records.header(expected: "a header with customer_id and group")
    guard let idColumn = header.firstIndex(of: "customer_id") else {
      throw DataError.invalidRow(
        file: file, line: records.line, reason: "no 'customer_id' column in the header")
    }
    guard let groupColumn = header.firstIndex(of: "group") else {
      throw DataError.invalidRow(
        file: file, line: records.line,
        reason: "no 'group' column in the header (build the list with clv target --control)")
    }
    var rows: [Row] = []
    var firstLine: [String: Int] = [:]
    while try records.next() {
      try records.requireFields(of: header)
      var id = try records.text(idColumn, column: "customer_id")
      if id.hasPrefix("'"), CSVFormula.isFormulaLike(String(id.dropFirst())) {
        id.removeFirst()
      }
      guard !id.isEmpty else {
        throw DataError.invalidField(
          file: file, line: records.line, column: "customer_id", value: "",
          expected: "a customer id")
      }
      let text = try records.text(groupColumn, column: "group")
      guard let group = CampaignGroup(rawValue: text) else {
        throw DataError.invalidField(
          file: file, line: records.line, column: "group", value: text,
          expected: "treatment or control (every customer on the list is in one of the two "
            + "groups; leave customers outside the test off the list)")
      }
      if let first = firstLine[id] {
        throw DataError.invalidRow(
          file: file, line: records.line,
          reason: "customer '\(id)' is on the list twice (also on line \(first))")
      }
      firstLine[id] = records.line
      rows.append(Row(customerID: id, group: group))
    }
    return rows
  }
}
