import CLVNumerics

extension MaximumLikelihood {
  /// Up to 8 Newton steps θ ← θ − H⁻¹ ∇f on the total objective f = −log L + N c Σ (sᵢθᵢ)²
  /// + N Σ λᵢ θᵢ² in the natural parameters (H by central differences of the analytic
  /// gradient), each kept only if f decreases and the positive parameters stay positive; nil
  /// when no step was kept.
  ///
  /// - Source: [NW2006] section 3.3 (Newton's method), section 8.1 (Hessian from gradients).
  static func newtonPolished(
    _ problem: MaximumLikelihood.Problem, penalizer: Double, from start: [Double]
  ) -> [Double]? {
    let n = problem.customers
    let k = start.count
    func objective(_ theta: [Double]) -> (value: Double, gradient: [Double]) {
      var g = [Double](repeating: 0, count: k)
      let ll = problem.logLikelihood(theta, &g)
      var value = -ll
      var out = [Double](repeating: 0, count: k)
      for i in 0..<k {
        let s = problem.penaltyScales[i]
        value += n * (penalizer * s * s + problem.l2[i]) * theta[i] * theta[i]
        out[i] = -g[i] + 2 * n * (penalizer * s * s + problem.l2[i]) * theta[i]
      }
      return (value, out)
    }
    var theta = start
    var current = objective(theta)
    var improved = false
    for _ in 0..<8 {
      let hessian = NumericalHessian.ofGradient({ objective($0).gradient }, at: theta)
      guard let step = try? Cholesky(hessian).solve(current.gradient) else { break }
      let next = zip(theta, step).map { $0 - $1 }
      guard
        next.indices.allSatisfy({ next[$0].isFinite && (!problem.positive[$0] || next[$0] > 0) })
      else { break }
      let candidate = objective(next)
      guard candidate.value.isFinite, candidate.value <= current.value else { break }
      theta = next
      current = candidate
      improved = true
      if zip(step, theta).allSatisfy({ abs($0) <= 1e-12 * max(1, abs($1)) }) { break }
    }
    return improved ? theta : nil
  }

  /// The fit of `problem` from one start, then up to 8 Newton steps from the L-BFGS estimate
  /// (``newtonPolished(_:penalizer:from:)``) and the report (standard errors) at the polished
  /// point: L-BFGS stops at a tolerance that leaves ~1e-4 relative in flat directions, and the
  /// covariate fits are compared with independent estimates to 1e-4. Without `options.starts`
  /// only (given starts mean a fit as given).
  ///
  /// - Throws: the errors of ``fit(_:starts:options:screening:)``.
  static func fitPolished(
    _ problem: Problem, from start: [Double], options: FitOptions
  ) throws -> Estimate {
    let first = try fit(problem, starts: [start], options: options)
    guard options.starts == nil, !first.report.degenerate,
      let polished = newtonPolished(problem, penalizer: options.penalizer, from: first.parameters)
    else { return first }
    var estimate = try fit(problem, starts: [polished], options: options)
    estimate.report.iterations += first.report.iterations
    estimate.report.functionEvaluations += first.report.functionEvaluations
    estimate.report.seconds += first.report.seconds
    return estimate
  }
}
