import CLVData

// MARK: - Covariates

extension ModelDescriptor {
  /// Whether the purchase model can be fitted with customer attributes as covariates (`clv
  /// train --attributes`; ``StaticCovariateModel``).
  public var fitsCovariates: Bool { covariateFitter != nil }

  /// Whether the spend model can be fitted with customer attributes as covariates (`clv train
  /// --attributes`; ``CovariateGammaGamma``).
  public var fitsSpendCovariates: Bool { spendCovariateFitter != nil }

  /// Whether `clv train --attributes` applies: a purchase or spend model with covariates.
  public var takesCovariates: Bool { fitsCovariates || fitsSpendCovariates }

  /// The processes the model's covariates act on (``covariateLinks``).
  public var covariateProcesses: Set<CovariateProcess> { Set(covariateLinks.map(\.process)) }

  /// Fits the spend model with static covariates (``CovariateGammaGamma/fit(_:covariates:design:covariateL2:options:)``).
  /// - Throws: the model's ``ModelError``; ``ModelError/unusableData(model:reason:)`` for a
  ///   model without spend covariates (``fitsSpendCovariates`` is false).
  public func fitSpend(
    _ rows: [RFMSummary.Row], covariates: [[Double]], design: CovariateDesign,
    covariateL2: Double = 0, options: FitOptions = FitOptions()
  ) throws -> any CovariateSpendModel {
    guard let spendCovariateFitter else {
      throw ModelError.unusableData(
        model: displayName, reason: "it is not a spend model with covariates")
    }
    return try spendCovariateFitter(rows, covariates, design, covariateL2, options)
  }

  /// Rebuilds a spend model with covariates from its file (one with `extra.covariates`).
  public func decodeCovariateSpendModel(
    _ file: ModelFile, path: String
  ) throws -> any CovariateSpendModel {
    guard let spendCovariateDecoder else {
      throw ModelError.invalidModelFile(
        path: path,
        reason: "\(id) is not a spend model with covariates but the file has 'extra.covariates'")
    }
    return try spendCovariateDecoder(file, path)
  }

  /// Fits the model with static covariates (``StaticCovariateModel/fit(_:weights:covariates:design:covariateL2:options:)``).
  /// - Throws: the model's ``ModelError``; ``ModelError/unusableData(model:reason:)`` for a
  ///   model without covariate support (``fitsCovariates`` is false).
  public func fit(
    _ rows: [RFMSummary.Row], covariates: [[Double]], design: CovariateDesign,
    covariateL2: Double = 0, options: FitOptions = FitOptions()
  ) throws -> any CovariateTransactionModel {
    guard let covariateFitter else {
      throw ModelError.unusableData(
        model: displayName,
        reason: "it takes no covariates (models with covariates: "
          + "\(ModelRegistry.list(ModelRegistry.all.filter(\.fitsCovariates).map(\.id))))")
    }
    return try covariateFitter(rows, covariates, design, covariateL2, options)
  }

  /// The covariate model with given parameters (in ``parameterNames`` order), design and
  /// coefficients (one vector per ``covariateLinks`` entry).
  /// - Throws: ``ModelError/unusableData(model:reason:)`` for a model without covariates or
  ///   vectors that do not match the design.
  public func covariateModel(
    parameters: [Double], design: CovariateDesign, coefficients: [[Double]]
  ) throws -> any CovariateTransactionModel {
    guard let covariateMaker else {
      throw ModelError.unusableData(model: displayName, reason: "it takes no covariates")
    }
    guard parameters.count == parameterNames.count, coefficients.count == covariateLinks.count,
      zip(covariateLinks, coefficients).allSatisfy({
        design.featureIndices(of: $0.process).count == $1.count
      })
    else {
      throw ModelError.unusableData(
        model: displayName, reason: "parameters or coefficients do not match the model")
    }
    return covariateMaker(parameters, design, coefficients)
  }

  /// Rebuilds a covariate model from its file (one with `extra.covariates`).
  public func decodeCovariateModel(
    _ file: ModelFile, path: String
  ) throws -> any CovariateTransactionModel {
    guard let covariateDecoder else {
      throw ModelError.invalidModelFile(
        path: path, reason: "\(id) takes no covariates but the file has 'extra.covariates'")
    }
    return try covariateDecoder(file, path)
  }
}

func covariateFitterOf<Base: CovariateFittable>(
  _: Base.Type
)
  -> @Sendable ([RFMSummary.Row], [[Double]], CovariateDesign, Double, FitOptions) throws ->
  any CovariateTransactionModel
{
  { rows, covariates, design, l2, options in
    try StaticCovariateModel<Base>.fit(
      rows, covariates: covariates, design: design, covariateL2: l2, options: options)
  }
}

func covariateDecoderOf<Base: CovariateFittable>(
  _: Base.Type
) -> @Sendable (ModelFile, String) throws -> any CovariateTransactionModel {
  { file, path in try StaticCovariateModel<Base>(modelFile: file, path: path) }
}

func covariateMakerOf<Base: CovariateFittable>(
  _: Base.Type
) -> @Sendable ([Double], CovariateDesign, [[Double]]) -> any CovariateTransactionModel {
  { parameters, design, coefficients in
    StaticCovariateModel<Base>(
      base: Base(parameters: parameters, fitReport: nil), design: design,
      coefficients: coefficients)
  }
}
