import CLVData
import CLVModels
import TestSupport
import Testing

/// Invariants of BG/BB and Gamma-Gamma.
@Suite struct BGBBConsistencyTests {
  let model = BGBB(alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783)

  @Test func gradientMatchesFiniteDifferences() throws {
    let data = try ReferenceData.donations()
    let collapsed = try CollapsedRFM(data.summary.rows, weights: data.weights, model: "test")
    for theta in [[1.2, 0.75, 0.66, 2.8], [0.3, 3.0, 2.0, 0.4]] {
      var gradient: [Double] = []
      _ = BGBB.logLikelihood(theta, data: collapsed, gradient: &gradient)
      for i in 0..<4 {
        let h = 1e-6 * theta[i]
        var up = theta, down = theta
        up[i] += h
        down[i] -= h
        var g: [Double] = []
        let numeric =
          (BGBB.logLikelihood(up, data: collapsed, gradient: &g)
            - BGBB.logLikelihood(down, data: collapsed, gradient: &g)) / (2 * h)
        assertClose(gradient[i], numeric, relative: 1e-5, source: "central differences, h = 1e-6·θ")
      }
    }
  }

  /// Σₓ P(X(n) = x) = 1 and Σₓ x P(X(n) = x) = E[X(n)] for n = 6.
  @Test func purchaseDistributionSumsToOneWithTheRightMean() {
    var total = 0.0, mean = 0.0
    for x in 0...6 {
      let p = model.probabilityOfPurchases(x, in: 6)
      total += p
      mean += Double(x) * p
    }
    assertClose(total, 1, absolute: 1e-12, source: "identity: Σ P(X(6) = x) = 1")
    assertClose(
      mean, model.expectedPurchases(in: 6), relative: 1e-10,
      source: "identity: mean of [FHS2010] eq. 7 = eq. 9")
  }

  /// The closed form of eq. (13) against the sum over future opportunities (γ near 1 uses the
  /// sum): continuity across γ = 1.
  @Test func conditionalExpectationIsContinuousInGamma() {
    let row = RFMSummary.Row(customerID: "", frequency: 2, recency: 4, age: 6)
    for g in [0.999999, 1.0, 1.000001] {
      let value = BGBB(alpha: 1.2, beta: 0.75, gamma: g, delta: 2.8).expectedPurchases(
        in: 10, for: row)
      let reference = BGBB(alpha: 1.2, beta: 0.75, gamma: 1.01, delta: 2.8).expectedPurchases(
        in: 10, for: row)
      assertClose(
        value, reference, relative: 1e-2, source: "continuity in γ (γ = 1.01 by the closed form)")
    }
  }

  @Test func probabilitiesInRangeAndStressCasesFinite() throws {
    let data = try ReferenceData.donations()
    var total = 0.0
    for (row, w) in zip(data.summary.rows, data.weights) {
      let p = model.probabilityAlive(for: row)
      #expect(p >= 0 && p <= 1)
      let none = model.probabilityOfNoPurchase(in: 5, for: row)
      #expect(none >= 0 && none <= 1)
      total += w * model.logLikelihood(of: row)
    }
    #expect(total.isFinite)
    let long = RFMSummary.Row(customerID: "", frequency: 500, recency: 4000, age: 5000)
    for m in [
      model, BGBB(alpha: 0.01, beta: 50, gamma: 0.2, delta: 0.3),
      BGBB(alpha: 300, beta: 0.01, gamma: 40, delta: 1e-3),
    ] {
      for value in [
        m.probabilityAlive(for: long), m.expectedPurchases(in: 100, for: long),
        m.probabilityOfNoPurchase(in: 100, for: long), m.logLikelihood(of: long),
        m.expectedPurchases(in: 5000), m.probabilityOfPurchases(500, in: 5000),
      ] {
        #expect(value.isFinite)
      }
    }
  }
}

@Suite struct GammaGammaConsistencyTests {
  @Test func gradientMatchesFiniteDifferences() throws {
    let data = GammaGamma.Data(try ReferenceData.cdnowCalibrationWithSpend().rows)
    #expect(data.dropped == 1411)
    for theta in [[6.0, 3.5, 15.0], [0.5, 1.5, 100.0]] {
      var gradient: [Double] = []
      _ = GammaGamma.logLikelihood(theta, data: data, gradient: &gradient)
      for i in 0..<3 {
        let h = 1e-6 * theta[i]
        var up = theta, down = theta
        up[i] += h
        down[i] -= h
        var g: [Double] = []
        let numeric =
          (GammaGamma.logLikelihood(up, data: data, gradient: &g)
            - GammaGamma.logLikelihood(down, data: data, gradient: &g)) / (2 * h)
        // Near the optimum a component can be ~0.05 while |log L| ≈ 4000: the difference
        // quotient's rounding error is ~ 1e-16 · 4000 / h ≈ 1e-5, so the tolerance is absolute.
        assertClose(
          gradient[i], numeric, absolute: 1e-4 + 1e-6 * abs(numeric),
          source: "central differences, h = 1e-6·θ")
      }
    }
  }

  /// Money rescaling: amounts in cents multiply γ by 100 and leave p, q unchanged.
  @Test func rescalingMoneyChangesOnlyGamma() throws {
    let summary = try ReferenceData.cdnowCalibrationWithSpend()
    var cents = summary
    for i in cents.rows.indices { cents.rows[i].monetaryValue *= 100 }
    let dollars = try GammaGamma.fit(summary)
    let fitted = try GammaGamma.fit(cents)
    assertClose(
      fitted.gamma, 100 * dollars.gamma, relative: 1e-4, source: "γ has the unit of money")
    assertClose(fitted.p, dollars.p, relative: 1e-4, source: "p unitless")
    assertClose(fitted.q, dollars.q, relative: 1e-4, source: "q unitless")
    let row = summary.rows[0]
    assertClose(
      fitted.expectedAverageSpend(for: cents.rows[0]), 100 * dollars.expectedAverageSpend(for: row),
      relative: 1e-4, source: "E[Z] in cents = 100 × in dollars")
  }

  @Test func unusableDataIsAClearError() {
    let rows = [RFMSummary.Row(customerID: "a", frequency: 0, recency: 0, age: 10)]
    #expect(throws: ModelError.self) { try GammaGamma.fit(RFMSummary(rows: rows, unit: .week)) }
  }

  @Test func expectedSpendIsFiniteOrReportedInfinite() {
    let heavy = RFMSummary.Row(
      customerID: "", frequency: 500, recency: 1, age: 2, monetaryValue: 1e6)
    #expect(GammaGamma(p: 6.25, q: 3.74, gamma: 15.44).expectedAverageSpend(for: heavy).isFinite)
    // q < 1: no population mean; a new customer's expected spend does not exist.
    let fresh = RFMSummary.Row(customerID: "", frequency: 0, recency: 0, age: 2)
    let model = GammaGamma(p: 1, q: 0.5, gamma: 10)
    #expect(!model.expectedAverageSpend(for: fresh).isFinite)
    #expect(throws: ModelError.self) {
      try model.checkedFinite(model.expectedAverageSpend(for: fresh), "spend")
    }
  }
}
