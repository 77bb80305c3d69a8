import ArgumentParser
import CLVData
import CLVEvaluation
import CLVModels
import CLVScoring
import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit models on a calibration period and measure them on the holdout period.",
    discussion: """
      Reads an order log, fits every model named by --models on the orders up to \
      --calibration-end D, predicts the holdout (D, E] (E = --observation-end, default the last \
      date in the file) and writes one run file (JSON) for 'clv report'. Purchase models \
      (bgnbd, mbgnbd, pnbd, bgbb) are measured by holdout MAE and RMSE of the conditional \
      expected purchases, the conditional-expectation table by calibration frequency, the \
      tracking series of cumulative repeat purchases, per-cohort accuracy, AIC and BIC, and as \
      churn scores by P(no purchase in the holdout): AUC, log loss (probabilities clipped to \
      [1e-15, 1 - 1e-15]), Brier score, lift and calibration tables. gamma-gamma compares \
      predicted with actual mean holdout spend. churn-logit is trained on the window shifted \
      back by the holdout length and scored at D when at least half of the customers acquired \
      by D were acquired by D - (E - D); otherwise it is scored by 5-fold cross-validation by \
      customer (--seed). Each model is fitted and measured on its own: a model that fails is \
      recorded in the run file with its error (and shown by 'clv report'), a warning goes to \
      standard error and the others are kept; the exit status is 0 when at least one model \
      succeeded (--strict: any failure is an error). A degenerate purchase-model fit is kept, \
      flagged and explained (e.g. "nobody churns within this history"). The run file is \
      written atomically. Progress goes to standard error.
      """
  )

  static let defaultModels = "bgnbd,mbgnbd,pnbd,gamma-gamma,churn-logit"

  @Argument(help: "Order log, or - for standard input.")
  var input: String

  @Option(
    help: ArgumentHelp(
      """
      Comma-separated models: bgnbd, mbgnbd, pnbd, bgbb (whole-number periods only), \
      gamma-gamma (needs an amount column), churn-logit (default: \(defaultModels); \
      gamma-gamma is left out of the default when the orders have no amounts).
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

  @Option(help: "Seed of the cross-validation folds of churn-logit.")
  var seed: UInt64 = 1

  @Option(
    name: .customLong("run"),
    help: "The run's identifier in the run file (default: evaluate-D, D the calibration end).")
  var runID: String?

  @Option(
    name: .shortAndLong, help: "Run file to write (JSON), or - for standard output (required).")
  var output: String

  @OptionGroup var ingest: IngestOptions

  @OptionGroup(title: "churn-logit options") var churn: ChurnTrainOptions

  var modelList: [String] {
    (models ?? Self.defaultModels).split(separator: ",")
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  func validate() throws {
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
    if churn.isUsed, !list.contains("churn-logit") {
      throw ValidationError(
        "--features, --with-model, --attributes, --fill and --l2 apply to churn-logit, which "
          + "--models does not list")
    }
  }

  func run() throws {
    let started = ContinuousClock().now

    let out = try AtomicOutput(path: output)  // fail early when the output is not writable
    let source = try InputCopy(input)
    do {
      try evaluate(source: source, out: out, started: started)
    } catch let error as DataError where input == "-" {
      throw error.renaming(source.path, to: "<stdin>")
    }
  }

  /// Reads the data, evaluates every model and writes the run file.
  private func evaluate(
    source: InputCopy, out: AtomicOutput, started: ContinuousClock.Instant
  )
    throws
  {
    let clock = ContinuousClock()
    var stderr = StandardError()
    func say(_ text: String) { print("clv: evaluate: \(text)", to: &stderr) }
    let path = source.path

    var summaries = try ingest.summaries(from: path, quiet: true)
    if input == "-" { summaries.report.file = "<stdin>" }
    ingest.report(summaries)
    guard var sample = EvaluationSample(summaries), let holdout = summaries.holdout else {
      throw DataError.invalidFile(
        file: input,
        reason: "clv evaluate needs an order log (dates are needed for the holdout, the tracking "
          + "series and the cohorts), not a summary file")
    }
    let calibrationEnd = sample.calibrationEnd
    let observationEnd = sample.observationEnd
    var format = ingest.orderLogFormat
    format.dateFormat = summaries.report.dateFormat
    let daily = try DailyRepeatPurchases.read(
      orders: path, format: format, calibrationEnd: calibrationEnd, observationEnd: observationEnd)

    var list = modelList
    if models == nil, !summaries.hasMonetaryValue {
      list.removeAll { $0 == "gamma-gamma" }
      say("no amount column: gamma-gamma left out (give --amount-column to include it)")
    }
    sample.daily = daily
    var options = EvaluationOptions(
      penalizer: penalizer, seed: seed, allowDegenerate: allowDegenerate || !strict,
      toolVersion: clvVersion,
      modelData: ModelFile.DataSource(
        file: input, sha256: source.sha256, observationEnd: observationEnd.description,
        calibrationEnd: calibrationEnd.description,
        firstDate: summaries.report.firstDate?.description,
        lastDate: summaries.report.lastDate?.description))
    options.fitTimeLimit = fitTimeLimit > 0 ? fitTimeLimit : nil
    options.fitProgress = fitProgressPrinter("evaluate")
    if list.contains("churn-logit") {
      options.churn = try churnOptions(unit: summaries.unit, calibrationEnd: calibrationEnd)
      if let attributes = options.churn.attributes, churn.fill {
        try checkFill(
          attributes, customers: summaries.summary.rows.map(\.customerID), ordersFile: input,
          command: "evaluate")
      }
      let shiftedEnd = sample.shiftedCalibrationEnd
      let share = sample.shareAcquiredByShiftedEnd ?? 0
      let percent = String(format: "%.1f%%", 100 * share)
      if share >= options.minimumShiftedShare {
        let shifted = try CustomerSummaries.read(
          orders: path, format: format,
          period: SummaryPeriod(
            unit: summaries.unit, observationEnd: calibrationEnd, calibrationEnd: shiftedEnd))
        sample.shifted = shifted.split
        say(
          "churn-logit: shifted window: trained on features at \(shiftedEnd) with the label "
            + "(\(shiftedEnd), \(calibrationEnd)] (\(percent) of the customers acquired by then)")
      } else {
        say(
          "churn-logit: only \(percent) of the customers were acquired by \(shiftedEnd) (< 50%): "
            + "\(options.folds)-fold cross-validation by customer (seed \(seed))")
      }
    }

    let results = try ModelEvaluation.evaluateEach(
      list, on: sample, options: options, strict: strict
    ) { outcome in
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
      if let churn = result.churn {
        facts.append("AUC \(Self.number(churn.auc)) (\(churn.validation.rawValue))")
      }
      if let spend = result.spend {
        facts.append(
          "mean spend predicted \(Self.number(spend.predictedMean)) vs actual "
            + "\(Self.number(spend.actualMean)) (\(spend.customers) customers)")
      }
      say("\(outcome.key): \(seconds) s: " + facts.joined(separator: ", "))
      for finding in result.findings ?? [] {
        print("clv: warning: evaluate: \(outcome.key): \(finding)", to: &stderr)
      }
    }

    let repeatCustomers = sample.rows.reduce(0) { $0 + ($1.frequency > 0 ? 1 : 0) }
    let purchasers = holdout.reduce(0) { $0 + ($1.frequency > 0 ? 1 : 0) }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    var runFile = RunFile(
      run: runID ?? "evaluate-\(calibrationEnd)", createdAt: formatter.string(from: Date()),
      tool: RunFile.Tool(name: "clv", version: clvVersion),
      data: RunFile.DataInfo(
        file: input, sha256: source.sha256, firstPurchase: daily.start.description,
        calibrationEnd: calibrationEnd.description, observationEnd: observationEnd.description,
        unit: summaries.unit.rawValue, holdoutLength: sample.holdoutLength,
        customers: sample.rows.count, repeatCustomers: repeatCustomers,
        holdoutPurchasers: purchasers, orders: summaries.report.rows),
      models: results, ranking: RunFile.Ranking(ranking: results))
    // Targeting backtest: the lists built at the calibration end, judged on the holdout.
    let log = try PurchaseLog.read(path: path, format: format, through: observationEnd)
    let targeting = try TargetingBacktest.run(log, asOf: calibrationEnd, end: observationEnd)
    runFile.targeting = targeting
    say(TargetingBacktest.summary(targeting))
    let text: String
    do {
      text = try runFile.encoded()
    } catch {
      throw EvaluationError.nonFinite(what: "run file", quantity: "a value (\(error))")
    }
    try out.write(text)
    try out.commit()
    let total = (clock.now - started) / .seconds(1)
    let ranking = runFile.ranking
    if let best = ranking.byMAE.first {
      say("best holdout MAE: \(best.model) (\(Self.number(best.value)))")
    }
    if let best = ranking.byAUC.first {
      say("best AUC: \(best.model) (\(Self.number(best.value)))")
    }
    say("wrote \(output == "-" ? "standard output" : output) in \(String(format: "%.2f", total)) s")
  }

  static func number(_ value: Double) -> String { String(format: "%.4g", value) }

  /// churn-logit's options from the command line.
  func churnOptions(unit: TimeUnit, calibrationEnd: Day) throws -> ChurnEvaluationOptions {
    var options = ChurnEvaluationOptions(
      features: churn.features == nil && churn.withModel == nil ? nil : churn.featureList,
      l2: churn.l2, attributes: try churn.attributes.map(readAttributes), fill: churn.fill)
    if let path = churn.withModel {
      let (model, json) = try ChurnEvaluationOptions.transactionModel(
        at: path, unit: unit, calibrationEnd: calibrationEnd)
      options.transactionModel = model
      options.transactionModelFile = json
    }
    return options
  }
}

extension DataError {
  /// The same error with the file name `old` replaced by `new` (the temporary copy of standard
  /// input is reported as `<stdin>`).
  fileprivate func renaming(_ old: String, to new: String) -> DataError {
    func name(_ file: String) -> String { file == old ? new : file }
    switch self {
    case .invalidField(let file, let line, let column, let value, let expected):
      return .invalidField(
        file: name(file), line: line, column: column, value: value, expected: expected)
    case .rejectedValue(let file, let line, let column, let value, let reason):
      return .rejectedValue(
        file: name(file), line: line, column: column, value: value, reason: reason)
    case .invalidRow(let file, let line, let reason):
      return .invalidRow(file: name(file), line: line, reason: reason)
    case .invalidFile(let file, let reason): return .invalidFile(file: name(file), reason: reason)
    case .notReadable(let path, let reason): return .notReadable(path: name(path), reason: reason)
    case .notWritable(let path, let reason): return .notWritable(path: path, reason: reason)
    }
  }
}

/// The input as a readable path, with the SHA-256 of its bytes. Standard input is copied to an
/// unlinked-on-exit temporary file (it is read more than once).
final class InputCopy {
  let path: String
  let sha256: String
  private var temporary: String?

  init(_ input: String) throws {
    guard input == "-" else {
      path = input
      // Unreadable input is reported (exit 66) by the summary reader; hash what can be read.
      var info = stat()
      guard stat(input, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR,
        let hash = SHA256.hex(ofFile: input)
      else {
        throw DataError.notReadable(
          path: input,
          reason: access(input, F_OK) == 0 ? "not a readable file" : "no such file")
      }
      sha256 = hash
      return
    }
    let folder =
      ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array("\(folder)/clv-evaluate-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw DataError.notReadable(
        path: "-", reason: "cannot create a temporary copy of standard input")
    }
    defer { close(fd) }
    let name = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    temporary = name
    path = name
    var hasher = SHA256()
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        unlink(name)
        throw DataError.notReadable(path: "-", reason: String(cString: strerror(errno)))
      }
      if n == 0 { break }
      try buffer.withUnsafeBytes { bytes in
        let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<n])
        hasher.update(chunk)
        guard Glibc.write(fd, chunk.baseAddress, n) == n else {
          unlink(name)
          throw DataError.notReadable(path: "-", reason: "cannot buffer standard input")
        }
      }
    }
    sha256 = hasher.finalizeHex()
  }

  deinit {
    if let temporary { unlink(temporary) }
  }
}
