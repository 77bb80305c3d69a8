import CLVData
import CLVModels
import Foundation

/// `clv evaluate` on subscriber data: each contractual model (sBG, BdW) is fitted on the data as
/// of a calibration period and its projected survival curve compared with the one observed in
/// all the data (``RunFile/Retention``).
public enum ContractualEvaluation {
  /// What to evaluate.
  public struct Plan: Sendable {
    /// The input as named on the command line, its SHA-256.
    public var input: String
    public var sha256: String
    /// Model ids of kind ``ModelKind/contractual``.
    public var models: [String]
    /// The calibration's as-of period; the holdout runs to the data's last period.
    public var calibrationEnd: Int
    public var options: FitOptions
    /// Any failing model is an error (else it is recorded in the run file).
    public var strict: Bool
    public var runID: String?
    public var toolVersion: String

    public init(
      input: String, sha256: String, models: [String], calibrationEnd: Int,
      options: FitOptions = FitOptions(), strict: Bool = false, runID: String? = nil,
      toolVersion: String
    ) {
      self.input = input
      self.sha256 = sha256
      self.models = models
      self.calibrationEnd = calibrationEnd
      self.options = options
      self.strict = strict
      self.runID = runID
      self.toolVersion = toolVersion
    }
  }

  /// Fits each model of the plan on `data` as of ``Plan/calibrationEnd`` and measures its
  /// survival projection against the Kaplan–Meier curve of all the data; `report` hears each
  /// model's outcome.
  ///
  /// - Throws: ``DataError`` when the calibration end is not before the data's last period or
  ///   before the first start; the first model's error when every model fails, or any failure
  ///   with `strict`.
  public static func run(
    _ plan: Plan, data: SubscriberData, report: (ModelOutcome) -> Void = { _ in }
  ) throws -> RunFile {
    let last = data.lastPeriod
    guard plan.calibrationEnd < last else {
      throw DataError.invalidFile(
        file: data.file,
        reason: "the calibration end, period \(plan.calibrationEnd), leaves no holdout (the "
          + "data end at period \(last))")
    }
    let calibration = try data.durations(asOf: plan.calibrationEnd)
    let all = try data.durations()
    let tenures = all.longest
    let actual = all.kaplanMeier(through: tenures)
    var results: [RunFile.ModelResult] = []
    var firstFailure: (any Error)?
    for key in plan.models {
      let clock = ContinuousClock()
      let started = clock.now
      var outcome: ModelOutcome
      do {
        guard let descriptor = ModelRegistry.descriptor(for: key), descriptor.kind == .contractual
        else {
          throw EvaluationError.unusableSample(
            what: key,
            reason: "not a model of subscriber data (expected one of "
              + "\(ModelRegistry.list(ModelRegistry.ids(of: .contractual))))")
        }
        let model = try descriptor.fit(calibration, options: plan.options)
        let file = ModelFile(
          model: model, unit: .opportunity,
          data: ModelFile.DataSource(file: plan.input, sha256: plan.sha256),
          toolVersion: plan.toolVersion)
        var result = RunFile.ModelResult(modelFile: file)
        result.retention = retention(of: model, actual: actual, calibration: calibration.longest)
        outcome = ModelOutcome(
          key: key, result: result, failure: nil, seconds: seconds(clock.now - started))
      } catch {
        if plan.strict { throw error }
        firstFailure = firstFailure ?? error
        outcome = ModelOutcome(
          key: key, result: ModelEvaluation.failedResult(key, error: error), failure: error,
          seconds: seconds(clock.now - started))
      }
      report(outcome)
      results.append(outcome.result)
    }
    if let firstFailure, results.allSatisfy({ $0.error != nil }) { throw firstFailure }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return RunFile(
      run: plan.runID ?? "evaluate-period-\(plan.calibrationEnd)",
      createdAt: formatter.string(from: Date()),
      tool: RunFile.Tool(name: "clv", version: plan.toolVersion),
      data: RunFile.DataInfo(
        file: plan.input, sha256: plan.sha256, calibrationEnd: "period \(plan.calibrationEnd)",
        observationEnd: "period \(last)", unit: .opportunity,
        holdoutLength: Double(last - plan.calibrationEnd), customers: Int(all.subscribers)),
      models: results, ranking: RunFile.Ranking(ranking: results))
  }

  /// The survival curves and their errors: MAE of S(t) over the projected tenures
  /// (t > `calibration`) and over the calibration tenures 1 … `calibration`.
  public static func retention(
    of model: any ContractualModel, actual: [Double?], calibration: Int
  ) -> RunFile.Retention {
    let predicted = (0..<actual.count).map(model.survival)
    func mae(_ range: Range<Int>) -> Double? {
      let errors = range.compactMap { t in actual[t].map { abs($0 - predicted[t]) } }
      return errors.isEmpty ? nil : errors.reduce(0, +) / Double(errors.count)
    }
    let split = Swift.min(calibration + 1, actual.count)
    return RunFile.Retention(
      calibrationTenure: calibration, actualSurvival: actual, predictedSurvival: predicted,
      projectionMAE: mae(split..<actual.count), calibrationMAE: mae(1..<split),
      expectedLifetime: model.expectedLifetime)
  }

  private static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
  }
}
