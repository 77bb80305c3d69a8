import CLVData
import TestSupport
import Testing

@testable import CLVModels

/// Gamma-Gamma with spend covariates on CDNOW against an independent implementation.
///
/// Reference: `scripts/reference/gamma_gamma_covariates_cdnow.py` (numpy/scipy float64
/// likelihood and analytic gradient, the fixed-parameter value checked against mpmath at 40
/// digits; the fit by scipy L-BFGS-B then Newton steps, gradient norm 3.0e-12). Data: the 946
/// repeat buyers of CDNOW_sample's 39-week calibration ([FHL2005b]); attributes `first_cds` and
/// `cohort` built from CDNOW_sample.txt (``CovariateFixtures``).
@Suite struct CovariateGammaGammaCorrectnessTests {
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

  @Test func theDesignActsOnSpendOnly() {
    #expect(design.featureNames == ["first_cds", "cohort=jan", "cohort=mar"])
    #expect(design.featureIndices(of: .spend) == [0, 1, 2])
    #expect(design.featureIndices(of: .purchase).isEmpty)
    #expect(design.featureIndices(of: .dropout).isEmpty)
  }

  @Test func logLikelihoodAtFixedParametersMatchesTheReference() throws {
    let model = CovariateGammaGamma(
      base: GammaGamma(p: 6.0, q: 3.8, gamma: 15.0), design: design,
      coefficients: [0.05, -0.1, 0.2])
    let source =
      "gamma_gamma_covariates_cdnow.py section 1 (mpmath 40 digits: −4032.8591829982121759)"
    // The bar: 1e-8 (relative; here ~4e-5 absolute would pass it, the sums agree
    // far closer).
    let perCustomer = model.logLikelihood(of: summary.rows, covariates: covariates)
    assertClose(perCustomer, -4032.8591829982121759, relative: 1e-8, source: source)
    let groups = try CovariateGammaGamma.Groups(summary.rows, covariates: covariates)
    var gradient: [Double] = []
    let grouped = CovariateGammaGamma.logLikelihood(
      model.parameterValues, groups: groups, design: design, gradient: &gradient)
    assertClose(grouped, -4032.8591829982121759, relative: 1e-8, source: source)
  }

  @Test func fitMatchesTheReference() throws {
    let model = try CovariateGammaGamma.fit(summary.rows, covariates: covariates, design: design)
    let source = "gamma_gamma_covariates_cdnow.py section 3 (scipy L-BFGS-B + Newton)"
    let expected = [
      4.81982910158, 5.18449759021, 22.214984533, 0.1036111515, 0.059299287887, 0.0122589678863,
    ]
    #expect(
      model.parameterNames == [
        "p", "q", "gamma", "spend.first_cds", "spend.cohort=jan", "spend.cohort=mar",
      ])
    for (value, reference) in zip(model.parameterValues, expected) {
      // The bar: the estimates agree to 1e-4 (relative).
      assertClose(value, reference, relative: 1e-4, source: source)
    }
    let report = try #require(model.fitReport)
    assertClose(report.logLikelihood, -3983.363489408435, absolute: 1e-5, source: source)
    assertClose(
      try #require(model.nestedLogLikelihood), -4055.917694801872, absolute: 1e-5,
      source: "gamma_gamma_covariates_cdnow.py section 2 (CLVTools: −4055.92)")
    #expect(report.converged && !report.degenerate)
    #expect(report.customers == 946)
    #expect(report.dropped == 2357 - 946)
    let se = try #require(report.standardErrors)
    #expect(se.count == 6 && se.allSatisfy { $0.isFinite && $0 > 0 })
    let test = try #require(model.likelihoodRatioTest)
    assertClose(
      test.statistic, 2 * (-3983.363489408435 + 4055.917694801872), absolute: 2e-5,
      source: source)
    #expect(test.degreesOfFreedom == 3)
    #expect(test.pValue < 1e-12)
    // first_cds: each CD bought on the first day raises the mean spend by e^0.104 ≈ 11%.
    #expect(try #require(model.pValues)[0] < 1e-6)
  }
}
