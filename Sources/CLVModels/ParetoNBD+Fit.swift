import CLVData
import CLVNumerics

extension ParetoNBD {
  /// The shared fit options (``CLVModels/FitOptions``), also reachable as `ParetoNBD.FitOptions`.
  public typealias FitOptions = CLVModels.FitOptions

  /// Σ weight · log L(r, α, s, β | row) over collapsed rows ([FH2005-PNBD] eq. (18)).
  public static func logLikelihood(_ parameters: [Double], data: CollapsedRFM) -> Double {
    precondition(parameters.count == 4, "Pareto/NBD has 4 parameters")
    let (r, alpha, s, beta) = (parameters[0], parameters[1], parameters[2], parameters[3])
    var total = 0.0
    for i in 0..<data.count {
      let x = Double(data.frequencies[Int(data.frequencyIndex[i])])
      let tx = data.recencies[Int(data.recencyIndex[i])]
      let T = data.ages[Int(data.ageIndex[i])]
      total +=
        data.weights[i]
        * logLikelihood(r: r, alpha: alpha, s: s, beta: beta, x: x, tx: Swift.min(tx, T), T: T)
    }
    return total
  }

  /// The gradient of `logLikelihood(_:data:)` in (r, α, s, β), by central differences in
  /// log-parameters φ = log θ:
  ///
  ///     ∂ log L/∂θⱼ ≈ [log L(θ ∘ e^(hⱼeⱼ)) − log L(θ ∘ e^(−hⱼeⱼ))] / (2 hⱼ θⱼ),
  ///     hⱼ = ε^(1/3) · max(1, |φⱼ|)
  ///
  /// Numeric because r and s enter the parameters a, b of A₀'s ₂F₁, whose derivatives in its
  /// parameters have no elementary closed form (those in α and β are again ₂F₁ terms, but one
  /// scheme for all four keeps the gradient consistent with the value). The step
  /// ε^(1/3) ≈ 6·10⁻⁶ balances truncation (O(h²)) against rounding (O(ε|log L|/h)): about 8
  /// significant digits, far below the optimizer's tolerance. A side that is not finite is retried with an 8× smaller step.
  ///
  /// - Source: [NW2006] Nocedal & Wright, Numerical Optimization, 2nd ed., section 8.1
  ///   (central differences and the ε^(1/3) step).
  public static func logLikelihoodGradient(_ parameters: [Double], data: CollapsedRFM) -> [Double] {
    precondition(parameters.count == 4, "Pareto/NBD has 4 parameters")
    let base = Double.pow(Double.ulpOfOne, 1.0 / 3.0)
    var gradient = [Double](repeating: .nan, count: 4)
    for j in 0..<4 {
      var h = base * Swift.max(1, abs(Double.log(parameters[j])))
      for _ in 0..<4 {
        var plus = parameters
        var minus = parameters
        plus[j] *= Double.exp(h)
        minus[j] *= Double.exp(-h)
        let fPlus = logLikelihood(plus, data: data)
        let fMinus = logLikelihood(minus, data: data)
        if fPlus.isFinite && fMinus.isFinite {
          gradient[j] = (fPlus - fMinus) / (2 * h * parameters[j])
          break
        }
        h /= 8
      }
    }
    return gradient
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
  /// The gradient is `logLikelihoodGradient` (numeric, see there). Deterministic starts share
  /// the data's mean purchase rate λ̄ = Σx/ΣT and mean age T̄ and differ in heterogeneity,
  /// (r, α, s, β) = (m, m/λ̄, m, m·T̄) for m = 1, 0.3, 3, plus lifetimes' scale start
  /// (1, max T, 1, max T).
  ///
  /// Standard errors are recomputed from the Hessian of the penalized total objective
  /// −log L + N c Σ (sᵢθᵢ)² by second differences of the function
  /// (``NumericalHessian/ofFunction(_:at:)``): differences of a numerical gradient, as the shared
  /// machinery takes, are too noisy for Pareto/NBD, whose Hessian is nearly singular along
  /// (α, β) (smallest eigenvalue ≈ 0.026 on CDNOW, against ≈ 5·10⁻⁴ of noise).
  public static func fit(
    _ data: CollapsedRFM, options: FitOptions = FitOptions()
  ) throws
    -> ParetoNBD
  {
    let penaltyScales = [1, 1 / data.maxAge, 1, 1 / data.maxAge]
    var problem = MaximumLikelihood.Problem(
      modelName: modelName, parameterNames: parameterNames, customers: data.customers,
      distinctRows: data.count, penaltyScales: penaltyScales
    ) { theta, gradient in
      let value = logLikelihood(theta, data: data)
      if value.isFinite { gradient = logLikelihoodGradient(theta, data: data) }
      return value
    }
    problem.dropped = Int(data.zeroAgeCustomers.rounded())
    var estimate = try MaximumLikelihood.fit(problem, starts: starts(data), options: options)
    if estimate.report.standardErrors != nil {
      let penalty = data.customers * options.penalizer
      let hessian = NumericalHessian.ofFunction(
        { theta in
          var total = -logLikelihood(theta, data: data)
          for i in 0..<4 {
            let scaled = penaltyScales[i] * theta[i]
            total += penalty * scaled * scaled
          }
          return total
        }, at: estimate.parameters)
      do {
        let errors = try CLVNumerics.standardErrors(fromHessian: hessian)
        estimate.report.standardErrors = errors.allSatisfy(\.isFinite) ? errors : nil
      } catch {
        estimate.report.standardErrors = nil
      }
      if estimate.report.standardErrors == nil {
        guard options.allowDegenerate else {
          throw ModelError.degenerateFit(
            model: modelName, reason: "the Hessian of −log L is not positive definite")
        }
        estimate.report.degenerate = true
        estimate.report.reason = "the Hessian of −log L is not positive definite"
      }
    }
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
