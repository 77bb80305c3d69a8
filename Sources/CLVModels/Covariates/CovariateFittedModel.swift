import CLVData
import CLVNumerics

/// A model fitted with customer attributes as covariates, as commands use it without knowing
/// the model: its attributes design and its coefficient statistics. Purchase models refine it
/// (``CovariateTransactionModel``), and so does the spend model (``CovariateSpendModel``).
public protocol CovariateFittedModel: ModelFileConvertible {
  /// The attributes used and their encoding (rebuilds z from an attributes file).
  var design: CovariateDesign { get }
  /// Names of the coefficients (`purchase.channel=web`, `spend.channel=web`), after the
  /// model's own parameters in ``FittedModel/parameterNames``.
  var coefficientNames: [String] { get }
  /// The log-likelihood of the nested model without covariates; nil when not recorded.
  var nestedLogLikelihood: Double? { get }
  /// λ of the L2 penalty on the coefficients (0: none).
  var covariateL2: Double { get }
}

extension CovariateFittedModel {
  /// The z-values γ/SE of the coefficients (the last ``coefficientNames`` count of
  /// ``FittedModel/parameterValues``); nil without standard errors, and with an L2 penalty (a
  /// penalized estimate has no Wald test).
  public var zValues: [Double]? {
    guard covariateL2 == 0, let se = fitReport?.standardErrors, se.count == parameterNames.count
    else { return nil }
    let k = parameterNames.count - coefficientNames.count
    return zip(parameterValues[k...], se[k...]).map { $0 / $1 }
  }

  /// Two-sided p-values 2 (1 − Φ(|z|)) of the Wald tests γ = 0; nil without standard errors.
  /// - Source: [CB2002] section 10.3.2 (Wald test).
  public var pValues: [Double]? {
    zValues?.map { 2 * StandardNormal.survival(abs($0)) }
  }

  /// The test against the nested model; nil without both log-likelihoods or with an L2
  /// penalty (a penalized fit is not a maximum-likelihood estimate).
  public var likelihoodRatioTest: LikelihoodRatioTest? {
    guard covariateL2 == 0, let full = fitReport?.logLikelihood, let nested = nestedLogLikelihood
    else { return nil }
    return LikelihoodRatioTest(
      logLikelihood: full, nestedLogLikelihood: nested,
      degreesOfFreedom: coefficientNames.count)
  }
}

/// A purchase model with covariates: a customer's model at their z.
public protocol CovariateTransactionModel: CovariateFittedModel {
  /// The model of a customer with covariates `z` (every prediction at θ(z)).
  func transactionModel(for z: [Double]) -> any TransactionModel
  /// The generative process of a customer with covariates `z`; nil when the model has none.
  func process(for z: [Double]) -> (any SimulatedPurchaseProcess)?
  /// The nested model without covariates fitted on the same customers; nil for a model read
  /// from a file (only its log-likelihood is stored).
  var nestedTransactionModel: (any TransactionModel)? { get }
  /// The model at other parameters (the model's own, then the free coefficients, in
  /// ``FittedModel/parameterNames`` order), without a fit report: a parameter draw.
  func withDrawnParameters(_ values: [Double]) -> any CovariateTransactionModel
  /// The model refitted on `rows` with frequency weights `weights` (a bootstrap resample) and
  /// covariates `covariates` (one vector per row), with this fit's design, L2 weight and
  /// `options`.
  /// - Throws: the fit's ``ModelError``.
  func refitted(
    _ rows: [RFMSummary.Row], weights: [Double], covariates: [[Double]], options: FitOptions
  ) throws -> any CovariateTransactionModel
}

/// A spend model with covariates (Gamma-Gamma, ``CovariateGammaGamma``): a customer's spend
/// model at their z.
public protocol CovariateSpendModel: CovariateFittedModel {
  /// The spend model of a customer with covariates `z` (every prediction at its own scale).
  func spendModel(for z: [Double]) -> any SpendModel
  /// The nested model without covariates fitted on the same customers; nil for a model read
  /// from a file.
  var nestedSpendModel: (any SpendModel)? { get }
}

/// The likelihood-ratio test of a covariate model against the nested model without covariates
/// (as CLVTools' `lrtest`): LR = 2 (log L − log L₀), χ² with as many degrees of freedom as
/// coefficients under the hypothesis that every coefficient is 0.
///
/// - Source: [CB2002] section 10.3.1 (Wilks' theorem).
public struct LikelihoodRatioTest: Codable, Sendable, Equatable {
  /// LR = 2 (log L − log L₀), at least 0.
  public var statistic: Double
  /// The number of free coefficients (restrictions of the nested model).
  public var degreesOfFreedom: Int
  /// P(χ²(df) ≥ LR).
  public var pValue: Double

  public init(statistic: Double, degreesOfFreedom: Int, pValue: Double) {
    self.statistic = statistic
    self.degreesOfFreedom = degreesOfFreedom
    self.pValue = pValue
  }

  /// The test of a fit with log-likelihood `logLikelihood` against its nested model with
  /// `nestedLogLikelihood`, `degreesOfFreedom` restrictions apart. The nested model is the
  /// full one at γ = 0, so LR ≥ 0 up to the optimizers' tolerance: a slightly negative
  /// difference is taken as 0.
  public init(logLikelihood: Double, nestedLogLikelihood: Double, degreesOfFreedom: Int) {
    let statistic = Swift.max(0, 2 * (logLikelihood - nestedLogLikelihood))
    self.init(
      statistic: statistic, degreesOfFreedom: degreesOfFreedom,
      pValue: ChiSquared.survival(statistic, degreesOfFreedom: Double(degreesOfFreedom)))
  }
}
