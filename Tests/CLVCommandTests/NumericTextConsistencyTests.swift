import TestSupport
import Testing

/// The comparator the golden-file and notebook tests use (issue 11 part 1): tolerant on decimals
/// only, exact on text and integers.
struct NumericTextConsistencyTests {
  let tolerance = NumericText(relative: 1e-12)

  @Test func decimalsWithinAFewULPsMatch() {
    // The churn probability of demo customer c2 on Intel and on AMD EPYC (issue 11).
    #expect(tolerance.matches("c2,0.9382441310792347,x", "c2,0.9382441310792344,x"))
    #expect(tolerance.matches("-0.0", "0.0"))
    #expect(tolerance.matches("1.0", "0.9999999999999999"))
  }

  @Test func decimalsBeyondTheToleranceDiffer() {
    let difference = tolerance.firstDifference("a,0.93824413108", "a,0.93824413107")
    #expect(difference?.hasPrefix("line 1: 0.93824413108 differs from 0.93824413107") == true)
    #expect(!tolerance.matches("1.0", "0.95"))
    #expect(!tolerance.matches("r = 0.243", "r = 0.244e1"))
  }

  @Test func displayRoundingMayFlipTheLastPrintedDigit() {
    #expect(tolerance.matches("p_alive 0.938", "p_alive 0.937"))
    #expect(!tolerance.matches("p_alive 0.938", "p_alive 0.936"))
    #expect(tolerance.matches("1.25e-7", "1.26e-7"))
  }

  @Test func textIntegersIdsAndDatesAreExact() {
    #expect(!tolerance.matches("c1475,3", "c1476,3"))
    #expect(!tolerance.matches("n = 120", "n = 121"))
    #expect(!tolerance.matches("2024-12-30", "2024-12-31"))
    #expect(!tolerance.matches("loyal,0.5", "at-risk,0.5"))
    #expect(!tolerance.matches("a\nb", "a"))
    // A table pads a column to its widest number: padding is not compared, words are.
    #expect(tolerance.matches("| 1.25  | x |", "| 1.25 | x |"))
    #expect(!tolerance.matches("| 1.25 | x |", "| 1.25 | y |"))
  }
}
