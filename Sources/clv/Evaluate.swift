import ArgumentParser
import CLVData
import CLVEvaluation
import CLVModels
import Foundation

struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit models on a calibration period and measure them on the holdout period.",
    discussion: """
      Reads an order log, fits every model named by --models on the orders up to \
      --calibration-end D, predicts the holdout (D, E] (E = --observation-end, default the last \
      date in the file) and writes one run file (JSON) for 'clv report'. Purchase models \
      (\(ModelRegistry.list(ModelRegistry.ids(of: .purchase)))) are measured by holdout MAE and RMSE of the conditional \
      expected purchases, the conditional-expectation table by calibration frequency, the \
      tracking series of cumulative repeat purchases, per-cohort accuracy, AIC and BIC, and as \
      churn scores by P(no purchase in the holdout): AUC, log loss (probabilities clipped to \
      [1e-15, 1 - 1e-15]), Brier score, lift and calibration tables. gamma-gamma compares \
      predicted with actual mean holdout spend. With --attributes FILE, the purchase models \
      that take covariates (\(ModelRegistry.list(ModelRegistry.all.filter(\.fitsCovariates).map(\.id)))) \
      are fitted with the attributes as covariates (the options of 'clv train'), scored with \
      each customer's own parameters, and the run file records their coefficient table, the \
      likelihood-ratio test against the same model without covariates and both models' holdout \
      RMSE and MAE (the tracking series and frequency-recency grid are left out for them; \
      --intervals draws their parameters and coefficients together). churn-logit is trained on the window shifted \
      back by the holdout length and scored at D when at least half of the customers acquired \
      by D were acquired by D - (E - D); otherwise it is scored by 5-fold cross-validation by \
      customer (--seed). Models of subscriber data \
      (\(ModelRegistry.list(ModelRegistry.ids(of: .contractual)))) are evaluated on their own: \
      INPUT is customer_id,start_period,end_period or a cohort's period,alive, the fit uses the \
      data as of --as-of-period N and the run file compares the projected survival curve with \
      the observed (Kaplan–Meier) one by tenure. Each model is fitted and measured on its own: a model that fails is \
      recorded in the run file with its error (and shown by 'clv report'), a warning goes to \
      standard error and the others are kept; the exit status is 0 when at least one model \
      succeeded (--strict: any failure is an error). A degenerate purchase-model fit is kept, \
      flagged and explained (e.g. "nobody churns within this history"). The run file is \
      written atomically. Progress goes to standard error.
      """
  )

  static var defaultModels: String {
    ModelEvaluation.defaultModelKeys.joined(separator: ",")
  }

  /// The models that need an amount column, left out of the default without one.
  static var modelsNeedingAmounts: [String] {
    ModelRegistry.all.filter { $0.needs.contains(.monetaryValue) }.map(\.id)
  }

  /// "bgnbd, …, bgbb (whole-number periods only), …": every model with its usage note.
  static var modelsHelp: String {
    ModelRegistry.list(ModelRegistry.all.map { $0.id + ($0.usage.map { " (\($0))" } ?? "") })
  }

  @Argument(help: "Order log, or - for standard input.")
  var input: String

  @Option(
    help: ArgumentHelp(
      """
      Comma-separated models: \(modelsHelp) (default: \(defaultModels); \
      \(ModelRegistry.list(modelsNeedingAmounts)) is left out of the default when the orders \
      have no amounts).
      """, valueName: "list"))
  var models: String?

  @Option(
    help: """
      L2 penalizer of the purchase-model and gamma-gamma fits (lifetimes' penalizer_coef); \
      churn-logit's penalty is --l2.
      """)
  var penalizer: Double = 0

  @Flag(
    help: """
      Keep a fit that did not converge or has no positive-definite Hessian, flagged \
      "degenerate" in the run file. This is evaluate's default; with --strict it keeps such \
      fits while other failures stay errors.
      """)
  var allowDegenerate = false

  @Option(
    help: ArgumentHelp(
      """
      Wall-clock seconds each model's fit may take; a fit still running then fails (recorded \
      in the run file; exit 70 with --strict). 0 = no limit. Fits running longer than 2 s say \
      how far they are on standard error (on a terminal, or with CLV_PROGRESS=1).
      """, valueName: "seconds"))
  var fitTimeLimit: Double = 600

  @Flag(
    help: """
      Make any model's failure, and a degenerate fit (unless --allow-degenerate), an error \
      (default: off, a failing model is recorded in the run file and the others are kept).
      """)
  var strict = false

  @Option(
    help:
      "Seed of the cross-validation folds of churn-logit and of the parameter draws of --intervals."
  )
  var seed: UInt64 = 1

  @Option(
    name: .customLong("intervals"),
    help: ArgumentHelp(
      """
      Give each purchase model's predicted holdout total an equal-tailed interval of this \
      coverage, e.g. 0.9 (between 0 and 1, exclusive), over parameter draws from the \
      calibration fit's asymptotic normal (with --attributes, the parameters and coefficients \
      together, each customer at their own parameters): holdout.predictedTotalInterval in the \
      run file (default: none).
      """, valueName: "level"))
  var intervalLevel: Double?

  @Option(help: "--intervals: the number of parameter draws (default 200, at most 100000).")
  var draws: Int?

  @Option(
    name: .customLong("run"),
    help: "The run's identifier in the run file (default: evaluate-D, D the calibration end).")
  var runID: String?

  @Option(
    name: .shortAndLong, help: "Run file to write (JSON), or - for standard output (required).")
  var output: String

  @OptionGroup var ingest: IngestOptions

  @OptionGroup(title: "churn-logit options") var churn: ChurnTrainOptions

  @OptionGroup(title: "Covariate options") var covariates: CovariateTrainOptions

  @OptionGroup(title: "Subscriber options") var subscriber: SubscriberOptions

  var modelList: [String] {
    (models ?? Self.defaultModels).split(separator: ",")
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  /// Whether every listed model is fitted on subscriber data (sBG, BdW).
  var contractual: Bool {
    let ids = ModelRegistry.ids(of: .contractual)
    return models != nil && modelList.allSatisfy(ids.contains)
  }

  func validate() throws {
    try IntervalOptions.check(level: intervalLevel, draws: draws)
    let contractualIDs = ModelRegistry.ids(of: .contractual)
    if modelList.contains(where: contractualIDs.contains) || subscriber.asOfPeriod != nil {
      guard contractual else {
        throw ValidationError(
          "models of subscriber data (\(ModelRegistry.list(contractualIDs))) are evaluated on "
            + "their own: list only them in --models, with --as-of-period")
      }
      guard subscriber.asOfPeriod != nil, ingest.calibrationEnd == nil else {
        throw ValidationError(
          "--models \(modelList.joined(separator: ",")): give --as-of-period N (the calibration "
            + "end, a whole period), not --calibration-end")
      }
      guard Set(modelList).count == modelList.count else {
        throw ValidationError("--models lists a model twice")
      }
      guard penalizer.isFinite, penalizer >= 0, fitTimeLimit.isFinite, fitTimeLimit >= 0 else {
        throw ValidationError("--penalizer and --fit-time-limit must be numbers ≥ 0")
      }
      return
    }
    guard ingest.calibrationEnd != nil else {
      throw ValidationError("--calibration-end is required (the holdout is the period after it)")
    }
    let list = modelList
    guard !list.isEmpty else { throw ValidationError("--models is empty") }
    for key in list where !ModelEvaluation.modelKeys.contains(key) {
      throw ValidationError(
        "--models: unknown model '\(key)' (expected "
          + ModelEvaluation.modelKeys.joined(separator: ", ") + ")"
      )
    }
    guard Set(list).count == list.count else {
      throw ValidationError("--models lists a model twice")
    }
    guard penalizer.isFinite, penalizer >= 0 else {
      throw ValidationError("--penalizer must be a number ≥ 0; got \(penalizer)")
    }
    guard fitTimeLimit.isFinite, fitTimeLimit >= 0 else {
      throw ValidationError("--fit-time-limit must be a number of seconds ≥ 0; got \(fitTimeLimit)")
    }
    let churnModels = ModelRegistry.ids(of: .churn)
    let covariateModels = ModelRegistry.all.filter(\.fitsCovariates).map(\.id)
    let takesAttributes = list.contains(where: covariateModels.contains)
    if !list.contains(where: churnModels.contains) {
      if churn.isChurnOnlyUsed {
        throw ValidationError(
          "--features, --with-model and --l2 apply to \(ModelRegistry.list(churnModels)), which "
            + "--models does not list")
      }
      if churn.isUsed, !takesAttributes {
        throw ValidationError(
          "--attributes and --fill apply to \(ModelRegistry.list(churnModels)) and to the models "
            + "with covariates (\(ModelRegistry.list(covariateModels))), which --models does not "
            + "list")
      }
    }
    try covariates.validate(attributes: churn.attributes, weightColumn: nil)
    if covariates.spendCovariates != nil {
      throw ValidationError(
        "--spend-covariates applies to clv train (clv evaluate fits the spend model without "
          + "covariates)")
    }
    if covariates.isUsed, !takesAttributes {
      throw ValidationError(
        "--purchase-covariates, --dropout-covariates, --same-coefficient and --covariate-l2 "
          + "apply to "
          + "\(ModelRegistry.list(covariateModels)), which --models does not list")
    }
  }

  func run() throws {
    if contractual {
      try evaluateSubscribers()
      return
    }
    let started = ContinuousClock().now
    let out = try AtomicOutput(path: output)  // fail early when the output is not writable
    let source = try InputSource(input)
    var stderr = StandardError()
    func say(_ text: String) { print("clv: evaluate: \(text)", to: &stderr) }
    var plan = EvaluationPlan(
      input: input, path: source.path, sha256: source.sha256, format: ingest.orderLogFormat,
      period: ingest.period, models: models == nil ? nil : modelList, penalizer: penalizer,
      seed: seed, allowDegenerate: allowDegenerate || !strict, strict: strict, runID: runID,
      toolVersion: clvVersion,
      churnFeatures: churn.features == nil && churn.withModel == nil ? nil : churn.featureList,
      churnL2: churn.l2, churnAttributesFile: churn.attributes, churnFill: churn.fill,
      churnWithModel: churn.withModel)
    plan.fitTimeLimit = fitTimeLimit > 0 ? fitTimeLimit : nil
    plan.fitProgress = fitProgressPrinter("evaluate")
    plan.intervalLevel = intervalLevel
    plan.intervalDraws = draws ?? IntervalOptions.defaultDraws
    if churn.attributes != nil { plan.covariates = covariates.covariateOptions(fill: churn.fill) }
    var progress = ProgressLine(path: source.path)
    let runFile: RunFile
    do {
      runFile = try EvaluationRun.run(
        plan, progress: progress.isEnabled ? { progress.update(bytes: $0, rows: $1) } : nil
      ) { event in
        switch event {
        case .summarized(let summaries):
          progress.finish()
          ingest.report(summaries)
        case .note(let text): say(text)
        case .model(let outcome): report(outcome, say: say)
        }
      }
    } catch let error as DataError where input == "-" {
      throw error.renaming(source.path, to: "<stdin>")
    }
    try out.write(try EvaluationRun.text(of: runFile))
    try out.commit()
    let total = (ContinuousClock().now - started) / .seconds(1)
    let ranking = runFile.ranking
    if let best = ranking.byRMSE?.first {
      say("best holdout RMSE: \(best.model) (\(Self.number(best.value)))")
    }
    if let best = ranking.byAUC.first {
      say("best AUC: \(best.model) (\(Self.number(best.value)))")
    }
    say("wrote \(output == "-" ? "standard output" : output) in \(String(format: "%.2f", total)) s")
  }

  /// `clv evaluate SUBSCRIBERS --models sbg,bdw --as-of-period N`: fits on the data as of N and
  /// compares the projected survival with the observed one (``ContractualEvaluation``).
  private func evaluateSubscribers() throws {
    let out = try AtomicOutput(path: output)
    let source = try InputSource(input)
    let data = try SubscriberData.read(path: source.path)
    var stderr = StandardError()
    let options = FitOptions(
      penalizer: penalizer, allowDegenerate: allowDegenerate || !strict,
      timeLimit: fitTimeLimit > 0 ? fitTimeLimit : nil, progress: fitProgressPrinter("evaluate"))
    let plan = ContractualEvaluation.Plan(
      input: input, sha256: source.sha256, models: modelList,
      calibrationEnd: subscriber.asOfPeriod!, options: options, strict: strict, runID: runID,
      toolVersion: clvVersion)
    let runFile = try ContractualEvaluation.run(plan, data: data) { outcome in
      let seconds = String(format: "%.2f", outcome.seconds)
      if let failure = outcome.failure {
        let message = describe(failure)?.1 ?? "\(failure)"
        print(
          "clv: warning: evaluate: \(outcome.key) failed (\(seconds) s): \(message)", to: &stderr)
      } else if let retention = outcome.result.retention {
        let projection = retention.projectionMAE.map { Self.number($0) } ?? "—"
        print(
          "clv: evaluate: \(outcome.key): \(seconds) s: survival MAE \(projection) on the "
            + "projected tenures (> \(retention.calibrationTenure))", to: &stderr)
      }
    }
    try out.write(try EvaluationRun.text(of: runFile))
    try out.commit()
  }

  /// One model's line (or warning) on standard error.
  private func report(_ outcome: ModelOutcome, say: (String) -> Void) {
    var stderr = StandardError()
    let seconds = String(format: "%.2f", outcome.seconds)
    if let failure = outcome.failure {
      let message = describe(failure)?.1 ?? "\(failure)"
      print(
        "clv: warning: evaluate: \(outcome.key) failed (\(seconds) s): \(message)", to: &stderr)
      return
    }
    let result = outcome.result
    var facts: [String] = []
    if let holdout = result.holdout {
      facts.append("holdout MAE \(Self.number(holdout.mae))")
      facts.append(
        "predicted \(String(format: "%.1f", holdout.predictedTotal)) vs actual "
          + "\(String(format: "%.0f", holdout.actualTotal)) holdout purchases")
    }
    if let covariates = result.covariates {
      if let nested = covariates.nestedHoldout, let holdout = result.holdout {
        facts.append(
          "holdout RMSE \(Self.number(holdout.rmse)) with covariates vs "
            + "\(Self.number(nested.rmse)) without")
      }
      if let test = covariates.likelihoodRatioTest {
        facts.append(
          "LR test \(String(format: "%.2f", test.statistic)) on \(test.degreesOfFreedom) df, "
            + "p = \(String(format: "%.3g", test.pValue))")
      }
    }
    if let churn = result.churn {
      facts.append("AUC \(Self.number(churn.auc)) (\(churn.validation.rawValue))")
    }
    if let spend = result.spend {
      facts.append(
        "mean spend predicted \(Self.number(spend.predictedMean)) vs actual "
          + "\(Self.number(spend.actualMean)) (\(spend.customers) customers)")
    }
    say("\(outcome.key): \(seconds) s: " + facts.joined(separator: ", "))
    for warning in result.warnings {
      print("clv: warning: evaluate: \(outcome.key): \(warning)", to: &stderr)
    }
  }

  static func number(_ value: Double) -> String { String(format: "%.4g", value) }
}
