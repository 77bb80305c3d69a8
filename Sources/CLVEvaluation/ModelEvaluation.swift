import CLVData
import CLVModels
import CLVNumerics
import Foundation

/// What a holdout evaluation needs: the calibration summaries at D, the holdout (D, E] of the
/// same customers, and optionally the daily repeat purchases (tracking) and the summaries of
/// the window shifted back by the holdout length (churn-logit).
public struct EvaluationSample: Sendable {
  /// frequency, recency, T, monetary value at the calibration end D, one row per customer
  /// acquired by D.
  public var rows: [RFMSummary.Row]
  /// Holdout purchases of the same customers, same order.
  public var holdout: [HoldoutStatistics]
  /// Acquisition cohorts (`yyyy-MM`), same order.
  public var cohorts: [String]
  /// First purchase days, same order (to decide between the shifted window and
  /// cross-validation); nil when unknown.
  public var firstPurchases: [Day]?
  public var unit: TimeUnit
  public var calibrationEnd: Day
  public var observationEnd: Day
  /// Whether the rows carry monetary values (Gamma-Gamma, churn-logit's `monetary_value`).
  public var hasMonetaryValue: Bool
  /// Repeat purchase days per day, for the tracking series; nil: no tracking series.
  public var daily: DailyRepeatPurchases?
  /// Summaries at D' = D − (E − D) with holdout (D', D], for churn-logit's shifted window; nil
  /// when not available (cross-validation is used).
  public var shifted: CalibrationHoldoutSplit?
  /// Each customer's litt at D, same order (``RFMSummary/logInterPurchaseTimes``); nil when not
  /// computed (the (M)BG/CNBD-k models then cannot be fitted).
  public var logInterPurchaseTimes: [Double]?

  /// The calibration summary the models are fitted on.
  public var calibrationSummary: RFMSummary {
    RFMSummary(rows: rows, unit: unit, logInterPurchaseTimes: logInterPurchaseTimes)
  }

  public init(
    rows: [RFMSummary.Row], holdout: [HoldoutStatistics], cohorts: [String],
    firstPurchases: [Day]?, unit: TimeUnit, calibrationEnd: Day, observationEnd: Day,
    hasMonetaryValue: Bool, daily: DailyRepeatPurchases? = nil,
    shifted: CalibrationHoldoutSplit? = nil
  ) {
    precondition(
      rows.count == holdout.count && rows.count == cohorts.count, "one entry per customer")
    self.rows = rows
    self.holdout = holdout
    self.cohorts = cohorts
    self.firstPurchases = firstPurchases
    self.unit = unit
    self.calibrationEnd = calibrationEnd
    self.observationEnd = observationEnd
    self.hasMonetaryValue = hasMonetaryValue
    self.daily = daily
    self.shifted = shifted
  }

  /// The holdout length E − D in units.
  public var holdoutLength: Double { Double(observationEnd - calibrationEnd) / unit.days }

  /// The start of the shifted window, D' = D − (E − D).
  public var shiftedCalibrationEnd: Day { calibrationEnd - (observationEnd - calibrationEnd) }

  /// The churn label per customer: true when the customer made no purchase in (D, E].
  public var churned: [Bool] { holdout.map { $0.frequency == 0 } }

  /// The share of the customers acquired by D who were already acquired by D'; nil without
  /// first purchase days.
  public var shareAcquiredByShiftedEnd: Double? {
    guard let firstPurchases, !firstPurchases.isEmpty else { return nil }
    let end = shiftedCalibrationEnd
    let acquired = firstPurchases.reduce(0) { $0 + ($1 <= end ? 1 : 0) }
    return Double(acquired) / Double(firstPurchases.count)
  }
}

/// Options of ``ModelEvaluation``.
public struct EvaluationOptions: Sendable {
  /// L2 penalizer of the BTYD fits (lifetimes' `penalizer_coef`); churn-logit's λ is
  /// `churn.l2`.
  public var penalizer: Double
  /// Seed of the cross-validation folds.
  public var seed: UInt64
  /// Folds of the cross-validation fallback.
  public var folds: Int
  /// The shifted window is used when at least this share of the calibration customers was
  /// acquired by D' = D − (E − D); otherwise churn-logit falls back to cross-validation.
  public var minimumShiftedShare: Double
  /// Keep BTYD fits that did not converge or have no positive-definite Hessian (flagged
  /// `degenerate`) instead of failing.
  public var allowDegenerate: Bool
  /// The version recorded in each model's `tool` field.
  public var toolVersion: String
  /// The training data recorded in each model's `data` field (as `clv train` writes it).
  public var modelData: ModelFile.DataSource?
  /// churn-logit's features, penalty and attributes (`clv evaluate`'s churn-logit options).
  public var churn = ChurnEvaluationOptions()
  /// Each BTYD fit's wall-clock budget in seconds (``FitOptions/timeLimit``); nil = none.
  public var fitTimeLimit: Double? = 600
  /// Progress of long fits (``FitOptions/progress``).
  public var fitProgress: (@Sendable (FitProgress) -> Void)? = nil
  /// The coverage of the interval of each purchase model's predicted holdout total
  /// (``HoldoutEvaluation/predictedTotalInterval(_:rows:durations:level:draws:seed:)``, from
  /// `intervalDraws` parameter draws seeded with `seed`); nil for none.
  public var intervalLevel: Double? = nil
  public var intervalDraws = 200
  /// Customer attributes for the purchase models that take covariates (``ModelDescriptor/
  /// fitsCovariates``); nil: every model is fitted without covariates.
  public var covariates: CovariateEvaluationOptions? = nil

  public init(
    penalizer: Double = 0, seed: UInt64 = 1, folds: Int = 5, minimumShiftedShare: Double = 0.5,
    allowDegenerate: Bool = false, toolVersion: String = "unknown",
    modelData: ModelFile.DataSource? = nil
  ) {
    self.toolVersion = toolVersion
    self.modelData = modelData
    self.penalizer = penalizer
    self.allowDegenerate = allowDegenerate
    self.seed = seed
    self.folds = folds
    self.minimumShiftedShare = minimumShiftedShare
  }
}

/// A customer history and a horizon: the arguments of every per-customer prediction.
struct HistoryKey: Hashable {
  var x: Int
  var recency: Double
  var age: Double
  var duration: Double
}

/// Fits one model on the calibration period and measures it on the holdout.
public enum ModelEvaluation {
  /// The model keys `clv evaluate --models` accepts: every model of the ``ModelRegistry``.
  public static var modelKeys: [String] { ModelRegistry.ids }

  /// The models evaluated when none are named, in registry order.
  public static var defaultModelKeys: [String] {
    ModelRegistry.all.filter(\.evaluatedByDefault).map(\.id)
  }

  /// Evaluates the model `key` (one of ``modelKeys``), as its ``ModelDescriptor`` says: a
  /// purchase model by ``purchaseModel(_:sample:options:tracking:)``, a spend model by
  /// ``spendModel(_:sample:options:evaluation:)``, a churn model by
  /// ``ChurnLogitValidation``.
  ///
  /// - Throws: ``ModelError`` (fit failures), ``EvaluationError``, ``DataError``.
  public static func evaluate(
    _ key: String, on sample: EvaluationSample, options: EvaluationOptions = EvaluationOptions()
  ) throws -> RunFile.ModelResult {
    guard let descriptor = ModelRegistry.descriptor(for: key) else {
      throw EvaluationError.unusableSample(
        what: key,
        reason: "unknown model (expected one of \(ModelRegistry.list(modelKeys)))")
    }
    let summary = sample.calibrationSummary
    let fitOptions = FitOptions(
      penalizer: options.penalizer, allowDegenerate: options.allowDegenerate,
      timeLimit: options.fitTimeLimit, progress: options.fitProgress)
    switch descriptor.kind {
    case .purchase:
      if let covariates = options.covariates, descriptor.fitsCovariates {
        return try covariateModel(
          descriptor, covariates: covariates, sample: sample, options: options,
          fitOptions: fitOptions)
      }
      guard
        let model = try descriptor.fit(summary, options: fitOptions)
          as? any TransactionModel & ModelFileConvertible
      else {
        throw EvaluationError.unusableSample(what: key, reason: "not a purchase model")
      }
      return try purchaseModel(
        model, sample: sample, options: options,
        tracking: descriptor.predictions.contains(.trackingSeries))
    case .spend:
      return try spendModel(descriptor, sample: sample, options: fitOptions, evaluation: options)
    case .churn:
      return try ChurnLogitValidation.evaluate(sample: sample, options: options)
    case .contractual:
      throw EvaluationError.unusableSample(
        what: key, reason: "contractual models are not evaluated on an order log")
    }
  }

  /// The model-file part of a result: the model's file (`clvkit-model/1`, as `clv train` writes
  /// it: parameters, standard errors, log-likelihood, fit report, data, tool, extra fields)
  /// embedded as it is, plus the display name and parameter order.
  ///
  /// - Throws: ``ModelError/nonFinite(model:quantity:)`` for a non-finite value.
  static func result(
    of model: some ModelFileConvertible, options: EvaluationOptions, unit: TimeUnit
  )
    throws -> RunFile.ModelResult
  {
    let file = ModelFile(
      model: model, unit: .time(unit), data: options.modelData,
      toolVersion: options.toolVersion)
    try file.checkFinite()
    var result = RunFile.ModelResult(modelFile: file)
    result.name = type(of: model).modelName
    return result
  }

  /// A purchase model: holdout accuracy, conditional expectations, tracking, cohorts, AIC/BIC,
  /// churn measures of P(no purchase in the holdout), and the P(alive) histogram.
  static func purchaseModel(
    _ model: some TransactionModel & ModelFileConvertible, sample: EvaluationSample,
    options: EvaluationOptions, tracking: Bool = true
  ) throws -> RunFile.ModelResult {
    let key = type(of: model).modelID
    var result = try result(of: model, options: options, unit: sample.unit)
    let (predicted, noPurchase, alive) = try holdoutPredictions(
      sample: sample, what: key, groups: nil
    ) { _ in model }
    var holdout = holdoutMeasures(
      predicted, sample: sample, parameters: model.parameterValues.count, fitted: result)
    if let level = options.intervalLevel, model.fitReport?.logParameterCovariance != nil {
      holdout.predictedTotalInterval = try HoldoutEvaluation.predictedTotalInterval(
        model, rows: sample.rows, durations: sample.holdout.map(\.duration), level: level,
        draws: options.intervalDraws, seed: options.seed)
    }
    if tracking, let daily = sample.daily {
      holdout.tracking = try TrackingSeries.compute(
        daily: daily, calibrationEnd: sample.calibrationEnd, observationEnd: sample.observationEnd,
        unit: sample.unit, what: key
      ) { model.expectedPurchases(in: $0) }
    }
    result.holdout = holdout
    let discrete = ModelRegistry.descriptor(for: key)?.timeScale == .opportunity
    result.frequencyRecency = PurchaseDiagnostics.frequencyRecency(
      model, rows: sample.rows, discrete: discrete)
    result.repeatPurchases = PurchaseDiagnostics.repeatPurchases(model, rows: sample.rows)
    try addChurnMeasures(
      to: &result, noPurchase: noPurchase, alive: alive, sample: sample, fitReport: model.fitReport,
      what: key)
    return result
  }

  /// Holdout accuracy of the predictions `predicted` (one per customer of `sample`): MAE,
  /// RMSE, totals, the conditional expectation by calibration frequency, the cohorts, and
  /// AIC/BIC of the fit in `fitted` with `parameters` parameters.
  static func holdoutMeasures(
    _ predicted: [Double], sample: EvaluationSample, parameters: Int,
    fitted: RunFile.ModelResult
  ) -> RunFile.Holdout {
    let n = sample.rows.count
    let actual = sample.holdout.map { Double($0.frequency) }
    let accuracy = HoldoutEvaluation.Accuracy(predicted: predicted, actual: actual)
    var holdout = RunFile.Holdout(
      mae: accuracy.mae, rmse: accuracy.rmse, predictedTotal: accuracy.predictedTotal,
      actualTotal: accuracy.actualTotal, bias: accuracy.bias, customers: n)
    holdout.conditionalExpectation = HoldoutEvaluation.conditionalExpectation(
      frequencies: sample.rows.map(\.frequency), predicted: predicted, actual: actual)
    holdout.cohorts = HoldoutEvaluation.cohorts(
      sample.cohorts, predicted: predicted, actual: actual)
    if let ll = fitted.logLikelihood {
      let ic = HoldoutEvaluation.informationCriteria(
        parameters: parameters, logLikelihood: ll, customers: fitted.customers ?? n)
      holdout.aic = ic.aic
      holdout.bic = ic.bic
    }
    return holdout
  }

  /// The P(alive) histogram, the fit's findings and the churn measures of P(no purchase in the
  /// holdout) (one value per customer of `sample`).
  static func addChurnMeasures(
    to result: inout RunFile.ModelResult, noPurchase: [Double], alive: [Double],
    sample: EvaluationSample, fitReport: FitReport?, what key: String
  ) throws {
    let churned = sample.churned
    result.pAliveHistogram = HoldoutEvaluation.histogram(alive, purchased: churned.map { !$0 })
    result.findings = findings(of: fitReport, alive: alive)
    result.churn = try churnMeasures(
      noPurchase, churned: churned, what: key, findings: &result.findings)
  }

  /// A spend model (Gamma-Gamma): fitted on the calibration repeat customers; conditional
  /// expected average spend against the mean holdout spend of those who bought in the holdout.
  static func spendModel(
    _ descriptor: ModelDescriptor, sample: EvaluationSample, options: FitOptions,
    evaluation: EvaluationOptions
  ) throws -> RunFile.ModelResult {
    let key = descriptor.id
    guard sample.hasMonetaryValue else {
      throw EvaluationError.unusableSample(
        what: key, reason: "the orders have no amount column (--amount-column)")
    }
    let fitted = try descriptor.fit(sample.calibrationSummary, options: options)
    guard let model = fitted as? any SpendModel & ModelFileConvertible else {
      throw EvaluationError.unusableSample(what: key, reason: "not a spend model")
    }
    return try spendModel(model, sample: sample, evaluation: evaluation)
  }

  static func spendModel(
    _ model: some SpendModel & ModelFileConvertible, sample: EvaluationSample,
    evaluation: EvaluationOptions
  ) throws -> RunFile.ModelResult {
    let key = type(of: model).modelID
    var result = try result(of: model, options: evaluation, unit: sample.unit)
    var predicted: [Double] = []
    var actual: [Double] = []
    for (row, holdout) in zip(sample.rows, sample.holdout)
    where row.frequency > 0 && row.monetaryValue > 0 && holdout.frequency > 0 {
      let value = model.expectedAverageSpend(for: row)
      guard value.isFinite else {
        throw EvaluationError.nonFinite(
          what: key, quantity: "the expected spend of customer '\(row.customerID)'")
      }
      predicted.append(value)
      actual.append(holdout.monetaryValue)
    }
    guard !predicted.isEmpty else {
      throw EvaluationError.unusableSample(
        what: key,
        reason: "no customer with a repeat purchase in the calibration period bought in the holdout"
      )
    }
    result.spend = HoldoutEvaluation.spend(predicted: predicted, actual: actual)
    result.findings = findings(of: model.fitReport, alive: [])
    return result
  }
}

extension EvaluationSample {
  /// The sample of order-log summaries with a calibration end (``CustomerSummaries/holdout``
  /// and ``CustomerSummaries/records`` present); nil for a summary file or without a holdout.
  public init?(
    _ summaries: CustomerSummaries, daily: DailyRepeatPurchases? = nil,
    shifted: CalibrationHoldoutSplit? = nil
  ) {
    guard summaries.layout == .orders, let calibrationEnd = summaries.calibrationEnd,
      let observationEnd = summaries.observationEnd, let holdout = summaries.holdout,
      let records = summaries.records
    else { return nil }
    self.init(
      rows: summaries.summary.rows, holdout: holdout, cohorts: records.map(\.cohort),
      firstPurchases: records.map(\.firstPurchase), unit: summaries.unit,
      calibrationEnd: calibrationEnd, observationEnd: observationEnd,
      hasMonetaryValue: summaries.hasMonetaryValue, daily: daily, shifted: shifted)
    logInterPurchaseTimes = summaries.summary.logInterPurchaseTimes
  }
}
