import CLVData
import CLVModels
import TestSupport
import Testing

/// Gamma-Gamma on the CDNOW repeat buyers against [FHL2005b] / [FH2013], CLVTools and lifetimes.
@Suite struct GammaGammaCorrectnessTests {
  let summary: RFMSummary

  init() throws { summary = try ReferenceData.cdnowCalibrationWithSpend() }

  /// A customer whose mean repeat spend is not positive (returns netted against purchases,
  /// `--returns net`) is scored with the population mean, like x = 0, never with a negative
  /// or shrunken-towards-negative spend (issue 20).
  @Test func nonPositiveMeanSpendGetsThePopulationMean() {
    let model = GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)
    for m in [-20.0, 0, -6.25e306, -.infinity, .nan] {
      let row = RFMSummary.Row(
        customerID: "r", frequency: 3, recency: 5, age: 10, monetaryValue: m)
      #expect(model.expectedAverageSpend(for: row) == model.populationMeanSpend, "m = \(m)")
    }
    let positive = RFMSummary.Row(
      customerID: "p", frequency: 3, recency: 5, age: 10, monetaryValue: 20)
    assertClose(
      model.expectedAverageSpend(for: positive), 6.25 * (15.44 + 3 * 20) / (6.25 * 3 + 3.74 - 1),
      relative: 1e-15, source: "[FH2013] eq. (5)")
  }

  @Test func publishedEstimates() throws {
    let model = try GammaGamma.fit(summary)
    let source = "FHL2005b / FH2013: p = 6.25, q = 3.74, γ = 15.44 (2 decimals)"
    assertClose(model.p, 6.25, absolute: 5e-3, source: source)
    assertClose(model.q, 3.74, absolute: 5e-3, source: source)
    assertClose(model.gamma, 15.44, absolute: 5e-3, source: source)
    let report = try #require(model.fitReport)
    assertClose(
      report.logLikelihood, -4055.92, absolute: 0.05, source: "CLVTools test suite: LL −4055.92")
    #expect(report.customers == 946)
    #expect(report.dropped == 2357 - 946)
  }

  /// lifetimes' summary file rounds z̄ to cents; fitted on the same rounded values.
  @Test func matchesLifetimes() throws {
    var rounded = summary
    for i in rounded.rows.indices {
      rounded.rows[i].monetaryValue = (rounded.rows[i].monetaryValue * 100).rounded() / 100
    }
    let model = try GammaGamma.fit(rounded)
    for (actual, expected) in zip(model.parameterValues, [6.248802496, 3.744588461, 15.44774806]) {
      assertClose(
        actual, expected, relative: 1e-3,
        source:
          "lifetimes 0.11.3: GammaGammaFitter().fit(repeat buyers).params_ (lifetimes_models.py)")
    }
    assertClose(
      model.fitReport!.logLikelihood, -4055.923244, absolute: 0.05,
      source: "lifetimes 0.11.3: -_negative_log_likelihood_ * 946")
    let spend = [
      24.65861619, 18.91147987, 35.17100215, 35.17100215, 35.17100215, 71.4628508, 18.91147987,
      35.17100215, 27.28240758, 35.17100215,
    ]
    for (i, row) in rounded.rows.prefix(10).enumerated() {
      assertClose(
        model.expectedAverageSpend(for: row), spend[i], relative: 1e-4,
        source: "lifetimes 0.11.3: conditional_expected_average_profit, customer \(row.customerID)")
    }
  }
}
