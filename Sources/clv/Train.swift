import ArgumentParser
import CLVData
import CLVEvaluation
import CLVModels

#if canImport(Glibc)
import Glibc
#endif

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Fit a model (\(ModelRegistry.list(ModelRegistry.ids))) and write its model file.",
    discussion: """
      INPUT is an order log (summarized on the fly; with --calibration-end the model is fitted \
      on the calibration period) or a summary CSV; \
      \(ModelRegistry.list(ModelRegistry.ids(of: .contractual))) read subscriber data \
      (customer_id,start_period,end_period or a cohort's period,alive; see \
      notebooks-md/guides/subscribers.md) and print the projected survival and retention. bgbb reads the donations layout \
      frequency,recency,periods,weights. gamma-gamma uses the repeat buyers with a positive \
      monetary value and says how many customers it dropped. The model file (JSON) holds the \
      parameters with their standard errors, the log-likelihood, the fit report and the data's \
      name and SHA-256; it is written atomically and an existing file is replaced only by a \
      successful fit. A fit that does not converge or whose Hessian is not positive definite \
      fails (exit 70) unless --allow-degenerate. A summary CSV with a count column (the \
      number of customers with each row, as 'clv summarize --distinct' or Spark \
      (integrations/spark) write it) is fitted with --weight-column NAME: the fit equals the \
      fit on one row per customer.

      --model auto chooses the purchase model from the data (an order log): it fits \
      \(ModelRegistry.list(ModelSelection.candidateKeys)) on a calibration period and compares \
      their predictions of each customer's purchases in a holdout (the last third of the period, \
      at least 8 weeks; a period shorter than 16 weeks is an error, exit 65), keeps the one with \
      the smallest root mean squared error, refits it on the whole period and records every \
      candidate's holdout error (or failure) under "selection" in the model file. A candidate \
      that fails is recorded and the others are kept. The models that need inter-purchase \
      times (\(ModelRegistry.list(ModelRegistry.ids(needing: .interPurchaseTimes)))) \
      are not candidates: each is twelve fits (k = 1 … 12) on a summary with the \
      inter-purchase times, several times the cost of the other candidates together (see \
      notebooks-md/guides/cnbd-k.md); compare them with clv evaluate --models. See \
      notebooks-md/guides/models.md.
      """
  )

  @Argument(help: "Order log or summary CSV, or - for standard input.")
  var input: String

  @Option(
    help: """
      Model: \(ModelRegistry.list(ModelRegistry.ids)), or auto (the purchase model with the \
      smallest holdout error on this order log) (required).
      """)
  var model: ModelChoice

  @Option(
    help: """
      L2 penalizer coefficient on the parameters, with the meaning of lifetimes' \
      penalizer_coef; 0 is plain maximum likelihood.
      """)
  var penalizer: Double = 0

  @Flag(
    help: """
      Keep a fit that did not converge or has no positive-definite Hessian, flagged \
      "degenerate" in the model file (default: off, such a fit is an error).
      """)
  var allowDegenerate = false

  @Option(
    name: .shortAndLong, help: "Model file to write (JSON), or - for standard output (required).")
  var output: String

  @Option(
    help: ArgumentHelp(
      """
      Wall-clock seconds the fit may take; a fit still running then stops with an error \
      (exit 70) naming its best point so far. 0 = no limit. A fit running longer than 2 s \
      says how far it is on standard error (on a terminal, or with CLV_PROGRESS=1).
      """, valueName: "seconds"))
  var fitTimeLimit: Double = 600

  @Option(
    help: ArgumentHelp(
      """
      Summary CSV column holding the number of customers with each row (positive; 'weights' \
      in 'clv summarize --distinct' files). Every model fitted on summaries \
      (\(ModelRegistry.list(ModelRegistry.all.filter(\.fitsSummaries).map(\.id)))) weights \
      each row by it (default: none, one customer per row; the donations layout: its weights \
      column).
      """, valueName: "name"))
  var weightColumn: String?

  @OptionGroup var ingest: IngestOptions

  @OptionGroup(title: "churn-logit options") var churn: ChurnTrainOptions

  @OptionGroup(title: "Covariate options") var covariates: CovariateTrainOptions

  @OptionGroup(title: "Subscriber options") var subscriber: SubscriberOptions

  func validate() throws {
    let churnModels = ModelRegistry.list(ModelRegistry.ids(of: .churn))
    if weightColumn == "" { throw ValidationError("--weight-column must not be empty") }
    let contractual = ModelRegistry.list(ModelRegistry.ids(of: .contractual))
    if model.descriptor?.kind != .contractual, subscriber.asOfPeriod != nil {
      throw ValidationError("--as-of-period applies to --model \(contractual) only")
    }
    guard let descriptor = model.descriptor else {
      if weightColumn != nil {
        throw ValidationError(
          "--weight-column does not apply to --model auto (it compares the models on an order "
            + "log, one customer per row)")
      }
      if churn.isUsed || covariates.isUsed {
        throw ValidationError(
          "--features, --with-model, --attributes, --fill, --l2 and the covariate options do not "
            + "apply to --model auto")
      }
      try validateLimits()
      return
    }
    if descriptor.takesCovariates {
      if churn.isChurnOnlyUsed {
        throw ValidationError(
          "--features, --with-model and --l2 apply to --model \(churnModels) only")
      }
      try covariates.validate(
        attributes: churn.attributes, weightColumn: weightColumn, descriptor: descriptor)
    } else {
      if descriptor.kind != .churn, churn.isUsed {
        throw ValidationError(
          "--features, --with-model, --attributes, --fill and --l2 apply to --model "
            + "\(churnModels) only (--attributes, --fill: also "
            + "\(ModelRegistry.list(ModelRegistry.all.filter(\.takesCovariates).map(\.id))))")
      }
      if covariates.isUsed {
        throw ValidationError(
          "the covariate options apply to --model "
            + "\(ModelRegistry.list(ModelRegistry.all.filter(\.takesCovariates).map(\.id))) with "
            + "--attributes")
      }
    }
    try validateLimits()
    if !descriptor.fitsSummaries, weightColumn != nil {
      throw ValidationError(
        "--weight-column does not apply to --model \(descriptor.id) (it is fitted on "
          + "customers' features and labels, one row per customer)")
    }
    if descriptor.kind == .churn, ingest.calibrationEnd == nil {
      throw ValidationError(
        "--model \(descriptor.id) needs --calibration-end (the label: no purchase in "
          + "(calibration end, observation end]; --observation-end defaults to the last date in "
          + "the file)")
    }
    if descriptor.kind == .contractual, ingest.calibrationEnd != nil {
      throw ValidationError(
        "--model \(descriptor.id) reads subscriber data in whole periods: give "
          + "--as-of-period, not --calibration-end")
    }
    if descriptor.kind == .churn, penalizer != 0 || allowDegenerate {
      throw ValidationError(
        "--penalizer and --allow-degenerate do not apply to --model \(descriptor.id) "
          + "(its penalty is --l2)")
    }
  }

  private func validateLimits() throws {
    guard penalizer.isFinite, penalizer >= 0 else {
      throw ValidationError("--penalizer must be a number ≥ 0; got \(penalizer)")
    }
    guard fitTimeLimit.isFinite, fitTimeLimit >= 0 else {
      throw ValidationError("--fit-time-limit must be a number of seconds ≥ 0; got \(fitTimeLimit)")
    }
  }

  func run() throws {
    guard let descriptor = model.descriptor else {
      try trainAuto()
      return
    }
    if descriptor.kind == .contractual {
      let options = FitOptions(
        penalizer: penalizer, allowDegenerate: allowDegenerate,
        timeLimit: fitTimeLimit > 0 ? fitTimeLimit : nil, progress: fitProgressPrinter("train"))
      try trainContractual(
        input: input, descriptor: descriptor, asOf: subscriber.asOfPeriod, options: options,
        output: output)
      return
    }
    guard descriptor.fitsSummaries else {
      try trainChurn(input: input, ingest: ingest, options: churn, output: output)
      return
    }
    // Open the output first: an unwritable path fails before the (possibly long) fit, and
    // nothing is written unless the fit succeeds.
    let out = try AtomicOutput(path: output)
    let inputHash = input == "-" ? nil : SHA256.hexInBackground(ofFile: input)
    let summaries = try ingest.summaries(
      from: input, weightColumn: weightColumn,
      interPurchaseTimes: descriptor.needs.contains(.interPurchaseTimes))
    var stderr = StandardError()
    if let regularity = summaries.regularity {
      print("clv: \(regularity.summaryLine)", to: &stderr)
    }
    if summaries.weights == nil, summaries.unusedWeightColumn {
      print(
        "clv: warning: \(input) has a weights column, not used: each row is fitted as one "
          + "customer (--weight-column weights counts each row that many times)", to: &stderr)
    }
    if descriptor.needs.contains(.wholePeriods), summaries.layout != .donations {
      print(
        "clv: note: \(descriptor.id) reads frequency,recency,periods as (x, tₓ, n) opportunities; "
          + "\(input) is not in the donations layout", to: &stderr)
    }
    let options = FitOptions(
      penalizer: penalizer, allowDegenerate: allowDegenerate,
      timeLimit: fitTimeLimit > 0 ? fitTimeLimit : nil, progress: fitProgressPrinter("train"))
    let summary = summaries.summary
    if let attributesPath = churn.attributes {
      let fitted = try covariates.fitAny(
        summary, descriptor: descriptor, attributesPath: attributesPath, fill: churn.fill,
        ordersFile: input, options: options)
      let source = ModelFile.DataSource(
        file: input, sha256: inputHash?(), summaries: summaries,
        observationEnd: summaries.observationEnd, calibrationEnd: summaries.calibrationEnd)
      let file = ModelFile(
        model: fitted, unit: descriptor.unit(fittedOn: summary.unit), data: source,
        toolVersion: clvVersion)
      try out.write(try file.jsonText())
      try out.commit()
      printTable(covariateTable(fitted))
      return
    }
    let fitted = try descriptor.fit(summary, weights: summaries.weights, options: options)
    let unit = descriptor.unit(fittedOn: summary.unit)
    if descriptor.kind == .spend {
      print(
        "clv: \(descriptor.id): fitted on \(fitted.fitReport?.customers ?? 0) repeat buyers with "
          + "positive monetary value; dropped \(fitted.fitReport?.dropped ?? 0) customers",
        to: &stderr)
    } else if let note = fitted.fitReport?.zeroAgeNote(model: descriptor.id) {
      print("clv: note: \(note)", to: &stderr)
    }
    for warning in ModelWarnings.warnings(of: fitted) {
      print("clv: warning: \(descriptor.id): \(warning)", to: &stderr)
    }
    let source = ModelFile.DataSource(
      file: input, sha256: inputHash?(), summaries: summaries,
      observationEnd: summaries.observationEnd, calibrationEnd: summaries.calibrationEnd)
    let file = ModelFile(
      model: fitted, unit: unit, data: source, toolVersion: clvVersion)
    try out.write(try file.jsonText())
    try out.commit()
    printTable(parameterTable(fitted))
  }

  /// `--model auto`: ``ModelSelection`` on the order log, the comparison on standard error.
  private func trainAuto() throws {
    let out = try AtomicOutput(path: output)
    let source = try InputSource(input)
    var summaries = try ingest.summaries(from: source.path)
    if input == "-" { summaries.report.file = "<stdin>" }
    guard summaries.layout == .orders, let firstDate = summaries.report.firstDate,
      let end = summaries.calibrationEnd ?? summaries.observationEnd
    else {
      throw EvaluationError.unusableSample(
        what: "--model auto",
        reason: "\(input) is a summary file; choosing a model needs the order log (dates)")
    }
    var format = ingest.orderLogFormat
    format.dateFormat = summaries.report.dateFormat
    var options = EvaluationOptions(
      penalizer: penalizer, allowDegenerate: allowDegenerate, toolVersion: clvVersion)
    options.fitTimeLimit = fitTimeLimit > 0 ? fitTimeLimit : nil
    options.fitProgress = fitProgressPrinter("train")
    var stderr = StandardError()
    let outcome = try ModelSelection.select(
      path: source.path, format: format, unit: summaries.unit, firstDate: firstDate, end: end,
      all: summaries.summary, weights: summaries.weights, options: options
    ) { outcome in
      if let failure = outcome.failure {
        print("clv: auto: \(outcome.key) failed, left out: \(failure)", to: &stderr)
      }
    }
    let selection = outcome.selection
    print(
      "clv: auto: candidates fitted to \(selection.calibrationEnd), judged on each customer's "
        + "purchases in the \(selection.holdoutDays) days to \(selection.observationEnd) "
        + "(\(selection.customers) customers):", to: &stderr)
    for candidate in selection.candidates {
      let line =
        candidate.rmse.map { rmse in
          "RMSE \(fixed(rmse, 4)), MAE \(candidate.mae.map { fixed($0, 4) } ?? "-"), predicted "
            + "\(candidate.predicted.map { fixed($0, 1) } ?? "-") of "
            + "\(candidate.actual.map { fixed($0, 0) } ?? "-") holdout purchases"
        } ?? "failed: \(candidate.error ?? "")"
      print("clv: auto:   \(candidate.model): \(line)", to: &stderr)
    }
    for failure in selection.refitFailures {
      print("clv: auto: \(failure.model): \(failure.error ?? "")", to: &stderr)
    }
    print(
      "clv: auto: chose \(selection.chosen) (smallest RMSE), refitted on the orders to \(end)",
      to: &stderr)
    let fitted = outcome.model
    if let report = fitted.fitReport, report.degenerate {
      print(
        "clv: warning: degenerate fit kept (--allow-degenerate): \(report.reason ?? "")",
        to: &stderr)
    }
    let data = ModelFile.DataSource(
      file: input, sha256: source.sha256, summaries: summaries,
      observationEnd: summaries.observationEnd, calibrationEnd: summaries.calibrationEnd)
    var file = ModelFile(
      model: fitted, unit: outcome.descriptor.unit(fittedOn: summaries.unit), data: data,
      toolVersion: clvVersion)
    file.selection = selection
    try out.write(try file.jsonText())
    try out.commit()
    printTable(parameterTable(fitted))
  }

  /// The estimates as a table: on standard output when the model went to a file (they are the
  /// result a person reads), on standard error when the model itself went to stdout.
  private func printTable(_ table: String) {
    if output == "-" {
      var stderr = StandardError()
      print(table, terminator: "", to: &stderr)
    } else {
      print(table, terminator: "")
    }
  }
}

/// A `--model` value: an id of the ``ModelRegistry``, or `auto` (descriptor nil: chosen by
/// ``ModelSelection``).
struct ModelChoice: ExpressibleByArgument {
  let descriptor: ModelDescriptor?

  init?(argument: String) {
    if argument == "auto" {
      descriptor = nil
      return
    }
    guard let descriptor = ModelRegistry.descriptor(for: argument) else { return nil }
    self.descriptor = descriptor
  }

  static var allValueStrings: [String] { ModelRegistry.ids + ["auto"] }
}

/// The fitted parameters with standard errors and 95% Wald intervals (estimate ± 1.96·SE from
/// the inverse observed information), and the fit's summary line.
func parameterTable(_ model: any FittedModel, positive: [Bool]? = nil) -> String {
  let name = type(of: model).modelName
  var text = ""
  if let report = model.fitReport {
    text += "\(name): \(report.customers) customers (\(report.distinctRows) distinct rows), "
    text += "log-likelihood \(fixed(report.logLikelihood, 3)), "
    text +=
      report.converged
      ? "converged in \(report.iterations) iterations"
      : "NOT converged (\(report.iterations) iterations)"
    text += ", gradient norm \(String(format: "%.2g", report.gradientNorm))\n"
  }
  let intervals = model.fitReport?.confidenceIntervals(
    for: model.parameterValues, positive: positive)
  let nameWidth = max(12, model.parameterNames.map(\.count).max() ?? 0)
  let errors = model.fitReport?.standardErrors
  let pad = { (s: String, n: Int) in
    s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0)
  }
  text += pad("parameter", nameWidth) + " " + pad("estimate", 12)
  text += errors == nil ? "\n" : " " + pad("std.error", 11) + " 95% interval\n"
  for (i, parameter) in model.parameterNames.enumerated() {
    var line = pad(parameter, nameWidth) + " " + pad(fixed(model.parameterValues[i], 6), 12)
    if let errors, let intervals {
      line += " " + pad(fixed(errors[i], 6), 11)
      line += " [\(fixed(intervals[i].lowerBound, 4)), \(fixed(intervals[i].upperBound, 4))]"
    }
    text += line + "\n"
  }
  return text
}

private func fixed(_ value: Double, _ decimals: Int) -> String {
  String(format: "%.\(decimals)f", value)
}

/// Prints a long fit's progress (``FitProgress``) as one `clv: COMMAND: …` line on standard
/// error, when standard error is a terminal or `CLV_PROGRESS=1` (so that logs and recorded
/// outputs do not depend on the machine's speed); nil otherwise.
func fitProgressPrinter(_ command: String) -> (@Sendable (FitProgress) -> Void)? {
  let forced = getenv("CLV_PROGRESS").map { String(cString: $0) == "1" } ?? false
  guard forced || isatty(STDERR_FILENO) == 1 else { return nil }
  return { progress in
    var stderr = StandardError()
    print("clv: \(command): \(progress.description)", to: &stderr)
  }
}
