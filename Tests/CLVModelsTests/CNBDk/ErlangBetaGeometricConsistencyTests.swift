import CLVData
import CLVModels
import CLVNumerics
import TestSupport
import Testing

/// (M)BG/CNBD-k against its special case and against itself: k = 1 is BG/NBD (MBG/NBD), the
/// analytic gradient against central differences, P(X(t) = n) against E[X(t)], and the fit
/// recovering k and the parameters of simulated Erlang-k purchasing.
@Suite struct ErlangBetaGeometricConsistencyTests {
  /// Every CDNOW customer: the log-likelihood and every prediction at k = 1 equal BG/NBD's
  /// (MBG/NBD's) closed forms, relative 1e-10 (the series of the CNBD-k predictions are summed
  /// to 1e-16 of their value; the closed forms use ₂F₁).
  @Test func kOneReproducesBGNBDAndMBGNBD() throws {
    let summary = try ReferenceData.cdnowSummary()
    let p = (r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)  // [FHL2005a] BG/NBD estimates
    let pairs: [(any TransactionModel, any TransactionModel)] = [
      (
        BGCNBDk(k: 1, r: p.r, alpha: p.alpha, a: p.a, b: p.b),
        BGNBD(r: p.r, alpha: p.alpha, a: p.a, b: p.b)
      ),
      (
        MBGCNBDk(k: 1, r: p.r, alpha: p.alpha, a: p.a, b: p.b),
        MBGNBD(r: p.r, alpha: p.alpha, a: p.a, b: p.b)
      ),
    ]
    for (cnbd, nbd) in pairs {
      let name = type(of: nbd).modelName
      var totalCNBD = 0.0, totalNBD = 0.0
      for row in summary.rows {
        totalCNBD += try cnbd.logLikelihood(of: row)
        totalNBD += try nbd.logLikelihood(of: row)
        let source = "\(name), customer \(row.customerID)"
        assertClose(
          cnbd.probabilityAlive(for: row), nbd.probabilityAlive(for: row), relative: 1e-12,
          source: source)
        assertClose(
          cnbd.expectedPurchases(in: 39, for: row), nbd.expectedPurchases(in: 39, for: row),
          relative: 1e-10, source: source)
        assertClose(
          cnbd.probabilityOfNoPurchase(in: 39, for: row),
          nbd.probabilityOfNoPurchase(in: 39, for: row), relative: 1e-12, source: source)
        #expect(
          cnbd.expectedTimeToNextPurchase(for: row).map { ($0 * 1e12).rounded() }
            == nbd.expectedTimeToNextPurchase(for: row).map { ($0 * 1e12).rounded() })
      }
      assertClose(totalCNBD, totalNBD, relative: 1e-13, source: name)
      for t in [1.0, 13, 39, 78] {
        assertClose(
          cnbd.expectedPurchases(in: t), nbd.expectedPurchases(in: t), relative: 1e-10,
          source: "\(name) E[X(\(t))]")
        for n in 0...5 {
          assertClose(
            cnbd.probabilityOfPurchases(n, in: t), nbd.probabilityOfPurchases(n, in: t),
            relative: 1e-10, source: "\(name) P(X(\(t)) = \(n))")
        }
      }
    }
  }

  /// The fit restricted to k = 1 is the BG/NBD fit (same likelihood, same estimator): the
  /// estimates agree to the estimator's stopping rule (relative 1e-5) and the log-likelihoods
  /// to 1e-6.
  @Test func fitAtKOneIsTheBGNBDFit() throws {
    let summary = try ReferenceData.cdnowSummary()
    let data = try CollapsedRFM(summary.rows, model: "test")
    let cnbd = try BGCNBDk.fit(
      data, totalLogInterPurchaseTimes: 0, totalRepeatPurchases: 2457, regularity: 1)
    let nbd = try BGNBD.fit(summary)
    #expect(cnbd.k == 1)
    for (x, y) in zip(cnbd.parameterValues.dropFirst(), nbd.parameterValues) {
      assertClose(x, y, relative: 1e-5, source: "BG/NBD fit on CDNOW")
    }
    assertClose(
      cnbd.fitReport!.logLikelihood, nbd.fitReport!.logLikelihood, absolute: 1e-6,
      source: "BG/NBD fit on CDNOW")
  }

  /// The analytic gradient of the total log-likelihood at k = 3 against central differences
  /// (step 1e-5·θ), both variants, on CDNOW: absolute 1e-5, above the differences' rounding
  /// error |log L|·ε/h ≈ 1e4 · 2e-16 / 2e-5 = 1e-7 and their truncation error.
  @Test func gradientMatchesCentralDifferences() throws {
    let summary = try ReferenceData.cdnowSummary()
    let data = try CollapsedRFM(summary.rows, model: "test")
    let theta = [0.3, 1.5, 0.7, 2.0]
    for modified in [false, true] {
      var gradient = [Double](repeating: 0, count: 4)
      let ll: ([Double], inout [Double]) -> Double = { t, g in
        modified
          ? MBGCNBDk.logLikelihood(t, k: 3, data: data, gradient: &g)
          : BGCNBDk.logLikelihood(t, k: 3, data: data, gradient: &g)
      }
      _ = ll(theta, &gradient)
      for i in 0..<4 {
        let h = 1e-5 * theta[i]
        var plus = theta, minus = theta
        plus[i] += h
        minus[i] -= h
        var scratch = [Double](repeating: 0, count: 4)
        let numeric = (ll(plus, &scratch) - ll(minus, &scratch)) / (2 * h)
        assertClose(
          gradient[i], numeric, absolute: 1e-5,
          source: "central differences, parameter \(i), modified \(modified)")
      }
    }
  }

  /// P(X(t) = n) sums to 1 and Σ n P(X(t) = n) = E[X(t)] (k = 4, both variants), relative
  /// 1e-9 (n summed to 400).
  @Test func purchaseCountDistributionMatchesItsMean() {
    let models: [any TransactionModel] = [
      BGCNBDk(k: 4, r: 0.5, alpha: 3, a: 1.3, b: 2.5),
      MBGCNBDk(k: 4, r: 0.5, alpha: 3, a: 1.3, b: 2.5),
    ]
    for model in models {
      var total = 0.0, mean = 0.0
      for n in 0...400 {
        let p = model.probabilityOfPurchases(n, in: 52)
        total += p
        mean += Double(n) * p
      }
      let name = type(of: model).modelName
      assertClose(total, 1, relative: 1e-9, source: "\(name) Σ P(X = n)")
      assertClose(mean, model.expectedPurchases(in: 52), relative: 1e-9, source: "\(name) mean")
    }
  }

  /// 20,000 simulated customers of a BG/CNBD-k process with k = 3 (acquired uniformly over 26
  /// weeks, observed to week 52; seed 17): the fit over k = 1 … 12 chooses k = 3, and recovers
  /// r, α, a, b within 25% (their standard errors at this size are 5–15%).
  @Test func recoversKAndTheParametersOfSimulatedData() throws {
    let truth = BGCNBDk(k: 3, r: 2.0, alpha: 3.0, a: 1.5, b: 4.0)
    var rng = SeededGenerator(seed: 17)
    var rows: [RFMSummary.Row] = []
    var litt: [Double] = []
    for i in 0..<20_000 {
      let age = 26 + 26 * rng.uniform()
      var times: [Double] = []
      truth.simulateRepeatPurchases(unitDays: 1, using: &rng) { clock, _ in
        guard clock <= age else { return false }
        times.append(clock)
        return true
      }
      var previous = 0.0
      var sum = 0.0
      for t in times {
        sum += Double.log(t - previous)
        previous = t
      }
      rows.append(
        RFMSummary.Row(
          customerID: "\(i)", frequency: times.count, recency: times.last ?? 0, age: age))
      litt.append(sum)
    }
    let fitted = try BGCNBDk.fit(
      RFMSummary(rows: rows, unit: .day, logInterPurchaseTimes: litt))
    #expect(fitted.k == 3)
    for (name, value, expected) in [
      ("r", fitted.r, truth.r), ("alpha", fitted.alpha, truth.alpha), ("a", fitted.a, truth.a),
      ("b", fitted.b, truth.b),
    ] {
      assertClose(value, expected, relative: 0.25, source: "simulated truth, \(name)")
    }
    let profile = try #require(fitted.profile)
    let best = profile.logLikelihoods.compactMap { $0 }.max()
    #expect(profile.logLikelihoods[2] == best)
  }
}
