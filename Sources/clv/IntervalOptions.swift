import ArgumentParser
import CLVData
import CLVModels
import CLVScoring

/// `--intervals`, `--draws` and `--bootstrap` of `clv score` (and `--intervals`, `--draws` of
/// `clv evaluate`): per-prediction intervals from parameter draws
/// (`notebooks-md/guides/intervals.md`).
struct IntervalOptions: ParsableArguments {
  static let defaultDraws = 200

  @Option(
    name: .customLong("intervals"),
    help: ArgumentHelp(
      """
      Add an equal-tailed interval of this coverage to every prediction, e.g. 0.9 (between 0 \
      and 1, exclusive): the 5th and 95th percentiles of the prediction over parameter draws \
      from the fit's asymptotic normal of the log-parameters (the model file's \
      logParameterCovariance; a model with covariates draws its coefficients with them and \
      scores each customer at their own parameters) (default: no intervals).
      """, valueName: "level"))
  var level: Double?

  @Option(help: "--intervals: the number of parameter draws (default 200, at most 100000).")
  var draws: Int?

  @Option(
    help: """
      --intervals: refit the models on N resamples of the customers instead of drawing from the \
      normal approximation (CLVTools' bootstrap; slow, for small data; at most 10000).
      """)
  var bootstrap: Int?

  /// Throws `ValidationError` (exit 64) for a bad level, count or combination.
  func check(seedGiven: Bool) throws {
    guard let level else {
      for (given, name) in [
        (draws != nil, "--draws"), (bootstrap != nil, "--bootstrap"), (seedGiven, "--seed"),
      ] where given {
        throw ValidationError("\(name) applies with --intervals LEVEL only")
      }
      return
    }
    try Self.check(level: level, draws: draws)
    if let bootstrap {
      guard (2...10_000).contains(bootstrap) else {
        throw ValidationError("--bootstrap must be between 2 and 10000; got \(bootstrap)")
      }
      if draws != nil { throw ValidationError("give --draws or --bootstrap, not both") }
    }
  }

  /// The checks of `--intervals LEVEL` and `--draws N` that `clv score`, `clv evaluate` and
  /// `clv target` share: throws `ValidationError` (exit 64) for a level outside (0, 1), a
  /// count outside 2...100000, or `--draws` without `--intervals`.
  static func check(level: Double?, draws: Int?) throws {
    guard let level else {
      if draws != nil { throw ValidationError("--draws applies with --intervals LEVEL only") }
      return
    }
    guard level.isFinite, level > 0, level < 1 else {
      throw ValidationError(
        "--intervals must be a coverage between 0 and 1 (exclusive), e.g. 0.9; got \(level)")
    }
    if let draws, !(2...100_000).contains(draws) {
      throw ValidationError("--draws must be between 2 and 100000; got \(draws)")
    }
  }

  /// Throws ``ModelError/invalidModelFile(path:reason:)`` (exit 65) when `file` has no
  /// log-parameter covariance to draw from.
  static func requireCovariance(_ file: ModelFile, path: String) throws {
    guard file.logParameterCovariance != nil else {
      throw ModelError.invalidModelFile(
        path: path,
        reason: "has no 'logParameterCovariance' to draw intervals from (written by an older "
          + "clv train, or a fit without standard errors): retrain it, or use --bootstrap N")
    }
  }

  /// The draws for `clv score`: bootstrap refits on `summary` (times in the model's unit) or
  /// draws from the files' covariances; nil without `--intervals`. With `covariates` (a model
  /// with covariates and the customers' vectors, in the order of `summary`'s rows) the draws
  /// are of that model, parameters and coefficients together.
  func request(
    seed: UInt64, model: (file: ModelFile, path: String, model: any TransactionModel),
    spend: (file: ModelFile, path: String, model: any SpendModel)?,
    covariates: CustomerCovariates? = nil, summary: @autoclosure () -> RFMSummary
  ) throws -> PredictionIntervals.Request? {
    guard let level else { return nil }
    if let bootstrap {
      if let covariates {
        return try .bootstrap(
          level: level, replicates: bootstrap, seed: seed, summary: summary(),
          covariates: covariates, spend: spend?.model)
      }
      return try .bootstrap(
        level: level, replicates: bootstrap, seed: seed, summary: summary(), model: model.model,
        spend: spend?.model)
    }
    try Self.requireCovariance(model.file, path: model.path)
    if let spend { try Self.requireCovariance(spend.file, path: spend.path) }
    if let covariates {
      guard covariates.model.fitReport?.logParameterCovariance != nil else {
        throw ModelError.invalidModelFile(
          path: model.path,
          reason: "its 'logParameterCovariance' was written before clv kept the covariate "
            + "coefficients on their own scale in it (extra.covariates."
            + "coefficientCovarianceScale): retrain it, or use --bootstrap N")
      }
      return try .asymptotic(
        level: level, count: draws ?? Self.defaultDraws, seed: seed,
        covariateModel: covariates.model, spend: spend?.model)
    }
    return try .asymptotic(
      level: level, count: draws ?? Self.defaultDraws, seed: seed, model: model.model,
      spend: spend?.model)
  }
}
