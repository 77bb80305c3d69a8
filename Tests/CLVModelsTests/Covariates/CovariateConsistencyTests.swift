import CLVData
import CLVNumerics
import Foundation
import TestSupport
import Testing

@testable import CLVModels

/// Identities of the covariate models: exact reduction at γ = 0, the chain-rule gradient
/// against finite differences, the model file round trip.
@Suite struct CovariateConsistencyTests {
  let summary: RFMSummary
  let design: CovariateDesign
  let covariates: [[Double]]

  init() throws {
    summary = try ReferenceData.cdnowSummary()
    let attributes = try CovariateFixtures.cdnowAttributes()
    design = try CovariateFixtures.cdnowDesign(attributes)
    covariates = try design.covariates(
      for: summary.rows.map(\.customerID), attributes: attributes, model: BGNBD.modelName)
  }

  static func zeros(_ design: CovariateDesign, links: [CovariateLink]) -> [[Double]] {
    links.map { [Double](repeating: 0, count: design.featureIndices(of: $0.process).count) }
  }

  /// With every coefficient 0, each customer's model is the base model exactly (e^0 = 1), so
  /// every prediction is equal bit for bit; the grouped likelihood equals the base likelihood
  /// up to the order of summation.
  @Test func zeroCoefficientsReduceToTheModelWithoutCovariates() throws {
    let base = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    let model = StaticCovariateModel(
      base: base, design: design, coefficients: Self.zeros(design, links: BGNBD.covariateLinks))
    for (row, z) in zip(summary.rows.prefix(50), covariates) {
      let individual = model.model(for: z)
      #expect(individual.parameterValues == base.parameterValues)
      #expect(individual.probabilityAlive(for: row) == base.probabilityAlive(for: row))
      #expect(
        individual.expectedPurchases(in: 39, for: row) == base.expectedPurchases(in: 39, for: row))
    }
    let groups = try CovariateGroups(summary.rows, covariates: covariates, model: "BG/NBD")
    var gradient: [Double] = []
    let grouped = StaticCovariateModel<BGNBD>.logLikelihood(
      model.parameterValues, groups: groups, design: design, gradient: &gradient)
    var baseGradient: [Double] = []
    let plain = BGNBD.logLikelihood(
      base.parameterValues, data: try CollapsedRFM(summary.rows, model: "BG/NBD"),
      gradient: &baseGradient)
    assertClose(grouped, plain, relative: 1e-12, source: "the same sum in another order")
    for j in 0..<4 {
      assertClose(
        gradient[j], baseGradient[j], absolute: 1e-8 * max(1, abs(baseGradient[j])),
        source: "the same sum in another order")
    }
  }

  /// MBG/NBD through the same generic wrapper: the covariate fit starts at the nested estimate
  /// (γ = 0), so it ends at or above the nested log-likelihood, which is the MBG/NBD fit's.
  @Test func theCovariateFitIsAtLeastTheNestedFit() throws {
    let model = try StaticCovariateModel<MBGNBD>.fit(
      summary.rows, covariates: covariates, design: design)
    let nested = try MBGNBD.fit(summary)
    let report = try #require(model.fitReport)
    assertClose(
      try #require(model.nestedLogLikelihood), nested.fitReport!.logLikelihood, absolute: 1e-6,
      source: "the same MBG/NBD fit")
    #expect(report.logLikelihood >= nested.fitReport!.logLikelihood - 1e-6)
    #expect(report.gradientNorm < 1e-3)
  }

  /// ∂ log L/∂θ of the grouped likelihood against Richardson-extrapolated central differences
  /// (log scale for θ, plain for γ), for each family through the same wrapper.
  func checkGradient<Base: CovariateFittable>(
    _ type: Base.Type, at parameters: [Double], label: String
  ) throws {
    let groups = try CovariateGroups(summary.rows, covariates: covariates, model: label)
    var exact: [Double] = []
    let value = StaticCovariateModel<Base>.logLikelihood(
      parameters, groups: groups, design: design, gradient: &exact)
    #expect(value.isFinite)
    let k = Base.parameterNames.count
    func f(_ p: [Double]) -> Double {
      var g: [Double] = []
      return StaticCovariateModel<Base>.logLikelihood(
        p, groups: groups, design: design, gradient: &g)
    }
    for j in parameters.indices {
      func central(_ h: Double) -> Double {
        var plus = parameters
        var minus = parameters
        if j < k {
          plus[j] *= Double.exp(h)
          minus[j] *= Double.exp(-h)
        } else {
          plus[j] += h
          minus[j] -= h
        }
        return (f(plus) - f(minus)) / (2 * h)
      }
      let difference = (4 * central(5e-4) - central(1e-3)) / 3
      let analytic = j < k ? parameters[j] * exact[j] : exact[j]
      // 1e-7 · |log L|: far above the differences' error, far below a wrong term.
      assertClose(
        analytic, difference, absolute: 1e-7 * abs(value),
        source: "\(label) parameter \(j): central differences")
    }
  }

  @Test func gradientMatchesFiniteDifferences() throws {
    let coefficients = CovariateFixtures.fixedCoefficients.flatMap { $0 }
    try checkGradient(BGNBD.self, at: [0.25, 4, 0.8, 2.5] + coefficients, label: "BG/NBD")
    try checkGradient(MBGNBD.self, at: [0.25, 4, 0.8, 2.5] + coefficients, label: "MBG/NBD")
    // Pareto/NBD: purchase (3 coefficients), dropout (1).
    try checkGradient(
      ParetoNBD.self, at: [0.55, 10.5, 0.6, 11.7, 0.05, -0.1, 0.2, 0.1], label: "Pareto/NBD")
  }

  @Test func modelFileRoundTripKeepsEveryCustomersPredictions() throws {
    var report = FitReport(
      logLikelihood: -9600, standardErrors: [Double](repeating: 0.1, count: 9), iterations: 10,
      functionEvaluations: 12, gradientNorm: 1e-7, converged: true, seconds: 0.1,
      customers: 2357, distinctRows: 2000)
    report.penalizer = 0
    let model = StaticCovariateModel(
      base: CovariateFixtures.fixedBase, design: design,
      coefficients: CovariateFixtures.fixedCoefficients, fitReport: report,
      nestedLogLikelihood: -9610)
    let file = ModelFile(model: model, unit: .week, data: nil, toolVersion: "test")
    let text = try file.jsonText()
    let read = try ModelFile.decode(Data(text.utf8), path: "m.json")
    #expect(read.hasCovariates)
    #expect(throws: ModelError.self) { try read.makeModel(path: "m.json") }
    let back = try read.makeCovariateModel(path: "m.json")
    #expect(back.design == design)
    #expect(back.parameterValues == model.parameterValues)
    #expect(back.nestedLogLikelihood == -9610)
    for (row, z) in zip(summary.rows.prefix(20), covariates) {
      #expect(
        back.transactionModel(for: z).probabilityAlive(for: row)
          == model.model(for: z).probabilityAlive(for: row))
    }
    let z = try #require(back.zValues)
    assertClose(z[0], 0.05 / 0.1, relative: 1e-15, source: "γ / SE")
  }

  @Test func chiSquaredSurvivalMatchesClosedForms() {
    // k = 2: P(X > x) = e^(−x/2) exactly.
    for x in [0.5, 5.0, 40.0] {
      assertClose(
        ChiSquared.survival(x, degreesOfFreedom: 2), Double.exp(-x / 2), relative: 1e-13,
        source: "closed form e^(−x/2)")
    }
    // k = 1: P(X > x) = erfc(√(x/2)); the 95% point 3.841458820694124.
    assertClose(
      ChiSquared.survival(3.841458820694124, degreesOfFreedom: 1), 0.05, relative: 1e-12,
      source: "scipy.stats.chi2.ppf(0.95, 1) = 3.841458820694124")
    assertClose(
      ChiSquared.survival(11.070497693516351, degreesOfFreedom: 5), 0.05, relative: 1e-12,
      source: "scipy.stats.chi2.ppf(0.95, 5) = 11.070497693516351")
  }
}
