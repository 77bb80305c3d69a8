import CLVData
import CLVModels
import CLVScoring
import Foundation

/// What `clv evaluate` runs: the order log, the models and their options.
public struct EvaluationPlan: Sendable {
  /// The order log as the user named it (`-` for standard input): recorded in the run file.
  public var input: String
  /// A readable path holding the order log (a file, or the buffered copy of standard input).
  public var path: String
  /// The SHA-256 of the order log's bytes, recorded in the run file.
  public var sha256: String
  public var format: OrderLogFormat
  /// The unit, the calibration end (required: the holdout is the period after it) and the
  /// observation end (default: the last date in the file).
  public var period: SummaryPeriod
  /// Model keys (``ModelEvaluation/modelKeys``); nil: ``ModelEvaluation/defaultModelKeys``,
  /// without the models that need amounts when the orders have none.
  public var models: [String]?
  /// L2 penalizer of the purchase-model and gamma-gamma fits.
  public var penalizer: Double
  /// Seed of churn-logit's cross-validation folds.
  public var seed: UInt64
  /// Each fit's wall-clock budget in seconds (``FitOptions/timeLimit``); nil = none.
  public var fitTimeLimit: Double? = 600
  /// Progress of long fits (``FitOptions/progress``).
  public var fitProgress: (@Sendable (FitProgress) -> Void)? = nil
  /// The coverage of the predicted holdout totals' intervals (``EvaluationOptions/intervalLevel``);
  /// nil for none.
  public var intervalLevel: Double? = nil
  /// Parameter draws of those intervals.
  public var intervalDraws = 200
  /// Keep a degenerate fit, flagged (evaluate's default).
  public var allowDegenerate: Bool
  /// Any model's failure is an error instead of a recorded entry.
  public var strict: Bool
  /// The run's identifier (default: evaluate-D, D the calibration end).
  public var runID: String?
  public var toolVersion: String
  /// churn-logit's options: features (nil: the default list), L2 penalty, attributes file and
  /// fill, and a purchase-model file whose p_alive and expected purchases become features.
  public var churnFeatures: [String]?
  public var churnL2: Double
  public var churnAttributesFile: String?
  public var churnFill: Bool
  public var churnWithModel: String?
  /// With `churnAttributesFile`: the purchase models that take covariates are fitted with the
  /// attributes as covariates (``CovariateEvaluationOptions``; `fill` is `churnFill`); nil:
  /// every purchase model is fitted without covariates.
  public var covariates: CovariateOptions? = nil

  public init(
    input: String, path: String? = nil, sha256: String, format: OrderLogFormat = OrderLogFormat(),
    period: SummaryPeriod, models: [String]? = nil, penalizer: Double = 0, seed: UInt64 = 1,
    allowDegenerate: Bool = true, strict: Bool = false, runID: String? = nil,
    toolVersion: String, churnFeatures: [String]? = nil, churnL2: Double = 0,
    churnAttributesFile: String? = nil, churnFill: Bool = false, churnWithModel: String? = nil
  ) {
    self.input = input
    self.path = path ?? input
    self.sha256 = sha256
    self.format = format
    self.period = period
    self.models = models
    self.penalizer = penalizer
    self.seed = seed
    self.allowDegenerate = allowDegenerate
    self.strict = strict
    self.runID = runID
    self.toolVersion = toolVersion
    self.churnFeatures = churnFeatures
    self.churnL2 = churnL2
    self.churnAttributesFile = churnAttributesFile
    self.churnFill = churnFill
    self.churnWithModel = churnWithModel
  }
}

/// What an evaluation reports while it runs, in order.
public enum EvaluationEvent {
  /// The order log is summarized (before any model is fitted).
  case summarized(CustomerSummaries)
  /// A decision taken on the data (a model left out, churn-logit's validation scheme).
  case note(String)
  /// One model is done (or failed and was recorded).
  case model(ModelOutcome)
}

/// The evaluation pipeline of `clv evaluate`: summarize the order log at the calibration end,
/// fit every model on the calibration period, measure it on the holdout and build the run file.
public enum EvaluationRun {
  /// Runs `plan`.
  ///
  /// - Parameters:
  ///   - progress: called now and then with bytes and rows read while summarizing.
  ///   - events: called with the summaries, notes and each model's outcome.
  /// - Returns: the run file (written by the caller: ``RunFile/encoded()``).
  /// - Throws: `DataError` for unusable input (a summary file instead of an order log: the
  ///   holdout, tracking series and cohorts need dates); with `strict`, the first failure;
  ///   otherwise the first model's error when every model failed.
  public static func run(
    _ plan: EvaluationPlan, progress: ((_ bytes: Int, _ rows: Int) -> Void)? = nil,
    events: (EvaluationEvent) -> Void = { _ in }
  ) throws -> RunFile {
    // The order log is read once: the shifted window's summaries, the tracking series and the
    // targeting backtest's purchase log come from its orders in memory.
    // Always with litt and the Wheat–Morrison regularity: the run file records the regularity,
    // and the models that need litt ((M)BG/CNBD-k) may be among those evaluated.
    var period = plan.period
    period.interPurchaseTimes = true
    let read = try CustomerSummaries.readKeepingOrders(
      orders: plan.path, format: plan.format, period: period, progress: progress)
    var summaries = read.summaries
    if plan.input == "-" { summaries.report.file = "<stdin>" }
    events(.summarized(summaries))
    if let regularity = summaries.regularity { events(.note(regularity.summaryLine)) }
    guard var sample = EvaluationSample(summaries), let holdout = summaries.holdout,
      let orders = read.orders
    else {
      throw DataError.invalidFile(
        file: plan.input,
        reason: "clv evaluate needs an order log (dates are needed for the holdout, the tracking "
          + "series and the cohorts), not a summary file")
    }
    let calibrationEnd = sample.calibrationEnd
    let observationEnd = sample.observationEnd
    let daily = try DailyRepeatPurchases(
      orders: orders, calibrationEnd: calibrationEnd, observationEnd: observationEnd)

    var list = plan.models ?? ModelEvaluation.defaultModelKeys
    if plan.models == nil, !summaries.hasMonetaryValue {
      let needAmounts = ModelRegistry.all.filter { $0.needs.contains(.monetaryValue) }.map(\.id)
        .filter(list.contains)
      list.removeAll(where: needAmounts.contains)
      if !needAmounts.isEmpty {
        events(
          .note(
            "no amount column: \(ModelRegistry.list(needAmounts)) left out (give --amount-column "
              + "to include it)"))
      }
    }
    sample.daily = daily
    var options = EvaluationOptions(
      penalizer: plan.penalizer, seed: plan.seed, allowDegenerate: plan.allowDegenerate,
      toolVersion: plan.toolVersion,
      modelData: ModelFile.DataSource(
        file: plan.input, sha256: plan.sha256, summaries: summaries,
        observationEnd: observationEnd, calibrationEnd: calibrationEnd))
    options.fitTimeLimit = plan.fitTimeLimit
    options.fitProgress = plan.fitProgress
    options.intervalLevel = plan.intervalLevel
    options.intervalDraws = plan.intervalDraws
    if let covariateOptions = plan.covariates, let file = plan.churnAttributesFile,
      list.contains(where: { ModelRegistry.descriptor(for: $0)?.fitsCovariates == true })
    {
      let attributes = try CustomerAttributes.read(path: file)
      options.covariates = CovariateEvaluationOptions(
        attributes: attributes, file: file, options: covariateOptions)
      if covariateOptions.fill, !list.contains(where: ModelRegistry.ids(of: .churn).contains) {
        let coverage = try attributes.checkedCoverage(
          of: summaries.summary.rows.map(\.customerID), ordersFile: plan.input)
        events(.note("covariates: " + attributes.fillNote(coverage)))
      }
    }
    if list.contains(where: ModelRegistry.ids(of: .churn).contains) {
      options.churn = try churnOptions(plan, unit: summaries.unit, calibrationEnd: calibrationEnd)
      if let attributes = options.churn.attributes, plan.churnFill {
        let coverage = try attributes.checkedCoverage(
          of: summaries.summary.rows.map(\.customerID), ordersFile: plan.input)
        events(.note(attributes.fillNote(coverage)))
      }
      let shiftedEnd = sample.shiftedCalibrationEnd
      let share = sample.shareAcquiredByShiftedEnd ?? 0
      let percent = String(format: "%.1f%%", 100 * share)
      if share >= options.minimumShiftedShare {
        let shifted = try CustomerSummaries(
          orders: orders,
          period: SummaryPeriod(
            unit: summaries.unit, observationEnd: calibrationEnd, calibrationEnd: shiftedEnd))
        sample.shifted = shifted.split
        events(
          .note(
            "churn-logit: shifted window: trained on features at \(shiftedEnd) with the label "
              + "(\(shiftedEnd), \(calibrationEnd)] (\(percent) of the customers acquired by then)"
          ))
      } else {
        events(
          .note(
            "churn-logit: only \(percent) of the customers were acquired by \(shiftedEnd) "
              + "(< 50%): \(options.folds)-fold cross-validation by customer (seed \(plan.seed))"))
      }
    }

    let results = try ModelEvaluation.evaluateEach(
      list, on: sample, options: options, strict: plan.strict
    ) { events(.model($0)) }

    let repeatCustomers = sample.rows.reduce(0) { $0 + ($1.frequency > 0 ? 1 : 0) }
    let purchasers = holdout.reduce(0) { $0 + ($1.frequency > 0 ? 1 : 0) }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    var runFile = RunFile(
      run: plan.runID ?? "evaluate-\(calibrationEnd)", createdAt: formatter.string(from: Date()),
      tool: RunFile.Tool(name: "clv", version: plan.toolVersion),
      data: RunFile.DataInfo(
        file: plan.input, sha256: plan.sha256, firstPurchase: daily.start.description,
        calibrationEnd: calibrationEnd.description, observationEnd: observationEnd.description,
        unit: .time(summaries.unit), holdoutLength: sample.holdoutLength,
        customers: sample.rows.count, repeatCustomers: repeatCustomers,
        holdoutPurchasers: purchasers, orders: summaries.report.rows),
      models: results, ranking: RunFile.Ranking(ranking: results))
    runFile.data.regularity = summaries.regularity
    runFile.options = RunFile.Options(plan)
    // Targeting backtest: the lists built at the calibration end, judged on the holdout.
    let log = PurchaseLog(orders: orders, through: observationEnd)
    // The replenishment comparison also ranks by the best purchase model's P(purchase in the
    // window) (regular timing for the CNBD-k models); a model that cannot be rebuilt leaves
    // that row out.
    let replenishmentWindow = min(
      TargetingBacktest.defaultReplenishmentWindowDays, observationEnd - calibrationEnd)
    let purchaseModel = try? TargetingBacktest.bestPurchaseModel(results)
    let modelProbabilities = purchaseModel.map { best in
      (
        id: best.result.model,
        probabilities: ReplenishmentRanking.probabilities(
          rows: sample.rows, unit: sample.unit, model: best.model,
          windowDays: replenishmentWindow)
      )
    }
    var targeting = try TargetingBacktest.run(
      log, asOf: calibrationEnd, end: observationEnd, model: modelProbabilities)
    // Holdout purchases per segment, labelled by the run's own models (a scoring failure
    // leaves the segments out of the run file with a note; the measures above stand).
    do {
      if let labelled = try TargetingBacktest.segmentLabels(
        sample: sample, results: results, log: log)
      {
        targeting.segments = TargetingBacktest.segmentOutcomes(
          log, asOf: calibrationEnd, end: observationEnd, segments: labelled.segments)
        targeting.segmentModel = labelled.model
      }
    } catch {
      events(.note("targeting: no holdout rates per segment: \(error)"))
    }
    runFile.targeting = targeting
    events(.note(TargetingBacktest.summary(targeting)))
    return runFile
  }

  /// churn-logit's options from the plan (reads the attributes and `--with-model` files).
  static func churnOptions(
    _ plan: EvaluationPlan, unit: TimeUnit, calibrationEnd: Day
  ) throws -> ChurnEvaluationOptions {
    var options = ChurnEvaluationOptions(
      features: plan.churnFeatures, l2: plan.churnL2,
      attributes: try plan.churnAttributesFile.map { try CustomerAttributes.read(path: $0) },
      fill: plan.churnFill)
    if let path = plan.churnWithModel {
      let (model, json) = try ChurnEvaluationOptions.transactionModel(
        at: path, unit: unit, calibrationEnd: calibrationEnd)
      options.transactionModel = model
      options.transactionModelFile = json
    }
    return options
  }

  /// The run file as JSON text.
  /// - Throws: ``EvaluationError/nonFinite(what:quantity:)`` when a value cannot be encoded.
  public static func text(of runFile: RunFile) throws -> String {
    do {
      return try runFile.encoded()
    } catch {
      throw EvaluationError.nonFinite(what: "run file", quantity: "a value (\(error))")
    }
  }
}
