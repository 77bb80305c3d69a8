import CLVData
import Foundation

extension CustomerAttributes {
  /// Reads a customer attributes CSV (a customer_id column and one column per attribute).
  /// - Throws: `DataError.notReadable` (exit 66) or the parser's `DataError` (exit 65).
  public static func read(path: String) throws -> CustomerAttributes {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw DataError.notReadable(path: path, reason: "no such file, or not UTF-8 text")
    }
    return try CustomerAttributes(csv: text, file: path)
  }

  /// What `--fill` did, for standard error: `--fill: filled the attributes of 3 of 120
  /// customers (no row in attributes.csv)`.
  public func fillNote(_ coverage: Coverage) -> String {
    "--fill: filled the attributes of \(coverage.missing) of \(coverage.customers) customers "
      + "(no row in \(file))"
  }
}
