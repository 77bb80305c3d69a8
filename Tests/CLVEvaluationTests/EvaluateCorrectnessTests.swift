import CLVData
import CLVEvaluation
import Foundation
import TestSupport
import Testing

/// BG/NBD holdout accuracy on CDNOW master against lifetimes 0.11.3.
///
/// Reference: `scripts/reference/evaluate_cdnow.py` (lifetimes 0.11.3, numpy 1.24, pandas 1.5):
///
///     /work/pyref/bin/python scripts/reference/evaluate_cdnow.py ../shared/datasets/CDNOW_master.txt
///
/// which runs `calibration_and_holdout_data(orders, 'customer_id', 'date',
/// calibration_period_end='1997-09-30', observation_period_end='1998-06-30', freq='D',
/// freq_multiplier=7)`, `BetaGeoFitter().fit(frequency_cal, recency_cal, T_cal)` and
/// `conditional_expected_number_of_purchases_up_to_time(duration_holdout, frequency_cal,
/// recency_cal, T_cal)`, and prints: customers 23570, duration_holdout 39.0,
/// r 0.251624011424104, alpha 4.788945170327029, a 0.7234330357287503, b 2.161086981372124,
/// mae 0.81874229233956, rmse 1.7329112330178627, predictedTotal 16873.737004341958,
/// actualTotal 19684.0, bias -0.11923050469486825.
@Suite struct EvaluateCorrectnessTests {
  static func cdnowSample() throws -> EvaluationSample {
    let path = try Fixtures.sharedDataset("CDNOW_master.txt").path
    let format = OrderLogFormat(
      delimiter: .whitespace, hasHeader: true, customerColumn: .name("customer_id"),
      dateColumn: .name("date"), amountColumn: .name("dollar_value"), amountColumnRequired: true,
      dateFormat: .compact)
    let calibrationEnd = Day(iso: "1997-09-30")!
    let observationEnd = Day(iso: "1998-06-30")!
    let summaries = try CustomerSummaries.read(
      orders: path, format: format,
      period: SummaryPeriod(
        unit: .week, observationEnd: observationEnd, calibrationEnd: calibrationEnd))
    let daily = try DailyRepeatPurchases.read(
      orders: path, format: format, calibrationEnd: calibrationEnd, observationEnd: observationEnd)
    return try #require(EvaluationSample(summaries, daily: daily))
  }

  @Test func bgnbdHoldoutMatchesLifetimes() throws {
    let sample = try Self.cdnowSample()
    #expect(sample.rows.count == 23_570)
    #expect(sample.holdoutLength == 39)
    let result = try ModelEvaluation.evaluate("bgnbd", on: sample)
    let source = "lifetimes 0.11.3: scripts/reference/evaluate_cdnow.py"
    assertClose(result.parameters["r"] ?? 0, 0.251624011424104, relative: 2e-3, source: source)
    assertClose(result.parameters["alpha"] ?? 0, 4.788945170327029, relative: 2e-3, source: source)
    let holdout = try #require(result.holdout)
    assertClose(holdout.mae, 0.81874229233956, relative: 2e-3, source: source)
    assertClose(holdout.rmse, 1.7329112330178627, relative: 2e-3, source: source)
    assertClose(holdout.predictedTotal, 16873.737004341958, relative: 2e-3, source: source)
    assertClose(holdout.bias, -0.11923050469486825, relative: 2e-3, source: source)
    #expect(holdout.actualTotal == 19_684)  // the figure; lifetimes prints 19684.0
    #expect(holdout.customers == 23_570)

    // Conditional expectations and cohorts partition the customers and both totals.
    let table = try #require(holdout.conditionalExpectation)
    #expect(table.map(\.frequency) == ["0", "1", "2", "3", "4", "5", "6", "7+"])
    #expect(table.reduce(0) { $0 + $1.customers } == 23_570)
    assertClose(
      table.reduce(0.0) { $0 + $1.actual * Double($1.customers) }, 19_684, absolute: 1e-6,
      source: "Σ over frequency groups = actual total")
    let cohorts = try #require(holdout.cohorts)
    #expect(cohorts.map(\.cohort) == ["1997-01", "1997-02", "1997-03"])
    assertClose(
      cohorts.reduce(0.0) { $0 + $1.predictedTotal }, holdout.predictedTotal, relative: 1e-12,
      source: "Σ over cohorts = predicted total")

    // Tracking: 78 weeks from 1997-01-01 to 1998-06-30; the actual line ends at the calibration
    // repeat purchases plus the holdout purchases.
    let tracking = try #require(holdout.tracking)
    #expect(tracking.points.count == 78)
    #expect(tracking.calibrationEnd == 39)
    let calibrationRepeats = sample.rows.reduce(0) { $0 + $1.frequency }
    #expect(tracking.points[38].actualCumulative == Double(calibrationRepeats))
    #expect(tracking.points.last?.actualCumulative == Double(calibrationRepeats + 19_684))
    // The expected line is the sum of E[X(t)] over customers: within 5% of the actual line at
    // the calibration end (FHL2005a Fig. 2 shows the same close fit over the calibration weeks).
    assertClose(
      tracking.points[38].expectedCumulative, Double(calibrationRepeats), relative: 0.05,
      source: "[FHL2005a] Fig. 2: expected tracks actual through week 39")

    let churn = try #require(result.churn)
    #expect(churn.validation == .holdout)
    #expect(churn.customers == 23_570)
    assertClose(
      churn.churnRate ?? 0, 1 - 7058.0 / 23_570, relative: 1e-12, source: "7058 holdout buyers")
    #expect(churn.auc > 0.7 && churn.auc < 0.8)
    #expect(result.pAliveHistogram?.reduce(0) { $0 + $1.customers } == 23_570)
  }

  @Test func churnLogitFallsBackToCrossValidationOnCDNOW() throws {
    // D − (E − D) = 1996-12-31 precedes every first purchase (the cohort starts 1997-01-01).
    let sample = try Self.cdnowSample()
    #expect(sample.shareAcquiredByShiftedEnd == 0)
    let result = try ModelEvaluation.evaluate("churn-logit", on: sample)
    let churn = try #require(result.churn)
    #expect(churn.validation == .crossValidation)
    #expect(churn.auc > 0.5 && churn.auc < 1)
  }
}
