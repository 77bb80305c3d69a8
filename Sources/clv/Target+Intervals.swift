import ArgumentParser
import CLVData
import CLVModels
import CLVScoring

/// `--intervals` of `clv target` and, for replenishment lists, the models and options the
/// scores were made with (`notebooks-md/guides/intervals.md`, "Target lists").
struct TargetIntervalOptions: ParsableArguments {
  @Option(
    name: .customLong("intervals"),
    help: ArgumentHelp(
      """
      Give the list's value columns an equal-tailed interval of this coverage, e.g. 0.9 \
      (between 0 and 1, exclusive), in columns <column>_low,<column>_high after reason, and \
      print the list's total with the interval of the total at each draw on stderr. win-back: \
      p_reactivation, value_if_reactivated and expected_value, over draws of the backtest's \
      rates from their posteriors. replenishment: clv, over parameter draws of \
      --intervals-model and --spend-model (the files the scores were made with) (default: no intervals).
      """, valueName: "level"))
  var level: Double?

  @Option(help: "--intervals: the number of draws (default 200, at most 100000).")
  var draws: Int?

  @Option(
    name: .customLong("intervals-model"),
    help: """
      replenishment --intervals: the purchase model file the scores were made with (default: \
      --model, when the list is ranked by it; one of the two is required there).
      """)
  var model: String?

  @Option(
    help: """
      replenishment --intervals: the spend model file the scores were made with (required \
      there).
      """)
  var spendModel: String?

  @Option(
    help: ArgumentHelp(
      """
      replenishment --intervals: the --horizon the scores were made with (default 52w, as clv \
      score).
      """, valueName: "horizon"))
  var horizon: String?

  @Option(
    help: "replenishment --intervals: the --discount-rate the scores were made with (default 0).")
  var discountRate: Double?

  @Option(help: "replenishment --intervals: the --margin the scores were made with (default 1).")
  var margin: Double?

  /// Throws `ValidationError` (exit 64) for a bad level or count, or an option that does not
  /// apply to `campaign`.
  /// `rankingModel` is `clv target --model` (the replenishment ranking's purchase model), the
  /// default of `--intervals-model`.
  func check(campaign: Target.Campaign, rankingModel: String?) throws {
    try IntervalOptions.check(level: level, draws: draws)
    let scoring = [
      (model != nil, "--intervals-model"), (spendModel != nil, "--spend-model"),
      (horizon != nil, "--horizon"), (discountRate != nil, "--discount-rate"),
      (margin != nil, "--margin"),
    ]
    guard campaign == .replenishment, level != nil else {
      for (given, name) in scoring where given {
        throw ValidationError("\(name) applies to --campaign replenishment --intervals only")
      }
      return
    }
    guard model ?? rankingModel != nil, spendModel != nil else {
      throw ValidationError(
        "--campaign replenishment --intervals needs --intervals-model (or --model) and --spend-model, the files the "
          + "scores were made with (the clv is recomputed at each parameter draw)")
    }
    if let horizon, Horizon(horizon) == nil {
      throw ValidationError(
        "--horizon must be a number ≥ 0 with an optional unit (52w, 12m, 365d, 1y); got "
          + "'\(horizon)'")
    }
    if let discountRate, !(discountRate.isFinite && discountRate > -1) {
      throw ValidationError("--discount-rate must be a number > -1; got \(discountRate)")
    }
    if let margin, !margin.isFinite {
      throw ValidationError("--margin must be a number; got \(margin)")
    }
  }

  /// `,<column>_low,<column>_high…` for the list header, empty without `--intervals`.
  func header(_ columns: [String]) -> String {
    level == nil ? "" : "," + ListIntervals.csvHeader(of: columns)
  }

  /// The intervals of a replenishment list (nil without `--intervals`).
  func replenishment(
    _ entries: [ReplenishmentEntry], seed: UInt64, file: String, rankingModel: String?
  ) throws -> ListIntervals? {
    guard let level, let model = model ?? rankingModel, let spendModel else { return nil }
    let (modelFile, transactions) = try ModelFile.readTransactionModel(from: model)
    let (spendFile, spend) = try ModelFile.readSpendModel(from: spendModel)
    try IntervalOptions.requireCovariance(modelFile, path: model)
    try IntervalOptions.requireCovariance(spendFile, path: spendModel)
    // The scores' times are in the model's unit: a bare number is in that unit.
    let unit = modelFile.unit?.timeUnit
    let length = try Score.horizonLength(horizon, modelUnit: unit, dataUnit: unit)
    let request = try PredictionIntervals.Request.asymptotic(
      level: level, count: draws ?? IntervalOptions.defaultDraws, seed: seed,
      model: transactions, spend: spend)
    return try ReplenishmentCampaign.intervals(
      of: entries, model: transactions, spend: spend, request: request, horizon: length,
      discountRate: discountRate ?? 0, margin: margin ?? 1, file: file)
  }

  /// The list's total with its interval on stderr (nothing without intervals).
  static func printTotal(_ intervals: ListIntervals?, of column: String, count: Int) {
    guard let intervals else { return }
    var stderr = StandardError()
    print(
      "clv: target: \(count) customers; " + intervals.totalDescription(of: column), to: &stderr)
  }
}
