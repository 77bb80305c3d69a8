import TestSupport
import Testing

@testable import CLVReport

/// Tick choices against Heckbert's algorithm worked by hand ([Heckbert1990] `loose_label`,
/// 5 ticks): for [0, 97], range = nicenum(97, ceiling) = 100, step = nicenum(25, round) = 20.
@Suite struct ScaleCorrectnessTests {
  @Test func ticksForZeroToNinetySeven() {
    let ticks = NiceTicks(0, 97)
    #expect(ticks.values == [0, 20, 40, 60, 80, 100])
    #expect(ticks.labels == ["0", "20", "40", "60", "80", "100"])
    #expect(ticks.fractionDigits == 0)
  }

  /// range = nicenum(0.0083, ceiling) = 0.01, step = nicenum(0.0025, round) = 0.002.
  @Test func ticksForSmallDecimals() {
    let ticks = NiceTicks(0.001, 0.0093)
    #expect(ticks.values == [0, 0.002, 0.004, 0.006, 0.008, 0.01])
    #expect(ticks.labels == ["0.000", "0.002", "0.004", "0.006", "0.008", "0.010"])
    #expect(ticks.step == NiceNumber(0.002, round: true))
  }

  /// range = nicenum(15.9, ceiling) = 20, step = nicenum(5, round) = 5.
  @Test func ticksForRangeAcrossZero() {
    let ticks = NiceTicks(-3.7, 12.2)
    #expect(ticks.values == [-5, 0, 5, 10, 15])
    #expect(ticks.labels == ["\u{2212}5", "0", "5", "10", "15"])
  }

  /// range = nicenum(94, ceiling) = 100, step = 20; bounds given in reverse order.
  @Test func ticksForNegativeRange() {
    let ticks = NiceTicks(-3, -97)
    #expect(ticks.values == [-100, -80, -60, -40, -20, 0])
    #expect(!ticks.labels.contains("-0") && !ticks.labels.contains("\u{2212}0"))
  }

  /// Zero width: [0, 0] becomes [0, 1] (step nicenum(0.25, round) = 0.2); [5, 5] becomes
  /// [4.5, 5.5] (range 1, step 0.2, loose bounds 4.4 and 5.6).
  @Test func ticksForZeroWidthDomain() {
    #expect(NiceTicks(0, 0).values == [0, 0.2, 0.4, 0.6, 0.8, 1])
    let five = NiceTicks(5, 5)
    #expect(five.values == [4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6])
    #expect(five.labels == ["4.4", "4.6", "4.8", "5.0", "5.2", "5.4", "5.6"])
    #expect(NiceTicks(.nan, 3).values == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(NiceTicks(-Double.greatestFiniteMagnitude, .greatestFiniteMagnitude).values.count == 6)
    // Too narrow for double precision: treated as zero width around 1e300.
    let huge = NiceTicks(1e300, 1e300 * (1 + 1e-15))
    #expect(huge.values.first! < 1e300 && huge.values.last! > 1e300 && huge.values.count >= 3)
    let tiny = NiceTicks(-2e-300, -2e-300)
    #expect(tiny.values.first! <= -2e-300 && tiny.values.last! >= -2e-300)
  }

  @Test func largeValuesAreGrouped() {
    let ticks = NiceTicks(0, 6_917, count: 6)
    #expect(ticks.values == [0, 2_000, 4_000, 6_000, 8_000])
    #expect(ticks.labels == ["0", "2,000", "4,000", "6,000", "8,000"])
  }

  /// [Heckbert1990] `nicenum` thresholds: round 1.5 / 3 / 7, ceiling 1 / 2 / 5.
  @Test(arguments: [
    (0.14, true, 1, -1), (0.15, true, 2, -1), (2.9, true, 2, 0), (3, true, 5, 0),
    (6.9, true, 5, 0), (7, true, 1, 1), (1, false, 1, 0), (1.01, false, 2, 0),
    (5, false, 5, 0), (5.01, false, 1, 1), (97, false, 1, 2), (0.0083, false, 1, -2),
  ])
  func niceNumberThresholds(x: Double, round: Bool, mantissa: Int, exponent: Int) {
    let nice = NiceNumber(x, round: round)
    #expect(nice.mantissa == mantissa && nice.exponent == exponent, "nicenum(\(x), \(round))")
  }

  @Test func linearScaleMapsDomainToRange() {
    let scale = LinearScale(domain: 0...100, range: (350, 50))
    assertClose(scale(0), 350, absolute: 1e-12, source: "definition")
    assertClose(scale(100), 50, absolute: 1e-12, source: "definition")
    assertClose(scale(25), 275, absolute: 1e-12, source: "350 − 25·300/100")
    let flat = LinearScale(domain: 3...3, range: (0, 10))
    #expect(flat(3) == 5)
  }

  @Test func numberFormatting() {
    #expect(NumberFormat.fixed(1234567.891, fractionDigits: 2) == "1,234,567.89")
    #expect(NumberFormat.fixed(-0.0001, fractionDigits: 2) == "0.00")
    #expect(NumberFormat.fixed(-12.5, fractionDigits: 1) == "\u{2212}12.5")
    #expect(NumberFormat.fixed(.infinity, fractionDigits: 1) == "n/a")
    #expect(NumberFormat.significant(0.012345, 3) == "0.0123")
    #expect(NumberFormat.percent(0.1234) == "12.3%")
    #expect(NumberFormat.coordinate(12.3456) == "12.35")
    #expect(NumberFormat.coordinate(-0.001) == "0")
  }
}

/// Invariants of the tick choice over random ranges (seeded).
@Suite struct ScaleConsistencyTests {
  @Test func ticksEncloseTheDataWithAConstantNiceStep() {
    var random = SeededGenerator(seed: 20_261_122)
    for _ in 0..<2_000 {
      let magnitude = pow(10, Double(Int(random.next() % 13)) - 6)
      let a = (Double(random.next() >> 11) / Double(1 << 53) - 0.5) * 2 * magnitude
      let b = (Double(random.next() >> 11) / Double(1 << 53) - 0.5) * 2 * magnitude
      let ticks = NiceTicks(a, b)
      let values = ticks.values
      #expect(values.first! <= min(a, b) && values.last! >= max(a, b), "[\(a), \(b)]: \(values)")
      #expect((3...11).contains(values.count), "[\(a), \(b)] gave \(values.count) ticks")
      #expect([1, 2, 5].contains(ticks.step.mantissa))
      let step = ticks.step.value
      for (left, right) in zip(values, values.dropFirst()) {
        assertClose(right - left, step, relative: 1e-9, source: "constant step")
      }
      // Labels are distinct at the chosen precision.
      #expect(Set(ticks.labels).count == values.count, "\(ticks.labels)")
    }
  }

  /// Ranges whose nice range or step is not a positive double (1.5e308 → 2e308, a subnormal
  /// width) give the [0, 1] axis instead of failing a precondition (issue 20).
  @Test func hugeAndTinyRangesFallBackToTheUnitAxis() {
    // Subnormal bounds parsed from text: as literals the compiler warns that they underflow.
    let tiny = ["1e-320", "2e-320", "1e-310"].compactMap(Double.init)
    for (a, b) in [(0.0, 1.5e308), (-8e307, 8e307), (tiny[0], tiny[1]), (0.0, tiny[2])] {
      let values = NiceTicks(a, b).values
      let unit = values.first == 0 && values.last == 1
      let encloses = values.first! <= a && values.last! >= b
      #expect(unit || encloses, "[\(a), \(b)]: \(values)")
      #expect(values.allSatisfy(\.isFinite) && Set(values).count >= 2, "[\(a), \(b)]: \(values)")
    }
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
