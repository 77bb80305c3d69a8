import CLVData
import CLVModels
import CLVNumerics
import TestSupport
import Testing

/// Reference values: `scripts/reference/churn_logit.py` (run with /work/pyref/bin/python:
/// lifetimes 0.11.3, statsmodels 0.14.1, scikit-learn 1.3.2, numpy 1.24.4), on
/// CDNOW_master.txt, calibration end 1997-09-30, observation end 1998-06-30, weeks,
/// features frequency, recency, T, monetary_value. Order: intercept, then the features.
@Suite struct LogisticChurnCorrectnessTests {
  static let features = ["frequency", "recency", "T", "monetary_value"]

  static func fit(l2: Double) throws -> LogisticChurn {
    let data = try CDNOWChurn.load()
    let specification = ChurnFeatureSpecification(features: features)
    let x = try specification.design(for: data.rows)
    return try LogisticChurn.fit(
      features: x, churned: data.churned, featureNames: specification.featureNames,
      options: .init(l2: l2))
  }

  @Test func cdnowDataMatchTheReference() throws {
    let data = try CDNOWChurn.load()
    // churn_logit.py prints "customers 23570  churners 16512".
    #expect(data.rows.count == 23_570)
    #expect(data.churned.filter { $0 }.count == 16_512)
  }

  @Test func unpenalizedFitMatchesStatsmodelsLogit() throws {
    let model = try Self.fit(l2: 0)
    let source = "statsmodels 0.14.1 Logit(newton, tol=1e-14): scripts/reference/churn_logit.py"
    let coefficients = [
      0.346975913977688, -0.24784612937934022, -0.06544137353403433, 0.04174236041773967,
      -0.0030580130273567935,
    ]
    let standardErrors = [
      0.16160373654847282, 0.014931632419909423, 0.0021426943182194175, 0.004966723498568946,
      0.000672040493664382,
    ]
    let z = [
      2.14707853536303, -16.59872962375293, -30.541628349682757, 8.404405928730847,
      -4.550340427676624,
    ]
    let p = [
      0.0317870298189757, 7.118154679540303e-62, 7.304289481726544e-205,
      4.300328386735828e-17, 5.355919188204319e-06,
    ]
    #expect(model.parameterNames == ["intercept"] + Self.features)
    for j in coefficients.indices {
      assertClose(model.parameterValues[j], coefficients[j], relative: 1e-6, source: source)
      assertClose(model.standardErrors![j], standardErrors[j], relative: 1e-6, source: source)
      assertClose(model.zValues![j], z[j], relative: 1e-6, source: source)
      // p = erfc(|z|/√2): relative error ≈ z² × (relative error of z), up to ~1e3 × 1e-6.
      assertClose(model.pValues![j], p[j], relative: 1e-4, source: source)
    }
    assertClose(
      model.fitReport!.logLikelihood, -11602.79546779606, relative: 1e-10, source: source)
    #expect(model.fitReport!.converged)
    #expect(model.fitReport!.gradientNorm < 1e-8)
  }

  @Test(arguments: [
    (
      1.0,
      [
        0.34738678795364275, -0.24770973929133316, -0.06543155709910149, 0.04172512299597842,
        -0.0030623730972080174,
      ]
    ),
    (
      100.0,
      [
        0.38669629610165324, -0.23575642198584765, -0.0643996652654115, 0.040076177304504274,
        -0.0034623666853541703,
      ]
    ),
  ])
  func penalizedFitMatchesScikitLearnAtCEqualsOneOverLambda(
    l2: Double, expected: [Double]
  )
    throws
  {
    let model = try Self.fit(l2: l2)
    let source =
      "scikit-learn 1.3.2 StandardScaler + LogisticRegression(C=1/\(l2), "
      + "solver='newton-cholesky', tol=1e-14), mapped to the original scale: "
      + "scripts/reference/churn_logit.py"
    for j in expected.indices {
      assertClose(model.parameterValues[j], expected[j], relative: 1e-6, source: source)
    }
    #expect(model.standardErrors == nil)
    #expect(model.pValues == nil)
    #expect(model.l2 == l2)
  }
}
