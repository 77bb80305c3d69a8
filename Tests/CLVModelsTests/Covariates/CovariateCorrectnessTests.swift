import CLVData
import TestSupport
import Testing

@testable import CLVModels

/// BG/NBD with static covariates on CDNOW against an independent implementation.
///
/// Reference: `scripts/reference/covariates_cdnow.py` (numpy/scipy float64 likelihood and
/// analytic gradient, checked against mpmath at 40 digits; the fit by scipy L-BFGS-B then
/// Newton steps, gradient norm 2.9e-7 on the total log-likelihood). Attributes: `first_cds`
/// and `cohort` built from CDNOW_sample.txt (``CovariateFixtures``).
@Suite struct CovariateCorrectnessTests {
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

  @Test func theDesignEncodesAsTheScriptDoes() {
    #expect(design.featureNames == ["first_cds", "cohort=jan", "cohort=mar"])
    #expect(design.featureIndices(of: .purchase) == [0, 1, 2])
    #expect(design.featureIndices(of: .dropout) == [0])
    // Customer 1 of CDNOW_sample bought 2 CDs on 1997-01-01 (its first line).
    #expect(covariates[0] == [2, 1, 0])
  }

  @Test func logLikelihoodAtFixedParametersMatchesTheReference() throws {
    let model = StaticCovariateModel(
      base: CovariateFixtures.fixedBase, design: design,
      coefficients: CovariateFixtures.fixedCoefficients)
    let source = "covariates_cdnow.py section 1 (mpmath 40 digits: −9627.9252085030051727)"
    let perCustomer = try model.logLikelihood(of: summary.rows, covariates: covariates)
    assertClose(perCustomer, -9627.9252085030051727, relative: 1e-12, source: source)
    // The fit's grouped likelihood (the model's kernel per distinct z) at the same point.
    let groups = try CovariateGroups(summary.rows, covariates: covariates, model: "BG/NBD")
    var gradient: [Double] = []
    let grouped = StaticCovariateModel<BGNBD>.logLikelihood(
      model.parameterValues, groups: groups, design: design, gradient: &gradient)
    assertClose(grouped, -9627.9252085030051727, relative: 1e-12, source: source)
  }

  @Test func fitMatchesTheReference() throws {
    let model = try StaticCovariateModel<BGNBD>.fit(
      summary.rows, covariates: covariates, design: design)
    let source = "covariates_cdnow.py section 2 (scipy L-BFGS-B + Newton)"
    let expected = [
      0.252845828759, 6.38741698101, 0.394974686837, 0.989678746128, 0.152917988064,
      -0.0348761996663, -0.146098252883, 0.297802041554, 0.380691632777,
    ]
    #expect(
      model.parameterNames == [
        "r", "alpha", "a", "b", "purchase.first_cds", "purchase.cohort=jan",
        "purchase.cohort=mar", "dropout_a.first_cds", "dropout_b.first_cds",
      ])
    for (value, reference) in zip(model.parameterValues, expected) {
      // The estimator's stopping rule: relative 1e-4 on every estimate (the bar).
      assertClose(value, reference, relative: 1e-4, source: source)
    }
    let report = try #require(model.fitReport)
    assertClose(report.logLikelihood, -9558.634618726584, absolute: 1e-5, source: source)
    assertClose(
      try #require(model.nestedLogLikelihood), -9582.425560567362, absolute: 1e-5,
      source: "covariates_cdnow.py section 3 ([FHL2005a]: −9582.4)")
    #expect(report.converged && !report.degenerate)
    let se = try #require(report.standardErrors)
    #expect(se.count == 9 && se.allSatisfy { $0.isFinite && $0 > 0 })
    let test = try #require(model.likelihoodRatioTest)
    assertClose(
      test.statistic, 2 * (-9558.634618726584 + 9582.425560567362), absolute: 2e-5,
      source: source)
    #expect(test.degreesOfFreedom == 5)
    #expect(test.pValue < 1e-6)
  }
}

/// Pareto/NBD with static covariates on CDNOW against `scripts/reference/pareto_covariates_cdnow.py`
/// (the closed-form likelihood in mpmath at 30 digits and in scipy float64; the fit by scipy
/// L-BFGS-B with central-difference gradients, polished by Nelder–Mead and Newton steps,
/// gradient norm 1.8e-6 on the total). Covariates: purchase = first_cds, cohort; dropout = first_cds.
@Suite struct ParetoNBDCovariateCorrectnessTests {
  let summary: RFMSummary
  let design: CovariateDesign
  let covariates: [[Double]]

  init() throws {
    summary = try ReferenceData.cdnowSummary()
    let attributes = try CovariateFixtures.cdnowAttributes()
    design = try CovariateDesign.learn(
      from: attributes, purchase: ["first_cds", "cohort"], dropout: ["first_cds"], fill: false,
      model: ParetoNBD.modelName)
    covariates = try design.covariates(
      for: summary.rows.map(\.customerID), attributes: attributes, model: ParetoNBD.modelName)
  }

  @Test func logLikelihoodAtFixedParametersMatchesTheReference() throws {
    let model = StaticCovariateModel(
      base: ParetoNBD(r: 0.55, alpha: 10.5, s: 0.6, beta: 11.7), design: design,
      coefficients: [[0.05, -0.1, 0.2], [0.1]])
    let source = "pareto_covariates_cdnow.py section 1 (mpmath 30 digits: −9600.8026780007441259)"
    assertClose(
      try model.logLikelihood(of: summary.rows, covariates: covariates),
      -9600.8026780007441259, relative: 1e-10, source: source)
    let groups = try CovariateGroups(summary.rows, covariates: covariates, model: "Pareto/NBD")
    var gradient: [Double] = []
    assertClose(
      StaticCovariateModel<ParetoNBD>.logLikelihood(
        model.parameterValues, groups: groups, design: design, gradient: &gradient),
      -9600.8026780007441259, relative: 1e-10, source: source)
  }

  @Test func fitMatchesTheReference() throws {
    let model = try StaticCovariateModel<ParetoNBD>.fit(
      summary.rows, covariates: covariates, design: design)
    let source = "pareto_covariates_cdnow.py section 2 (scipy L-BFGS-B, Nelder–Mead, Newton)"
    let expected = [
      0.569390927019, 14.3484591006, 0.621144777585, 12.8432069034, 0.119172718448,
      0.0205680209873, -0.0798390385722, 0.0153475222964,
    ]
    for (i, (value, reference)) in zip(model.parameterValues, expected).enumerated() {
      if i < 4 {
        assertClose(value, reference, relative: 1e-4, source: source)
      } else {
        // Coefficients near 0: absolute 1e-5 (relative 1e-4 of the largest, 0.12).
        assertClose(value, reference, absolute: 1e-5, source: source)
      }
    }
    let report = try #require(model.fitReport)
    assertClose(report.logLikelihood, -9572.361938202779, absolute: 1e-5, source: source)
    assertClose(
      try #require(model.nestedLogLikelihood), -9594.973929826865, absolute: 1e-5,
      source: "pareto_covariates_cdnow.py (nested; [FHL2005a]: −9595.0)")
  }
}
