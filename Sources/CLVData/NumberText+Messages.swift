import Foundation

/// Numbers in messages and in the `reason` text of lists: plain ASCII, no grouping, no locale.
///
/// The three places that turn a number into text, one per purpose: ``NumberText`` (the files
/// clvkit writes: shortest round-trip form), these two (messages and reasons), and
/// `NumberFormat` in CLVReport (the report's tables and charts: grouped digits, U+2212 minus).
extension NumberText {
  /// Fixed point with `digits` decimals, rounded half away from zero: `fixed(1234.567,
  /// digits: 2)` = "1234.57", `fixed(-0.001, digits: 2)` = "0.00"; a non-finite value or one
  /// of 9e15 units or more as its `description`.
  public static func fixed(_ x: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
    guard x.isFinite, scaled < 9e15 else { return "\(x)" }
    let units = Int64(scaled)
    let integer = units / Int64(scale)
    let sign = x < 0 && units != 0 ? "-" : ""
    guard digits > 0 else { return "\(sign)\(integer)" }
    var fraction = String(units % Int64(scale))
    fraction = String(repeating: "0", count: digits - fraction.count) + fraction
    return "\(sign)\(integer).\(fraction)"
  }

  /// Six significant digits (C's `%.6g`: `0.243`, `1.23457e+06`), for estimates in messages.
  public static func significant(_ x: Double) -> String { String(format: "%.6g", x) }
}
