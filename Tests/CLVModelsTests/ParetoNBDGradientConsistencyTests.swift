import CLVData
import CLVNumerics
import TestSupport
import Testing

@testable import CLVModels

/// The exact (forward-mode) Pareto/NBD gradient against finite differences of the likelihood,
/// across the branches of A₀: α ≥ β and α < β, α = β (₂F₁ at z = 0), r + s + x < 1, large x and
/// T, z close to 1 (the ₂F₁ continuation), and tₓ close to T (the Gauss–Legendre integral).
@Suite struct ParetoNBDGradientConsistencyTests {
  /// ∂ Σ log L / ∂ log θⱼ by Richardson-extrapolated central differences in log θⱼ:
  /// D(h) = [f(θ e^h) − f(θ e^−h)]/(2h), D = (4 D(h/2) − D(h))/3, h = 10⁻³: truncation
  /// O(h⁴) ≈ 10⁻¹², rounding ≈ 10⁻¹⁶·|f|/h.
  static func differenceGradient(_ theta: [Double], data: CollapsedRFM) -> [Double] {
    (0..<4).map { j in
      func central(_ h: Double) -> Double {
        var plus = theta
        var minus = theta
        plus[j] *= Double.exp(h)
        minus[j] *= Double.exp(-h)
        return
          (ParetoNBD.logLikelihood(plus, data: data)
          - ParetoNBD.logLikelihood(minus, data: data)) / (2 * h)
      }
      return (4 * central(5e-4) - central(1e-3)) / 3
    }
  }

  static func check(_ theta: [Double], rows: [RFMSummary.Row], _ label: String) throws {
    let data = try CollapsedRFM(rows, model: ParetoNBD.modelName)
    let value = ParetoNBD.logLikelihood(theta, data: data)
    #expect(value.isFinite, "\(label): log L = \(value)")
    let exact = ParetoNBD.logLikelihoodGradient(theta, data: data)
    let differences = differenceGradient(theta, data: data)
    for j in 0..<4 {
      // Tolerance: 1e-7 · max(1, |log L|), far above the differences' error (≈ 1e-10 relative
      // here) and far below what a wrong derivative term would give.
      assertClose(
        theta[j] * exact[j], differences[j], absolute: 1e-7 * Swift.max(1, abs(value)),
        source: "Richardson central differences, \(label), component \(j)")
    }
  }

  @Test func testGradientMatchesDifferencesOnCDNOWBothBranches() throws {
    let rows = Array(try ParetoNBDFixtures.cdnowSummary().rows.prefix(200))
    try Self.check([0.553, 10.578, 0.606, 11.669], rows: rows, "CDNOW, published (α < β)")
    try Self.check([0.5, 20, 0.7, 5], rows: rows, "CDNOW, α > β")
    try Self.check([0.8, 9, 1.3, 9], rows: rows, "CDNOW, α = β (z = 0)")
  }

  @Test func testGradientMatchesDifferencesWithSmallShapes() throws {
    // r + s < 1: a = r + s + x < 1 for the customers without repeat purchases.
    let rows = [
      ParetoNBDFixtures.row(0, 0, 30), ParetoNBDFixtures.row(0, 0, 5),
      ParetoNBDFixtures.row(1, 3, 30), ParetoNBDFixtures.row(4, 20, 38),
    ]
    try Self.check([0.2, 3, 0.3, 8], rows: rows, "r + s < 1, α < β")
    try Self.check([0.05, 12, 0.1, 0.5], rows: rows, "r + s < 1, α > β")
  }

  @Test func testGradientMatchesDifferencesForLargeFrequencyAndAge() throws {
    let rows = [
      ParetoNBDFixtures.row(500, 4900, 5000), ParetoNBDFixtures.row(200, 10, 5000),
      ParetoNBDFixtures.row(60, 1000, 4000), ParetoNBDFixtures.row(0, 0, 5000),
    ]
    try Self.check([2, 5, 1.5, 50], rows: rows, "large x and T, α < β")
    try Self.check([2, 80, 1.5, 3], rows: rows, "large x and T, α > β")
  }

  @Test func testGradientMatchesDifferencesNearTheSingularPoint() throws {
    // d/(m + tₓ) = 999.5/1000.5 ≈ 0.999 and closer: ₂F₁ by Taylor continuation towards z = 1.
    let rows = [
      ParetoNBDFixtures.row(3, 0.5, 40), ParetoNBDFixtures.row(12, 0.01, 60),
      ParetoNBDFixtures.row(40, 2, 52),
    ]
    try Self.check([0.7, 1000, 0.8, 0.5], rows: rows, "z close to 1, α > β")
    try Self.check([0.7, 0.5, 0.8, 1000], rows: rows, "z close to 1, α < β")
  }

  @Test func testGradientMatchesDifferencesWhereTheQuadratureTakesOver() throws {
    // (r+s+x)(T − tₓ)/(min(α, β) + tₓ) < 10⁻³: A₀ by 3-point Gauss–Legendre.
    let rows = [ParetoNBDFixtures.row(2, 39.9999, 40), ParetoNBDFixtures.row(1, 20, 20.00001)]
    try Self.check([0.55, 10.6, 0.6, 11.7], rows: rows, "Gauss–Legendre A₀")
  }

  @Test func testOneDualPassGivesTheValueBitForBit() throws {
    // The dual evaluation's value part is the same arithmetic as the Double evaluation.
    let data = try CollapsedRFM(try ParetoNBDFixtures.cdnowSummary().rows, model: "pnbd")
    let theta = [0.553, 10.578, 0.606, 11.669]
    let prepared = ParetoNBDLikelihoodData(data)
    let dual = ParetoNBD.logLikelihoodWithGradient(theta, prepared: prepared)
    #expect(dual.value == ParetoNBD.logLikelihood(theta, data: data))
  }
}
