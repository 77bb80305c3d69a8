import CLVData

extension CustomerAttributes {
  /// How many of a set of customers have a row in the attributes file.
  public struct Coverage: Equatable, Sendable {
    /// Customers looked up.
    public var customers: Int
    /// Customers without a row (their attributes are filled with `--fill`).
    public var missing: Int
    /// The first customer (in the given order) without a row.
    public var exampleMissing: String?
    /// The first id of the attributes file (in file order) that matches none of the customers.
    public var exampleUnmatched: String?

    /// `missing / customers` (0 without customers).
    public var missingShare: Double { customers == 0 ? 0 : Double(missing) / Double(customers) }
  }

  /// The largest share of customers without a row that `--fill` fills; above it the ids of the
  /// two files most likely do not match (`1` vs `00001`). A product decision: a fill of a fifth
  /// of the customers already dominates what the attributes can say.
  public static let maximumFilledShare = 0.2

  /// Which of `customerIDs` have a row.
  /// - Complexity: O(n + m) for n customers and m attribute rows.
  public func coverage(of customerIDs: [String]) -> Coverage {
    var missing = 0
    var exampleMissing: String? = nil
    var seen = Set<String>()
    seen.reserveCapacity(customerIDs.count)
    for id in customerIDs {
      seen.insert(id)
      if record(for: id) == nil {
        missing += 1
        if exampleMissing == nil { exampleMissing = id }
      }
    }
    let unmatched = records.first { !seen.contains($0.customerID) }?.customerID
    return Coverage(
      customers: customerIDs.count, missing: missing, exampleMissing: exampleMissing,
      exampleUnmatched: unmatched)
  }

  /// The coverage of `customerIDs`, checked for filling: more than ``maximumFilledShare`` of
  /// the customers without a row is an error showing an id from each side.
  ///
  /// - Parameter ordersFile: the file the customers come from, for the message.
  /// - Throws: ``DataError/invalidFile(file:reason:)`` (exit 65).
  public func checkedCoverage(of customerIDs: [String], ordersFile: String) throws -> Coverage {
    let coverage = coverage(of: customerIDs)
    guard coverage.missingShare <= Self.maximumFilledShare else {
      let percent = Int((coverage.missingShare * 100).rounded())
      var reason =
        "no row for \(coverage.missing) of \(coverage.customers) customers (\(percent)%, more "
        + "than \(Int(Self.maximumFilledShare * 100))% would be filled by --fill): do the ids "
        + "match? e.g. '\(coverage.exampleMissing ?? "")' in \(ordersFile)"
      if let other = coverage.exampleUnmatched {
        reason += ", '\(other)' in \(file)"
      }
      throw DataError.invalidFile(file: file, reason: reason)
    }
    return coverage
  }
}
