import CLVData
import CLVNumerics

extension StaticCovariateModel {
  /// Total log-likelihood of grouped data and its gradient in (θ, γ) (base parameters, then the
  /// free coefficients in ``coefficientNames`` order):
  ///
  ///     log L(θ, γ) = Σ_g log L_model(θ(z_g) | group g)
  ///     ∂ log L/∂θⱼ = Σ_g (∂ log L_model/∂θⱼ)(θ(z_g)) · θⱼ(z_g)/θⱼ
  ///     ∂ log L/∂γₘ = Σ_g Σ_{(l,k) → m} (∂ log L_model/∂θⱼ₍ₗ₎)(θ(z_g)) · sₗ θⱼ₍ₗ₎(z_g) · z_gk
  ///
  /// (the chain rule through θⱼ(z) = θⱼ exp(sₗ γₗᵀz); the model's own analytic gradient gives
  /// the first factor). A free coefficient m shared by several links (an equality constraint,
  /// `--same-coefficient`) collects the terms of every (link l, feature k) it stands for.
  ///
  /// - Source: [FH2007-COV] (the likelihood); derivatives by the chain rule.
  public static func logLikelihood(
    _ parameters: [Double], groups: CovariateGroups, design: CovariateDesign,
    gradient: inout [Double]
  ) -> Double {
    let likelihoods = groups.data.map { Base.likelihood(on: $0) }
    return logLikelihood(
      parameters, groups: groups, likelihoods: likelihoods, design: design, gradient: &gradient)
  }

  static func logLikelihood(
    _ parameters: [Double], groups: CovariateGroups,
    likelihoods: [@Sendable ([Double], inout [Double]) -> Double], design: CovariateDesign,
    gradient: inout [Double]
  ) -> Double {
    let k = Base.parameterNames.count
    let links = Base.covariateLinks
    let features = links.map { design.featureIndices(of: $0.process) }
    let layout = design.coefficientLayout(links).index
    let theta = Array(parameters[0..<k])
    let coefficients = layout.map { $0.map { parameters[k + $0] } }
    if gradient.count != parameters.count {
      gradient = [Double](repeating: 0, count: parameters.count)
    } else {
      for i in gradient.indices { gradient[i] = 0 }
    }
    var total = 0.0
    var g = [Double](repeating: 0, count: k)
    for (group, z) in groups.covariates.enumerated() {
      let individual = Self.parameters(theta, coefficients: coefficients, design: design, z: z)
      total += likelihoods[group](individual, &g)
      for j in 0..<k { gradient[j] += g[j] * individual[j] / theta[j] }
      for (l, link) in links.enumerated() {
        let factor = g[link.parameter] * link.sign * individual[link.parameter]
        for (q, feature) in features[l].enumerated() {
          gradient[k + layout[l][q]] += factor * z[feature]
        }
      }
    }
    return total
  }

  /// Fits the model with covariates by maximum likelihood, starting from the fit without
  /// covariates (its estimate and all coefficients 0), whose log-likelihood is kept for the
  /// likelihood-ratio test (``nestedLogLikelihood``).
  ///
  /// The objective is −log L/N + c Σ (sᵢθᵢ)² + λ Σ γ² (c: `options.penalizer` on the model's
  /// parameters as without covariates; λ: `covariateL2` on the coefficients). Standard errors
  /// come from the Hessian of the total objective over (θ, γ) (``MaximumLikelihood``).
  ///
  /// - Parameters:
  ///   - rows: the customers' histories; `covariates` one vector z per row
  ///     (``CovariateDesign/covariates(for:attributes:model:)``).
  /// - Throws: ``ModelError`` (unusable data, no convergence, degenerate fit) of either fit.
  public static func fit(
    _ rows: [RFMSummary.Row], weights: [Double]? = nil, covariates: [[Double]],
    design: CovariateDesign, covariateL2: Double = 0, options: FitOptions = FitOptions()
  ) throws -> Self {
    guard covariateL2.isFinite, covariateL2 >= 0 else {
      throw ModelError.unusableData(
        model: modelName, reason: "covariate L2 weight \(covariateL2) must be ≥ 0")
    }
    let groups = try CovariateGroups(
      rows, weights: weights, covariates: covariates, model: modelName)
    var nestedOptions = options
    nestedOptions.starts = nil
    let nested = try Base.fit(groups.all, options: nestedOptions)
    let names = Base.parameterNames + coefficientNames(design)
    let k = Base.parameterNames.count
    let m = names.count - k
    let likelihoods = groups.data.map { Base.likelihood(on: $0) }
    var problem = MaximumLikelihood.Problem(
      modelName: modelName, parameterNames: names, customers: groups.all.customers,
      distinctRows: groups.distinctRows,
      penaltyScales: Base.penaltyScales(groups.all) + [Double](repeating: 0, count: m)
    ) { theta, gradient in
      logLikelihood(
        theta, groups: groups, likelihoods: likelihoods, design: design, gradient: &gradient)
    }
    problem.positive = [Bool](repeating: true, count: k) + [Bool](repeating: false, count: m)
    problem.l2 = [Double](repeating: 0, count: k) + [Double](repeating: covariateL2, count: m)
    problem.dropped = Int(groups.all.zeroAgeCustomers.rounded())
    let start = nested.parameterValues + [Double](repeating: 0, count: m)
    let estimate = try MaximumLikelihood.fitPolished(problem, from: start, options: options)
    let coefficients = Self.coefficients(
      fromFree: Array(estimate.parameters[k...]), design: design)
    return Self(
      base: Base(parameters: Array(estimate.parameters[0..<k]), fitReport: nil), design: design,
      coefficients: coefficients, fitReport: estimate.report,
      nestedLogLikelihood: nested.fitReport?.logLikelihood, covariateL2: covariateL2,
      nested: nested)
  }
}
