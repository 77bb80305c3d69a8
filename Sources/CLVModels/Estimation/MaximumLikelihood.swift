import CLVData
import CLVNumerics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time used by the calling thread, in seconds (for timings on a shared machine, where
/// wall-clock time includes waiting for a core).
public func threadCPUSeconds() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

// MARK: - The estimator

/// Maximum-likelihood estimation shared by the models: positive parameters on the log scale,
/// deterministic multi-start L-BFGS with analytic gradients (Nelder–Mead fallback), lifetimes'
/// L2 penalizer, Hessian standard errors and convergence/degeneracy checks.
public enum MaximumLikelihood {
  /// A likelihood to maximize over positive parameters θ.
  public struct Problem {
    public var modelName: String
    public var parameterNames: [String]
    /// N = Σ weights: the objective is scaled by 1/N (as lifetimes') so that tolerances do not
    /// depend on the size of the data.
    public var customers: Double
    public var distinctRows: Int
    /// sᵢ of the penalty c · Σ (sᵢ θᵢ)² (lifetimes' time scaling of α, β; else 1).
    public var penaltyScales: [Double]
    /// Total (weighted) log-likelihood at θ and, written into `gradient`, ∂ log L / ∂θ.
    /// May return a non-finite value for θ where the likelihood is not computable.
    public var logLikelihood: (_ theta: [Double], _ gradient: inout [Double]) -> Double
    /// Customers left out of the data before the fit (e.g. T = 0), reported in
    /// `FitReport.dropped`.
    public var dropped = 0
    /// Per parameter: true (the default) for a positive parameter, optimized on the log scale
    /// φ = log θ; false for a real coefficient (covariate effects γ), optimized as it is
    /// (φ = θ). Starts are given in θ either way.
    public var positive: [Bool]
    /// Per parameter, an extra L2 weight λᵢ added to the objective as λᵢ θᵢ² (per customer,
    /// like the penalizer): `--covariate-l2` on covariate coefficients; 0 for the others.
    public var l2: [Double]

    public init(
      modelName: String, parameterNames: [String], customers: Double, distinctRows: Int,
      penaltyScales: [Double]? = nil,
      logLikelihood: @escaping (_ theta: [Double], _ gradient: inout [Double]) -> Double
    ) {
      self.modelName = modelName
      self.parameterNames = parameterNames
      self.customers = customers
      self.distinctRows = distinctRows
      self.penaltyScales = penaltyScales ?? Array(repeating: 1, count: parameterNames.count)
      self.logLikelihood = logLikelihood
      self.positive = Array(repeating: true, count: parameterNames.count)
      self.l2 = Array(repeating: 0, count: parameterNames.count)
    }

    /// θ from the optimizer's φ (exp on positive parameters).
    func theta(_ phi: [Double]) -> [Double] {
      phi.indices.map { positive[$0] ? Double.exp(phi[$0]) : phi[$0] }
    }

    /// φ from θ (log on positive parameters).
    func phi(_ theta: [Double]) -> [Double] {
      theta.indices.map { positive[$0] ? Double.log(theta[$0]) : theta[$0] }
    }
  }

  /// The estimate: natural parameters and the fit report.
  public struct Estimate: Sendable {
    public var parameters: [Double]
    public var report: FitReport
  }

  /// |log θ| beyond this is "at the edge of the parameter space" (θ < 1.5e-8 or > 6.6e7).
  static let logBoundary = 18.0

  /// The penalized objective in log-parameters φ = log θ and its gradient (chain rule):
  ///
  ///     f(φ) = −log L(θ) / N + c · Σᵢ (sᵢ θᵢ)² + Σᵢ λᵢ θᵢ²
  ///     ∂f/∂φᵢ = θᵢ · ( −(∂ log L/∂θᵢ) / N + 2 c sᵢ² θᵢ + 2 λᵢ θᵢ )
  ///
  /// (a real coefficient, `positive[i]` false, has φᵢ = θᵢ and no factor θᵢ.)
  ///
  /// - Source: lifetimes 0.11.3 `_negative_log_likelihood` (mean form, penalizer on exp(φ)).
  static func objective(
    _ problem: Problem, penalizer: Double, _ phi: [Double], _ gradient: inout [Double]
  ) -> Double {
    let k = phi.count
    let theta = problem.theta(phi)
    var g = [Double](repeating: 0, count: k)
    let ll = problem.logLikelihood(theta, &g)
    if gradient.count != k { gradient = [Double](repeating: 0, count: k) }
    guard ll.isFinite,
      theta.indices.allSatisfy({
        theta[$0].isFinite && (theta[$0] > 0 || !problem.positive[$0])
      })
    else {
      for i in 0..<k { gradient[i] = 0 }
      return .infinity
    }
    var penalty = 0.0
    var extra = 0.0
    for i in 0..<k {
      let s = problem.penaltyScales[i]
      penalty += (s * theta[i]) * (s * theta[i])
      extra += problem.l2[i] * theta[i] * theta[i]
      let d =
        -g[i] / problem.customers + 2 * penalizer * s * s * theta[i]
        + 2 * problem.l2[i] * theta[i]
      // ∂θ/∂φ = θ on the log scale, 1 for a real coefficient.
      gradient[i] = problem.positive[i] ? theta[i] * d : d
    }
    return -ll / problem.customers + penalizer * penalty + extra
  }

  /// L-BFGS from each start (log-parameters), Nelder–Mead then L-BFGS again where L-BFGS
  /// stopped without converging; the best converged result (else the lowest objective).
  ///
  /// Once `monitor`'s budget is exhausted every further evaluation returns +∞ at once (the
  /// optimizers then stop quickly) and no further start is run.
  static func multiStart(
    _ problem: Problem, penalizer: Double, starts: [[Double]], options: OptimizationOptions,
    iterations: inout Int, evaluations: inout Int, monitor: FitMonitor
  ) -> OptimizationResult? {
    let k = problem.parameterNames.count
    let f: ([Double], inout [Double]) -> Double = { phi, g in
      if monitor.exhausted {
        g = [Double](repeating: 0, count: k)
        return .infinity
      }
      let value = objective(problem, penalizer: penalizer, phi, &g)
      monitor.record(phi, objective: value)
      return value
    }
    var best: OptimizationResult?
    for phi0 in starts {
      guard phi0.allSatisfy({ $0.isFinite }), !monitor.exhausted else { continue }
      var result: OptimizationResult
      do {
        result = try LBFGS.minimize(from: phi0, options: options, f)
      } catch {
        continue  // non-finite objective at this start: try the next one
      }
      iterations += result.iterations
      evaluations += result.functionEvaluations
      if !result.converged {
        if let simplex = try? NelderMead.minimize(
          from: result.x, initialStep: 0.1, options: options,
          { phi in
            var g = [Double](); return f(phi, &g)
          })
        {
          iterations += simplex.iterations
          evaluations += simplex.functionEvaluations
          if let polished = try? LBFGS.minimize(from: simplex.x, options: options, f) {
            iterations += polished.iterations
            evaluations += polished.functionEvaluations
            if polished.value <= result.value || polished.converged { result = polished }
          }
        }
      }
      if let current = best {
        if (result.converged && !current.converged)
          || (result.converged == current.converged && result.value < current.value)
        {
          best = result
        }
      } else {
        best = result
      }
    }
    return best
  }

  /// Fits `problem` from each of `starts` (natural parameters) and keeps the best.
  ///
  /// Each start runs L-BFGS on f(φ); when L-BFGS stops without converging, Nelder–Mead
  /// continues from its end point and L-BFGS polishes the result. The best objective wins.
  /// Standard errors are sqrt(diag(H⁻¹)) with H the Hessian of the penalized total objective
  /// −log L(θ) + N c Σ (sᵢθᵢ)² in the natural parameters (central differences of the analytic
  /// gradient; with c = 0 this is the observed information).
  ///
  /// - Throws: ``ModelError/didNotConverge(model:iterations:gradientNorm:)`` when no start
  ///   converged, ``ModelError/degenerateFit(model:reason:)`` when the Hessian is not positive
  ///   definite or a parameter ran to the edge of the log scale — unless
  ///   `options.allowDegenerate`, which returns the estimate flagged `degenerate`.
  ///   ``ModelError/nonFinite(model:quantity:)`` when no start has a finite likelihood.
  ///
  /// - Parameter screening: optionally, the same likelihood on a subsample of the rows (for
  ///   large data): the starts are run on it and only the best is polished on all rows.
  public static func fit(
    _ problem: Problem, starts: [[Double]], options: FitOptions, screening: Problem? = nil
  ) throws -> Estimate {
    let clock = ContinuousClock()
    let started = clock.now
    let startedCPU = threadCPUSeconds()
    let k = problem.parameterNames.count
    let penalizer = options.penalizer
    guard penalizer.isFinite, penalizer >= 0 else {
      throw ModelError.unusableData(
        model: problem.modelName, reason: "penalizer \(penalizer) must be ≥ 0")
    }
    var iterations = 0
    var evaluations = 0
    let monitor = FitMonitor(
      model: problem.modelName, names: problem.parameterNames, customers: problem.customers,
      options: options)
    monitor.positive = problem.positive
    let startList = options.starts ?? starts
    for start in startList {
      precondition(start.count == k, "start of the wrong length")
    }
    var best: OptimizationResult?
    if let screening, options.starts == nil {
      // Multi-start on the screening subsample, then one polishing run on all rows from the
      // best screening estimate; if that polish does not converge, all starts on all rows.
      if let screened = multiStart(
        screening, penalizer: penalizer, starts: startList.map { problem.phi($0) },
        options: options.optimization, iterations: &iterations, evaluations: &evaluations,
        monitor: monitor)
      {
        best = multiStart(
          problem, penalizer: penalizer, starts: [screened.x], options: options.optimization,
          iterations: &iterations, evaluations: &evaluations, monitor: monitor)
      }
    }
    if best == nil || !(best!.converged) {
      best = multiStart(
        problem, penalizer: penalizer, starts: startList.map { problem.phi($0) },
        options: options.optimization, iterations: &iterations, evaluations: &evaluations,
        monitor: monitor)
    }
    if monitor.exhausted {
      throw ModelError.budgetExhausted(
        model: problem.modelName, seconds: monitor.seconds, evaluations: monitor.evaluations,
        best: monitor.best.map { best in
          zip(problem.parameterNames, problem.theta(best.phi)).map { ($0, $1) }
            .map { "\($0) = \(NumberText.significant($1))" }.joined(separator: ", ")
        })
    }
    guard let best, best.value.isFinite else {
      throw ModelError.nonFinite(
        model: problem.modelName, quantity: "the log-likelihood at every starting point")
    }
    let theta = problem.theta(best.x)
    var gradientLL = [Double](repeating: 0, count: k)
    let logLikelihood = problem.logLikelihood(theta, &gradientLL)
    guard logLikelihood.isFinite, theta.allSatisfy({ $0.isFinite }) else {
      throw ModelError.nonFinite(model: problem.modelName, quantity: "the log-likelihood")
    }

    var degenerateReasons: [String] = []
    if !best.converged {
      if !options.allowDegenerate {
        throw ModelError.didNotConverge(
          model: problem.modelName, iterations: iterations, gradientNorm: best.gradientNorm)
      }
      degenerateReasons.append("did not converge (\(best.reason.rawValue))")
    }
    for (i, (name, phi)) in zip(problem.parameterNames, best.x).enumerated()
    where problem.positive[i] && abs(phi) > logBoundary {
      degenerateReasons.append(
        "\(name) = \(Double.exp(phi)) is at the edge of the parameter space")
    }

    // Hessian of the penalized total objective in the natural parameters.
    let n = problem.customers
    let totalGradient: ([Double]) -> [Double] = { t in
      var g = [Double](repeating: 0, count: k)
      _ = problem.logLikelihood(t, &g)
      var out = [Double](repeating: 0, count: k)
      for i in 0..<k {
        let s = problem.penaltyScales[i]
        out[i] = -g[i] + 2 * n * penalizer * s * s * t[i] + 2 * n * problem.l2[i] * t[i]
      }
      return out
    }
    var standardErrors: [Double]?
    var logCovariance: [[Double]]?
    if degenerateReasons.isEmpty {
      let hessian = NumericalHessian.ofGradient(totalGradient, at: theta)
      do {
        let covariance = try CLVNumerics.covariance(fromHessian: hessian)
        let se = covariance.diagonal.map { $0.squareRoot() }
        if se.allSatisfy({ $0.isFinite }) {
          standardErrors = se
          logCovariance = logScale(covariance, at: theta, positive: problem.positive)
        } else {
          degenerateReasons.append("the standard errors are not finite")
        }
      } catch {
        degenerateReasons.append("the Hessian of −log L is not positive definite")
      }
    }
    let degenerate = !degenerateReasons.isEmpty
    if degenerate, !options.allowDegenerate {
      throw ModelError.degenerateFit(
        model: problem.modelName, reason: degenerateReasons.joined(separator: "; "))
    }
    let elapsed = clock.now - started
    let seconds =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    let report = FitReport(
      logLikelihood: logLikelihood, standardErrors: standardErrors, iterations: iterations,
      functionEvaluations: evaluations, gradientNorm: best.gradientNorm,
      converged: best.converged, degenerate: degenerate, seconds: seconds,
      customers: Int(n.rounded()), distinctRows: problem.distinctRows, penalizer: penalizer,
      reason: degenerate
        ? degenerateReasons.joined(separator: "; ") : best.reason.rawValue,
      dropped: problem.dropped, cpuSeconds: threadCPUSeconds() - startedCPU)
    var estimate = Estimate(parameters: theta, report: report)
    estimate.report.logParameterCovariance = logCovariance
    return estimate
  }

  /// The covariance of φ from that of θ by the delta method, φᵢ = log θᵢ for a positive
  /// parameter and φᵢ = θᵢ otherwise (a covariate coefficient, which can be negative): the
  /// Jacobian is diagonal with 1/θᵢ or 1, so
  ///
  ///     Cov(φᵢ, φⱼ) = Cov(θᵢ, θⱼ) / (sᵢ sⱼ),   sᵢ = θᵢ (positive) or 1 (real)
  ///
  /// At the optimum this equals the inverse Hessian of −log L in φ (the gradient term of the
  /// chain rule vanishes there).
  /// - Parameter positive: per parameter, whether it is on the log scale (nil: all).
  /// - Source: [CB2002] section 5.5.4 (the delta method, multivariate form).
  public static func logScale(
    _ covariance: Matrix, at theta: [Double], positive: [Bool]? = nil
  ) -> [[Double]] {
    let k = theta.count
    let scale = (0..<k).map { (positive?[$0] ?? true) ? theta[$0] : 1 }
    return (0..<k).map { i in
      (0..<k).map { j in covariance[i, j] / (scale[i] * scale[j]) }
    }
  }
}
