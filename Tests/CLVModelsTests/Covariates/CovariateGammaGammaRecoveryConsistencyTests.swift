import CLVData
import CLVNumerics
import TestSupport
import Testing

@testable import CLVModels

/// Parameter recovery for Gamma-Gamma with spend covariates: 50,000 customers simulated by
/// `clv simulate`'s generator with a channel attribute whose spend effect is known (δ = 0.3:
/// the web channel's γ, and so its mean spend per purchase, is e^0.3 ≈ 1.35 times the
/// store's), refitted with the channel as a spend covariate. On this seeded set (seed 7) the
/// true δ lies in its 95% Wald interval, and p, q, γ within 4 standard errors of the truth.
@Suite struct CovariateGammaGammaRecoveryConsistencyTests {
  static let spend = GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)
  static let delta = 0.3

  @Test func trueSpendEffectLiesInItsInterval() throws {
    let descriptor = try #require(ModelRegistry.descriptor(for: BGNBD.modelID))
    let customers = 50_000
    var settings = SimulationConsistencyTests.settings(customers: customers, seed: 7)
    settings.spend = Self.spend
    let covariates = try SimulatedCovariates(
      descriptor: descriptor, parameters: [0.243, 4.414, 0.793, 2.426], column: "channel",
      levels: ["store", "web"], share: 0.5, coefficients: [0, 0, 0],
      spendCoefficient: Self.delta, customers: customers, seed: 7)
    settings.covariates = covariates
    let summary = SimulationConsistencyTests.summary(settings)
    let z = summary.rows.map { covariates.vectors[Int($0.customerID)! - 1] }
    let truth = covariates.spendModel(Self.spend)
    let fitted = try CovariateGammaGamma.fit(summary.rows, covariates: z, design: truth.design)
    #expect(fitted.coefficientNames == ["spend.channel=web"])
    let report = try #require(fitted.fitReport)
    #expect(report.customers > 10_000)
    let positive = fitted.parameterNames.indices.map { $0 < 3 }
    let intervals = try #require(
      report.confidenceIntervals(for: fitted.parameterValues, positive: positive))
    #expect(
      intervals[3].contains(Self.delta),
      "spend.channel=web: true \(Self.delta) outside \(intervals[3])")
    let se = try #require(report.standardErrors)
    for (i, value) in Self.spend.parameterValues.enumerated() {
      #expect(
        abs(fitted.parameterValues[i] - value) <= 4 * se[i],
        "\(fitted.parameterNames[i]): true \(value), estimate \(fitted.parameterValues[i]) ± \(se[i])"
      )
    }
    #expect(try #require(fitted.pValues)[0] < 1e-6)
    #expect(try #require(fitted.likelihoodRatioTest).pValue < 1e-6)
  }

  /// Without a spend effect the simulated orders are those of the simulator without
  /// attributes' spend (the scale factor is exactly 1): the spend draws do not move.
  @Test func noSpendEffectLeavesTheAmountsUnchanged() throws {
    let descriptor = try #require(ModelRegistry.descriptor(for: BGNBD.modelID))
    var plain = SimulationConsistencyTests.settings(customers: 300, seed: 3)
    var amounts: [Double] = []
    Simulation.orders(plain) { _, _, amount in amounts.append(amount) }
    plain.covariates = try SimulatedCovariates(
      descriptor: descriptor, parameters: [0.243, 4.414, 0.793, 2.426], column: "channel",
      levels: ["store", "web"], share: 0.5, coefficients: [0, 0, 0], customers: 300, seed: 3)
    var withAttribute: [Double] = []
    Simulation.orders(plain) { _, _, amount in withAttribute.append(amount) }
    #expect(amounts == withAttribute)
  }
}
