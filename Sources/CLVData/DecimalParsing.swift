/// The outcome of parsing a number field.
enum ParsedNumber {
  case value(Double)
  case notANumber  // not numeric text
  case nonFinite  // nan, inf, infinity, or overflow
}

private let exactPowersOfTen: [Double] = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// Parses a decimal number from bytes: `[+-]digits[.digits][(e|E)[+-]digits]`.
///
/// Correctly rounded: when the significand has at most 15 digits and the decimal exponent is at
/// most 22 in magnitude, both are exact doubles and one multiplication or division rounds once
/// (Clinger's fast path); up to 19 digits, a double-double quotient or product certified away
/// from rounding midpoints (`doubleDoubleDecimal`); anything else goes to the standard
/// library's `Double(String)` (strtod semantics).
///
/// - Source: W. D. Clinger, "How to read floating point numbers accurately",
///   PLDI 1990, doi:10.1145/93542.93557.
func parseDecimal(_ bytes: UnsafeRawBufferPointer) -> ParsedNumber {
  let n = bytes.count
  guard n > 0 else { return .notANumber }
  var i = 0
  var negative = false
  if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
    negative = bytes[0] == UInt8(ascii: "-")
    i = 1
  }
  var significand: UInt64 = 0
  var digits = 0
  var fractionDigits = 0
  var sawDigit = false
  while i < n {
    let d = bytes[i] &- 48
    guard d <= 9 else { break }
    sawDigit = true
    if significand != 0 || d != 0 { digits += 1 }
    significand = significand &* 10 &+ UInt64(d)
    i += 1
  }
  if i < n, bytes[i] == UInt8(ascii: ".") {
    i += 1
    while i < n {
      let d = bytes[i] &- 48
      guard d <= 9 else { break }
      sawDigit = true
      if significand != 0 || d != 0 { digits += 1 }
      significand = significand &* 10 &+ UInt64(d)
      fractionDigits += 1
      i += 1
    }
  }
  var exponent = 0
  if sawDigit, i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
    i += 1
    var exponentNegative = false
    if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
      exponentNegative = bytes[i] == UInt8(ascii: "-")
      i += 1
    }
    var sawExponentDigit = false
    while i < n {
      let d = bytes[i] &- 48
      guard d <= 9 else { break }
      sawExponentDigit = true
      if exponent < 100_000 { exponent = exponent * 10 + Int(d) }
      i += 1
    }
    guard sawExponentDigit else { return .notANumber }
    if exponentNegative { exponent = -exponent }
  }
  guard sawDigit, i == n else { return nonNumeric(bytes) }
  let scale = exponent - fractionDigits
  if digits <= 15, abs(scale) <= 22 {
    var value = Double(significand)
    value = scale < 0 ? value / exactPowersOfTen[-scale] : value * exactPowersOfTen[scale]
    return .value(negative ? -value : value)
  }
  if digits <= 19, let value = doubleDoubleDecimal(significand: significand, scale: scale) {
    return .value(negative ? -value : value)
  }
  guard let value = Double(String(decoding: bytes, as: UTF8.self)) else { return .notANumber }
  return value.isFinite ? .value(value) : .nonFinite
}

/// Distinguishes spelled-out non-finite values (`nan`, `inf`, `infinity`, signed) from text.
private func nonNumeric(_ bytes: UnsafeRawBufferPointer) -> ParsedNumber {
  var text = String(decoding: bytes, as: UTF8.self).lowercased()
  if text.hasPrefix("-") || text.hasPrefix("+") { text.removeFirst() }
  return ["nan", "inf", "infinity"].contains(text) ? .nonFinite : .notANumber
}
