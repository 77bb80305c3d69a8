import CLVData
import Testing

/// The numbers of messages and reasons (``NumberText/fixed(_:digits:)``,
/// ``NumberText/significant(_:)``), by hand.
struct NumberTextMessagesCorrectnessTests {
  @Test(arguments: [
    (1234.567, 2, "1234.57"), (0.125, 2, "0.13"), (-0.125, 2, "-0.13"), (-0.001, 2, "0.00"),
    (2.5, 0, "3"), (0.05, 3, "0.050"), (7, 1, "7.0"),
  ])
  func fixedPointRoundsHalfAwayFromZero(value: Double, digits: Int, text: String) {
    #expect(NumberText.fixed(value, digits: digits) == text)
  }

  @Test func fixedPointOfANonFiniteOrHugeValueIsItsDescription() {
    #expect(NumberText.fixed(.infinity, digits: 2) == "inf")
    #expect(NumberText.fixed(1e20, digits: 2) == "1e+20")
  }

  @Test func significantHasSixDigitsAsPercentG() {
    #expect(NumberText.significant(0.243) == "0.243")
    #expect(NumberText.significant(-9582.4321) == "-9582.43")
    #expect(NumberText.significant(1_234_567) == "1.23457e+06")
    #expect(NumberText.significant(2.5e-9) == "2.5e-09")
  }
}
