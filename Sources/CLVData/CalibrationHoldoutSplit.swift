/// Calibration summaries and the holdout statistics of the same customers (same order).
///
/// The calibration period covers orders up to and including `calibrationEnd`; customers first
/// seen after it are not included. The holdout period is (calibrationEnd, observationEnd].
///
/// - Source: [lifetimes] `calibration_and_holdout_data` (frequency, recency, T over the calibration
///   period; purchase days in the holdout); [FHL2005a] section 4 (CDNOW,
///   39 + 39 weeks).
public struct CalibrationHoldoutSplit: Sendable {
  public var calibration: RFMSummary
  public var holdout: [HoldoutStatistics]
  /// nil when read from a summary CSV (the file has no dates).
  public var calibrationEnd: Day?
  public var observationEnd: Day?

  public init(
    calibration: RFMSummary, holdout: [HoldoutStatistics], calibrationEnd: Day?,
    observationEnd: Day?
  ) {
    precondition(calibration.rows.count == holdout.count, "one holdout entry per customer")
    self.calibration = calibration
    self.holdout = holdout
    self.calibrationEnd = calibrationEnd
    self.observationEnd = observationEnd
  }

  /// Summarizes an order log into calibration and holdout statistics.
  ///
  /// - Parameters:
  ///   - path: the order log (`-` for standard input).
  ///   - calibrationEnd: last day of the calibration period (inclusive).
  ///   - observationEnd: last day of the holdout period (inclusive); nil: the last date in the
  ///     file.
  /// - Throws: ``DataError``.
  public static func read(
    orders path: String, format: OrderLogFormat, unit: TimeUnit = .week, calibrationEnd: Day,
    observationEnd: Day? = nil
  ) throws -> CalibrationHoldoutSplit {
    let summaries = try CustomerSummaries.read(
      orders: path, format: format,
      period: SummaryPeriod(
        unit: unit, observationEnd: observationEnd, calibrationEnd: calibrationEnd))
    guard let split = summaries.split else {
      throw DataError.invalidFile(file: summaries.report.file, reason: "no holdout statistics")
    }
    return split
  }
}
