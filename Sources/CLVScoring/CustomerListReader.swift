import CLVData

/// Reads a customer list (`clv score --customers FILE`): the known customers, some of whom may
/// have no orders yet (prospects).
///
/// A CSV file whose header has a `customer_id` column (other columns are ignored); `-` is
/// standard input. Ids are kept in file order; repeated ids are listed once.
public enum CustomerListReader {
  /// Reads `path` with the CSV reader every clvkit input goes through
  /// (``DelimitedRecordReader``: quoted ids may hold commas, quotes and line breaks).
  /// - Throws: ``DataError/notReadable(path:reason:)``; ``DataError`` with file and line for a
  ///   missing `customer_id` column, a malformed row, an empty id or one that is not UTF-8.
  public static func read(path: String) throws -> [String] {
    try parse(DelimitedRecordReader(path: path, delimiter: .comma))
  }

  /// Parses the bytes of a customer list named `file` (for messages).
  public static func parse(_ bytes: [UInt8], file: String) throws -> [String] {
    try parse(DelimitedRecordReader(bytes: bytes, displayName: file, delimiter: .comma))
  }

  static func parse(_ records: DelimitedRecordReader) throws -> [String] {
    let file = records.displayName
    let header = try records.header(expected: "a customer_id header")
    guard let column = header.firstIndex(of: "customer_id") else {
      throw DataError.invalidRow(
        file: file, line: records.line, reason: "no 'customer_id' column in the header")
    }
    var ids: [String] = []
    var seen = Set<String>()
    while try records.next() {
      try records.requireFields(of: header)
      let id = try records.text(column, column: "customer_id")
      guard !id.isEmpty else {
        throw DataError.invalidField(
          file: file, line: records.line, column: "customer_id", value: "",
          expected: "a customer id")
      }
      if seen.insert(id).inserted { ids.append(id) }
    }
    return ids
  }
}

extension ScoreAugmenter {
  /// The prospects among `listed`: ids without orders (not in `customersWithOrders`), in list
  /// order. `clv score --customers FILE` appends their rows after the customers with orders.
  public static func prospects(
    listed: [String], customersWithOrders: Set<String>
  ) -> [CustomerFacts] {
    listed.filter { !customersWithOrders.contains($0) }.map(CustomerFacts.prospect)
  }
}
