import CLVData
import CLVNumerics

/// The Gamma-Gamma spend model with static covariates on the scale of the spend-rate
/// heterogeneity: each customer's ν ~ gamma(q, γᵢ) with
///
///     γᵢ = γ · exp(δᵀwᵢ)
///
/// (wᵢ: the customer's spend attributes, `--spend-covariates`), so that the population mean
/// spend per purchase of a customer with attributes w,
///
///     E[z | w] = p γ exp(δᵀw) / (q − 1),
///
/// is the reference customer's (w = 0) times exp(δᵀw): δₖ is the log of the multiplicative
/// effect of attribute k on mean spend (δ = 0.2: 22% more per purchase). Sign convention: a
/// positive coefficient means higher spend. p and q, and so the shape of the spend
/// distribution and the weight p x/(p x + q − 1) a customer's own mean gets, are shared.
///
/// Every prediction of a customer is plain Gamma-Gamma at (p, q, γᵢ) (``model(for:)``): with
/// δ = 0 the model is exactly its base model (``base``).
///
/// None of lifetimes, CLVTools or PyMC-Marketing offers covariates in the spend model; this
/// extension is built as a log-link gamma regression on the scale of the mixing distribution,
/// as [FH2007-COV] puts covariates on the gamma scale parameters of the purchase models.
///
/// - Source: [FHL2005b] section 4, [FH2013] eq. (1a), (5) (the model at γᵢ); [MN1989] chapter
///   8 (gamma regression with a log link: a covariate multiplies the mean); [FH2007-COV]
///   (covariates through a gamma mixing distribution's scale, by analogy).
public struct CovariateGammaGamma: FittedModel {
  public static var modelName: String { GammaGamma.modelName }
  public static var modelID: String { GammaGamma.modelID }
  /// The one covariate link: γᵢ = γ exp(+δᵀw) over the spend features.
  public static let covariateLinks = [
    CovariateLink(name: "spend", parameter: 2, process: .spend, sign: 1)
  ]

  /// The parameters of the reference customer (w = 0).
  public var base: GammaGamma
  /// The attributes used and their encoding (``CovariateDesign/spendColumns``).
  public var design: CovariateDesign
  /// δ, one coefficient per feature of the spend process
  /// (``CovariateDesign/featureIndices(of:)``).
  public var coefficients: [Double]
  /// The fit (standard errors over ``parameterNames``); nil for given parameters.
  public var fitReport: FitReport?
  /// The log-likelihood of plain Gamma-Gamma on the same customers; nil when not fitted.
  public var nestedLogLikelihood: Double?
  /// The L2 weight λ of `--covariate-l2` (0: none).
  public var covariateL2: Double
  /// Plain Gamma-Gamma fitted on the same customers; nil for a model read from a file.
  public var nested: GammaGamma?

  public init(
    base: GammaGamma, design: CovariateDesign, coefficients: [Double],
    fitReport: FitReport? = nil, nestedLogLikelihood: Double? = nil, covariateL2: Double = 0,
    nested: GammaGamma? = nil
  ) {
    precondition(
      coefficients.count == design.featureIndices(of: .spend).count,
      "one coefficient per spend feature")
    self.base = base
    self.design = design
    self.coefficients = coefficients
    self.fitReport = fitReport
    self.nestedLogLikelihood = nestedLogLikelihood
    self.covariateL2 = covariateL2
    self.nested = nested
  }

  /// `spend.FEATURE` per spend feature (``CovariateDesign/coefficientLayout(_:)``).
  public var coefficientNames: [String] { Self.coefficientNames(design) }

  static func coefficientNames(_ design: CovariateDesign) -> [String] {
    design.coefficientLayout(covariateLinks).names
  }

  /// p, q, γ, then δ.
  public var parameterNames: [String] { GammaGamma.parameterNames + coefficientNames }
  public var parameterValues: [Double] { base.parameterValues + coefficients }

  /// δᵀw over the spend features of `z` (``CovariateDesign/featureNames`` order).
  static func linearPredictor(_ delta: [Double], features: [Int], z: [Double]) -> Double {
    var dot = 0.0
    for (k, feature) in features.enumerated() { dot += delta[k] * z[feature] }
    return dot
  }

  /// γᵢ = γ exp(δᵀw) of a customer with covariates `z`.
  public func scale(for z: [Double]) -> Double {
    base.gamma
      * Double.exp(
        Self.linearPredictor(coefficients, features: design.featureIndices(of: .spend), z: z))
  }

  /// The spend model of a customer with covariates `z`: Gamma-Gamma at (p, q, γᵢ). Its
  /// ``GammaGamma/expectedAverageSpend(for:)`` is the customer's conditional expected spend
  /// and its ``GammaGamma/populationMeanSpend`` the mean of a new customer with `z`.
  public func model(for z: [Double]) -> GammaGamma {
    GammaGamma(p: base.p, q: base.q, gamma: scale(for: z))
  }

  /// Σ log-likelihood of the repeat buyers among `rows` (x > 0, z̄ > 0), each at γᵢ; the
  /// others are left out as plain Gamma-Gamma leaves them out.
  public func logLikelihood(of rows: [RFMSummary.Row], covariates: [[Double]]) -> Double {
    var total = 0.0
    for (row, z) in zip(rows, covariates) where GammaGamma.Data.isUsable(row) {
      total += model(for: z).logLikelihood(
        frequency: row.frequency, averageSpend: row.monetaryValue)
    }
    return total
  }
}

extension CovariateGammaGamma: CovariateSpendModel {
  public func spendModel(for z: [Double]) -> any SpendModel { model(for: z) }
  public var nestedSpendModel: (any SpendModel)? { nested }
}
