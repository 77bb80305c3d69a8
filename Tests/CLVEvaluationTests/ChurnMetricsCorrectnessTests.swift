import CLVEvaluation
import Foundation
import TestSupport
import Testing

/// Churn measures on samples small enough to compute by hand (every expected value is derived
/// in the comment above it).
@Suite struct ChurnMetricsCorrectnessTests {
  // Five customers; churners score 0.9 and 0.8, non-churners 0.8, 0.3, 0.8 (a three-way tie).
  static let scores = [0.9, 0.8, 0.8, 0.3, 0.8]
  static let churned = [true, true, false, false, false]

  @Test func aucCountsTiesAsOneHalf() throws {
    // Pairs (churner, non-churner): 0.9 beats 0.8, 0.3, 0.8 (3); 0.8 ties 0.8 twice (2 × ½)
    // and beats 0.3 (1): 5 of 6 pairs.
    let auc = try #require(ChurnMetrics.auc(scores: Self.scores, churned: Self.churned))
    assertClose(auc, 5.0 / 6.0, absolute: 1e-15, source: "hand count of the 6 pairs")
    // Mid-ranks: sorted 0.3 (1), 0.8 × 3 (2, 3, 4 → 3 each), 0.9 (5); R₁ = 5 + 3 = 8,
    // U = 8 − 2·3/2 = 5, AUC = 5 / (2·3).
  }

  @Test func aucIsHalfForConstantScoresAndUndefinedForOneClass() {
    #expect(
      ChurnMetrics.auc(scores: [0.4, 0.4, 0.4, 0.4], churned: [true, false, true, false]) == 0.5)
    #expect(ChurnMetrics.auc(scores: [0.1, 0.2], churned: [true, true]) == nil)
    #expect(ChurnMetrics.auc(scores: [1, 2, 3], churned: [false, false, true]) == 1)
    #expect(ChurnMetrics.auc(scores: [3, 2, 1], churned: [false, false, true]) == 0)
  }

  @Test func logLossAndBrierByHand() {
    let logLoss = ChurnMetrics.logLoss(probabilities: Self.scores, churned: Self.churned)
    // −(ln 0.9 + ln 0.8 + ln 0.2 + ln 0.7 + ln 0.2) / 5
    let expected = -(log(0.9) + log(0.8) + 2 * log(0.2) + log(0.7)) / 5
    assertClose(logLoss, expected, relative: 1e-14, source: "hand computation")
    assertClose(expected, 0.780_810_96, absolute: 1e-8, source: "hand computation, 8 digits")
    // (0.1² + 0.2² + 0.8² + 0.3² + 0.8²) / 5 = 1.42 / 5
    let brier = ChurnMetrics.brier(probabilities: Self.scores, churned: Self.churned)
    assertClose(brier, 0.284, absolute: 1e-15, source: "hand computation")
  }

  @Test func logLossClipsCertainWrongPredictions() {
    // A churner with p = 0 is clipped to 1e-15: −ln(1e-15) = 15 ln 10 ≈ 34.54; a non-churner
    // with p = 1 to 1 − 1e-15 (in doubles 1 − 0.999999999999999 = 9.992e-16): −ln of that.
    let loss = ChurnMetrics.logLoss(probabilities: [0, 1], churned: [true, false])
    let expected = (15 * log(10.0) - log1p(-(1 - 1e-15))) / 2
    assertClose(loss, expected, relative: 1e-12, source: "the documented clip, hand computation")
    #expect(loss > 34.5 && loss < 34.6)
    // Right and certain: each term is −ln(1 − 1e-15) ≈ 1e-15, not 0.
    let exact = ChurnMetrics.logLoss(probabilities: [1, 0], churned: [true, false])
    assertClose(exact, 1e-15, absolute: 1e-17, source: "−ln(1 − 1e-15) ≈ 1e-15")
  }

  @Test func liftTableByHand() {
    // 20 customers with decreasing scores; churners at positions 0, 1, 2, 5, 19 (rate 1/4).
    let scores = (0..<20).map { 1 - Double($0) / 20 }
    let churners: Set = [0, 1, 2, 5, 19]
    let churned = (0..<20).map { churners.contains($0) }
    let rows = ChurnMetrics.lift(scores: scores, churned: churned)
    #expect(rows.count == 10)
    #expect(rows.allSatisfy { $0.customers == 2 })
    // Deciles: {0,1} 2 churners, {2,3} 1, {4,5} 1, then 0 until {18,19} 1.
    let rates = [1.0, 0.5, 0.5, 0, 0, 0, 0, 0, 0, 0.5]
    let capture = [0.4, 0.6, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 1.0]
    for (k, row) in rows.enumerated() {
      #expect(row.decile == k + 1)
      assertClose(row.churnRate, rates[k], absolute: 1e-15, source: "hand count")
      assertClose(row.lift, rates[k] / 0.25, absolute: 1e-14, source: "rate / overall rate 1/4")
      assertClose(row.cumulativeCapture ?? -1, capture[k], absolute: 1e-15, source: "hand count")
    }
  }

  @Test func liftKeepsInputOrderWithinTies() {
    // All scores equal: deciles follow the input order (3 customers each, 30 in all).
    let churned = (0..<30).map { $0 < 3 }
    let rows = ChurnMetrics.lift(scores: Array(repeating: 0.5, count: 30), churned: churned)
    #expect(rows.first?.churnRate == 1)
    #expect(rows.dropFirst().allSatisfy { $0.churnRate == 0 })
  }

  @Test func calibrationBinsByHand() {
    let p = [0.05, 0.15, 0.12, 0.95, 1.0]
    let y = [false, true, false, true, true]
    let bins = ChurnMetrics.calibration(probabilities: p, churned: y)
    // Bin [0, 0.1): 0.05 (no churn); [0.1, 0.2): 0.15, 0.12 (one churn); [0.9, 1]: 0.95, 1.0.
    #expect(bins.map(\.customers) == [1, 2, 2])
    #expect(bins.map(\.lower) == [0, 0.1, 0.9])
    assertClose(bins[1].predicted, 0.135, absolute: 1e-15, source: "(0.15 + 0.12) / 2")
    #expect(bins.map(\.actual) == [0, 0.5, 1])
    assertClose(bins[2].predicted, 0.975, absolute: 1e-15, source: "(0.95 + 1) / 2")
  }

  @Test func rocPointsWithTiesAndAreaEqualsAUC() throws {
    let points = ChurnMetrics.roc(scores: Self.scores, churned: Self.churned)
    // 0.9 (churner) → (0, ½); the 0.8 tie (1 churner, 2 non-churners) → (⅔, 1); 0.3 → (1, 1).
    let expected: [(Double, Double)] = [(0, 0), (0, 0.5), (2.0 / 3, 1), (1, 1)]
    #expect(points.count == expected.count)
    for (point, (fpr, tpr)) in zip(points, expected) {
      assertClose(point.fpr, fpr, absolute: 1e-15, source: "hand count")
      assertClose(point.tpr, tpr, absolute: 1e-15, source: "hand count")
    }
  }

  @Test func evaluateRejectsOneClassAndOutOfRangeProbabilities() {
    #expect(throws: EvaluationError.self) {
      try ChurnMetrics.evaluate(
        probabilities: [0.2, 0.3], churned: [false, false], what: "m", score: "p",
        validation: .holdout)
    }
    #expect(throws: EvaluationError.self) {
      try ChurnMetrics.evaluate(
        probabilities: [0.2, .nan], churned: [true, false], what: "m", score: "p",
        validation: .holdout)
    }
  }
}
