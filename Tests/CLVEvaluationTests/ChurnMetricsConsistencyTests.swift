import CLVEvaluation
import Foundation
import TestSupport
import Testing

/// Invariants of the churn measures on random samples.
@Suite struct ChurnMetricsConsistencyTests {
  @Test func trapezoidalAreaUnderROCEqualsMannWhitneyAUC() throws {
    var random = SeededGenerator(seed: 7)
    for _ in 0..<20 {
      let n = 50 + Int(random.next() % 200)
      // Scores on a coarse grid so that ties are frequent.
      let scores = (0..<n).map { _ in Double(random.next() % 12) / 11 }
      let churned = (0..<n).map { i in random.next() % 3 == 0 || i == 0 }
      guard churned.contains(false) else { continue }
      let auc = try #require(ChurnMetrics.auc(scores: scores, churned: churned))
      let points = ChurnMetrics.roc(scores: scores, churned: churned, maxPoints: 10_000)
      var area = 0.0
      for (a, b) in zip(points, points.dropFirst()) {
        area += (b.fpr - a.fpr) * (a.tpr + b.tpr) / 2
      }
      assertClose(area, auc, absolute: 1e-12, source: "trapezoid rule = Mann–Whitney U/(n₁n₀)")
      // Deciles: their customer-weighted mean lift is 1, and the capture ends at 1.
      let rows = ChurnMetrics.lift(scores: scores, churned: churned)
      let meanLift = rows.reduce(0.0) { $0 + $1.lift * Double($1.customers) } / Double(n)
      assertClose(meanLift, 1, absolute: 1e-12, source: "Σ churners / (n · rate) = 1")
      assertClose(rows.last?.cumulativeCapture ?? 0, 1, absolute: 1e-12, source: "all churners")
    }
  }

  @Test func rocDownsamplingKeepsEndpoints() {
    let n = 5000
    let scores = (0..<n).map { Double($0) / Double(n) }
    let churned = (0..<n).map { $0 % 3 == 0 }
    let points = ChurnMetrics.roc(scores: scores, churned: churned, maxPoints: 201)
    #expect(points.count == 201)
    #expect(points.first == .init(fpr: 0, tpr: 0))
    #expect(points.last == .init(fpr: 1, tpr: 1))
  }
}
