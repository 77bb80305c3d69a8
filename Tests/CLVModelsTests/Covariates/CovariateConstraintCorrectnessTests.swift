import CLVData
import CLVNumerics
import Foundation
import TestSupport
import Testing

@testable import CLVModels

/// Equality constraints (`--same-coefficient`, CLVTools' `names.cov.constr`): a column's
/// coefficient is one free parameter shared by every covariate link. Checked against a
/// reparameterised model built by hand from the raw attribute values, and by the parameter
/// count of the fit and its likelihood-ratio test.
///
/// Data: CDNOW sample with `first_cds` (numeric) and `cohort` (jan/feb/mar) as in
/// ``CovariateFixtures``; `first_cds` acts on both processes with one coefficient δ.
@Suite struct CovariateConstraintCorrectnessTests {
  let summary: RFMSummary
  let attributes: CustomerAttributes
  let design: CovariateDesign
  let covariates: [[Double]]

  init() throws {
    summary = try ReferenceData.cdnowSummary()
    attributes = try CovariateFixtures.cdnowAttributes()
    design = try CovariateDesign.learn(
      from: attributes, purchase: ["first_cds", "cohort"], dropout: ["first_cds"], fill: false,
      sameCoefficient: ["first_cds"], model: BGNBD.modelName)
    covariates = try design.covariates(
      for: summary.rows.map(\.customerID), attributes: attributes, model: BGNBD.modelName)
  }

  /// The raw attributes of each customer of the summary: (first_cds, is jan, is mar).
  func rawAttributes() throws -> [(cds: Double, jan: Double, mar: Double)] {
    let cdsColumn = try #require(attributes.columns.firstIndex(of: "first_cds"))
    let cohortColumn = try #require(attributes.columns.firstIndex(of: "cohort"))
    var byID: [String: [String]] = [:]
    for record in attributes.records { byID[record.customerID] = record.values }
    return try summary.rows.map { row in
      let values = try #require(byID[row.customerID])
      return (
        try #require(Double(values[cdsColumn])), values[cohortColumn] == "jan" ? 1 : 0,
        values[cohortColumn] == "mar" ? 1 : 0
      )
    }
  }

  @Test func freeCoefficientsNameTheSharedOnce() {
    // BG/NBD: purchase has first_cds, cohort=jan, cohort=mar; dropout_a and dropout_b have
    // first_cds. With first_cds shared: two purchase coefficients and one shared.
    #expect(
      StaticCovariateModel<BGNBD>.coefficientNames(design) == [
        "purchase.cohort=jan", "purchase.cohort=mar", "shared.first_cds",
      ])
    #expect(
      StaticCovariateModel<ParetoNBD>.coefficientNames(design) == [
        "purchase.cohort=jan", "purchase.cohort=mar", "shared.first_cds",
      ])
  }

  /// BG/NBD: αᵢ = α e^(−(γ_jan jan + γ_mar mar + δ cds)), aᵢ = a e^(δ cds), bᵢ = b e^(δ cds).
  @Test func bgnbdLogLikelihoodIsTheHandBuiltReparameterisedModels() throws {
    let (r, alpha, a, b) = (0.25, 4.0, 0.8, 2.5)
    let (jan, mar, delta) = (-0.1, 0.2, 0.04)
    var byHand = 0.0
    for (row, raw) in zip(summary.rows, try rawAttributes()) {
      let purchase = jan * raw.jan + mar * raw.mar + delta * raw.cds
      let model = BGNBD(
        r: r, alpha: alpha * exp(-purchase), a: a * exp(delta * raw.cds),
        b: b * exp(delta * raw.cds))
      byHand += try model.logLikelihood(of: row)
    }
    let groups = try CovariateGroups(summary.rows, covariates: covariates, model: "BG/NBD")
    var gradient: [Double] = []
    let free = [r, alpha, a, b, jan, mar, delta]
    let value = StaticCovariateModel<BGNBD>.logLikelihood(
      free, groups: groups, design: design, gradient: &gradient)
    assertClose(value, byHand, relative: 1e-11, source: "the same sum in another order")
    #expect(gradient.count == 7)
    try checkGradient(BGNBD.self, at: free, value: value, gradient: gradient, groups: groups)
  }

  /// Pareto/NBD: αᵢ = α e^(−(γ_jan jan + γ_mar mar + δ cds)), βᵢ = β e^(−δ cds).
  @Test func paretoLogLikelihoodIsTheHandBuiltReparameterisedModels() throws {
    let (r, alpha, s, beta) = (0.55, 10.5, 0.6, 11.7)
    let (jan, mar, delta) = (0.05, -0.1, 0.03)
    var byHand = 0.0
    for (row, raw) in zip(summary.rows, try rawAttributes()) {
      let purchase = jan * raw.jan + mar * raw.mar + delta * raw.cds
      let model = ParetoNBD(
        r: r, alpha: alpha * exp(-purchase), s: s, beta: beta * exp(-delta * raw.cds))
      byHand += try model.logLikelihood(of: row)
    }
    let groups = try CovariateGroups(summary.rows, covariates: covariates, model: "Pareto/NBD")
    var gradient: [Double] = []
    let free = [r, alpha, s, beta, jan, mar, delta]
    let value = StaticCovariateModel<ParetoNBD>.logLikelihood(
      free, groups: groups, design: design, gradient: &gradient)
    assertClose(value, byHand, relative: 1e-10, source: "the same sum in another order")
    try checkGradient(ParetoNBD.self, at: free, value: value, gradient: gradient, groups: groups)
  }

  /// ∂ log L/∂(free parameter) against Richardson-extrapolated central differences: the shared
  /// coefficient's derivative collects every link it stands for.
  func checkGradient<Base: CovariateFittable>(
    _ type: Base.Type, at parameters: [Double], value: Double, gradient: [Double],
    groups: CovariateGroups
  ) throws {
    func f(_ p: [Double]) -> Double {
      var g: [Double] = []
      return StaticCovariateModel<Base>.logLikelihood(
        p, groups: groups, design: design, gradient: &g)
    }
    for j in parameters.indices {
      func central(_ h: Double) -> Double {
        var plus = parameters
        var minus = parameters
        plus[j] += h * max(1, abs(parameters[j]))
        minus[j] -= h * max(1, abs(parameters[j]))
        return (f(plus) - f(minus)) / (2 * h * max(1, abs(parameters[j])))
      }
      let difference = (4 * central(5e-5) - central(1e-4)) / 3
      assertClose(
        gradient[j], difference, absolute: 1e-7 * abs(value),
        source: "\(Base.modelName) free parameter \(j): central differences")
    }
  }

  /// The constrained fit has two coefficients fewer than the unconstrained one (BG/NBD: one
  /// δ for purchase, dropout_a and dropout_b instead of three), its likelihood-ratio test
  /// against the model without covariates has two degrees of freedom fewer, and its
  /// log-likelihood lies between the nested model's and the unconstrained fit's.
  @Test func constraintsReduceTheParameterCountOfTheFitAndTheTest() throws {
    let free = try CovariateDesign.learn(
      from: attributes, purchase: ["first_cds", "cohort"], dropout: ["first_cds"], fill: false,
      model: BGNBD.modelName)
    let unconstrained = try StaticCovariateModel<BGNBD>.fit(
      summary.rows, covariates: covariates, design: free)
    let constrained = try StaticCovariateModel<BGNBD>.fit(
      summary.rows, covariates: covariates, design: design)
    #expect(unconstrained.parameterNames.count == 4 + 5)
    #expect(constrained.parameterNames.count == 4 + 3)
    #expect(constrained.fitReport?.standardErrors?.count == 7)
    let full = try #require(unconstrained.likelihoodRatioTest)
    let restricted = try #require(constrained.likelihoodRatioTest)
    #expect(full.degreesOfFreedom == 5)
    #expect(restricted.degreesOfFreedom == 3)
    let llFull = try #require(unconstrained.fitReport?.logLikelihood)
    let llConstrained = try #require(constrained.fitReport?.logLikelihood)
    let llNested = try #require(constrained.nestedLogLikelihood)
    #expect(llConstrained <= llFull + 1e-6)
    #expect(llConstrained >= llNested - 1e-6)
    assertClose(
      restricted.statistic, 2 * (llConstrained - llNested), relative: 1e-12,
      source: "2 (log L − log L₀)")
    // The fitted δ is the same in every link.
    let delta = constrained.coefficients[1][0]
    #expect(constrained.coefficients[0][0] == delta)
    #expect(constrained.coefficients[2][0] == delta)
    #expect(constrained.parameterValues.last == delta)
    // The constrained model's log-likelihood at its estimate is the hand-built model's.
    var byHand = 0.0
    for (row, z) in zip(summary.rows, covariates) {
      byHand += try constrained.model(for: z).logLikelihood(of: row)
    }
    assertClose(llConstrained, byHand, relative: 1e-10, source: "the same sum in another order")
  }

  @Test func modelFileRoundTripKeepsTheConstraint() throws {
    let model = StaticCovariateModel(
      base: CovariateFixtures.fixedBase, design: design,
      coefficients: StaticCovariateModel<BGNBD>.coefficients(
        fromFree: [-0.1, 0.2, 0.04], design: design))
    #expect(model.coefficients == [[0.04, -0.1, 0.2], [0.04], [0.04]])
    let text = try ModelFile(model: model, unit: .week, data: nil, toolVersion: "test").jsonText()
    #expect(text.contains("\"shared.first_cds\""))
    let back = try ModelFile.decode(Data(text.utf8), path: "m.json")
      .makeCovariateModel(path: "m.json")
    #expect(back.design.sameCoefficientColumns == ["first_cds"])
    #expect(back.parameterValues == model.parameterValues)
    for (row, z) in zip(summary.rows.prefix(20), covariates) {
      #expect(
        back.transactionModel(for: z).expectedPurchases(in: 39, for: row)
          == model.model(for: z).expectedPurchases(in: 39, for: row))
    }
    // A design written before the option existed has no such field: no constraint.
    var object = try #require(
      JSONSerialization.jsonObject(with: JSONEncoder().encode(design)) as? [String: Any])
    object.removeValue(forKey: "sameCoefficientColumns")
    let old = try JSONDecoder().decode(
      CovariateDesign.self, from: JSONSerialization.data(withJSONObject: object))
    #expect(old.sameCoefficientColumns == nil)
    #expect(StaticCovariateModel<BGNBD>.coefficientNames(old).count == 5)
  }

  @Test func aSharedColumnMustActOnBothProcesses() throws {
    #expect {
      try CovariateDesign.learn(
        from: attributes, purchase: ["first_cds", "cohort"], dropout: ["first_cds"],
        fill: false, sameCoefficient: ["cohort"], model: BGNBD.modelName)
    } throws: { error in
      "\(error)".contains(
        "--same-coefficient: column 'cohort' must act on both processes (it is not in "
          + "--dropout-covariates)")
    }
    #expect {
      try CovariateDesign.learn(
        from: attributes, purchase: nil, dropout: nil, fill: false,
        sameCoefficient: ["region"], model: BGNBD.modelName)
    } throws: { error in "\(error)".contains("--same-coefficient: no column 'region'") }
  }
}
