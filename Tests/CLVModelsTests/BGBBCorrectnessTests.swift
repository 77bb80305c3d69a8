import CLVData
import CLVModels
import TestSupport
import Testing

/// BG/BB on the donations data against [FHS2010] and lifetimes 0.11.3
/// (`scripts/reference/lifetimes_models.py`, lines `bgbb.*`).
@Suite struct BGBBCorrectnessTests {
  let model: BGBB

  init() throws {
    let data = try ReferenceData.donations()
    model = try BGBB.fit(data.summary, weights: data.weights)
  }

  let histories = [(0, 0.0), (2, 4.0), (6, 6.0)].map {
    RFMSummary.Row(customerID: "", frequency: $0.0, recency: $0.1, age: 6)
  }

  @Test func publishedEstimates() throws {
    let source = "FHS2010, donations estimates, 3 decimals"
    assertClose(model.alpha, 1.204, absolute: 5e-4, source: source)
    assertClose(model.beta, 0.750, absolute: 5e-4, source: source)
    assertClose(model.gamma, 0.657, absolute: 5e-4, source: source)
    assertClose(model.delta, 2.783, absolute: 5e-4, source: source)
    let report = try #require(model.fitReport)
    assertClose(report.logLikelihood, -33225.6, absolute: 0.05, source: "FHS2010: LL −33225.6")
    #expect(report.customers == 11104)
  }

  @Test func publishedProbabilityAlive() {
    for (row, expected) in zip(histories, [0.11, 0.59, 0.93]) {
      assertClose(
        model.probabilityAlive(for: row), expected, absolute: 5e-3,
        source: "REFERENCES.md (lifetimes test suite from Hardie's spreadsheet), 2 decimals")
    }
  }

  @Test func matchesLifetimes() {
    for (actual, expected) in zip(
      model.parameterValues, [1.203522394, 0.7497163582, 0.6567181695, 2.783441983])
    {
      assertClose(
        actual, expected, relative: 1e-3, source: "lifetimes 0.11.3: BetaGeoBetaBinomFitter params_"
      )
    }
    assertClose(
      model.fitReport!.logLikelihood, -33225.58127, absolute: 0.05,
      source: "lifetimes 0.11.3: -_negative_log_likelihood_ * 11104")
    let alive = [0.1081332751, 0.5896571891, 0.9304335775]
    let next5 = [0.07286333894, 1.057603546, 3.752544247]
    for (i, row) in histories.enumerated() {
      assertClose(
        model.probabilityAlive(for: row), alive[i], relative: 1e-4,
        source: "lifetimes 0.11.3: conditional_probability_alive(1, x, tx, 6)")
      assertClose(
        model.expectedPurchases(in: 5, for: row), next5[i], relative: 1e-4,
        source: "lifetimes 0.11.3: conditional_expected_number_of_purchases_up_to_time(5, x, tx, 6)"
      )
    }
  }
}
