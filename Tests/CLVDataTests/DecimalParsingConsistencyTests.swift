import TestSupport
import Testing

@testable import CLVData

/// The number parser's fast paths give the same double, bit for bit, as `strtod`
/// (`Double(String)`, correctly rounded).
@Suite struct DecimalParsingConsistencyTests {
  static func parsed(_ text: String) -> Double? {
    var text = text
    return text.withUTF8 { bytes in
      if case .value(let v) = parseDecimal(UnsafeRawBufferPointer(bytes)) { return v }
      return nil
    }
  }

  static func expectSame(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let expected = Double(text)!
    let actual = parsed(text)
    #expect(
      actual?.bitPattern == expected.bitPattern,
      "\(text): \(String(describing: actual)) vs \(expected)",
      sourceLocation: sourceLocation)
  }

  @Test func testShortestFormsOfRandomDoublesRoundTrip() {
    // "\(d)" of random doubles over magnitudes 1e-8 … 1e12: 16–17 significant digits, the form
    // clvkit writes recency, T and scores in (2 million values).
    var rng = SeededGenerator(seed: 13)
    for _ in 0..<2_000_000 {
      let mantissa = 1 + Double(rng.next() >> 11) * 0x1p-53
      let exponent = Int(rng.next() % 67) - 27
      let value = Double(sign: .plus, exponent: exponent, significand: mantissa)
      let text = "\(value)"
      #expect(Self.parsed(text)?.bitPattern == value.bitPattern, "\(text)")
    }
  }

  @Test func testRandomDecimalsOfSixteenToNineteenDigits() {
    // Random digit strings with the point anywhere: significands of 16–19 digits, scales
    // −22 … +3 (200 000 values), and their negatives.
    var rng = SeededGenerator(seed: 29)
    for _ in 0..<200_000 {
      let digits = 16 + Int(rng.next() % 4)
      var text = String(rng.next() % 9 + 1)
      for _ in 1..<digits { text += String(rng.next() % 10) }
      let point = Int(rng.next() % UInt64(digits + 1))
      if point < digits {
        text.insert(".", at: text.index(text.startIndex, offsetBy: point))
      }
      if rng.next() % 4 == 0 { text += "e-\(rng.next() % 4)" }
      Self.expectSame(text)
      Self.expectSame("-" + text)
    }
  }

  @Test func testEightDigitBlocksAgreeWithStrtod() {
    // Integer and fraction parts of 0–27 digits, with runs of leading zeros (which do not count
    // as significant digits), beyond 19 digits (the strtod path), with and without exponents;
    // and a non-digit placed anywhere in a long number is not a number.
    var rng = SeededGenerator(seed: 31)
    func digits(_ count: Int) -> String {
      var text = ""
      let zeros = rng.next() % 3 == 0 ? Int(rng.next() % UInt64(count + 1)) : 0
      for i in 0..<count { text += i < zeros ? "0" : String(rng.next() % 10) }
      return text
    }
    for _ in 0..<100_000 {
      var text = digits(Int(rng.next() % 28))
      if rng.next() % 3 != 0 { text += "." + digits(Int(rng.next() % 28)) }
      guard text.contains(where: \.isNumber) else { continue }
      if rng.next() % 5 == 0 { text += "e\(Int(rng.next() % 41) - 20)" }
      Self.expectSame(text)
      Self.expectSame("-" + text)
      if text.count > 1 {
        var bad = text
        bad.insert(
          "x", at: bad.index(bad.startIndex, offsetBy: Int(rng.next() % UInt64(text.count))))
        #expect(Self.parsed(bad) == nil, "\(bad)")
      }
    }
    #expect(eightDigits(0x3837_3635_3433_3231) == 12_345_678)  // "12345678"
    #expect(eightDigits(0x3837_3635_3433_3A31) == nil)  // "1:345678"
  }

  @Test func testTheMemoGivesWhatTheParserGives() {
    // days / 7 as clv summarize writes them (hits), more distinct texts than slots (evictions),
    // texts of 1–30 bytes, non-numbers (never remembered) and texts that differ in one byte.
    var memo = DecimalMemo()
    var rng = SeededGenerator(seed: 37)
    var texts: [String] = (0..<2_000).map { "\(Double($0) / 7)" }
    for _ in 0..<20_000 { texts.append("\(Double(rng.next() >> 11) * 0x1p-53 * 1e6)") }
    texts += ["", "-", "1e", "nan", "inf", "x1", "0", "-0.0", "12345678901234567890123456789"]
    texts += ["0.14285714285714285", "0.14285714285714286", "1.1428571428571428e-05"]
    for text in texts + texts.reversed() + texts {
      var bytes = Array(text.utf8)
      let (memoized, direct) = bytes.withUnsafeMutableBytes {
        (memo.parse(UnsafeRawBufferPointer($0)), parseDecimal(UnsafeRawBufferPointer($0)))
      }
      switch (memoized, direct) {
      case (.value(let a), .value(let b)): #expect(a.bitPattern == b.bitPattern, "\(text)")
      case (.notANumber, .notANumber), (.nonFinite, .nonFinite): break
      default: Issue.record("\(text): \(memoized) vs \(direct)")
      }
    }
  }

  @Test func testMidpointsAndEdgesFallBackOrAgree() {
    // Exact midpoints between doubles (ties to even), values next to them, 2⁵³ … 2⁶⁴, and
    // 19-digit extremes.
    for text in [
      "9007199254740993", "9007199254740995", "9007199254740992.5", "9007199254740993.0000001",
      "18014398509481986", "18014398509481990", "9223372036854775808", "9223372036854775807",
      "9999999999999999999", "1000000000000000000", "18446744073709551615",
      "0.1000000000000000055", "0.3000000000000000444", "1.0000000000000002220",
      "1.0000000000000001110", "1.000000000000000111", "99.71428571428571", "4.5e-22",
      "1234567890123456789e-22", "1234567890123456789e3", "0000000000000000001234.5678",
    ] {
      Self.expectSame(text)
    }
    // 2⁵³ + 1 is halfway between 2⁵³ and 2⁵³ + 2: the double-double path declines it.
    #expect(doubleDoubleDecimal(significand: 9_007_199_254_740_993, scale: 0) == nil)
    // An ordinary 16-digit value takes the double-double path.
    #expect(doubleDoubleDecimal(significand: 9_971_428_571_428_571, scale: -14) != nil)
  }
}
