import CLVData
import CLVModels

/// `clv train --model auto`: the purchase model chosen on the user's own data.
///
///     period     [F, E]: F the first order date, E the last day of the training data
///                (the calibration end when one is given, else the observation end)
///     holdout    h = max(⌈(E − F) / 3⌉, 56) days: the last third of the period, at least 8 weeks
///     split      D = E − h; the candidates are fitted on the orders up to D (customers
///                acquired by D) and predict each customer's purchases in (D, E]
///     too short  E − F − h < 56 days (a calibration period of less than 8 weeks, i.e. a
///                period shorter than 16 weeks): an error (exit 65) that asks for a named model
///     candidates every purchase model of the ``ModelRegistry`` fitted on customer summaries in
///                calendar time (``candidateKeys``); a candidate that fails is recorded with its
///                error and the others are kept
///     metric     RMSE of the per-customer holdout purchase counts (``HoldoutEvaluation/Accuracy``)
///     choice     the smallest RMSE; ties go to the first in registry order
///     refit      the winner is refitted on all the data [F, E]; if that fit fails, the next
///                best candidate is refitted, and so on
///
/// Why RMSE: each model predicts the conditional expectation E[X(D, E] | x, tₓ, T], and the
/// squared error is the scoring function for which the expectation is the optimal point
/// forecast, so the model whose expectations are closest to the truth wins on average; the
/// absolute error is optimal for the median instead, and on count data where most customers
/// buy nothing in the holdout it rewards the model that predicts too few purchases ([G2011];
/// [HK2006] on MAE and RMSE). The aggregate tracking error would judge
/// only the sum over customers, which a model can match while ranking customers badly.
///
/// - Source: the calibration/holdout validation of [FHL2005a] section 4 (CDNOW: 39 + 39 weeks);
///   the one-third share and the 8-week minimum are product decisions of clvkit.
public enum ModelSelection {
  /// The shortest holdout, and the shortest calibration period, in days (8 weeks).
  public static let minimumDays = 56
  /// The metric key recorded in the model file.
  public static let metric = "rmse"

  /// The split and selection rule in words, as the model file records it.
  public static let rule =
    "holdout = the last third of the period, at least 56 days; calibration at least 56 days; "
    + "candidates fitted on the calibration period; smallest RMSE of per-customer holdout "
    + "purchases wins (ties: registry order); the winner is refitted on the whole period"

  /// The calibration end and holdout of the comparison.
  public struct Split: Sendable, Equatable {
    public var calibrationEnd: Day
    public var observationEnd: Day
    public var holdoutDays: Int
  }

  /// The split of the period [`firstDate`, `end`] (see the rule above).
  /// - Throws: ``EvaluationError/unusableSample(what:reason:)`` (exit 65) when the period is
  ///   too short for a calibration period and a holdout of 8 weeks each.
  public static func split(firstDate: Day, end: Day) throws -> Split {
    let span = end - firstDate
    let holdout = max(minimumDays, (span + 2) / 3)
    guard span - holdout >= minimumDays else {
      throw EvaluationError.unusableSample(
        what: "--model auto",
        reason: "the orders span \(max(span, 0)) days (\(firstDate) to \(end)); choosing a model "
          + "needs at least \(2 * minimumDays) days (a calibration period and a holdout of 8 "
          + "weeks each): name a model with --model")
    }
    return Split(calibrationEnd: end - holdout, observationEnd: end, holdoutDays: holdout)
  }

  /// The candidates: the purchase models of the ``ModelRegistry`` that are fitted on customer
  /// summaries in calendar time (not BG/BB, whose opportunities need the donations layout), and
  /// without inter-purchase times (not (M)BG/CNBD-k: twelve fits each over k; compare them
  /// with `clv evaluate --models`).
  public static var candidateKeys: [String] {
    ModelRegistry.all.filter {
      $0.kind == .purchase && $0.fitsSummaries && $0.timeScale == .calendar
        && !$0.needs.contains(.wholePeriods) && !$0.needs.contains(.interPurchaseTimes)
    }.map(\.id)
  }

  /// Each candidate's holdout error on `sample`, in the order of `keys`: a candidate that fails
  /// is recorded with its error, never dropping the others.
  ///
  /// - Throws: the first candidate's error when every candidate failed.
  public static func compare(
    _ keys: [String] = candidateKeys, on sample: EvaluationSample,
    options: EvaluationOptions = EvaluationOptions(),
    progress: (ModelOutcome) -> Void = { _ in }
  ) throws -> [ModelFile.Selection.Candidate] {
    var sample = sample
    sample.daily = nil  // no tracking series: the choice uses per-customer counts only
    let results = try ModelEvaluation.evaluateEach(
      keys, on: sample, options: options, progress: progress)
    return results.map { result in
      guard let holdout = result.holdout, result.error == nil else {
        return .init(model: result.model, error: result.error ?? "no holdout measures")
      }
      return .init(
        model: result.model, rmse: holdout.rmse, mae: holdout.mae,
        predicted: holdout.predictedTotal, actual: holdout.actualTotal)
    }
  }

  /// The candidates with a holdout error, best first: by RMSE, ties in the given order.
  public static func ranked(
    _ candidates: [ModelFile.Selection.Candidate]
  ) -> [ModelFile.Selection.Candidate] {
    candidates.enumerated().compactMap { index, candidate in
      candidate.rmse.map { (index, $0, candidate) }
    }
    .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
    .map(\.2)
  }

  /// What ``select(path:format:unit:firstDate:end:all:weights:candidates:options:progress:)``
  /// returns.
  public struct Outcome: Sendable {
    /// The chosen model refitted on all the data.
    public var model: any ModelFileConvertible
    public var descriptor: ModelDescriptor
    /// The comparison, for the model file's `selection`.
    public var selection: ModelFile.Selection
  }

  /// Chooses a purchase model for the order log at `path`: compares `candidates` on the split
  /// of [`firstDate`, `end`] and refits the best on `all` (the customer summaries of the whole
  /// period, as `clv train` read them).
  ///
  /// - Parameters:
  ///   - candidates: model ids (default ``candidateKeys``, what `--model auto` compares).
  ///   - options: the fits' penalizer, degenerate policy, time limit and progress.
  ///   - progress: called after each candidate's comparison fit.
  /// - Throws: ``EvaluationError/unusableSample(what:reason:)`` for a period too short;
  ///   `DataError` from reading; the first candidate's error when all failed; the last refit's
  ///   error when no candidate could be refitted.
  public static func select(
    path: String, format: OrderLogFormat, unit: TimeUnit, firstDate: Day, end: Day,
    all: RFMSummary, weights: [Double]? = nil, candidates keys: [String] = candidateKeys,
    options: EvaluationOptions, progress: (ModelOutcome) -> Void = { _ in }
  ) throws -> Outcome {
    let split = try split(firstDate: firstDate, end: end)
    let summaries = try CustomerSummaries.read(
      orders: path, format: format,
      period: SummaryPeriod(
        unit: unit, observationEnd: split.observationEnd, calibrationEnd: split.calibrationEnd))
    guard let sample = EvaluationSample(summaries) else {
      throw EvaluationError.unusableSample(
        what: "--model auto", reason: "\(path) is not an order log with dates")
    }
    let candidates = try compare(keys, on: sample, options: options, progress: progress)
    let fitOptions = FitOptions(
      penalizer: options.penalizer, allowDegenerate: options.allowDegenerate,
      timeLimit: options.fitTimeLimit, progress: options.fitProgress)
    var refitFailures: [ModelFile.Selection.Candidate] = []
    var lastError: (any Error)?
    for candidate in ranked(candidates) {
      guard let descriptor = ModelRegistry.descriptor(for: candidate.model) else { continue }
      do {
        let model = try descriptor.fit(all, weights: weights, options: fitOptions)
        let selection = ModelFile.Selection(
          metric: metric, calibrationEnd: split.calibrationEnd.description,
          observationEnd: split.observationEnd.description, holdoutDays: split.holdoutDays,
          customers: sample.rows.count, rule: rule, chosen: candidate.model,
          candidates: candidates, refitFailures: refitFailures)
        return Outcome(model: model, descriptor: descriptor, selection: selection)
      } catch {
        lastError = error
        var failed = candidate
        failed.error = "refit on the whole period: \(error)"
        refitFailures.append(failed)
      }
    }
    throw lastError
      ?? EvaluationError.unusableSample(what: "--model auto", reason: "no candidate model")
  }
}
