import CLVData
import CLVModels
import TestSupport
import Testing

/// BG/NBD on the CDNOW summary against [FHL2005a] and lifetimes 0.11.3.
/// lifetimes values: `scripts/reference/lifetimes_models.py` (lines `bgnbd.*`), run with
/// /work/pyref/bin/python; 10 significant digits quoted.
@Suite struct BGNBDCorrectnessTests {
  let summary: RFMSummary
  let model: BGNBD

  init() throws {
    summary = try ReferenceData.cdnowSummary()
    model = try BGNBD.fit(summary)
  }

  @Test func publishedEstimates() throws {
    let source = "FHL2005a, CDNOW estimates, 3 decimals"
    assertClose(model.r, 0.243, absolute: 5e-4, source: source)
    assertClose(model.alpha, 4.414, absolute: 5e-4, source: source)
    assertClose(model.a, 0.793, absolute: 5e-4, source: source)
    assertClose(model.b, 2.426, absolute: 5e-4, source: source)
    let report = try #require(model.fitReport)
    assertClose(report.logLikelihood, -9582.4, absolute: 0.05, source: "FHL2005a, LL −9582.4")
    #expect(report.customers == 2357)
    #expect(report.converged && !report.degenerate)
  }

  @Test func matchesLifetimes() throws {
    let source = "lifetimes 0.11.3: BetaGeoFitter().fit(...).params_ (lifetimes_models.py)"
    for (actual, expected) in zip(
      model.parameterValues, [0.2425929283, 4.413532265, 0.7928859664, 2.425752383])
    {
      assertClose(actual, expected, relative: 1e-3, source: source)
    }
    // lifetimes' LL is in its scaled time t/max(T): LL_weeks = LL_scaled − Σx · log(max T).
    let sumX = Double(summary.rows.map(\.frequency).reduce(0, +))
    let maxT = summary.rows.map(\.age).max()!
    assertClose(
      model.fitReport!.logLikelihood, -589.8904648 - sumX * Double.log(maxT), absolute: 0.05,
      source: "lifetimes 0.11.3: -_negative_log_likelihood_ * N, rescaled to weeks")
  }

  @Test func firstTenCustomers() {
    let pAlive = [
      0.7266091368, 0.2122273881, 1, 1, 1, 0.6418006394, 0.3149183004, 1, 0.7848075682, 1,
    ]
    let expected39 = [
      1.225910424, 0.2032506243, 0.1947808579, 0.1947808579, 0.1947808579, 3.337239647,
      0.301597931, 0.1947808579, 1.324100854, 0.1947808579,
    ]
    for (i, row) in summary.rows.prefix(10).enumerated() {
      assertClose(
        model.probabilityAlive(for: row), pAlive[i], relative: 1e-4,
        source: "lifetimes 0.11.3: conditional_probability_alive, customer \(row.customerID)")
      assertClose(
        model.expectedPurchases(in: 39, for: row), expected39[i], relative: 1e-4,
        source: "lifetimes 0.11.3: conditional_expected_number_of_purchases_up_to_time(39)")
    }
  }

  @Test func publishedChecks() {
    // Hardie's spreadsheet values, as quoted by lifetimes' test suite (REFERENCES.md).
    let row = RFMSummary.Row(customerID: "x", frequency: 2, recency: 30.43, age: 38.86)
    assertClose(
      model.expectedPurchases(in: 39, for: row), 1.226, absolute: 5e-4,
      source: "FHL2005a / Hardie spreadsheet: E[Y(39) | 2, 30.43, 38.86] = 1.226")
    assertClose(
      model.probabilityOfPurchases(0, in: 39), 0.574, absolute: 5e-4,
      source: "FHL2005a eq. 8 / lifetimes test: P(X(39) = 0) ≈ 0.574")
  }

  @Test func unconditionalPredictionsMatchLifetimes() {
    assertClose(
      model.expectedPurchases(in: 39), 1.195016228, relative: 1e-4,
      source: "lifetimes 0.11.3: expected_number_of_purchases_up_to_time(39)")
    let pn = [0.5743072834, 0.1991930613, 0.08532240876, 0.04579719172]
    for n in 0..<4 {
      assertClose(
        model.probabilityOfPurchases(n, in: 39), pn[n], relative: 1e-4,
        source: "lifetimes 0.11.3: probability_of_n_purchases_up_to_time(39, \(n))")
    }
  }

  @Test func penalizerMatchesLifetimes() throws {
    let penalized = try BGNBD.fit(summary, options: FitOptions(penalizer: 0.1))
    let expected = [0.2309470139, 4.219287524, 0.1286547402, 0.2671267961]
    for (actual, value) in zip(penalized.parameterValues, expected) {
      assertClose(
        actual, value, relative: 1e-3,
        source: "lifetimes 0.11.3: BetaGeoFitter(penalizer_coef=0.1).fit(...).params_")
    }
    #expect(penalized.fitReport?.penalizer == 0.1)
  }
}
