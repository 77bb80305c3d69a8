import CLVData
import CLVNumerics

extension CovariateGammaGamma {
  /// The repeat buyers grouped by their covariate vector: one ``GammaGamma/Data`` per
  /// distinct z (within a group every customer has the same γᵢ, so the group's likelihood is
  /// plain Gamma-Gamma's at (p, q, γᵢ)).
  public struct Groups: Sendable {
    /// The distinct covariate vectors, in order of first appearance.
    public var covariates: [[Double]]
    /// Per group, its repeat buyers (x, z̄).
    public var data: [GammaGamma.Data]
    /// Every repeat buyer in one table (plain Gamma-Gamma's data: the nested fit).
    public var all: GammaGamma.Data

    /// Groups the usable rows of `rows` (``GammaGamma/Data/isUsable(_:)``) by `covariates` (one
    /// vector per row).
    /// - Throws: ``ModelError/unusableData(model:reason:)`` for a covariate vector of the
    ///   wrong length or with a non-finite value, or fewer than 2 repeat buyers.
    public init(_ rows: [RFMSummary.Row], covariates: [[Double]]) throws {
      guard covariates.count == rows.count else {
        throw ModelError.unusableData(
          model: modelName,
          reason: "\(covariates.count) covariate vectors for \(rows.count) customers")
      }
      let width = covariates.first?.count ?? 0
      for (i, z) in covariates.enumerated() where !(z.count == width && z.allSatisfy(\.isFinite)) {
        throw ModelError.unusableData(
          model: modelName,
          reason:
            "customer '\(rows[i].customerID)': covariates \(z) are not \(width) finite numbers")
      }
      all = GammaGamma.Data(rows)
      guard all.customers >= 2 else {
        throw ModelError.unusableData(
          model: modelName,
          reason: "needs repeat buyers with positive monetary value; found \(Int(all.customers))"
            + " (\(all.dropped) customers dropped)")
      }
      let usable = rows.indices.filter { GammaGamma.Data.isUsable(rows[$0]) }
      let (vectors, members) = CovariateGroups.distinct(usable.map { covariates[$0] })
      self.covariates = vectors
      data = members.map { group in GammaGamma.Data(group.map { rows[usable[$0]] }) }
    }

    /// The number of distinct (x, z̄, z).
    public var distinctRows: Int { data.reduce(0) { $0 + $1.weights.count } }
  }

  /// Total log-likelihood of the repeat buyers and its gradient in (p, q, γ, δ):
  ///
  ///     ℓ = Σᵢ ℓ_GG(p, q, γᵢ | xᵢ, z̄ᵢ),   γᵢ = γ exp(δᵀwᵢ)
  ///     ∂ℓ/∂p, ∂ℓ/∂q: plain Gamma-Gamma's at γᵢ
  ///     ∂ℓ/∂log γ = Σᵢ γᵢ ∂ℓ_GG/∂γᵢ = Σᵢ [q − (p xᵢ + q) γᵢ/(γᵢ + xᵢ z̄ᵢ)]
  ///     ∂ℓ/∂δₖ   = Σᵢ wᵢₖ γᵢ ∂ℓ_GG/∂γᵢ
  ///
  /// (ℓ_GG: [FH2013] eq. (1a); ∂ℓ_GG/∂γ = q/γ − (p x + q)/(γ + x z̄) from
  /// ``GammaGamma/logLikelihood(_:data:gradient:)``; the rest by the chain rule through
  /// γᵢ, ∂γᵢ/∂γ = γᵢ/γ, ∂γᵢ/∂δₖ = γᵢ wᵢₖ). The gradient is returned in the natural
  /// parameters (∂ℓ/∂γ = (∂ℓ/∂log γ)/γ); the optimizer takes log p, log q, log γ.
  ///
  /// - Source: [FH2013] eq. (1a); [MN1989] chapter 8 (log link); derivatives by the chain rule.
  public static func logLikelihood(
    _ parameters: [Double], groups: Groups, design: CovariateDesign, gradient: inout [Double]
  ) -> Double {
    let features = design.featureIndices(of: .spend)
    let gamma = parameters[2]
    let delta = Array(parameters[3...])
    if gradient.count != parameters.count {
      gradient = [Double](repeating: 0, count: parameters.count)
    } else {
      for i in gradient.indices { gradient[i] = 0 }
    }
    var total = 0.0
    var g: [Double] = [0, 0, 0]
    for (group, z) in groups.covariates.enumerated() {
      let individual = gamma * Double.exp(linearPredictor(delta, features: features, z: z))
      total += GammaGamma.logLikelihood(
        [parameters[0], parameters[1], individual], data: groups.data[group], gradient: &g)
      gradient[0] += g[0]
      gradient[1] += g[1]
      let scaled = g[2] * individual  // γᵢ ∂ℓ/∂γᵢ
      gradient[2] += scaled / gamma
      for (k, feature) in features.enumerated() { gradient[3 + k] += scaled * z[feature] }
    }
    return total
  }

  /// Fits the model by maximum likelihood on the repeat buyers of `rows` (x > 0, z̄ > 0; the
  /// others are counted in `FitReport.dropped`), starting from plain Gamma-Gamma's fit on the
  /// same customers (its estimate, δ = 0), whose log-likelihood is kept for the
  /// likelihood-ratio test (``nestedLogLikelihood``).
  ///
  /// The objective is −log L/N + c Σ θ² + λ Σ δ² (c: `options.penalizer` on p, q, γ as plain
  /// Gamma-Gamma's; λ: `covariateL2`). Standard errors come from the Hessian of the total
  /// objective over (p, q, γ, δ) (``MaximumLikelihood``), as for the purchase models with
  /// covariates (``StaticCovariateModel``).
  ///
  /// - Parameters:
  ///   - covariates: one vector z per row (``CovariateDesign/covariates(for:attributes:model:)``).
  /// - Throws: ``ModelError`` (unusable data, no convergence, degenerate fit) of either fit.
  public static func fit(
    _ rows: [RFMSummary.Row], covariates: [[Double]], design: CovariateDesign,
    covariateL2: Double = 0, options: FitOptions = FitOptions()
  ) throws -> CovariateGammaGamma {
    guard covariateL2.isFinite, covariateL2 >= 0 else {
      throw ModelError.unusableData(
        model: modelName, reason: "covariate L2 weight \(covariateL2) must be ≥ 0")
    }
    guard !design.featureIndices(of: .spend).isEmpty else {
      throw ModelError.unusableData(model: modelName, reason: "no spend covariate column")
    }
    let groups = try Groups(rows, covariates: covariates)
    var nestedOptions = options
    nestedOptions.starts = nil
    let nested = try GammaGamma.fit(groups.all, options: nestedOptions)
    let names = GammaGamma.parameterNames + coefficientNames(design)
    let m = names.count - 3
    var problem = MaximumLikelihood.Problem(
      modelName: modelName, parameterNames: names, customers: groups.all.customers,
      distinctRows: groups.distinctRows,
      penaltyScales: [1, 1, 1] + [Double](repeating: 0, count: m)
    ) { theta, gradient in
      logLikelihood(theta, groups: groups, design: design, gradient: &gradient)
    }
    problem.positive = [true, true, true] + [Bool](repeating: false, count: m)
    problem.l2 = [0, 0, 0] + [Double](repeating: covariateL2, count: m)
    problem.dropped = groups.all.dropped
    let start = nested.parameterValues + [Double](repeating: 0, count: m)
    let estimate = try MaximumLikelihood.fitPolished(problem, from: start, options: options)
    return CovariateGammaGamma(
      base: GammaGamma(parameters: Array(estimate.parameters[0..<3]), fitReport: nil),
      design: design, coefficients: Array(estimate.parameters[3...]), fitReport: estimate.report,
      nestedLogLikelihood: nested.fitReport?.logLikelihood, covariateL2: covariateL2,
      nested: nested)
  }
}
