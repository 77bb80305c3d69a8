import CLVModels

// MARK: - Purchase models with covariates

extension RunFile {
  /// A purchase model fitted with customer attributes as covariates (`clv evaluate
  /// --attributes FILE`): its coefficient table, the likelihood-ratio test against the nested
  /// model without covariates (as CLVTools' `lrtest`), and the holdout accuracy of both models,
  /// so that a reader sees whether the covariates improve the holdout predictions. Absent in
  /// older files and for models fitted without covariates.
  public struct Covariates: Codable, Sendable, Equatable {
    /// The attributes file as given on the command line.
    public var attributes: String
    /// One entry per coefficient, in the model file's order.
    public var coefficients: [CovariateCoefficient]
    /// λ of the L2 penalty on the coefficients (`--covariate-l2`); with λ > 0 there are no z-
    /// and p-values and no likelihood-ratio test.
    public var covariateL2: Double
    /// The calibration log-likelihood of the model with covariates.
    public var logLikelihood: Double?
    /// The calibration log-likelihood of the nested model without covariates, fitted on the
    /// same customers.
    public var nestedLogLikelihood: Double?
    /// LR = 2 (log L − log L₀) against χ²(df), df the number of free coefficients; nil with an
    /// L2 penalty (a penalized fit is not a maximum-likelihood estimate).
    public var likelihoodRatioTest: LikelihoodRatioTest?
    /// The holdout accuracy of the nested model, measured as the model's own ``Holdout`` on the
    /// same customers; nil when the nested model was not available.
    public var nestedHoldout: NestedHoldout?

    public init(
      attributes: String, coefficients: [CovariateCoefficient], covariateL2: Double,
      logLikelihood: Double?, nestedLogLikelihood: Double?,
      likelihoodRatioTest: LikelihoodRatioTest?, nestedHoldout: NestedHoldout?
    ) {
      self.attributes = attributes
      self.coefficients = coefficients
      self.covariateL2 = covariateL2
      self.logLikelihood = logLikelihood
      self.nestedLogLikelihood = nestedLogLikelihood
      self.likelihoodRatioTest = likelihoodRatioTest
      self.nestedHoldout = nestedHoldout
    }
  }

  /// One covariate coefficient: its estimate and, without an L2 penalty, its standard error,
  /// Wald z = γ/SE and two-sided p-value 2 (1 − Φ(|z|)).
  public struct CovariateCoefficient: Codable, Sendable, Equatable {
    /// `link.feature`, e.g. `purchase.channel=web` (``StaticCovariateModel``).
    public var name: String
    public var estimate: Double
    public var standardError: Double?
    public var z: Double?
    public var pValue: Double?

    public init(
      name: String, estimate: Double, standardError: Double? = nil, z: Double? = nil,
      pValue: Double? = nil
    ) {
      self.name = name
      self.estimate = estimate
      self.standardError = standardError
      self.z = z
      self.pValue = pValue
    }
  }

  /// The holdout error of the nested model without covariates, on the same customers and
  /// holdout as the covariate model's ``Holdout``.
  public struct NestedHoldout: Codable, Sendable, Equatable {
    public var mae: Double
    public var rmse: Double
    public var predictedTotal: Double

    public init(mae: Double, rmse: Double, predictedTotal: Double) {
      self.mae = mae
      self.rmse = rmse
      self.predictedTotal = predictedTotal
    }
  }
}

extension RunFile.Covariates {
  /// The table of `model`'s coefficients, its test against the nested model and the nested
  /// model's holdout accuracy (`nestedHoldout`).
  public init(
    _ model: any CovariateTransactionModel, attributes: String,
    nestedHoldout: RunFile.NestedHoldout?
  ) {
    let names = model.coefficientNames
    let k = model.parameterNames.count - names.count
    let values = Array(model.parameterValues[k...])
    let errors = model.fitReport?.standardErrors.flatMap {
      $0.count == model.parameterNames.count ? Array($0[k...]) : nil
    }
    let z = model.zValues
    let p = model.pValues
    let penalized = model.covariateL2 > 0
    self.init(
      attributes: attributes,
      coefficients: names.indices.map { i in
        RunFile.CovariateCoefficient(
          name: names[i], estimate: values[i],
          standardError: penalized ? nil : errors?[i].nonFinite(as: nil), z: z?[i],
          pValue: p?[i])
      },
      covariateL2: model.covariateL2, logLikelihood: model.fitReport?.logLikelihood,
      nestedLogLikelihood: model.nestedLogLikelihood,
      likelihoodRatioTest: model.likelihoodRatioTest, nestedHoldout: nestedHoldout)
  }

  /// RMSE of the covariate model minus that of the nested model (negative: the covariates
  /// improve the holdout predictions); nil without either.
  public func rmseChange(holdout: RunFile.Holdout?) -> Double? {
    guard let holdout, let nestedHoldout else { return nil }
    return holdout.rmse - nestedHoldout.rmse
  }
}

extension Double {
  /// The value, or `replacement` when it is not finite.
  fileprivate func nonFinite(as replacement: Double?) -> Double? {
    isFinite ? self : replacement
  }
}
