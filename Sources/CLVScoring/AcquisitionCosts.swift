import CLVData
import CLVModels

/// The cost of acquiring a customer (CAC), from a CSV of two columns: a key and `cac`
/// (`clv score --cac FILE`, `clv cohorts --cac FILE`).
///
/// The key column's name says what the cost is per:
///
///     cohort,cac          the acquisition month yyyy-MM (or quarter yyyy-Qn) of the first
///     2024-01,35          purchase; a customer's month is looked up first, then its quarter
///     customer_id,cac     one customer
///     channel,cac         any other name: a column of the customer attributes (--attributes),
///     search,40           looked up by the customer's value of it
///
/// Costs are numbers ≥ 0, each key once. A customer whose key is not in the file (or who is
/// not in the attributes) has no CAC: the CAC columns stay empty. Product decisions: the key
/// kinds and the lookup order.
public struct AcquisitionCosts: Sendable, Equatable {
  /// What the costs are keyed by.
  public enum Key: Sendable, Equatable {
    /// The acquisition month (yyyy-MM) or quarter (yyyy-Qn).
    case cohort
    /// The customer id.
    case customer
    /// A column of the customer attributes, e.g. `channel`.
    case attribute(String)

    /// The key column's name in the file.
    public var column: String {
      switch self {
      case .cohort: return "cohort"
      case .customer: return "customer_id"
      case .attribute(let name): return name
      }
    }
  }

  /// The file name used in messages.
  public var file: String
  public var key: Key
  /// Cost by key value.
  public var costs: [String: Double]

  public init(file: String, key: Key, costs: [String: Double]) {
    self.file = file
    self.key = key
    self.costs = costs
  }

  /// Reads `path` (`-`: standard input).
  /// - Throws: ``DataError`` with file and line: a header that is not `KEY,cac`, a cost that
  ///   is not a finite number ≥ 0, a cohort that is not yyyy-MM or yyyy-Qn, an empty or
  ///   repeated key, no rows.
  public static func read(path: String) throws -> AcquisitionCosts {
    try parse(DelimitedRecordReader(path: path, delimiter: .comma))
  }

  /// Parses the text of a CAC file named `file` (for messages).
  public static func parse(csv text: String, file: String) throws -> AcquisitionCosts {
    try parse(DelimitedRecordReader(bytes: Array(text.utf8), displayName: file, delimiter: .comma))
  }

  static func parse(_ records: DelimitedRecordReader) throws -> AcquisitionCosts {
    let file = records.displayName
    let header = try records.header(expected: "a header KEY,cac")
    guard header.count == 2, let costColumn = header.firstIndex(of: "cac") else {
      throw DataError.invalidRow(
        file: file, line: records.line,
        reason: "expected two columns, a key (cohort, customer_id or an attribute such as "
          + "channel) and cac; got " + header.joined(separator: ","))
    }
    let keyColumn = 1 - costColumn
    let name = header[keyColumn]
    let key: Key = name == "cohort" ? .cohort : name == "customer_id" ? .customer : .attribute(name)
    var costs: [String: Double] = [:]
    var lines: [String: Int] = [:]
    while try records.next() {
      let line = records.line
      try records.requireFields(of: header)
      let value = try records.text(keyColumn, column: name)
      let costText = try records.text(costColumn, column: "cac")
      guard !value.isEmpty else {
        throw DataError.invalidField(
          file: file, line: line, column: name, value: "", expected: "a \(name) value")
      }
      if key == .cohort, CohortTable.Period.parse(value) == nil {
        throw DataError.invalidField(
          file: file, line: line, column: name, value: value,
          expected: "a month yyyy-MM or a quarter yyyy-Qn")
      }
      guard let cost = Double(costText), cost.isFinite, cost >= 0 else {
        throw DataError.invalidField(
          file: file, line: line, column: "cac", value: costText, expected: "a number ≥ 0")
      }
      if let previous = lines[value] {
        throw DataError.invalidRow(
          file: file, line: line,
          reason: "\(name) '\(DataError.shown(value))' repeats line \(previous)")
      }
      lines[value] = line
      costs[value] = cost
    }
    guard !costs.isEmpty else {
      throw DataError.invalidFile(file: file, reason: "no rows after the header")
    }
    return AcquisitionCosts(file: file, key: key, costs: costs)
  }

  /// The CAC of a customer: by its id, its first purchase's month (then quarter), or its
  /// value of the key attribute in `attributes` (customer id → value); nil when the file has
  /// none for it.
  public func cost(
    customerID: String, firstPurchase: Day, attributes: [String: String]? = nil
  ) -> Double? {
    switch key {
    case .customer: return costs[customerID]
    case .cohort:
      return costs[
        CohortTable.Period.month.name(of: CohortTable.Period.month.index(of: firstPurchase))]
        ?? costs[
          CohortTable.Period.quarter.name(of: CohortTable.Period.quarter.index(of: firstPurchase))]
    case .attribute:
      return attributes?[customerID].flatMap { costs[$0] }
    }
  }
}

extension CohortTable.Period {
  /// The period and index of a cohort name, yyyy-MM or yyyy-Qn; nil for anything else.
  public static func parse(_ name: String) -> (period: CohortTable.Period, index: Int)? {
    let parts = name.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
      let year = Int(parts[0])
    else {
      return nil
    }
    let tail = parts[1]
    if tail.count == 2, tail.allSatisfy({ $0.isASCII && $0.isNumber }), let month = Int(tail),
      (1...12).contains(month)
    {
      return (.month, 12 * year + month - 1)
    }
    if tail.count == 2, tail.first == "Q", let quarter = Int(tail.dropFirst()),
      (1...4).contains(quarter), tail.last!.isNumber
    {
      return (.quarter, 4 * year + quarter - 1)
    }
    return nil
  }
}

extension AcquisitionCosts {
  /// Customer id → the customer's value of the key attribute in `attributes` (missing values,
  /// empty or `NA`, left out); nil when the costs are not keyed by an attribute.
  /// - Throws: ``DataError`` naming the attributes file when it has no such column.
  public func keyValues(in attributes: CustomerAttributes?) throws -> [String: String]? {
    guard case .attribute(let name) = key else { return nil }
    guard let attributes else {
      throw DataError.invalidFile(
        file: file,
        reason: "costs by '\(name)' need the customer attributes (--attributes FILE with a "
          + "customer_id and a '\(name)' column)")
    }
    guard let column = attributes.columns.firstIndex(of: name) else {
      throw DataError.invalidRow(
        file: attributes.file, line: 1,
        reason: "no '\(name)' column in the header (the key of \(file); columns: "
          + attributes.columns.joined(separator: ", ") + ")")
    }
    var values: [String: String] = [:]
    for record in attributes.records where !CustomerAttributes.isMissing(record.values[column]) {
      values[record.customerID] = record.values[column]
    }
    return values
  }
}
