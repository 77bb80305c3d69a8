import CLVData
import CLVNumerics

/// The survival arithmetic shared by the sBG (c = 1) and the BdW: one generic implementation,
/// evaluated on `Double` for values and on ``Dual`` numbers for the exact gradient of the
/// log-likelihood (forward mode, [GW2008] chapter 3).
///
/// Individual lifetimes are discrete Weibull, S(t | θ, c) = (1 − θ)^(t^c), and θ is beta(γ, δ)
/// across subscribers; with c = 1 the individual lifetime is shifted geometric and the mixture
/// is the shifted-beta-geometric.
enum BetaDiscreteWeibullKernel {
  /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b).
  @inlinable
  static func logBeta<T: DifferentiableReal>(_ a: T, _ b: T) -> T {
    T.logGamma(a) + T.logGamma(b) - T.logGamma(a + b)
  }

  /// t^c (t ≥ 0): `nil` c stands for c = 1 (the sBG), exact in integers.
  @inlinable
  static func power<T: DifferentiableReal>(_ t: Int, _ c: T?) -> T {
    guard let c, t > 1 else { return T(constant: Double(t)) }
    return T.exp(c * Double.log(Double(t)))
  }

  /// log S(t) = log B(γ, δ + t^c) − log B(γ, δ); S(0) = 1.
  ///
  /// - Source: [FHLDS2018] the BdW survivor function (S(t | θ, c) = (1 − θ)^(t^c) integrated
  ///   over the beta distribution of θ); with c = 1, [FH2007] eq. (6).
  @inlinable
  static func logSurvival<T: DifferentiableReal>(_ t: Int, gamma: T, delta: T, c: T?) -> T {
    guard t > 0 else { return T(constant: 0) }
    return logBeta(gamma, delta + power(t, c)) - logBeta(gamma, delta)
  }

  /// log P(T = t), t ≥ 1. The sBG (c nil) uses the closed form
  /// P(T = t) = B(γ + 1, δ + t − 1) / B(γ, δ), free of cancellation; the BdW computes
  /// S(t − 1) − S(t) in log space (``logDiffExp(_:_:)``).
  ///
  /// - Source: [FH2007] eq. (5) (sBG); [FHLDS2018] P(T = t) = S(t − 1) − S(t) (BdW).
  @inlinable
  static func logProbabilityOfLifetime<T: DifferentiableReal>(
    _ t: Int, gamma: T, delta: T, c: T?
  ) -> T {
    precondition(t >= 1, "a lifetime is at least one period")
    guard c != nil else {
      return logBeta(gamma + 1, delta + Double(t - 1)) - logBeta(gamma, delta)
    }
    return logDiffExp(
      logSurvival(t - 1, gamma: gamma, delta: delta, c: c),
      logSurvival(t, gamma: gamma, delta: delta, c: c))
  }

  /// The log-likelihood of collapsed durations: Σ_t n_t log P(T = t) + Σ_a m_a log S(a), with
  /// n_t subscribers who cancelled after t periods and m_a still active after a periods.
  ///
  /// - Source: [FH2007] Appendix B (the cohort's log-likelihood with the censored term
  ///   (n − Σ n_t) log S(7)); one censored term per age for subscribers acquired at different
  ///   times.
  static func logLikelihood<T: DifferentiableReal>(
    _ durations: ContractDurations, gamma: T, delta: T, c: T?
  ) -> T {
    var total = T(constant: 0)
    for (t, count) in durations.lifetimes.sorted(by: { $0.key < $1.key }) {
      total = total + logProbabilityOfLifetime(t, gamma: gamma, delta: delta, c: c) * count
    }
    for (a, count) in durations.censored.sorted(by: { $0.key < $1.key }) where a > 0 {
      total = total + logSurvival(a, gamma: gamma, delta: delta, c: c) * count
    }
    return total
  }

  /// The log-likelihood and its exact gradient with respect to (γ, δ[, c]) (dual numbers).
  static func logLikelihoodWithGradient(
    _ durations: ContractDurations, parameters: [Double], gradient: inout [Double]
  ) -> Double {
    typealias D = Dual<SIMD4<Double>>
    let gamma = D(parameters[0], seed: 0)
    let delta = D(parameters[1], seed: 1)
    let c = parameters.count > 2 ? D(parameters[2], seed: 2) : nil
    let value = logLikelihood(durations, gamma: gamma, delta: delta, c: c)
    gradient = (0..<parameters.count).map { value.partials[$0] }
    return value.value
  }

  /// Fits by maximum likelihood (log-parameters, multi-start L-BFGS, standard errors from the
  /// Hessian: ``MaximumLikelihood``).
  ///
  /// - Throws: ``ModelError/unusableData(model:reason:)`` without subscribers; the errors of
  ///   ``MaximumLikelihood/fit(_:starts:options:screening:)``.
  static func fit(
    _ durations: ContractDurations, modelName: String, parameterNames: [String],
    starts: [[Double]], options: FitOptions
  ) throws -> MaximumLikelihood.Estimate {
    guard durations.subscribers > 0 else {
      throw ModelError.unusableData(model: modelName, reason: "there is no subscriber to fit on")
    }
    guard durations.longest > 0 else {
      throw ModelError.unusableData(
        model: modelName,
        reason: "every subscriber started in the as-of period: no renewal has been observed")
    }
    let problem = MaximumLikelihood.Problem(
      modelName: modelName, parameterNames: parameterNames, customers: durations.subscribers,
      distinctRows: durations.distinctCells
    ) { theta, gradient in
      logLikelihoodWithGradient(durations, parameters: theta, gradient: &gradient)
    }
    // Two or three parameters and a handful of cells: converge tightly (the published
    // estimates are reproduced to their printed digits and the reference to 1e-6).
    var options = options
    options.optimization.gradientTolerance = Swift.min(
      options.optimization.gradientTolerance, 1e-10)
    return try MaximumLikelihood.fit(problem, starts: starts, options: options)
  }
}
