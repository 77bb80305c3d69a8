import CLVData
import CLVModels
import TestSupport
import Testing

/// The scorer's per-(x, T) factorization E[·| h] = P(alive | h) · g(x, T) against direct
/// evaluation, for every purchase model.
@Suite struct CustomerValueConsistencyTests {
  /// The discounted purchases without a cost linear in the horizon: with d = 0 the sum
  /// telescopes to E[Y(H)]; with d > 0 it stops after K terms (v^K/(1 − v) ≤ 2⁻⁵³), so any
  /// longer horizon gives the same value, and that value is the explicit sum to rounding.
  @Test func discountedPurchasesStopWithoutChangingTheSum() throws {
    let summary = try ReferenceData.cdnowCalibrationWithSpend()
    let model = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    for row in summary.rows.prefix(20) {
      // Explicit Σ_{i=1}^{H} ΔEᵢ vⁱ.
      func explicit(_ horizon: Int, _ d: Double) -> Double {
        var (total, previous) = (0.0, 0.0)
        for i in 1...horizon {
          let e = model.expectedPurchases(in: Double(i), for: row)
          total += (e - previous) / Double.pow(1 + d, Double(i))
          previous = e
        }
        return total
      }
      let closed = CustomerValue.discountedPurchases(
        transactions: model, customer: row, horizon: 52, discountRate: 0)
      assertClose(closed, explicit(52, 0), relative: 1e-12, source: "telescoping sum, d = 0")
      #expect(CustomerValue.periods(horizon: 1e19, discountRate: 0.1) == 411)
      let long = CustomerValue.discountedPurchases(
        transactions: model, customer: row, horizon: 1e19, discountRate: 0.1)
      let cut = CustomerValue.discountedPurchases(
        transactions: model, customer: row, horizon: 411, discountRate: 0.1)
      #expect(long == cut)
      assertClose(
        long, explicit(2000, 0.1), relative: 1e-13,
        source: "tail past K below 2⁻⁵³ of the sum (plus summation rounding)")
    }
    #expect(CustomerValue.periods(horizon: 1e19, discountRate: 0.0001) > 100_000)
    #expect(CustomerValue.periods(horizon: 12.5, discountRate: -0.5) == 13)
  }

  @Test func scorerMatchesDirectEvaluation() throws {
    let summary = try ReferenceData.cdnowCalibrationWithSpend()
    let spend = GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)
    let donations = try ReferenceData.donations().summary.rows
    let cases: [(any TransactionModel, [RFMSummary.Row])] = [
      (BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426), Array(summary.rows.prefix(300))),
      (MBGNBD(r: 0.525, alpha: 6.183, a: 0.891, b: 1.614), Array(summary.rows.prefix(300))),
      (ParetoNBD(r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669), Array(summary.rows.prefix(300))),
      (BGBB(alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783), donations),
      // Regular buyers: given alive, the future depends on T − tₓ too (the Erlang phases).
      (BGCNBDk(k: 3, r: 1.2, alpha: 4.0, a: 0.8, b: 2.5), Array(summary.rows.prefix(300))),
      (MBGCNBDk(k: 2, r: 0.6, alpha: 5.0, a: 0.9, b: 1.6), Array(summary.rows.prefix(300))),
      (BGCNBDk(k: 1, r: 0.243, alpha: 4.414, a: 0.793, b: 2.426), Array(summary.rows.prefix(300))),
    ]
    for (model, rows) in cases {
      var scorer = Scorer(
        transactions: model, spend: spend, horizon: 12, discountRate: 0.01, margin: 0.3)
      for row in rows {
        let score = scorer.score(row)
        let name = type(of: model).modelName
        assertClose(
          score.expectedPurchases, model.expectedPurchases(in: 12, for: row), relative: 1e-9,
          source: "\(name): identity E[Y(t) | h] = P(alive | h) g(x, T)")
        assertClose(
          score.probabilityOfNoPurchase, model.probabilityOfNoPurchase(in: 12, for: row),
          relative: 1e-9, source: "\(name): same factorization for P(no purchase)")
        let clv = CustomerValue.discountedValue(
          transactions: model, spend: spend, customer: row, horizon: 12, discountRate: 0.01,
          margin: 0.3)
        assertClose(
          score.customerValue ?? .nan, clv, relative: 1e-9,
          source: "\(name): same factorization for the per-period CLV sum")
      }
    }
  }

  /// A scorer prepared for the rows (its table computed in parallel) gives exactly the scores
  /// of one that fills its table row by row, and so does a copy of it.
  @Test func preparedScorerGivesIdenticalScores() throws {
    let rows = try ReferenceData.cdnowCalibrationWithSpend().rows
    let model = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    let spend = GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)
    var plain = Scorer(transactions: model, spend: spend, horizon: 12, discountRate: 0.01)
    var prepared = Scorer(transactions: model, spend: spend, horizon: 12, discountRate: 0.01)
    prepared.prepare(for: rows)
    var copy = prepared
    for row in rows {
      let expected = plain.score(row)
      #expect(prepared.score(row) == expected, "identity: same computation per (x, T)")
      #expect(copy.score(row) == expected, "identity: a copy shares the prepared table")
    }
  }

  /// With no discounting the CLV is margin · spend · E[Y(H)] (the per-period differences
  /// telescope); a fractional horizon ends with a partial period.
  @Test func undiscountedValueTelescopes() {
    let model = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    let spend = GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)
    let row = RFMSummary.Row(
      customerID: "", frequency: 2, recency: 30.43, age: 38.86, monetaryValue: 22.35)
    for horizon in [12.0, 12.5] {
      let clv = CustomerValue.discountedValue(
        transactions: model, spend: spend, customer: row, horizon: horizon, discountRate: 0,
        margin: 0.5)
      assertClose(
        clv,
        0.5 * spend.expectedAverageSpend(for: row) * model.expectedPurchases(in: horizon, for: row),
        relative: 1e-12, source: "identity: Σ differences = E[Y(H)]")
    }
  }
}
