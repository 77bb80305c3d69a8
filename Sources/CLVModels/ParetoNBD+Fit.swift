import CLVData
import CLVNumerics

extension ParetoNBD {
  /// The shared fit options (``CLVModels/FitOptions``), also reachable as `ParetoNBD.FitOptions`.
  public typealias FitOptions = CLVModels.FitOptions

  /// Σ weight · log L(r, α, s, β | row) over collapsed rows ([FH2005-PNBD] eq. (18)).
  ///
  /// - Complexity: one ₂F₁ per distinct (x, tₓ) and (x, T) pair, O(1) per distinct row (see
  ///   `logLikelihood(r:alpha:s:beta:prepared:)`).
  public static func logLikelihood(_ parameters: [Double], data: CollapsedRFM) -> Double {
    precondition(parameters.count == 4, "Pareto/NBD has 4 parameters")
    return logLikelihood(
      r: parameters[0], alpha: parameters[1], s: parameters[2], beta: parameters[3],
      prepared: ParetoNBDLikelihoodData(data))
  }

  /// The exact gradient of `logLikelihood(_:data:)` in (r, α, s, β), by forward-mode automatic
  /// differentiation: the likelihood evaluated on dual numbers seeded with the four parameters,
  /// through the lgamma terms (ψ), the logs and, in A₀, the ₂F₁ series and continuation steps
  /// themselves (``logHypergeometric2F1(_:_:_:_:)`` on ``Dual`` numbers). Exact up to rounding
  /// and the series' truncation at 2⁻⁵⁴ of the sum.
  ///
  /// r and s enter the parameters a, b of A₀'s ₂F₁, whose derivatives in its parameters have no
  /// elementary closed form: differentiating the algorithm that sums the series gives them.
  ///
  /// - Source: [GW2008] chapter 3 (forward mode); the likelihood [FH2005-PNBD] eqs. (18)–(20).
  public static func logLikelihoodGradient(_ parameters: [Double], data: CollapsedRFM) -> [Double] {
    precondition(parameters.count == 4, "Pareto/NBD has 4 parameters")
    let result = logLikelihoodWithGradient(parameters, prepared: ParetoNBDLikelihoodData(data))
    return result.gradient
  }

  /// The value and exact gradient in one pass on dual numbers.
  static func logLikelihoodWithGradient(
    _ parameters: [Double], prepared: ParetoNBDLikelihoodData,
    deadline: ContinuousClock.Instant? = nil
  ) -> (value: Double, gradient: [Double]) {
    let result = logLikelihood(
      r: ParetoNBDDual(parameters[0], seed: 0), alpha: ParetoNBDDual(parameters[1], seed: 1),
      s: ParetoNBDDual(parameters[2], seed: 2), beta: ParetoNBDDual(parameters[3], seed: 3),
      prepared: prepared, deadline: deadline)
    let g = result.partials
    return (result.value, [g[0], g[1], g[2], g[3]])
  }

  /// Maximum-likelihood estimate of (r, α, s, β) on a summary, in the summary's time unit.
  ///
  /// - Parameters:
  ///   - weights: one count per row (identical rows are collapsed anyway); nil = 1 each.
  ///   - options: penalizer (lifetimes' `penalizer_coef`, on α and β in lifetimes' time scale
  ///     1/max T), `allowDegenerate`, optimizer settings, starts.
  /// - Throws: ``ModelError`` (unusable data, no convergence, degenerate fit).
  public static func fit(
    _ summary: RFMSummary, weights: [Double]? = nil, options: FitOptions = FitOptions()
  ) throws -> ParetoNBD {
    try fit(CollapsedRFM(summary.rows, weights: weights, model: modelName), options: options)
  }

  /// Fits Pareto/NBD on collapsed rows with the shared machinery (``MaximumLikelihood``):
  /// log-parameters, multi-start L-BFGS (Nelder–Mead fallback), convergence and degeneracy checks.
  ///
  /// The gradient is exact (`logLikelihoodGradient`, forward-mode automatic differentiation),
  /// computed in the same pass as the value. Deterministic starts share the data's mean purchase
  /// rate λ̄ = Σx/ΣT and mean age T̄ and differ in heterogeneity, (r, α, s, β) =
  /// (m, m/λ̄, m, m·T̄) for m = 1, 0.3, 3, plus lifetimes' scale start (1, max T, 1, max T). On
  /// more than 20 000 distinct rows (`screeningRows`, as BG/NBD) the starts are screened on a deterministic
  /// subsample and only the best is polished on all rows (``MaximumLikelihood/fit``).
  ///
  /// Standard errors come from the Hessian of the penalized total objective
  /// −log L + N c Σ (sᵢθᵢ)² by central differences of the exact gradient
  /// (``NumericalHessian/ofGradient(_:at:)``, [NW2006] section 8.1).
  public static func fit(
    _ data: CollapsedRFM, options: FitOptions = FitOptions()
  ) throws
    -> ParetoNBD
  {
    let penaltyScales = [1, 1 / data.maxAge, 1, 1 / data.maxAge]
    // The time budget also bounds each evaluation (see `logLikelihood(…deadline:)`).
    let deadline = options.timeLimit.map { ContinuousClock().now + .seconds($0) }
    func problem(_ data: CollapsedRFM) -> MaximumLikelihood.Problem {
      let prepared = ParetoNBDLikelihoodData(data)
      return MaximumLikelihood.Problem(
        modelName: modelName, parameterNames: parameterNames, customers: data.customers,
        distinctRows: data.count, penaltyScales: penaltyScales
      ) { theta, gradient in
        let result = logLikelihoodWithGradient(theta, prepared: prepared, deadline: deadline)
        gradient = result.gradient
        return result.value
      }
    }
    let screening = data.subsample(maximumRows: screeningRows).map(problem)
    var full = problem(data)
    full.dropped = Int(data.zeroAgeCustomers.rounded())
    let estimate = try MaximumLikelihood.fit(
      full, starts: starts(data), options: options, screening: screening)
    return ParetoNBD(parameters: estimate.parameters, fitReport: estimate.report)
  }

  /// The deterministic starting points of `fit` (natural parameters).
  static func starts(_ data: CollapsedRFM) -> [[Double]] {
    var totalX = 0.0
    var totalT = 0.0
    for i in 0..<data.count {
      totalX += data.weights[i] * Double(data.frequencies[Int(data.frequencyIndex[i])])
      totalT += data.weights[i] * data.ages[Int(data.ageIndex[i])]
    }
    let meanAge = totalT / data.customers
    let meanRate = Swift.max(totalX, 1) / Swift.max(totalT, 1e-9)
    var starts = [1.0, 0.3, 3.0].map { m in [m, m / meanRate, m, m * meanAge] }
    starts.append([1, data.maxAge, 1, data.maxAge])
    return starts
  }
}
