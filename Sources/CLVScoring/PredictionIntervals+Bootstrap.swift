import CLVData
import CLVModels

extension PredictionIntervals.Request {
  /// The request for `replicates` bootstrap refits ([ET1993] chapter 6; CLVTools'
  /// `uncertainty = "boots"`): the purchase model (and the spend model, on the same resample)
  /// refitted by its registry descriptor on resamples of the customers of `summary` drawn with
  /// replacement (``ParameterDraws/bootstrapWeights(rows:replicates:seed:)``), with the
  /// penalizer of the original fit. For small data: each replicate is a full fit.
  ///
  /// - Parameter summary: the customers, times in the model's unit (the data the model was
  ///   fitted on, for the intervals to mean what they say).
  /// - Throws: the first failing refit's ``ModelError``, prefixed with its replicate.
  public static func bootstrap(
    level: Double, replicates: Int, seed: UInt64, summary: RFMSummary,
    model: any TransactionModel, spend: (any SpendModel)?
  ) throws -> Self {
    let weights = ParameterDraws.bootstrapWeights(
      rows: summary.rows.count, replicates: replicates, seed: seed)
    return Self(
      level: level,
      transactions: try refitted(
        model, as: (any TransactionModel).self, summary: summary, weights: weights),
      spend: try spend.map { try refitSpend($0, summary: summary, weights: weights) })
  }

  /// The request for `replicates` bootstrap refits of a model with covariates: as
  /// ``bootstrap(level:replicates:seed:summary:model:spend:)``, each replicate refitting the
  /// model's parameters and coefficients (``CovariateTransactionModel/refitted(_:weights:covariates:options:)``:
  /// the same design, L2 weight and penalizer) on the resampled customers with their
  /// covariates, and the spend model on the same resample.
  ///
  /// - Parameters:
  ///   - summary: the customers, times in the model's unit; `covariates` their model and one
  ///     vector z per row of `summary`.
  /// - Throws: the first failing refit's ``ModelError``, prefixed with its replicate.
  public static func bootstrap(
    level: Double, replicates: Int, seed: UInt64, summary: RFMSummary,
    covariates: CustomerCovariates, spend: (any SpendModel)?
  ) throws -> Self {
    precondition(covariates.vectors.count == summary.rows.count, "one covariate vector per row")
    let weights = ParameterDraws.bootstrapWeights(
      rows: summary.rows.count, replicates: replicates, seed: seed)
    let model = covariates.model
    let name = type(of: model).modelName
    let options = FitOptions(penalizer: model.fitReport?.penalizer ?? 0)
    let models = try weights.enumerated().map { replicate, weights in
      do {
        return try model.refitted(
          summary.rows, weights: weights, covariates: covariates.vectors, options: options)
      } catch let error as ModelError {
        throw ModelError.unusableData(
          model: name,
          reason: "bootstrap replicate \(replicate + 1) of \(replicates) failed: \(error)")
      }
    }
    return Self(
      level: level, covariateModels: models,
      spend: try spend.map { try refitSpend($0, summary: summary, weights: weights) })
  }

  /// The spend model refitted by its registry descriptor on each resample of `weights`.
  static func refitSpend(
    _ model: any SpendModel, summary: RFMSummary, weights: [[Double]]
  ) throws -> [any SpendModel] {
    try refitted(model, as: (any SpendModel).self, summary: summary, weights: weights)
  }

  /// `model` refitted by its registry descriptor on each resample of `weights` (the penalizer
  /// of the original fit), each refit cast to `Kind`.
  /// - Throws: ``ModelError/unusableData(model:reason:)`` naming the failing replicate, or when
  ///   the model cannot be refitted.
  static func refitted<Kind>(
    _ model: any FittedModel, as _: Kind.Type, summary: RFMSummary, weights: [[Double]]
  ) throws -> [Kind] {
    let name = type(of: model).modelName
    guard let descriptor = ModelRegistry.descriptor(for: type(of: model).modelID),
      descriptor.fitsSummaries
    else {
      throw ModelError.unusableData(model: name, reason: "it cannot be refitted for the bootstrap")
    }
    let options = FitOptions(penalizer: model.fitReport?.penalizer ?? 0)
    return try weights.enumerated().map { replicate, resample in
      let fitted: any ModelFileConvertible
      do {
        fitted = try descriptor.fit(summary, weights: resample, options: options)
      } catch let error as ModelError {
        throw ModelError.unusableData(
          model: name,
          reason: "bootstrap replicate \(replicate + 1) of \(weights.count) failed: \(error)")
      }
      guard let typed = fitted as? Kind else {
        throw ModelError.unusableData(model: name, reason: "a refit is not of the model's kind")
      }
      return typed
    }
  }
}
