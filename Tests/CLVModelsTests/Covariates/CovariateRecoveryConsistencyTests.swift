import CLVData
import CLVNumerics
import TestSupport
import Testing

@testable import CLVModels

/// Parameter recovery: customers simulated with a channel attribute of known effect, refitted
/// with covariates. On this seeded set (5,000 customers, seed 11) every true coefficient lies in
/// its 95% Wald interval. Coverage over many seeds and 50,000 customers is a release-mode
/// measurement, not a unit test (notebooks-md/guides/covariates.md says where it stands).
@Suite struct CovariateRecoveryConsistencyTests {
  static let truth: [Double] = [0.243, 4.414, 0.793, 2.426]
  static let effects: [Double] = [0.5, 0.4, 0.0]  // purchase, dropout_a, dropout_b

  @Test func trueCoefficientsLieInTheirIntervals() throws {
    let descriptor = try #require(ModelRegistry.descriptor(for: BGNBD.modelID))
    var settings = SimulationConsistencyTests.settings(customers: 5000, seed: 11)
    let covariates = try SimulatedCovariates(
      descriptor: descriptor, parameters: Self.truth, column: "channel",
      levels: ["web", "store"], share: 0.5, coefficients: Self.effects, customers: 5000,
      seed: 11)
    settings.covariates = covariates
    #expect(covariates.values.prefix(4).allSatisfy { $0 == "web" || $0 == "store" })
    let summary = SimulationConsistencyTests.summary(settings)
    let z = summary.rows.map { covariates.vectors[Int($0.customerID)! - 1] }
    let fitted = try StaticCovariateModel<BGNBD>.fit(
      summary.rows, covariates: z, design: covariates.model.design)
    #expect(
      fitted.coefficientNames == [
        "purchase.channel=web", "dropout_a.channel=web", "dropout_b.channel=web",
      ])
    let report = try #require(fitted.fitReport)
    let positive = fitted.parameterNames.indices.map { $0 < 4 }
    let intervals = try #require(
      report.confidenceIntervals(for: fitted.parameterValues, positive: positive))
    // The coefficients: inside their 95% intervals (the check).
    for (j, value) in Self.effects.enumerated() {
      let i = 4 + j
      #expect(
        intervals[i].contains(value),
        "\(fitted.parameterNames[i]): true \(value) outside \(intervals[i])")
    }
    // The model's own parameters (not under test here; the simulator's whole-day purchases
    // shift them slightly, as SimulationConsistencyTests shows): within 4 standard errors.
    let se = try #require(report.standardErrors)
    for (i, value) in Self.truth.enumerated() {
      #expect(
        abs(fitted.parameterValues[i] - value) <= 4 * se[i],
        "\(fitted.parameterNames[i]): true \(value), estimate \(fitted.parameterValues[i]) ± \(se[i])"
      )
    }
    // The effect is found: the purchase coefficient's Wald test rejects γ = 0.
    #expect(try #require(fitted.pValues)[0] < 1e-3)
  }

  @Test func theAttributeDrawsDependOnlyOnTheSeed() throws {
    let descriptor = try #require(ModelRegistry.descriptor(for: ParetoNBD.modelID))
    func draw(_ seed: UInt64) throws -> [String] {
      try SimulatedCovariates(
        descriptor: descriptor, parameters: [0.55, 10.6, 0.61, 11.7], column: "channel",
        levels: ["store", "web"], share: 0.3, coefficients: [0.2, -0.1], customers: 1000,
        seed: seed
      ).values
    }
    #expect(try draw(5) == draw(5))
    #expect(try draw(5) != draw(6))
    let share = Double(try draw(5).filter { $0 == "web" }.count) / 1000
    // Binomial(1000, 0.3): SD 0.0145; 4σ band.
    #expect(abs(share - 0.3) < 4 * 0.0145)
  }
}
