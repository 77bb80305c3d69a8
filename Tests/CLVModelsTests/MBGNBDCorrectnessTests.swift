import CLVData
import CLVModels
import TestSupport
import Testing

/// MBG/NBD on the CDNOW summary against lifetimes 0.11.3 (`ModifiedBetaGeoFitter`; values from
/// `scripts/reference/lifetimes_models.py`, lines `mbgnbd.*`).
@Suite struct MBGNBDCorrectnessTests {
  let summary: RFMSummary
  let model: MBGNBD

  init() throws {
    summary = try ReferenceData.cdnowSummary()
    model = try MBGNBD.fit(summary)
  }

  @Test func lifetimesTestSuiteValues() {
    let source = "REFERENCES.md: lifetimes' MBG/NBD test values (close to BTYDplus), 3 decimals"
    assertClose(model.r, 0.525, absolute: 5e-4, source: source)
    assertClose(model.alpha, 6.183, absolute: 5e-4, source: source)
    assertClose(model.a, 0.891, absolute: 5e-4, source: source)
    assertClose(model.b, 1.614, absolute: 5e-4, source: source)
  }

  @Test func matchesLifetimes() {
    for (actual, expected) in zip(
      model.parameterValues, [0.5248377256, 6.182988479, 0.8913562809, 1.614000026])
    {
      assertClose(
        actual, expected, relative: 1e-3, source: "lifetimes 0.11.3: ModifiedBetaGeoFitter params_")
    }
    let sumX = Double(summary.rows.map(\.frequency).reduce(0, +))
    let maxT = summary.rows.map(\.age).max()!
    assertClose(
      model.fitReport!.logLikelihood, -589.5975891 - sumX * Double.log(maxT), absolute: 0.05,
      source: "lifetimes 0.11.3: -_negative_log_likelihood_ * N, rescaled to weeks")
    assertClose(
      model.expectedPurchases(in: 39), 1.182283795, relative: 1e-4,
      source: "lifetimes 0.11.3: expected_number_of_purchases_up_to_time(39)")
    let pn = [0.5826055674, 0.182763374, 0.08687059148, 0.04855072244]
    for n in 0..<4 {
      assertClose(
        model.probabilityOfPurchases(n, in: 39), pn[n], relative: 1e-4,
        source: "lifetimes 0.11.3: probability_of_n_purchases_up_to_time(39, \(n))")
    }
  }

  @Test func firstTenCustomers() {
    let pAlive = [
      0.7061262587, 0.1708196301, 0.3897164421, 0.3897164421, 0.3897164421, 0.6226387217,
      0.2595041742, 0.3897164421, 0.7714961122, 0.3897164421,
    ]
    let expected39 = [
      1.262670779, 0.1887892404, 0.1539536444, 0.1539536444, 0.1539536444, 3.166805355,
      0.2868030794, 0.1539536444, 1.379562911, 0.1539536444,
    ]
    for (i, row) in summary.rows.prefix(10).enumerated() {
      assertClose(
        model.probabilityAlive(for: row), pAlive[i], relative: 1e-4,
        source: "lifetimes 0.11.3: conditional_probability_alive")
      assertClose(
        model.expectedPurchases(in: 39, for: row), expected39[i], relative: 1e-4,
        source: "lifetimes 0.11.3: conditional_expected_number_of_purchases_up_to_time(39)")
    }
  }

  @Test func penalizerMatchesLifetimes() throws {
    let penalized = try MBGNBD.fit(summary, options: FitOptions(penalizer: 0.1))
    let expected = [0.4082196163, 5.312090015, 0.2048219178, 0.3467883788]
    for (actual, value) in zip(penalized.parameterValues, expected) {
      assertClose(
        actual, value, relative: 1e-3,
        source: "lifetimes 0.11.3: ModifiedBetaGeoFitter(penalizer_coef=0.1).fit(...).params_")
    }
  }
}
