import CLVData
import CLVModels
import TestSupport

/// The CDNOW calibration period (1997-01-01 … 1997-09-30, weeks) from the raw sample log, with
/// each customer's litt, as `scripts/reference/cnbd_k.py` computes it.
enum CNBDkFixtures {
  static func cdnowWithLitt() throws -> CustomerSummaries {
    let path = try Fixtures.sharedDataset("CDNOW_sample.txt").path
    let format = OrderLogFormat(
      delimiter: .whitespace, hasHeader: false, customerColumn: .number(2), dateColumn: .number(3),
      amountColumn: .number(5), amountColumnRequired: true, dateFormat: .compact)
    return try CustomerSummaries.read(
      path: path, format: format,
      period: SummaryPeriod(
        unit: .week, observationEnd: Day(year: 1997, month: 9, day: 30), interPurchaseTimes: true))
  }

  /// The fixed parameters (r, α, a, b) of cnbd_k.py section 2, by k.
  static let fixed: [Int: [Double]] = [
    1: [0.25, 4.4, 0.8, 2.4], 2: [0.25, 2.2, 0.8, 2.4], 3: [0.3, 1.5, 0.7, 2.0],
    6: [0.4, 0.8, 0.9, 3.0],
  ]

  static func model<Variant>(
    _ k: Int, _ variant: Variant.Type
  ) -> ErlangBetaGeometricModel<
    Variant
  > {
    let p = fixed[k]!
    return ErlangBetaGeometricModel<Variant>(k: k, r: p[0], alpha: p[1], a: p[2], b: p[3])
  }

  /// Σ over customers of the full log-likelihood (litt term included).
  static func total<Variant>(
    _ model: ErlangBetaGeometricModel<Variant>, _ summary: RFMSummary
  ) -> Double {
    var total = 0.0
    for (row, litt) in zip(summary.rows, summary.logInterPurchaseTimes!) {
      total += model.logLikelihood(of: row, logInterPurchaseTimes: litt)
    }
    return total
  }
}
