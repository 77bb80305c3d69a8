import Foundation

/// Locale-independent number formatting for charts and tables (the output must not depend on
/// the machine's locale: reports are deterministic).
public enum NumberFormat {
  /// `value` with exactly `fractionDigits` decimals and comma thousands separators;
  /// "−" (U+2212) for negatives; never "-0". Non-finite values print as "n/a".
  public static func fixed(_ value: Double, fractionDigits: Int) -> String {
    guard value.isFinite else { return "n/a" }
    let digits = max(0, min(fractionDigits, 12))
    var text = String(format: "%.\(digits)f", abs(value))
    let negative = value < 0 && text.contains(where: { $0 != "0" && $0 != "." })
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    var integer = String(parts[0])
    if integer.count > 3 {
      var grouped = ""
      for (index, character) in integer.reversed().enumerated() {
        if index > 0 && index % 3 == 0 { grouped.append(",") }
        grouped.append(character)
      }
      integer = String(grouped.reversed())
    }
    text = parts.count > 1 ? integer + "." + parts[1] : integer
    return negative ? "\u{2212}" + text : text
  }

  /// `value` with about `significant` significant digits (at most 6 decimals), grouped;
  /// with `trimmingZeros`, trailing zero decimals are dropped (0.2430 → 0.243).
  public static func significant(
    _ value: Double, _ significant: Int = 3, trimmingZeros: Bool = false
  ) -> String {
    guard value.isFinite else { return "n/a" }
    guard value != 0 else { return "0" }
    let magnitude = Int(log10(abs(value)).rounded(.down))
    let digits = max(0, min(significant - 1 - magnitude, 6))
    var text = fixed(value, fractionDigits: digits)
    if trimmingZeros && text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text
  }

  /// A share as a percentage with `fractionDigits` decimals: 0.1234 → "12.3%".
  public static func percent(_ share: Double, fractionDigits: Int = 1) -> String {
    fixed(share * 100, fractionDigits: fractionDigits) + "%"
  }

  /// A coordinate for SVG output: at most 2 decimals, trailing zeros dropped, ASCII minus.
  static func coordinate(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let rounded = (value * 100).rounded() / 100
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    var text = String(format: "%.2f", rounded)
    while text.hasSuffix("0") { text.removeLast() }
    return text == "-0" ? "0" : text
  }
}
