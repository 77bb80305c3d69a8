import CLVData

/// Reads a customer list (`clv score --customers FILE`): the known customers, some of whom may
/// have no orders yet (prospects).
///
/// A CSV file whose header has a `customer_id` column (other columns are ignored); `-` is
/// standard input. Ids are kept in file order; repeated ids are listed once.
public enum CustomerListReader {
  /// - Throws: ``DataError/notReadable(path:reason:)``; ``DataError`` with file and line for a
  ///   missing `customer_id` column, a malformed row or an empty id.
  public static func read(path: String) throws -> [String] {
    try parse(readAll(path: path), file: path == "-" ? "<stdin>" : path)
  }

  /// Parses the bytes of a customer list named `file` (for messages).
  public static func parse(_ bytes: [UInt8], file: String) throws -> [String] {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw DataError.invalidFile(file: file, reason: "is not UTF-8 text")
    }
    let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      .map { line in
        line.last == 13 ? Substring(line.dropLast()) : Substring(line)
      }
    guard let headerLine = lines.first, !headerLine.isEmpty else {
      throw DataError.invalidFile(file: file, reason: "is empty (expected a customer_id header)")
    }
    guard let header = CSVField.split(headerLine),
      let column = header.firstIndex(of: "customer_id")
    else {
      throw DataError.invalidRow(
        file: file, line: 1, reason: "no 'customer_id' column in the header")
    }
    var ids: [String] = []
    var seen = Set<String>()
    for index in 1..<lines.count where !lines[index].isEmpty {
      guard let fields = CSVField.split(lines[index]), fields.count == header.count else {
        throw DataError.invalidRow(
          file: file, line: index + 1,
          reason: "malformed row (expected \(header.count) fields as in the header)")
      }
      let id = String(fields[column])
      guard !id.isEmpty else {
        throw DataError.invalidField(
          file: file, line: index + 1, column: "customer_id", value: "", expected: "a customer id")
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
