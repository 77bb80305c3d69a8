import CLVData
import CLVModels
import CLVNumerics
import TestSupport
import Testing

/// Invariants of BG/NBD and MBG/NBD: probabilities in range, per-row LL sums, time rescaling,
/// gradients, closed forms against quadrature, stress cases.
@Suite struct BGNBDConsistencyTests {
  let summary: RFMSummary
  let bgnbd: BGNBD
  let mbgnbd: MBGNBD

  init() throws {
    summary = try ReferenceData.cdnowSummary()
    bgnbd = try BGNBD.fit(summary)
    mbgnbd = try MBGNBD.fit(summary)
  }

  var models: [any TransactionModel] { [bgnbd, mbgnbd] }

  @Test func probabilitiesStayInTheUnitInterval() {
    for model in models {
      for row in summary.rows {
        let p = model.probabilityAlive(for: row)
        #expect(p >= 0 && p <= 1, "\(type(of: model).modelName) P(alive) = \(p)")
        let none = model.probabilityOfNoPurchase(in: 39, for: row)
        #expect(none >= 0 && none <= 1)
        #expect(model.expectedPurchases(in: 39, for: row) >= 0)
      }
    }
  }

  @Test func perCustomerLogLikelihoodsSumToTheTotal() throws {
    for model in models {
      var total = 0.0
      for row in summary.rows { total += try model.logLikelihood(of: row) }
      assertClose(
        total, model.fitReport!.logLikelihood, relative: 1e-12,
        source: "identity: Σ per-customer LL = fitted total (collapsed rows)")
    }
  }

  /// Times in days instead of weeks: α scales by 7, r, a, b do not change, and neither does
  /// P(alive); the log-likelihood changes by −Σx · log 7 (the density of event times).
  @Test func rescalingTimeChangesOnlyAlpha() throws {
    var days = summary
    for i in days.rows.indices {
      days.rows[i].recency *= 7
      days.rows[i].age *= 7
    }
    let fitted = try BGNBD.fit(days)
    assertClose(
      fitted.alpha, 7 * bgnbd.alpha, relative: 1e-4, source: "time rescaling: α ∝ time unit")
    assertClose(fitted.r, bgnbd.r, relative: 1e-4, source: "time rescaling: r unitless")
    assertClose(fitted.a, bgnbd.a, relative: 1e-4, source: "time rescaling: a unitless")
    assertClose(fitted.b, bgnbd.b, relative: 1e-4, source: "time rescaling: b unitless")
    let sumX = Double(summary.rows.map(\.frequency).reduce(0, +))
    assertClose(
      fitted.fitReport!.logLikelihood, bgnbd.fitReport!.logLikelihood - sumX * Double.log(7),
      absolute: 1e-4, source: "identity: LL_days = LL_weeks − Σx log 7")
    for (week, day) in zip(summary.rows.prefix(50), days.rows.prefix(50)) {
      assertClose(
        fitted.probabilityAlive(for: day), bgnbd.probabilityAlive(for: week), absolute: 1e-6,
        source: "time rescaling leaves P(alive) unchanged")
      assertClose(
        fitted.expectedPurchases(in: 7 * 39, for: day), bgnbd.expectedPurchases(in: 39, for: week),
        relative: 1e-4, source: "time rescaling leaves E[Y(39 weeks)] unchanged")
    }
  }

  @Test func gradientMatchesFiniteDifferences() throws {
    let data = try CollapsedRFM(summary.rows, model: "test")
    let points = [[0.3, 5.0, 0.6, 3.0], [1.2, 20.0, 2.0, 0.5], [0.05, 0.5, 0.2, 8.0]]
    for (index, check) in [
      BGNBD.logLikelihood, MBGNBD.logLikelihood,
    ].enumerated() {
      for theta in points {
        var gradient: [Double] = []
        _ = check(theta, data, &gradient)
        for i in 0..<4 {
          let h = 1e-6 * theta[i]
          var up = theta, down = theta
          up[i] += h
          down[i] -= h
          var scratch: [Double] = []
          let numeric = (check(up, data, &scratch) - check(down, data, &scratch)) / (2 * h)
          assertClose(
            gradient[i], numeric, relative: 1e-5,
            source: "central differences, h = 1e-6·θ (model \(index), parameter \(i))")
        }
      }
    }
  }

  @Test func gradientIsSmallAtTheOptimum() throws {
    let data = try CollapsedRFM(summary.rows, model: "test")
    var gradient: [Double] = []
    _ = BGNBD.logLikelihood(bgnbd.parameterValues, data: data, gradient: &gradient)
    // Objective −LL/N in log-parameters: θᵢ ∂LL/∂θᵢ / N below the optimizer's tolerance 1e-6 ×
    // max(1, |f|) (|f| ≈ 4.07).
    for (theta, g) in zip(bgnbd.parameterValues, gradient) {
      #expect(abs(theta * g / data.customers) < 1e-5)
    }
    #expect(bgnbd.fitReport!.gradientNorm < 1e-5)
  }

  /// Σₙ P(X(t) = n) = 1 and Σₙ n P(X(t) = n) = E[X(t)] (truncated where the terms vanish).
  @Test func purchaseDistributionSumsToOneWithTheRightMean() {
    for model in models {
      var total = 0.0, mean = 0.0
      for n in 0..<400 {
        let p = model.probabilityOfPurchases(n, in: 39)
        total += p
        mean += Double(n) * p
      }
      assertClose(total, 1, absolute: 1e-6, source: "identity: Σ P(X(39) = n) = 1")
      assertClose(
        mean, model.expectedPurchases(in: 39), relative: 1e-5,
        source: "identity: Σ n P(X(39) = n) = E[X(39)]")
    }
  }

  /// A customer seen only at time 0 is a new customer: conditional = unconditional.
  @Test func newCustomerConditionalEqualsUnconditional() {
    let fresh = RFMSummary.Row(customerID: "new", frequency: 0, recency: 0, age: 0)
    for model in models {
      assertClose(
        model.expectedPurchases(in: 39, for: fresh), model.expectedPurchases(in: 39),
        relative: 1e-10, source: "identity: E[Y(t) | 0, 0, 0] = E[X(t)]")
      assertClose(
        model.probabilityOfNoPurchase(in: 39, for: fresh), model.probabilityOfPurchases(0, in: 39),
        relative: 1e-10, source: "identity: P(no purchase in t | 0, 0, 0) = P(X(t) = 0)")
    }
  }

  /// The ₂F₁ closed form of eq. (10) against the quadrature of its integral: a near 1 and
  /// a + b < 1 go through quadrature, so compare both paths across a.
  @Test func closedFormAgreesWithQuadrature() {
    let row = RFMSummary.Row(customerID: "x", frequency: 3, recency: 20, age: 30)
    for a in [0.5, 0.999, 0.9999999, 1.0, 1.0000001, 1.001, 2.5] {
      let model = BGNBD(r: 0.4, alpha: 5, a: a, b: 1.5)
      let e = model.expectedPurchases(in: 39, for: row)
      let left = BGNBD(r: 0.4, alpha: 5, a: a - 1e-4, b: 1.5).expectedPurchases(in: 39, for: row)
      let right = BGNBD(r: 0.4, alpha: 5, a: a + 1e-4, b: 1.5).expectedPurchases(in: 39, for: row)
      #expect(e.isFinite && e > 0)
      // Continuity across a = 1 (closed form on both sides, quadrature at and near 1).
      assertClose(e, (left + right) / 2, relative: 1e-3, source: "continuity in a")
    }
  }

  /// No NaN or infinity for extreme histories and parameters.
  @Test func stressCasesStayFinite() {
    let rows = [
      RFMSummary.Row(customerID: "heavy", frequency: 500, recency: 4999, age: 5000),
      RFMSummary.Row(customerID: "gone", frequency: 500, recency: 10, age: 5000),
      RFMSummary.Row(customerID: "old", frequency: 0, recency: 0, age: 5000),
      RFMSummary.Row(customerID: "one", frequency: 1, recency: 0.001, age: 5000),
    ]
    let parameterSets: [[Double]] = [
      [0.243, 4.414, 0.793, 2.426],
      [0.2, 3, 0.3, 0.4],  // a + b < 1
      [0.1, 2, 0.05, 0.5],  // a + b < 1, small a
      [50, 1e-3, 1e3, 1e-3],
      [1e-3, 1e4, 1e-3, 1e3],
      [300, 1e3, 0.9, 0.2],
    ]
    for values in parameterSets {
      let models: [any TransactionModel] = [
        BGNBD(r: values[0], alpha: values[1], a: values[2], b: values[3]),
        MBGNBD(r: values[0], alpha: values[1], a: values[2], b: values[3]),
      ]
      for model in models {
        for t in [1.0, 39, 5000] {
          let e = model.expectedPurchases(in: t)
          #expect(e.isFinite && e >= 0, "E[X(\(t))] = \(e) for \(values)")
          for n in [0, 1, 500] {
            let p = model.probabilityOfPurchases(n, in: t)
            #expect(
              p.isFinite && p >= 0 && p <= 1 + 1e-12, "P(X(\(t)) = \(n)) = \(p) for \(values)")
          }
          for row in rows {
            let alive = model.probabilityAlive(for: row)
            let e = model.expectedPurchases(in: t, for: row)
            let none = model.probabilityOfNoPurchase(in: t, for: row)
            let ll = (try? model.logLikelihood(of: row)) ?? .nan
            #expect(
              alive.isFinite && alive >= 0 && alive <= 1, "P(alive) \(row.customerID) \(values)")
            #expect(e.isFinite && e >= 0, "E[Y(\(t))] = \(e) for \(row.customerID), \(values)")
            #expect(none.isFinite && none >= 0 && none <= 1, "P(none) \(row.customerID) \(values)")
            #expect(ll.isFinite, "LL \(row.customerID) \(values)")
          }
        }
      }
    }
  }
}
