import TestSupport
import Testing

@testable import CLVData

/// `NumberText` writes the one number format of every CSV writer: shortest round-trip text,
/// whole numbers without `.0`.
struct NumberTextConsistencyTests {
  static let edgeValues: [Double] = [
    0, -0.0, 1, -1, 0.1, 0.5, 2.5, 0.001, 0.0015, -0.001, 1e11 - 0.5, 99_999_999_999.9999,
    0.30000000000000004, 18.844, 1e-5, 1e-7, 123456.789, 1e14, 999_999_999_999_999, 1e15,
    -1e15, 9_007_199_254_740_992, 1e16, 1e21, 1e22, 1e300, .leastNonzeroMagnitude,
    .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1.0 / 3,
    92.71428571428571, 0.9025539183169855,
  ]

  /// Random finite doubles: uniform bit patterns (every exponent) and uniform in [0, 1).
  static func randomValues(count: Int) -> [Double] {
    var rng = SeededGenerator(seed: 7)
    var values: [Double] = []
    while values.count < count {
      let bits = Double(bitPattern: rng.next())
      if bits.isFinite { values.append(bits) }
      values.append(Double(rng.next() >> 11) * 0x1p-53)
      values.append((Double(rng.next() >> 11) * 0x1p-53 * 2000).rounded() / 7)
      // Money-like values (the short-decimal path): n / 10^k, k = 1…5, either sign.
      let k = Int(rng.next() % 5) + 1
      let n = Double(Int64(rng.next() % 2_000_000_000) - 1_000_000_000)
      values.append(n / [10.0, 100, 1000, 10_000, 100_000][k - 1])
    }
    return values
  }

  /// The one number format, stated independently of `NumberText`: Swift's shortest round-trip
  /// `description`, whole numbers below 10¹⁵ without the `.0`.
  static func expected(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return value.description
  }

  @Test func compactBytesAreTheShortestRoundTripForm() {
    for value in Self.edgeValues + Self.randomValues(count: 30_000) {
      var bytes: [UInt8] = []
      NumberText.appendCompact(value, to: &bytes)
      let text = String(decoding: bytes, as: UTF8.self)
      #expect(text == Self.expected(value), "\(value)")
      #expect(Double(text) == value, "\(value) reads back")
      #expect(NumberText.string(value) == text)
      #expect(SummaryCSVWriter.format(value) == text)
    }
  }

  /// Values of the exact shortest-digits path (2⁻¹³ ≤ |v| < 10¹⁵, not whole): model outputs
  /// (uniform significands at every exponent of the range), decimals n / 10^k and their
  /// neighbours one and two ulps away (the digits decided by the last bit), powers of two and
  /// their neighbours (the asymmetric interval), and values whose two nearest candidates tie.
  static func shortestPathValues(count: Int) -> [Double] {
    var rng = SeededGenerator(seed: 11)
    var values: [Double] = [
      562_949_953_421_312.25, 0x1p-13, 0x1p-13.nextDown, 0x1p49 + 0.5, 999_999_999_999_999.9,
      0.000_122_070_312_5, 0.3, 0.1.nextUp, 0.1.nextDown, 2.000_000_000_000_000_4,
    ]
    while values.count < count {
      let exponent = Int(rng.next() % 63) - 13
      let significand = 1 + Double(rng.next() >> 11) * 0x1p-53
      let value = Double(sign: .plus, exponent: exponent, significand: significand)
      values += [value, -value]
      let k = Int(rng.next() % 18)
      let decimal =
        Double(rng.next() % (1 << 53))
        / ([Double](repeating: 10, count: k)
          .reduce(1, *))
      values += [decimal, decimal.nextUp, decimal.nextDown, decimal.nextUp.nextUp]
      let power = Double(sign: .plus, exponent: exponent, significand: 1)
      values += [power, power.nextUp, power.nextDown]
    }
    return values
  }

  @Test func theExactShortestDigitsAreTheDescription() {
    var decided = 0
    for value in Self.shortestPathValues(count: 400_000) {
      var bytes: [UInt8] = []
      NumberText.appendCompact(value, to: &bytes)
      let text = String(decoding: bytes, as: UTF8.self)
      if text != Self.expected(value) { Issue.record("appendCompact(\(value)): \(text)") }
      var direct: [UInt8] = []
      if NumberText.appendShortestDecimal(value, to: &direct) {
        decided += 1
        let text = String(decoding: direct, as: UTF8.self)
        if text != value.description { Issue.record("shortest(\(value)): \(text)") }
      }
    }
    // The path decides most of the sample (it leaves ties, interval ends, powers of two and
    // values outside its range to `description`).
    #expect(decided > 250_000)
  }

  @Test func integersAndTheTimeCacheMatchTheFormat() {
    for value in [0, 7, -7, 1_000_000, Int.max, Int.min] {
      var bytes: [UInt8] = []
      NumberText.appendInteger(value, to: &bytes)
      #expect(String(decoding: bytes, as: UTF8.self) == value.description)
    }
    // Twice through the cache (miss, then hit), days / 7 and values that are not days / 7.
    var cache = NumberText.TimeTextCache(unitDays: 7, enabled: true)
    let values = (0..<800).map { Double($0) / 7 } + [0.1, -0.0, -1.0 / 7, 1e6, 0.5]
    for value in values + values {
      var bytes = ByteWriter(capacity: 8)
      cache.append(value, to: &bytes)
      #expect(String(decoding: bytes.bytes, as: UTF8.self) == Self.expected(value), "\(value)")
    }
  }

  @Test func theValueCacheWritesWhatAppendCompactWrites() {
    // Repeats (hits), more distinct values than slots (evictions), and every kind of value.
    var cache = NumberText.CompactTextCache()
    let random = Self.randomValues(count: 40_000)
    let values = Self.edgeValues + random + random.prefix(5_000) + Self.edgeValues
    for value in values {
      var bytes = ByteWriter(capacity: 8)
      bytes.append(7)
      cache.append(value, to: &bytes)
      #expect(
        String(decoding: bytes.bytes.dropFirst(), as: UTF8.self) == Self.expected(value),
        "\(value)")
    }
  }

  @Test func fieldsAreQuotedOnlyWhenNeeded() {
    let cases = [("c1", "c1"), ("a,b", "\"a,b\""), ("q\"x", "\"q\"\"x\""), ("l\nm", "\"l\nm\"")]
    for (text, expected) in cases {
      var bytes: [UInt8] = []
      NumberText.appendField(text, to: &bytes)
      #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }
  }
}
