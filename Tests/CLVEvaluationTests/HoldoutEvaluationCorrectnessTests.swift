import CLVData
import CLVEvaluation
import Foundation
import TestSupport
import Testing

/// Holdout accuracy, tables, tracking, ranking and folds on hand-computable inputs.
@Suite struct HoldoutEvaluationCorrectnessTests {
  @Test func accuracyByHand() {
    // Errors ŷ − y: 0.5, −1, 2, −1.5.
    let a = HoldoutEvaluation.Accuracy(predicted: [1.5, 0, 3, 0.5], actual: [1, 1, 1, 2])
    assertClose(a.mae, 5.0 / 4, absolute: 1e-15, source: "(0.5 + 1 + 2 + 1.5) / 4")
    assertClose(a.rmse, (7.5 / 4).squareRoot(), absolute: 1e-15, source: "√((0.25+1+4+2.25)/4)")
    #expect(a.predictedTotal == 5 && a.actualTotal == 5)
    #expect(a.bias == 0)
  }

  @Test func conditionalExpectationGroupsSevenAndMore() {
    let rows = HoldoutEvaluation.conditionalExpectation(
      frequencies: [0, 0, 1, 7, 9], predicted: [0.1, 0.3, 1, 5, 7], actual: [0, 1, 2, 4, 8])
    #expect(rows.map(\.frequency) == ["0", "1", "7+"])
    #expect(rows.map(\.customers) == [2, 1, 2])
    assertClose(rows[0].predicted, 0.2, absolute: 1e-15, source: "(0.1 + 0.3) / 2")
    #expect(rows.map(\.actual) == [0.5, 2, 6])
    #expect(rows[2].predicted == 6)
  }

  @Test func cohortsAreSortedWithTheirOwnAccuracy() {
    let rows = HoldoutEvaluation.cohorts(
      ["1997-02", "1997-01", "1997-02"], predicted: [1, 2, 3], actual: [0, 2, 5])
    #expect(rows.map(\.cohort) == ["1997-01", "1997-02"])
    #expect(rows[0].mae == 0 && rows[0].customers == 1)
    // 1997-02: errors 1 and −2.
    assertClose(rows[1].mae, 1.5, absolute: 1e-15, source: "(1 + 2) / 2")
    assertClose(rows[1].rmse, 2.5.squareRoot(), absolute: 1e-15, source: "√((1 + 4) / 2)")
    #expect(rows[1].predictedTotal == 4 && rows[1].actualTotal == 5)
  }

  @Test func informationCriteriaByHand() {
    let ic = HoldoutEvaluation.informationCriteria(
      parameters: 4, logLikelihood: -100, customers: 1000)
    #expect(ic.aic == 208)
    assertClose(ic.bic, 4 * log(1000.0) + 200, absolute: 1e-12, source: "k ln n − 2 log L")
    assertClose(ic.bic, 227.631_021, absolute: 1e-6, source: "4 · 6.907755 + 200")
  }

  @Test func histogramPutsOneInTheLastBin() {
    let bins = HoldoutEvaluation.histogram(
      [0, 0.05, 0.1, 0.99, 1], purchased: [true, false, true, true, false])
    #expect(bins.count == 10)
    #expect(bins[0].customers == 2 && bins[0].holdoutPurchasers == 1)
    #expect(bins[1].customers == 1 && bins[9].customers == 2 && bins[9].holdoutPurchasers == 1)
  }

  @Test func spendQuintilesByHand() {
    let spend = HoldoutEvaluation.spend(
      predicted: [50, 10, 20, 30, 40, 60, 70, 80, 90, 100], actual: Array(repeating: 55, count: 10))
    #expect(spend.customers == 10)
    #expect(spend.predictedMean == 55 && spend.actualMean == 55)
    #expect(spend.bins?.map(\.predictedMean) == [15, 35, 55, 75, 95])
    assertClose(spend.mae ?? -1, 25, absolute: 1e-12, source: "mean |p − 55| = (45+35+…+45)/10")
  }

  @Test func trackingSeriesByHand() throws {
    // Days as units; 2 customers acquired on day 0, 1 on day 1; repeat days: 1 on day 1, 2 on
    // day 3. With E[X(t)] = t: expected(k) = Σ n_f (k − 1 − f) over f ≤ k − 1.
    let start = Day(iso: "2020-01-01")!
    let daily = DailyRepeatPurchases(
      start: start, counts: [0, 1, 0, 2], acquisitions: [start: 2, start + 1: 1])
    let series = try TrackingSeries.compute(
      daily: daily, calibrationEnd: start + 1, observationEnd: start + 3, unit: .day, what: "t"
    ) { $0 }
    #expect(series.calibrationEnd == 2)
    #expect(series.points.map(\.period) == [1, 2, 3, 4])
    #expect(series.points.map(\.actualCumulative) == [0, 1, 1, 3])
    // k=1: 2·0; k=2: 2·1 + 1·0; k=3: 2·2 + 1·1; k=4: 2·3 + 1·2.
    #expect(series.points.map(\.expectedCumulative) == [0, 2, 5, 8])
  }

  @Test func trackingWeeksEndWithAPartialPeriod() throws {
    // 10 days in weeks: periods end on day 6 (1 week) and day 9 (10/7 weeks).
    let start = Day(iso: "2020-01-01")!
    let daily = DailyRepeatPurchases(
      start: start, counts: [0, 0, 0, 0, 0, 0, 1, 0, 0, 1], acquisitions: [start: 1])
    let series = try TrackingSeries.compute(
      daily: daily, calibrationEnd: start + 6, observationEnd: start + 9, unit: .week, what: "t"
    ) { $0 * 7 }
    #expect(series.points.map(\.actualCumulative) == [1, 2])
    #expect(series.points.map(\.expectedCumulative) == [6, 9])
    assertClose(series.points[1].period, 10.0 / 7, absolute: 1e-15, source: "10 days / 7")
    #expect(series.calibrationEnd == 1)
  }

  @Test func rankingOrdersAndKeepsRequestOrderOnTies() {
    func model(_ key: String, mae: Double?, auc: Double?) -> RunFile.ModelResult {
      var m = RunFile.ModelResult(model: key, parameters: [:])
      if let mae {
        // RMSE ranks the other way round from MAE here.
        m.holdout = .init(mae: mae, rmse: 2 - mae, predictedTotal: 0, actualTotal: 0, bias: 0)
      }
      if let auc { m.churn = .init(auc: auc, logLoss: 0.5, brier: 0.2, validation: .holdout) }
      return m
    }
    let ranking = RunFile.Ranking(ranking: [
      model("a", mae: 0.9, auc: 0.7), model("b", mae: 0.8, auc: 0.7),
      model("c", mae: nil, auc: 0.8),
      model("d", mae: 0.8, auc: nil),
    ])
    #expect(ranking.byMAE.map(\.model) == ["b", "d", "a"])
    #expect(ranking.byRMSE?.map(\.model) == ["a", "b", "d"])
    #expect(ranking.byAUC.map(\.model) == ["c", "a", "b"])
  }

  @Test func foldsAreBalancedAndSeeded() {
    let folds = ChurnLogitValidation.foldAssignment(count: 23, folds: 5, seed: 42)
    let sizes = (0..<5).map { k in folds.filter { $0 == k }.count }
    #expect(sizes.sorted() == [4, 4, 5, 5, 5])
    #expect(folds == ChurnLogitValidation.foldAssignment(count: 23, folds: 5, seed: 42))
    #expect(folds != ChurnLogitValidation.foldAssignment(count: 23, folds: 5, seed: 43))
  }
}
