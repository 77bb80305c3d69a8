import CLVData
import CLVNumerics
import Foundation
import TestSupport
import Testing

@testable import CLVModels

/// Identities of Gamma-Gamma with spend covariates: exact reduction to plain Gamma-Gamma at
/// δ = 0, the chain-rule gradient against finite differences, the mean-spend scaling, the model
/// file round trip.
@Suite struct CovariateGammaGammaConsistencyTests {
  let summary: RFMSummary
  let design: CovariateDesign
  let covariates: [[Double]]

  init() throws {
    summary = try ReferenceData.cdnowCalibrationWithSpend()
    let attributes = try CovariateFixtures.cdnowAttributes()
    design = try CovariateFixtures.cdnowSpendDesign(attributes)
    covariates = try design.covariates(
      for: summary.rows.map(\.customerID), attributes: attributes, model: GammaGamma.modelName)
  }

  /// δ = 0: every customer's model is the base model exactly (e^0 = 1), so every prediction is
  /// equal bit for bit; the grouped log-likelihood and its gradient in (p, q, γ) are plain
  /// Gamma-Gamma's up to the order of summation.
  @Test func zeroCoefficientsReduceToPlainGammaGamma() throws {
    let base = GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)
    let model = CovariateGammaGamma(base: base, design: design, coefficients: [0, 0, 0])
    for (row, z) in zip(summary.rows, covariates) {
      let individual = model.model(for: z)
      #expect(individual.parameterValues == base.parameterValues)
      #expect(individual.expectedAverageSpend(for: row) == base.expectedAverageSpend(for: row))
      #expect(individual.populationMeanSpend == base.populationMeanSpend)
    }
    var plainGradient: [Double] = []
    let plain = GammaGamma.logLikelihood(
      base.parameterValues, data: GammaGamma.Data(summary.rows), gradient: &plainGradient)
    assertClose(
      model.logLikelihood(of: summary.rows, covariates: covariates), plain, relative: 1e-12,
      source: "the same sum in another order")
    let groups = try CovariateGammaGamma.Groups(summary.rows, covariates: covariates)
    var gradient: [Double] = []
    let grouped = CovariateGammaGamma.logLikelihood(
      model.parameterValues, groups: groups, design: design, gradient: &gradient)
    assertClose(grouped, plain, relative: 1e-12, source: "the same sum in another order")
    for j in 0..<3 {
      assertClose(
        gradient[j], plainGradient[j], absolute: 1e-9 * max(1, abs(plainGradient[j])),
        source: "the same sum in another order")
    }
  }

  /// The analytic gradient in (log p, log q, log γ, δ) against Richardson-extrapolated central
  /// differences of the grouped log-likelihood, at a point away from the optimum.
  @Test func gradientMatchesFiniteDifferences() throws {
    let groups = try CovariateGammaGamma.Groups(summary.rows, covariates: covariates)
    let parameters = [6.0, 3.8, 15.0, 0.05, -0.1, 0.2]
    var exact: [Double] = []
    let value = CovariateGammaGamma.logLikelihood(
      parameters, groups: groups, design: design, gradient: &exact)
    func f(_ p: [Double]) -> Double {
      var g: [Double] = []
      return CovariateGammaGamma.logLikelihood(p, groups: groups, design: design, gradient: &g)
    }
    for j in parameters.indices {
      func central(_ h: Double) -> Double {
        var plus = parameters
        var minus = parameters
        if j < 3 {
          plus[j] *= Double.exp(h)
          minus[j] *= Double.exp(-h)
        } else {
          plus[j] += h
          minus[j] -= h
        }
        return (f(plus) - f(minus)) / (2 * h)
      }
      let difference = (4 * central(5e-4) - central(1e-3)) / 3
      let analytic = j < 3 ? parameters[j] * exact[j] : exact[j]
      // 1e-7 · |log L|: far above the differences' error, far below a wrong term.
      assertClose(
        analytic, difference, absolute: 1e-7 * abs(value),
        source: "parameter \(j): central differences")
    }
  }

  /// The mean spend of a new customer with attributes w is the reference customer's times
  /// exp(δᵀw) (the log link), and a repeat buyer's conditional mean moves the same way.
  @Test func coefficientsScaleTheMeanSpend() throws {
    let delta = [0.05, -0.1, 0.2]
    let model = CovariateGammaGamma(
      base: GammaGamma(p: 6.0, q: 3.8, gamma: 15.0), design: design, coefficients: delta)
    let w: [Double] = [3, 0, 1]
    let factor = Double.exp(0.05 * 3 + 0.2)
    assertClose(
      model.model(for: w).populationMeanSpend, model.base.populationMeanSpend * factor,
      relative: 1e-14, source: "E[z | w] = p γ e^(δᵀw)/(q − 1)")
    let row = RFMSummary.Row(
      customerID: "c", frequency: 2, recency: 5, age: 10, monetaryValue: 30)
    #expect(
      model.model(for: w).expectedAverageSpend(for: row)
        > model.model(for: [0, 0, 0]).expectedAverageSpend(for: row))
  }

  @Test func fitEndsAtOrAboveThePlainFitAndFindsNoEffectOfNoise() throws {
    // Attributes independent of spend (a seeded coin per customer): the fit's log-likelihood
    // is at least the nested one, and the coefficient is within 4 SE of 0.
    var rng = SeededGenerator(seed: 5)
    let noise = summary.rows.map { _ in [rng.uniform() < 0.5 ? 1.0 : 0.0] }
    let coin = CovariateDesign(
      encodings: [
        AttributeEncoding(column: "coin", kind: .categorical, levels: ["h", "t"], fillValue: nil)
      ], purchaseColumns: [], dropoutColumns: [], spendColumns: ["coin"])
    let model = try CovariateGammaGamma.fit(summary.rows, covariates: noise, design: coin)
    let report = try #require(model.fitReport)
    let nested = try #require(model.nestedLogLikelihood)
    #expect(report.logLikelihood >= nested - 1e-7)
    let se = try #require(report.standardErrors)
    #expect(abs(model.coefficients[0]) < 4 * se[3])
    // An L2 penalty shrinks the coefficient towards 0 and drops the Wald and LR tests.
    let penalized = try CovariateGammaGamma.fit(
      summary.rows, covariates: noise, design: coin, covariateL2: 1)
    #expect(abs(penalized.coefficients[0]) < abs(model.coefficients[0]))
    #expect(penalized.zValues == nil && penalized.likelihoodRatioTest == nil)
  }

  @Test func modelFileRoundTripKeepsEveryCustomersSpend() throws {
    var report = FitReport(
      logLikelihood: -3990, standardErrors: [Double](repeating: 0.1, count: 6), iterations: 10,
      functionEvaluations: 12, gradientNorm: 1e-7, converged: true, seconds: 0.1,
      customers: 946, distinctRows: 946)
    report.penalizer = 0
    let model = CovariateGammaGamma(
      base: GammaGamma(p: 6.0, q: 3.8, gamma: 15.0), design: design,
      coefficients: [0.05, -0.1, 0.2], fitReport: report, nestedLogLikelihood: -4055)
    let file = ModelFile(model: model, unit: nil, data: nil, toolVersion: "test")
    let text = try file.jsonText()
    let read = try ModelFile.decode(Data(text.utf8), path: "m.json")
    #expect(read.hasCovariates)
    #expect(throws: ModelError.self) { try read.makeModel(path: "m.json") }
    #expect(throws: ModelError.self) { try read.makeCovariateModel(path: "m.json") }
    let back = try read.makeCovariateSpendModel(path: "m.json")
    #expect(back.design == design)
    #expect(back.parameterValues == model.parameterValues)
    #expect(back.nestedLogLikelihood == -4055)
    for (row, z) in zip(summary.rows.prefix(50), covariates) {
      #expect(
        back.spendModel(for: z).expectedAverageSpend(for: row)
          == model.model(for: z).expectedAverageSpend(for: row))
    }
    let z = try #require(back.zValues)
    assertClose(z[2], 0.2 / 0.1, relative: 1e-15, source: "δ / SE")
  }
}
