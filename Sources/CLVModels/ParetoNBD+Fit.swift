import CLVData
import CLVNumerics
import Foundation

extension ParetoNBD {
  /// Options of `ParetoNBD.fit`.
  public struct FitOptions: Sendable {
    /// L2 penalty on the parameters, as lifetimes' `penalizer_coef`: the objective is
    /// −log L + penalizer · (r² + α² + s² + β²).
    public var penalizer: Double
    /// Keep a fit that did not converge or whose Hessian is not positive definite, flagged as
    /// `degenerate` in its `FitReport`, instead of throwing.
    public var allowDegenerate: Bool
    /// Optimizer settings (the default asks for ‖∇‖∞ ≤ 1e-9·|f|: the weakly identified α, β of
    /// Pareto/NBD need a tight gradient to be stable to their printed digits).
    public var optimization: OptimizationOptions

    public init(
      penalizer: Double = 0, allowDegenerate: Bool = false,
      optimization: OptimizationOptions = OptimizationOptions(
        maxIterations: 1000, maxFunctionEvaluations: 10_000, gradientTolerance: 1e-9,
        functionTolerance: 1e-15)
    ) {
      self.penalizer = penalizer
      self.allowDegenerate = allowDegenerate
      self.optimization = optimization
    }
  }

  /// Distinct (x, tₓ, T) rows with their counts: the likelihood's cost scales with these.
  struct CollapsedRows {
    var frequency: [Double] = []
    var recency: [Double] = []
    var age: [Double] = []
    var count: [Double] = []

    init(_ rows: [RFMSummary.Row]) throws {
      struct Key: Hashable {
        var x: Int
        var tx: UInt64
        var T: UInt64
      }
      var index: [Key: Int] = [:]
      for row in rows {
        try ParetoNBD.validate(row)
        let tx = Swift.min(row.recency, row.age)
        let key = Key(x: row.frequency, tx: tx.bitPattern, T: row.age.bitPattern)
        if let i = index[key] {
          count[i] += 1
        } else {
          index[key] = frequency.count
          frequency.append(Double(row.frequency))
          recency.append(tx)
          age.append(row.age)
          count.append(1)
        }
      }
    }

    /// Σ count · log L(parameters | row).
    func logLikelihood(_ p: [Double]) -> Double {
      var total = 0.0
      for i in frequency.indices {
        total +=
          count[i]
          * ParetoNBD.logLikelihood(
            r: p[0], alpha: p[1], s: p[2], beta: p[3], x: frequency[i], tx: recency[i], T: age[i])
      }
      return total
    }
  }

  /// The objective in log-parameters θ = log(r, α, s, β): −log L(e^θ) + penalizer · Σ e^(2θ).
  /// +∞ where the likelihood is not finite (the line search backtracks from such points).
  static func objective(_ theta: [Double], rows: CollapsedRows, penalizer: Double) -> Double {
    let p = theta.map { Double.exp($0) }
    guard ParetoNBD.areValid(p) else { return .infinity }
    let value = -rows.logLikelihood(p) + penalizer * p.reduce(0) { $0 + $1 * $1 }
    return value.isFinite ? value : .infinity
  }

  /// Central-difference gradient of `objective` in log-parameter space.
  ///
  ///     ∂f/∂θⱼ ≈ [f(θ + hⱼeⱼ) − f(θ − hⱼeⱼ)] / (2hⱼ),   hⱼ = ε^(1/3) · max(1, |θⱼ|)
  ///
  /// Numeric because the derivatives of ₂F₁ in its parameters (r and s enter a and b of
  /// A₀'s ₂F₁) have no elementary closed form. The step ε^(1/3) ≈ 6·10⁻⁶ balances truncation
  /// (O(h²)) against rounding (O(ε|f|/h)): about 8 significant digits, far below the tolerance.
  /// Steps are re-taken 8× smaller when a side is not finite.
  ///
  /// - Source: Nocedal & Wright (2006), Numerical Optimization, 2nd ed., section 8.1 (eq. 8.9 and
  ///   the step-size discussion).
  static func numericalGradient(
    _ theta: [Double], rows: CollapsedRows, penalizer: Double
  ) -> [Double] {
    let base = Double.pow(Double.ulpOfOne, 1.0 / 3.0)
    var gradient = [Double](repeating: 0, count: theta.count)
    for j in theta.indices {
      var h = base * Swift.max(1, abs(theta[j]))
      for _ in 0..<4 {
        var plus = theta
        var minus = theta
        plus[j] += h
        minus[j] -= h
        let fPlus = objective(plus, rows: rows, penalizer: penalizer)
        let fMinus = objective(minus, rows: rows, penalizer: penalizer)
        if fPlus.isFinite && fMinus.isFinite {
          gradient[j] = (fPlus - fMinus) / (2 * h)
          break
        }
        h /= 8
        gradient[j] = .nan
      }
    }
    return gradient
  }

  /// Maximum-likelihood estimate of (r, α, s, β) on a summary, in the summary's time unit.
  ///
  /// Maximizes Σ log L ([FH2005n] eq. (18)) over θ = log(r, α, s, β) by L-BFGS with the
  /// numerical gradient of `numericalGradient`, from three deterministic starts that share the
  /// data's mean purchase rate λ̄ = Σx / ΣT and mean age T̄ and differ in heterogeneity:
  /// (r, α, s, β) = (m, m/λ̄, m, m·T̄) for m = 1, 0.3, 3. The best optimum wins. Identical
  /// (x, tₓ, T) rows are collapsed and weighted by their count.
  ///
  /// Standard errors: the numerical Hessian H_θ of the objective in θ at the optimum gives
  /// SE(θ) = sqrt(diag(H_θ⁻¹)), and by the delta method SE(p) = p · SE(θ) (at a stationary point
  /// this equals the inverse observed information in the original parameters).
  ///
  /// - Throws: `ModelError.unusableData` for an empty summary or an invalid row;
  ///   `ModelError.didNotConverge` / `ModelError.degenerateFit` unless `allowDegenerate`.
  public static func fit(_ summary: RFMSummary, options: FitOptions = FitOptions()) throws
    -> ParetoNBD
  {
    let clock = ContinuousClock()
    let started = clock.now
    guard !summary.rows.isEmpty else {
      throw ModelError.unusableData(model: modelName, reason: "the summary has no customers")
    }
    let rows = try CollapsedRows(summary.rows)
    let customers = Double(summary.rows.count)
    let totalAge = summary.rows.reduce(0) { $0 + $1.age }
    let totalFrequency = Double(summary.rows.reduce(0) { $0 + $1.frequency })
    guard totalAge > 0 else {
      throw ModelError.unusableData(model: modelName, reason: "every customer has age T = 0")
    }
    let meanAge = totalAge / customers
    let meanRate = Swift.max(totalFrequency, 1) / totalAge
    let penalizer = options.penalizer

    func evaluate(_ theta: [Double], _ gradient: inout [Double]) -> Double {
      let value = objective(theta, rows: rows, penalizer: penalizer)
      if value.isFinite {
        gradient = numericalGradient(theta, rows: rows, penalizer: penalizer)
      }
      return value
    }

    var best: OptimizationResult?
    var evaluations = 0
    for m in [1.0, 0.3, 3.0] {
      let start = [m, m / meanRate, m, m * meanAge].map { Double.log($0) }
      guard objective(start, rows: rows, penalizer: penalizer).isFinite else { continue }
      let result = try LBFGS.minimize(from: start, options: options.optimization, evaluate)
      evaluations += result.functionEvaluations
      if result.value.isFinite, best == nil || result.value < best!.value { best = result }
    }
    guard let best else {
      throw ModelError.unusableData(
        model: modelName, reason: "the log-likelihood is not finite at any starting point")
    }
    let parameters = best.x.map { Double.exp($0) }
    guard ParetoNBD.areValid(parameters) else {
      throw ModelError.degenerateFit(
        model: modelName, reason: "a parameter left the representable range: \(parameters)")
    }
    var degenerate = false
    if !best.converged {
      guard options.allowDegenerate else {
        throw ModelError.didNotConverge(
          model: modelName, iterations: best.iterations, gradientNorm: best.gradientNorm)
      }
      degenerate = true
    }
    var standardErrors: [Double]?
    let hessian = NumericalHessian.ofFunction(
      { objective($0, rows: rows, penalizer: penalizer) }, at: best.x)
    do {
      let logScale = try CLVNumerics.standardErrors(fromHessian: hessian)
      standardErrors = zip(parameters, logScale).map { $0 * $1 }
    } catch {
      guard options.allowDegenerate else {
        throw ModelError.degenerateFit(
          model: modelName, reason: "the Hessian at the optimum is not positive definite")
      }
      degenerate = true
    }
    let logLikelihood = rows.logLikelihood(parameters)
    guard logLikelihood.isFinite else {
      throw ModelError.nonFinite(model: modelName, quantity: "log-likelihood at the optimum")
    }
    let report = FitReport(
      logLikelihood: logLikelihood, standardErrors: standardErrors, iterations: best.iterations,
      functionEvaluations: evaluations, gradientNorm: best.gradientNorm, converged: best.converged,
      degenerate: degenerate, seconds: (clock.now - started).seconds,
      customers: summary.rows.count, distinctRows: rows.count.count)
    return ParetoNBD(
      r: parameters[0], alpha: parameters[1], s: parameters[2], beta: parameters[3],
      fitReport: report)
  }
}

extension Duration {
  fileprivate var seconds: Double {
    let (whole, attoseconds) = components
    return Double(whole) + Double(attoseconds) * 1e-18
  }
}
