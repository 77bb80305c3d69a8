import CLVNumerics
import TestSupport
import Testing

/// Dual numbers (forward-mode automatic differentiation) and ₂F₁ on them.
@Suite struct DualConsistencyTests {
  typealias D = Dual<SIMD4<Double>>

  @Test func testArithmeticAndElementaryDerivatives() {
    let x = D(1.7, seed: 0)
    let y = D(0.4, seed: 1)
    // f = log(x·y) / (x − y) + exp(y) − log1p(x) + logΓ(x); partials by hand.
    let f = D.log(x * y) / (x - y) + D.exp(y) - D.log(onePlus: x) + D.logGamma(x)
    let (xv, yv) = (1.7, 0.4)
    let l = Double.log(xv * yv)
    let dfdx = (1 / xv) / (xv - yv) - l / ((xv - yv) * (xv - yv)) - 1 / (1 + xv) + digamma(xv)
    let dfdy = (1 / yv) / (xv - yv) + l / ((xv - yv) * (xv - yv)) + Double.exp(yv)
    let source = "calculus: derivatives of log, exp, log1p, logΓ (ψ), quotient rule"
    assertClose(f.partials[0], dfdx, relative: 1e-14, source: source)
    assertClose(f.partials[1], dfdy, relative: 1e-14, source: source)
    #expect(f.partials[2] == 0 && f.partials[3] == 0)
    #expect(
      f.value
        == Double.log(xv * yv) / (xv - yv) + Double.exp(yv) - Double.log(onePlus: xv)
        + Double.logGamma(xv))
  }

  /// ∂/∂(a, b, c, z) of log ₂F₁ by Richardson-extrapolated central differences (O(h⁴)
  /// truncation): step 10⁻⁴ relative in a, b, c; in z, 10⁻³ of the distance to 0 or to the
  /// singular point 1, whichever is nearer.
  static func differences(_ p: [Double]) -> [Double] {
    (0..<4).map { j in
      func central(_ h: Double) -> Double {
        var plus = p
        var minus = p
        plus[j] += h
        minus[j] -= h
        return
          (logHypergeometric2F1(plus[0], plus[1], plus[2], plus[3])
          - logHypergeometric2F1(minus[0], minus[1], minus[2], minus[3])) / (2 * h)
      }
      let h =
        j == 3
        ? 1e-3 * Swift.min(Swift.max(abs(p[3]), 1e-3), 1 - p[3])
        : 1e-4 * Swift.max(abs(p[j]), 1e-3)
      return (4 * central(h / 2) - central(h)) / 3
    }
  }

  @Test(arguments: [
    [0.5, 1.2, 2.3, 0.3],  // Maclaurin series, w ≤ ½
    [1.6, 1.606, 2.6, 0.97],  // Pareto/NBD-like, series of the Euler form
    [30.6, 1.606, 31.6, 0.9998],  // continuation towards z = 1
    [0.243, 4.5, 0.8, -3.5],  // z < 0 (Pfaff)
    [2.5, 1.5, 5.5, 1.0],  // z = 1: Gauss's sum
    [120.2, 60.3, 121.2, 0.95],  // large parameters
  ])
  func testHypergeometricPartialsMatchDifferences(_ p: [Double]) {
    let value = logHypergeometric2F1(
      D(p[0], seed: 0), D(p[1], seed: 1), D(p[2], seed: 2), D(p[3], seed: 3))
    #expect(value.value == logHypergeometric2F1(p[0], p[1], p[2], p[3]))
    let expected = Self.differences(p)
    for j in 0..<4 where !(j == 3 && p[3] == 1) {
      // Relative 1e-6 of max(1, |∂|): the differences carry ~1e-9 of error here.
      assertClose(
        value.partials[j], expected[j], absolute: 1e-6 * Swift.max(1, abs(expected[j])),
        source: "Richardson central differences of log 2F1 at \(p), component \(j)")
    }
  }

  @Test func testZDerivativeMatchesTheContiguousFunction() {
    // d/dz 2F1(a, b; c; z) = (ab/c) 2F1(a+1, b+1; c+1; z) (DLMF 15.5.1).
    for (a, b, c, z) in [(0.7, 1.3, 2.1, 0.4), (5.6, 1.6, 6.6, 0.99), (0.7, 2.5, 3.3, -4.0)] {
      let f = logHypergeometric2F1(D(a), D(b), D(c), D(z, seed: 3))
      let expected =
        a * b / c
        * Double.exp(logHypergeometric2F1(a + 1, b + 1, c + 1, z) - f.value)
      assertClose(
        f.partials[3], expected, relative: 1e-12,
        source: "DLMF 15.5.1, at (\(a), \(b), \(c), \(z))")
    }
  }
}
