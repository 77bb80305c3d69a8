import CLVData
import CLVModels

extension RunFile {
  /// The largest magnitude of a count, mean or error in a run file (10¹⁵): no data clvkit reads
  /// has more purchases or larger amounts, and charts need scales of double precision.
  static let largestMeasure = 1e15

  /// Checks what the decoder cannot: the schema, at least one model, the data's dates (valid,
  /// calibration end before observation end), each model's id (one of the ``ModelRegistry``)
  /// and value ranges (probabilities in [0, 1], counts, means and
  /// errors finite within ±10¹⁵).
  func check(file: String) throws {
    func fail(_ reason: String) -> DataError { .invalidFile(file: file, reason: reason) }
    guard schema == RunFile.currentSchema else {
      throw fail("schema '\(schema)' is not supported (expected '\(RunFile.currentSchema)')")
    }
    guard !models.isEmpty else { throw fail("'models' is empty") }
    try checkData(fail: fail)
    for (index, model) in models.enumerated() {
      let at = "models[\(index)] (\(DataError.shown(model.model)))"
      guard ModelRegistry.descriptor(for: model.model) != nil else {
        throw fail(
          "models[\(index)].model '\(DataError.shown(model.model))' is not a model (expected "
            + "one of \(ModelRegistry.list(ModelRegistry.ids)))")
      }
      for (name, value) in model.parameters where !value.isFinite {
        throw fail("\(at): parameter '\(name)' is not finite")
      }
      if let holdout = model.holdout {
        guard holdout.mae >= 0, holdout.rmse >= 0 else {
          throw fail("\(at): holdout mae and rmse must not be negative")
        }
      }
      for (name, value) in measures(of: model) where !(abs(value) <= Self.largestMeasure) {
        throw fail("\(at): \(name) = \(value) is not a finite number within ±1e15")
      }
      if let retention = model.retention {
        let values = retention.actualSurvival.compactMap { $0 } + retention.predictedSurvival
        guard values.allSatisfy({ (0...1).contains($0) }) else {
          throw fail("\(at): retention has a survival probability outside [0, 1]")
        }
      }
      if let churn = model.churn {
        for (name, value) in [("auc", churn.auc), ("brier", churn.brier)]
        where !(0...1).contains(value) {
          throw fail("\(at): churn.\(name) = \(value) is outside [0, 1]")
        }
        guard churn.logLoss >= 0 else { throw fail("\(at): churn.logLoss is negative") }
        for point in churn.roc ?? []
        where !(0...1).contains(point.fpr) || !(0...1).contains(point.tpr) {
          throw fail("\(at): churn.roc has a point outside the unit square")
        }
      }
      if let matrix = model.frequencyRecency {
        guard matrix.expectedPurchases.count == matrix.frequencies.count,
          matrix.probabilityAlive.count == matrix.frequencies.count,
          (matrix.expectedPurchases + matrix.probabilityAlive).allSatisfy({
            $0.count == matrix.recencies.count
          })
        else {
          throw fail(
            "\(at): frequencyRecency is not one row per frequency and one column per recency")
        }
        for row in matrix.probabilityAlive {
          for value in row.compactMap({ $0 }) where !(0...1).contains(value) {
            throw fail("\(at): frequencyRecency.probabilityAlive has a value outside [0, 1]")
          }
        }
      }
      for row in model.repeatPurchases ?? [] where row.actual < 0 || !(row.expected >= 0) {
        throw fail("\(at): repeatPurchases has a negative count")
      }
      if let covariates = model.covariates {
        let test = covariates.likelihoodRatioTest
        let probabilities =
          covariates.coefficients.compactMap(\.pValue) + [test?.pValue].compactMap { $0 }
        guard probabilities.allSatisfy({ (0...1).contains($0) }),
          (test?.statistic ?? 0) >= 0, (test?.degreesOfFreedom ?? 1) >= 1
        else {
          throw fail("\(at): covariates has a p-value outside [0, 1] or a negative test statistic")
        }
      }
      for bin in model.pAliveHistogram ?? [] where bin.customers < 0 || bin.upper < bin.lower {
        throw fail("\(at): pAliveHistogram has a bin with negative count or reversed bounds")
      }
    }
  }

  /// The data's dates are valid and in order, its customers ≥ 0 (its unit is typed: decoding
  /// checks it). A run on subscriber data (unit `opportunity`: contract periods) has `period N`
  /// for its calibration and observation ends.
  private func checkData(fail: (String) -> DataError) throws {
    if data.unit == .opportunity {
      guard let calibration = DataInfo.period(data.calibrationEnd),
        let observation = DataInfo.period(data.observationEnd), calibration <= observation
      else {
        throw fail(
          "data.calibrationEnd '\(DataError.shown(data.calibrationEnd))' and data.observationEnd "
            + "'\(DataError.shown(data.observationEnd))' are not 'period N' in order")
      }
      guard data.customers >= 0 else {
        throw fail("data.customers \(data.customers) is negative")
      }
      return
    }
    guard let calibrationDay = Day(iso: data.calibrationEnd) else {
      throw fail(
        "data.calibrationEnd '\(DataError.shown(data.calibrationEnd))' is not a date yyyy-MM-dd")
    }
    guard let observationDay = Day(iso: data.observationEnd) else {
      throw fail(
        "data.observationEnd '\(DataError.shown(data.observationEnd))' is not a date yyyy-MM-dd")
    }
    guard calibrationDay < observationDay else {
      throw fail(
        "data.calibrationEnd \(data.calibrationEnd) is not before data.observationEnd "
          + "\(data.observationEnd)")
    }
    if let first = data.firstPurchase {
      guard let day = Day(iso: first), day <= calibrationDay else {
        throw fail(
          "data.firstPurchase '\(DataError.shown(first))' is not a date yyyy-MM-dd on or before "
            + "data.calibrationEnd")
      }
    }
    guard data.customers >= 0 else { throw fail("data.customers \(data.customers) is negative") }
  }

  /// The counts, means and errors of one model's results, named by their field paths.
  private func measures(of model: ModelResult) -> [(String, Double)] {
    var measures: [(String, Double)] = []
    if let holdout = model.holdout {
      measures += [
        ("holdout.mae", holdout.mae), ("holdout.rmse", holdout.rmse),
        ("holdout.predictedTotal", holdout.predictedTotal),
        ("holdout.actualTotal", holdout.actualTotal), ("holdout.bias", holdout.bias),
        ("holdout.predictedTotalInterval.low", holdout.predictedTotalInterval?.low ?? 0),
        ("holdout.predictedTotalInterval.high", holdout.predictedTotalInterval?.high ?? 0),
      ]
      for (i, row) in (holdout.conditionalExpectation ?? []).enumerated() {
        measures.append(("holdout.conditionalExpectation[\(i)].predicted", row.predicted))
        measures.append(("holdout.conditionalExpectation[\(i)].actual", row.actual))
      }
      for (i, point) in (holdout.tracking?.points ?? []).enumerated() {
        measures.append(("holdout.tracking.points[\(i)].period", point.period))
        measures.append(("holdout.tracking.points[\(i)].actualCumulative", point.actualCumulative))
        measures.append(
          ("holdout.tracking.points[\(i)].expectedCumulative", point.expectedCumulative))
      }
      for (i, row) in (holdout.cohorts ?? []).enumerated() {
        measures.append(("holdout.cohorts[\(i)].predictedTotal", row.predictedTotal))
        measures.append(("holdout.cohorts[\(i)].actualTotal", row.actualTotal))
      }
    }
    for (i, row) in (model.frequencyRecency?.expectedPurchases ?? []).enumerated() {
      for (j, value) in row.enumerated() {
        if let value { measures.append(("frequencyRecency.expectedPurchases[\(i)][\(j)]", value)) }
      }
    }
    for (i, row) in (model.repeatPurchases ?? []).enumerated() {
      measures.append(("repeatPurchases[\(i)].expected", row.expected))
    }
    if let spend = model.spend {
      measures += [
        ("spend.predictedMean", spend.predictedMean), ("spend.actualMean", spend.actualMean),
      ]
      for (i, bin) in (spend.bins ?? []).enumerated() {
        measures.append(("spend.bins[\(i)].predictedMean", bin.predictedMean))
        measures.append(("spend.bins[\(i)].actualMean", bin.actualMean))
      }
    }
    return measures
  }
}
