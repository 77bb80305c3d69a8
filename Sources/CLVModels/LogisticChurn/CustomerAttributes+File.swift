import CLVData
import Foundation

extension CustomerAttributes {
  /// Reads a customer attributes CSV (a customer_id column and one column per attribute).
  /// - Throws: `DataError.notReadable` (exit 66) or the parser's `DataError` (exit 65).
  public static func read(path: String) throws -> CustomerAttributes {
    try CustomerAttributes(path: path)
  }

  /// What `--fill` did, for standard error: `--fill: filled the attributes of 3 of 120
  /// customers (no row in attributes.csv)`.
  public func fillNote(_ coverage: Coverage) -> String {
    "--fill: filled the attributes of \(coverage.missing) of \(coverage.customers) customers "
      + "(no row in \(file))"
  }
}
