import CLVData
import CLVEvaluation
import Foundation
import TestSupport
import Testing

/// churn-logit's out-of-sample designs on the CDNOW sample (2,357 customers).
@Suite struct ChurnLogitValidationConsistencyTests {
  /// Calibration to 1997-12-31, holdout to 1998-06-30 (181 days): D' = 1997-07-03, when every
  /// customer of the cohort (first purchases in 1997 Q1) had been acquired.
  static func sample() throws -> EvaluationSample {
    let path = try Fixtures.sharedDataset("CDNOW_sample.txt").path
    let format = OrderLogFormat(
      delimiter: .whitespace, hasHeader: false, customerColumn: .number(2),
      dateColumn: .number(3), amountColumn: .number(5), amountColumnRequired: true,
      dateFormat: .compact)
    let d = Day(iso: "1997-12-31")!
    let e = Day(iso: "1998-06-30")!
    let summaries = try CustomerSummaries.read(
      orders: path, format: format,
      period: SummaryPeriod(unit: .week, observationEnd: e, calibrationEnd: d))
    var sample = try #require(EvaluationSample(summaries))
    #expect(sample.shiftedCalibrationEnd == Day(iso: "1997-07-03")!)
    let shifted = try CustomerSummaries.read(
      orders: path, format: format,
      period: SummaryPeriod(
        unit: .week, observationEnd: d, calibrationEnd: sample.shiftedCalibrationEnd))
    sample.shifted = shifted.split
    return sample
  }

  @Test func shiftedWindowWhenMostCustomersWereAcquired() throws {
    let sample = try Self.sample()
    #expect(sample.shareAcquiredByShiftedEnd == 1)
    let result = try ModelEvaluation.evaluate("churn-logit", on: sample)
    let churn = try #require(result.churn)
    #expect(churn.validation == .shiftedWindow)
    #expect(churn.customers == 2357)
    #expect(churn.auc > 0.6 && churn.auc < 1)
    // The model file records the training label: (D', D].
    let extra = try #require(result.extra)
    let text = String(decoding: try JSONEncoder().encode(extra), as: UTF8.self)
    #expect(text.contains("1997-07-03"), "\(text.prefix(400))")
  }

  @Test func crossValidationWhenTheThresholdIsNotMet() throws {
    let sample = try Self.sample()
    // Asking for more than 100% acquired forces the fallback; the folds follow the seed.
    let options = EvaluationOptions(seed: 3, minimumShiftedShare: 1.01)
    let a = try ModelEvaluation.evaluate("churn-logit", on: sample, options: options)
    let b = try ModelEvaluation.evaluate("churn-logit", on: sample, options: options)
    #expect(a.churn?.validation == .crossValidation)
    // The same folds give the same AUC. Not bit for bit: OpenBLAS's kernels may move
    // predictions by a few ULPs between two fits in one process (other tests change its thread
    // count), which can reorder customers whose predictions nearly tie; one reordered
    // (churner, stayer) pair moves the AUC by 1 / (churners × stayers) ≈ 1e-6 here.
    assertClose(
      b.churn?.auc ?? .nan, a.churn?.auc ?? .nan, absolute: 1e-5,
      source: "the same cross-validation with seed 3")
    // Coefficients are those of the fit on all customers: the same for every seed, up to the
    // last bits that OpenBLAS's threaded kernels may change between two fits in one process
    // (issue 11 part 1: compare BLAS results with a tolerance; 1e-12 relative is far below any
    // printed digit and far above those differences, ~1e-15).
    var other = options
    other.seed = 4
    let c = try ModelEvaluation.evaluate("churn-logit", on: sample, options: other)
    #expect(Set(a.parameters.keys) == Set(c.parameters.keys))
    for (name, value) in a.parameters {
      assertClose(
        c.parameters[name] ?? .nan, value, relative: 1e-12,
        source: "the same fit on all customers with seed 3 (\(name))")
    }
  }
}
