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
  let base = bytes.baseAddress!
  // Eight digits at a time while they last (long fractions such as 30.142857142857142).
  while i + 8 <= n, let eight = eightDigits(base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
  {
    sawDigit = true
    digits += significand != 0 ? 8 : digitCount(eight)
    significand = significand &* 100_000_000 &+ eight
    i += 8
  }
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
    while i + 8 <= n,
      let eight = eightDigits(base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    {
      sawDigit = true
      digits += significand != 0 ? 8 : digitCount(eight)
      significand = significand &* 100_000_000 &+ eight
      fractionDigits += 8
      i += 8
    }
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

/// The value of eight ASCII digits loaded from memory into `chunk` (little-endian: the first
/// digit in the lowest byte), or nil when one of the eight bytes is not a digit.
///
/// - Source: D. Lemire, "Number parsing at a gigabyte per second", Software: Practice and
///   Experience 51(8), 2021, section 6 (the eight-digit test and the three multiplications
///   that combine the digits pairwise, then in fours, then in eights).
@inline(__always)
func eightDigits(_ chunk: UInt64) -> UInt64? {
  #if _endian(little)
  // Every byte is 0x30…0x39: its high nibble is 3, and adding 6 keeps it 3.
  let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
  guard
    (chunk & high) | (((chunk &+ 0x0606_0606_0606_0606) & high) >> 4)
      == 0x3333_3333_3333_3333
  else { return nil }
  var value = chunk &- 0x3030_3030_3030_3030
  value = value &* 10 &+ (value >> 8)  // byte pairs: 10·d₀ + d₁ in every even byte
  let pairs: UInt64 = 0x0000_00FF_0000_00FF
  let fours = (value & pairs) &* (100 &+ (1_000_000 << 32))
  let others = ((value >> 16) & pairs) &* (1 &+ (10_000 << 32))
  return (fours &+ others) >> 32
  #else
  return nil
  #endif
}

/// The number of decimal digits of `value` without leading zeros (0 for 0), value < 10⁸.
@inline(__always)
private func digitCount(_ value: UInt64) -> Int {
  var count = 0
  var rest = value
  while rest > 0 {
    rest /= 10
    count += 1
  }
  return count
}

/// ``parseDecimal(_:)`` remembered by the field's text (``FieldMemo``): a summary's recency
/// and T are whole days over the unit's length, a few thousand distinct texts of 16–17 digits
/// in a million rows. Only values are remembered.
struct DecimalMemo {
  private var memo = FieldMemo<Double>(placeholder: 0)

  mutating func parse(_ bytes: UnsafeRawBufferPointer) -> ParsedNumber {
    var failure = ParsedNumber.notANumber
    let value = memo.value(of: bytes) { bytes in
      let parsed = parseDecimal(bytes)
      guard case .value(let value) = parsed else {
        failure = parsed
        return nil
      }
      return value
    }
    return value.map { .value($0) } ?? failure
  }
}

/// A value parsed from a field, remembered by the field's text (up to 24 bytes) in a
/// direct-mapped table of 4,096 entries: fields that repeat (a summary's times, an order log's
/// dates) are parsed once per distinct text, since comparing three words is cheaper than
/// parsing them again. Only successful parses are remembered; longer texts are parsed each
/// time.
struct FieldMemo<Value> {
  private var keys = [(UInt64, UInt64, UInt64, Int)](repeating: (0, 0, 0, -1), count: 4096)
  private var values: [Value]

  /// - Parameter placeholder: fills the empty slots (never returned).
  init(placeholder: Value) {
    values = [Value](repeating: placeholder, count: 4096)
  }

  /// The value of the text `bytes`: remembered, or `parse(bytes)` (nil: not a value).
  @inline(__always)
  mutating func value(
    of bytes: UnsafeRawBufferPointer, parse: (UnsafeRawBufferPointer) -> Value?
  ) -> Value? {
    let n = bytes.count
    guard n > 0, n <= 24 else { return parse(bytes) }
    let p = bytes.baseAddress!
    let key = (
      loadPadded(p, n), n > 8 ? loadPadded(p + 8, n - 8) : 0,
      n > 16 ? loadPadded(p + 16, n - 16) : 0, n
    )
    let mixed = (key.0 &* 0x9E37_79B9_7F4A_7C15) ^ (key.1 &* 0xC2B2_AE3D_27D4_EB4F) ^ key.2
    let slot = Int(truncatingIfNeeded: ((mixed ^ UInt64(n)) &* 0x1656_67B1_9E37_79F9) >> 52)
    if keys[slot] == key { return values[slot] }
    guard let value = parse(bytes) else { return nil }
    keys[slot] = key
    values[slot] = value
    return value
  }
}

/// Distinguishes spelled-out non-finite values (`nan`, `inf`, `infinity`, signed) from text.
private func nonNumeric(_ bytes: UnsafeRawBufferPointer) -> ParsedNumber {
  var text = String(decoding: bytes, as: UTF8.self).lowercased()
  if text.hasPrefix("-") || text.hasPrefix("+") { text.removeFirst() }
  return ["nan", "inf", "infinity"].contains(text) ? .nonFinite : .notANumber
}
