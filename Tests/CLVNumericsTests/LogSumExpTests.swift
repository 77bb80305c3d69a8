import CLVNumerics
import TestSupport
import Testing

@Suite struct LogSumExpTests {
  @Test func matchesDirectSumWhereThatIsSafe() {
    let values = [-1.5, 0.25, 2.0, 3.5]
    let direct = Double.log(values.map { Double.exp($0) }.reduce(0, +))
    assertClose(
      logSumExp(values), direct, relative: 1e-15, source: "direct evaluation, no overflow")
  }

  @Test func doesNotOverflowOrUnderflow() {
    // log(e^1000 + e^1000) = 1000 + log 2, exactly representable to ~1 ulp.
    assertClose(
      logSumExp([1000, 1000]), 1000 + Double.log(2.0), relative: 1e-15, source: "identity")
    assertClose(
      logSumExp(-1000, -1000), -1000 + Double.log(2.0), relative: 1e-15, source: "identity")
    #expect(logSumExp([]) == -.infinity)
    #expect(logSumExp([-.infinity, 3]) == 3)
  }

  @Test func logDiffExpIsAccurateNearCancellation() {
    // log(e^0 − e^−1e-10) = log(1 − e^−1e-10) ≈ log(1e-10) − 5e-11.
    assertClose(
      logDiffExp(0, -1e-10), Double.log(1e-10) - 5e-11, relative: 1e-12,
      source: "series log(1 − e^−ε) = log ε − ε/2 + O(ε²)")
    #expect(logDiffExp(1, 1) == -.infinity)
    #expect(logDiffExp(0, 1).isNaN)
  }
}
