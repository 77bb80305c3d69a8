import CLVData
import CLVNumerics

/// A purchase model with static (time-invariant) covariates: each customer's parameters are the
/// model's parameters scaled by the customer's attributes z,
///
///     θⱼ(z) = θⱼ · exp(sⱼ · γⱼᵀ z_process(j))
///
/// for the parameters and signs of ``CovariateFittable/covariateLinks`` (BG/NBD, MBG/NBD:
/// αᵢ = α e^(−γ_purchaseᵀz), aᵢ = a e^(γ_dropout_aᵀz), bᵢ = b e^(γ_dropout_bᵀz); Pareto/NBD:
/// αᵢ = α e^(−γ_purchaseᵀz), βᵢ = β e^(−γ_dropoutᵀz)). Sign convention: a positive purchase
/// coefficient means more purchases (a smaller gamma scale α, a larger mean rate r/α); a
/// positive Pareto/NBD dropout coefficient means faster dropout (larger mean μ = s/β); for
/// the beta-geometric models a positive `dropout_a` coefficient raises, a positive `dropout_b`
/// coefficient lowers the mean dropout probability a/(a+b).
///
/// Every prediction of a customer is the model's own prediction at θ(z) (``model(for:)``);
/// with all coefficients 0 the model is exactly its base model (``base``), which holds the
/// parameters of a customer with z = 0 (numeric attributes 0, text attributes at their
/// reference level).
///
/// - Source: [FH2007-COV] (covariates through the gamma scale parameters, likelihood as the
///   model's own at the individual parameters); CLVTools `pnbd_staticcov_*`,
///   `bgnbd_staticcov_*` (parameterisation and signs).
public struct StaticCovariateModel<Base: CovariateFittable>: FittedModel {
  public static var modelName: String { Base.modelName }
  public static var modelID: String { Base.modelID }

  /// The parameters of the reference customer (z = 0).
  public var base: Base
  /// The attributes used and their encoding.
  public var design: CovariateDesign
  /// One vector per ``CovariateFittable/covariateLinks`` entry, over the features of its
  /// process (``CovariateDesign/featureIndices(of:)``).
  public var coefficients: [[Double]]
  /// The fit (standard errors over ``parameterNames``: the base parameters, then the
  /// coefficients); nil for given parameters.
  public var fitReport: FitReport?
  /// The log-likelihood of the same model without covariates on the same customers (the
  /// nested model of the likelihood-ratio test); nil when not fitted.
  public var nestedLogLikelihood: Double?
  /// The L2 weight λ of `--covariate-l2` (0: none).
  public var covariateL2: Double
  /// The nested model without covariates fitted on the same customers (its log-likelihood is
  /// ``nestedLogLikelihood``); nil when not fitted here (a model read from a file).
  public var nested: Base?

  public init(
    base: Base, design: CovariateDesign, coefficients: [[Double]], fitReport: FitReport? = nil,
    nestedLogLikelihood: Double? = nil, covariateL2: Double = 0, nested: Base? = nil
  ) {
    precondition(coefficients.count == Base.covariateLinks.count, "one vector per link")
    for (link, gamma) in zip(Base.covariateLinks, coefficients) {
      precondition(
        gamma.count == design.featureIndices(of: link.process).count,
        "one coefficient per feature of the \(link.process) process")
    }
    self.base = base
    self.design = design
    self.coefficients = coefficients
    self.fitReport = fitReport
    self.nestedLogLikelihood = nestedLogLikelihood
    self.covariateL2 = covariateL2
    self.nested = nested
  }

  /// Names of the free coefficients: `link.feature` (`purchase.channel=web`), then
  /// `shared.feature` for the features of ``CovariateDesign/sameCoefficientColumns`` (one
  /// coefficient for every link) (``CovariateDesign/coefficientLayout(_:)``).
  public var coefficientNames: [String] {
    Self.coefficientNames(design)
  }

  static func coefficientNames(_ design: CovariateDesign) -> [String] {
    design.coefficientLayout(Base.covariateLinks).names
  }

  /// The coefficient vectors of the links (``coefficients``) from the free coefficients
  /// (``coefficientNames`` order): a shared coefficient appears in every link.
  public static func coefficients(fromFree free: [Double], design: CovariateDesign) -> [[Double]] {
    design.coefficientLayout(Base.covariateLinks).index.map { $0.map { free[$0] } }
  }

  /// The free coefficients, in ``coefficientNames`` order.
  public var freeCoefficients: [Double] {
    let layout = design.coefficientLayout(Base.covariateLinks)
    var free = [Double](repeating: 0, count: layout.names.count)
    for (l, positions) in layout.index.enumerated() {
      for (q, j) in positions.enumerated() { free[j] = coefficients[l][q] }
    }
    return free
  }

  /// The base parameters, then the free coefficients.
  public var parameterNames: [String] { Base.parameterNames + coefficientNames }
  public var parameterValues: [Double] { base.parameterValues + freeCoefficients }
  /// The base parameters on the log scale, the coefficients on their own (they can be
  /// negative).
  public var logScaleParameters: [Bool] {
    [Bool](repeating: true, count: Base.parameterNames.count)
      + [Bool](repeating: false, count: coefficientNames.count)
  }

  /// The model with other parameters (the base parameters, then the free coefficients, in
  /// ``parameterNames`` order) and no fit report: what a parameter draw evaluates. A
  /// coefficient shared by several links (`--same-coefficient`) stays shared.
  public func withParameters(_ values: [Double]) -> Self {
    precondition(values.count == parameterNames.count, "one value per parameter")
    let k = Base.parameterNames.count
    return Self(
      base: Base(parameters: Array(values[0..<k]), fitReport: nil), design: design,
      coefficients: Self.coefficients(fromFree: Array(values[k...]), design: design),
      covariateL2: covariateL2)
  }

  /// The individual parameters θ(z) of a customer with covariates `z` (``CovariateDesign``
  /// feature order).
  public func parameters(for z: [Double]) -> [Double] {
    Self.parameters(base.parameterValues, coefficients: coefficients, design: design, z: z)
  }

  static func parameters(
    _ theta: [Double], coefficients: [[Double]], design: CovariateDesign, z: [Double]
  ) -> [Double] {
    var individual = theta
    for (link, gamma) in zip(Base.covariateLinks, coefficients) {
      let features = design.featureIndices(of: link.process)
      var dot = 0.0
      for (k, feature) in features.enumerated() { dot += gamma[k] * z[feature] }
      individual[link.parameter] *= Double.exp(link.sign * dot)
    }
    return individual
  }

  /// The model of a customer with covariates `z`: every prediction (P(alive), expected
  /// purchases, P(X(t) = n), time to the next purchase, the unconditional E[X(t)] of a new
  /// customer) is this model's.
  public func model(for z: [Double]) -> Base {
    Base(parameters: parameters(for: z), fitReport: nil)
  }

  /// Σ log-likelihood of the customers `rows` with covariates `covariates` (one vector per
  /// row), each at its individual parameters.
  public func logLikelihood(of rows: [RFMSummary.Row], covariates: [[Double]]) throws -> Double {
    var total = 0.0
    for (row, z) in zip(rows, covariates) { total += try model(for: z).logLikelihood(of: row) }
    return total
  }
}
