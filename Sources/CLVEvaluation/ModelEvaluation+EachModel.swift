import CLVData
import CLVModels

/// One model's outcome in ``ModelEvaluation/evaluateEach(_:on:options:strict:progress:)``.
public struct ModelOutcome: Sendable {
  /// The model key.
  public var key: String
  /// The run-file entry: the measured model, or the failure (``RunFile/ModelResult/error``).
  public var result: RunFile.ModelResult
  /// The error when the model failed.
  public var failure: (any Error)?
  /// Wall-clock seconds of the fit and the measures.
  public var seconds: Double
}

extension ModelEvaluation {
  /// Evaluates each model of `keys` on its own, in order: a model that fails (unusable data,
  /// no convergence, a constant feature, separation, …) is recorded as an entry with its
  /// ``RunFile/ModelResult/error`` and the others are kept.
  ///
  /// - Parameters:
  ///   - strict: the first failure, or a degenerate fit, is thrown instead of recorded.
  ///   - progress: called after each model (for a progress line or a warning).
  /// - Returns: one entry per key, in order.
  /// - Throws: with `strict`, the first failure; otherwise the first model's error when every
  ///   model failed (nothing would be left to compare).
  public static func evaluateEach(
    _ keys: [String], on sample: EvaluationSample, options: EvaluationOptions,
    strict: Bool = false, progress: (ModelOutcome) -> Void = { _ in }
  ) throws -> [RunFile.ModelResult] {
    let clock = ContinuousClock()
    var results: [RunFile.ModelResult] = []
    var firstFailure: (any Error)?
    for key in keys {
      let started = clock.now
      var outcome: ModelOutcome
      do {
        let result = try evaluate(key, on: sample, options: options)
        if strict, result.fit?.degenerate == true {
          throw ModelError.degenerateFit(
            model: result.name ?? key, reason: result.fit?.reason ?? "degenerate")
        }
        outcome = ModelOutcome(
          key: key, result: result, failure: nil, seconds: (clock.now - started) / .seconds(1))
      } catch {
        if strict { throw error }
        firstFailure = firstFailure ?? error
        outcome = ModelOutcome(
          key: key, result: failedResult(key, error: error), failure: error,
          seconds: (clock.now - started) / .seconds(1))
      }
      progress(outcome)
      results.append(outcome.result)
    }
    if let firstFailure, results.allSatisfy({ $0.error != nil }) { throw firstFailure }
    return results
  }

  /// The run-file entry of a model that failed: its key, display name and the error's one-line
  /// description; no parameters, no measures.
  public static func failedResult(_ key: String, error: any Error) -> RunFile.ModelResult {
    let message = String(describing: error)
    return RunFile.ModelResult(
      model: key, name: ModelRegistry.descriptor(for: key)?.displayName, parameters: [:],
      error: message)
  }

  /// What a purchase-model fit says about the data. A degenerate fit (kept, flagged
  /// `fit.degenerate`) whose P(alive) is at least 0.99 for 99% of the customers is the finding
  /// "nobody churns within this history": the likelihood is largest with no dropout at all
  /// (BG/NBD, MBG/NBD: a/(a+b) → 0; Pareto/NBD: s/β → 0), as on a short history in which every
  /// customer is still buying. Any other degenerate fit is reported with its reason.
  ///
  /// - Parameter alive: P(alive) at the calibration end, one per customer.
  public static func findings(of report: FitReport?, alive: [Double]) -> [String]? {
    guard let report, report.degenerate else { return nil }
    let reason = report.reason ?? "degenerate"
    let stillAlive = alive.reduce(0) { $0 + ($1 >= 0.99 ? 1 : 0) }
    if !alive.isEmpty, Double(stillAlive) >= 0.99 * Double(alive.count) {
      let share = Double(stillAlive) / Double(alive.count)
      return [
        "nobody churns within this history: P(alive) ≥ 0.99 for "
          + "\(String(format: "%.1f", 100 * share))% of the customers; the fit is degenerate "
          + "(\(reason)) and its dropout parameters mean nothing"
      ]
    }
    return ["degenerate fit kept: \(reason)"]
  }

  /// The churn measures of a purchase model's P(no purchase in the holdout); nil with a finding
  /// when every customer has the same label (AUC and lift are undefined: nobody, or everybody,
  /// bought in the holdout), so that the purchase-count measures are kept.
  static func churnMeasures(
    _ noPurchase: [Double], churned: [Bool], what: String, findings: inout [String]?
  ) throws -> RunFile.Churn? {
    let churners = churned.reduce(0) { $0 + ($1 ? 1 : 0) }
    if !churned.isEmpty, churners == 0 || churners == churned.count {
      findings =
        (findings ?? []) + [
          churners == 0
            ? "no churn measures: every customer bought in the holdout"
            : "no churn measures: nobody bought in the holdout"
        ]
      return nil
    }
    return try ChurnMetrics.evaluate(
      probabilities: noPurchase, churned: churned, what: what,
      score: "P(no purchase in holdout)", validation: .holdout)
  }
}

extension RunFile.ModelResult {
  /// The display name the ``ModelRegistry`` gives this entry's model key; nil for a key it does
  /// not know (a run file from another version).
  public var registeredName: String? { ModelRegistry.descriptor(for: model)?.displayName }

  /// Whether every parameter of the entry's model is positive (intervals on the log scale), as
  /// the ``ModelRegistry`` says; true for a key it does not know.
  public var hasPositiveParameters: Bool {
    ModelRegistry.descriptor(for: model)?.positiveParameters ?? true
  }
}
