import CLVData

/// One vector of covariate coefficients γ: the model parameter θⱼ it scales, the process whose
/// attributes it reads, and the sign of the link
///
///     θⱼ(z) = θⱼ · exp(sign · γᵀ z_process)
///
/// - Source: [FH2007-COV] (time-invariant covariates through the scale parameters of the
///   gamma mixing distributions); CLVTools' static-covariate parameterisation (`alpha_i =
///   alpha · exp(−γ_trans z)`, `beta_i = beta · exp(−γ_life z)`, `a_i = a · exp(γ_life z)`,
///   `b_i = b · exp(γ_life z)`).
public struct CovariateLink: Sendable, Equatable {
  /// The prefix of the coefficients' names (`purchase` → `purchase.channel=web`).
  public var name: String
  /// Index of the scaled parameter in the model's parameter list.
  public var parameter: Int
  public var process: CovariateProcess
  /// +1 or −1.
  public var sign: Double

  public init(name: String, parameter: Int, process: CovariateProcess, sign: Double) {
    self.name = name
    self.parameter = parameter
    self.process = process
    self.sign = sign
  }
}

/// A purchase model that can be fitted with static covariates (``StaticCovariateModel``):
/// covariates scale some of its positive parameters (``covariateLinks``), and its likelihood on
/// collapsed rows, with the gradient in its own parameters, is all the covariate fit needs
/// (the gradient in the coefficients follows by the chain rule).
public protocol CovariateFittable: SummaryFittable, TransactionModel {
  /// The parameters that covariates scale, one coefficient vector each.
  static var covariateLinks: [CovariateLink] { get }
  /// The total weighted log-likelihood on `data` as a function of the parameters, writing
  /// ∂ log L / ∂θ into its second argument; `data` is prepared once.
  static func likelihood(on data: CollapsedRFM) -> @Sendable ([Double], inout [Double]) -> Double
  /// The model's own fit on collapsed rows (the nested model without covariates).
  static func fit(_ data: CollapsedRFM, options: FitOptions) throws -> Self
  /// sᵢ of lifetimes' penalizer c Σ (sᵢ θᵢ)² on `data` (see ``FitOptions/penalizer``).
  static func penaltyScales(_ data: CollapsedRFM) -> [Double]
}

extension BetaGeometricModel: CovariateFittable {
  /// αᵢ = α exp(−γ₁ᵀz) (purchase), aᵢ = a exp(γ₂ᵀz), bᵢ = b exp(γ₃ᵀz) (dropout). CLVTools'
  /// BG/NBD uses one dropout vector for a and b (γ₂ = γ₃, which leaves the mean dropout
  /// probability a/(a+b) unchanged); here they are separate.
  public static var covariateLinks: [CovariateLink] {
    [
      CovariateLink(name: "purchase", parameter: 1, process: .purchase, sign: -1),
      CovariateLink(name: "dropout_a", parameter: 2, process: .dropout, sign: 1),
      CovariateLink(name: "dropout_b", parameter: 3, process: .dropout, sign: 1),
    ]
  }

  public static func likelihood(
    on data: CollapsedRFM
  ) -> @Sendable ([Double], inout [Double]) -> Double {
    let kernel = self.kernel
    return { theta, gradient in kernel.logLikelihood(theta, data: data, gradient: &gradient) }
  }

  public static func penaltyScales(_ data: CollapsedRFM) -> [Double] {
    [1, 1 / data.maxAge, 1, 1]
  }
}

extension ParetoNBD: CovariateFittable {
  /// αᵢ = α exp(−γ_purchaseᵀz), βᵢ = β exp(−γ_dropoutᵀz): CLVTools' Pareto/NBD form.
  public static var covariateLinks: [CovariateLink] {
    [
      CovariateLink(name: "purchase", parameter: 1, process: .purchase, sign: -1),
      CovariateLink(name: "dropout", parameter: 3, process: .dropout, sign: -1),
    ]
  }

  public static func likelihood(
    on data: CollapsedRFM
  ) -> @Sendable ([Double], inout [Double]) -> Double {
    let prepared = ParetoNBDLikelihoodData(data)
    return { theta, gradient in
      let result = logLikelihoodWithGradient(theta, prepared: prepared)
      gradient = result.gradient
      return result.value
    }
  }

  public static func penaltyScales(_ data: CollapsedRFM) -> [Double] {
    [1, 1 / data.maxAge, 1, 1 / data.maxAge]
  }
}
