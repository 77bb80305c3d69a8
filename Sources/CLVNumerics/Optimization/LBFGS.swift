/// Limited-memory BFGS minimization with a strong-Wolfe line search.
///
/// Each iteration takes the quasi-Newton direction `d = −Hₖ gₖ`, where `Hₖ` is the inverse
/// Hessian approximation built from the last `m` pairs `sᵢ = xᵢ₊₁ − xᵢ`, `yᵢ = gᵢ₊₁ − gᵢ` by the
/// two-loop recursion, scaled by
///
///     Hₖ⁰ = γₖ I,   γₖ = sₖ₋₁ᵀyₖ₋₁ / yₖ₋₁ᵀyₖ₋₁
///
/// and steps to `x + α d` with `α` from ``StrongWolfeLineSearch`` (trial step 1; on the first
/// iteration and after a reset, `min(1, 1/‖g‖₂)`).
///
/// - Source: [NW2006] Algorithm 7.4 (two-loop recursion), Algorithm 7.5 (L-BFGS), eq. (7.20)
///   (initial scaling); line search Algorithms 3.5 and 3.6.
///
/// Safeguards: a pair with `sᵀy ≤ ε·yᵀy` is not stored (keeps `Hₖ` positive definite); if
/// `d` is not a descent direction, or the line search fails along it, the history is cleared and
/// the iteration is retried along steepest descent before giving up with `.lineSearchFailed`.
/// Objective values that are not finite at trial points are backtracked from (see the line
/// search); only a non-finite start is an error.
///
/// Stopping rules: see ``OptimizationOptions``. Every buffer is allocated once per call; the
/// objective is called with a reused array (copy it if you keep it).
public enum LBFGS {
  /// Minimizes `objective` from `x0`.
  ///
  /// - Parameters:
  ///   - x0: the starting point (finite, non-empty).
  ///   - options: stopping rules and the history length `memory`.
  ///   - objective: returns `f(x)` and writes `∇f(x)` into `gradient` (which has `x.count`
  ///     elements on entry; every element must be set). May return `+∞` or NaN outside its
  ///     domain.
  /// - Returns: the result, also when not converged (see ``OptimizationResult/converged``).
  /// - Throws: ``OptimizationError/nonFiniteObjective(at:)`` when `f` or `∇f` is not finite at
  ///   `x0`; ``OptimizationError/invalidArgument(_:)`` for an empty or non-finite `x0`, invalid
  ///   options, or a gradient of the wrong length.
  /// - Complexity: O(m·n) arithmetic per iteration besides the objective.
  public static func minimize(
    from x0: [Double], options: OptimizationOptions = .init(),
    _ objective: (_ x: [Double], _ gradient: inout [Double]) -> Double
  ) throws -> OptimizationResult {
    try options.validate("LBFGS")
    let n = x0.count
    guard n > 0 else { throw OptimizationError.invalidArgument("LBFGS: empty starting point") }
    guard allFinite(x0) else {
      throw OptimizationError.invalidArgument("LBFGS: starting point \(x0) is not finite")
    }
    var x = x0
    var g = [Double](repeating: 0, count: n)
    var f = objective(x, &g)
    var evaluations = 1
    guard g.count == n else {
      throw OptimizationError.invalidArgument(
        "LBFGS: objective set a gradient of length \(g.count), expected \(n)")
    }
    guard f.isFinite, allFinite(g) else { throw OptimizationError.nonFiniteObjective(at: x0) }

    // History ring buffer: pair j occupies s[j*n ..< (j+1)*n], y[…]; `newest` is the last slot.
    let m = options.memory
    var s = [Double](repeating: 0, count: m * n)
    var y = [Double](repeating: 0, count: m * n)
    var rho = [Double](repeating: 0, count: m)
    var alphas = [Double](repeating: 0, count: m)
    var stored = 0
    var newest = m - 1
    var d = [Double](repeating: 0, count: n)
    var lineSearch = StrongWolfeLineSearch(dimension: n)

    var iterations = 0
    var smallDecreases = 0
    var gradientNorm = infinityNorm(g)
    var reason: ConvergenceReason

    func finish(_ reason: ConvergenceReason) -> OptimizationResult {
      OptimizationResult(
        x: x, value: f, gradient: g, iterations: iterations, functionEvaluations: evaluations,
        gradientNorm: gradientNorm, converged: reason.isConvergence, reason: reason)
    }

    if gradientNorm <= options.gradientTolerance * Swift.max(1, Swift.abs(f)) {
      return finish(.gradientTolerance)
    }

    while true {
      if iterations >= options.maxIterations { reason = .maxIterations; break }
      if evaluations >= options.maxFunctionEvaluations {
        reason = .maxFunctionEvaluations
        break
      }

      // Algorithm 7.4: d = −H g by the two-loop recursion.
      for i in 0..<n { d[i] = g[i] }
      if stored > 0 {
        for k in 0..<stored {
          let j = (newest - k + m) % m
          var sq = 0.0
          for i in 0..<n { sq += s[j * n + i] * d[i] }
          let a = rho[j] * sq
          alphas[j] = a
          for i in 0..<n { d[i] -= a * y[j * n + i] }
        }
        var sy = 0.0
        var yy = 0.0
        for i in 0..<n {
          sy += s[newest * n + i] * y[newest * n + i]
          yy += y[newest * n + i] * y[newest * n + i]
        }
        let gamma = sy / yy  // eq. (7.20)
        for i in 0..<n { d[i] *= gamma }
        for k in stride(from: stored - 1, through: 0, by: -1) {
          let j = (newest - k + m) % m
          var yr = 0.0
          for i in 0..<n { yr += y[j * n + i] * d[i] }
          let b = rho[j] * yr
          let a = alphas[j]
          for i in 0..<n { d[i] += (a - b) * s[j * n + i] }
        }
      }
      for i in 0..<n { d[i] = -d[i] }

      var slope = 0.0
      for i in 0..<n { slope += g[i] * d[i] }
      var steepest = stored == 0
      if !(slope < 0) || !slope.isFinite {
        steepest = true
        stored = 0
        slope = 0
        for i in 0..<n {
          d[i] = -g[i]
          slope -= g[i] * g[i]
        }
      }

      var outcome: StrongWolfeLineSearch.Outcome
      while true {
        let initialStep = steepest ? Swift.min(1, 1 / (-slope).squareRoot()) : 1
        outcome = try lineSearch.search(
          x: x, f0: f, d: d, slope0: slope, initialStep: initialStep,
          evaluations: &evaluations, maxEvaluations: options.maxFunctionEvaluations,
          objective: objective)
        if case .failed = outcome, !steepest, evaluations < options.maxFunctionEvaluations {
          // Retry once along steepest descent with a fresh history.
          steepest = true
          stored = 0
          slope = 0
          for i in 0..<n {
            d[i] = -g[i]
            slope -= g[i] * g[i]
          }
          continue
        }
        break
      }
      guard case .accepted(_, let newValue) = outcome else {
        reason =
          evaluations >= options.maxFunctionEvaluations
          ? .maxFunctionEvaluations : .lineSearchFailed
        break
      }

      // Store the pair (s, y) in the next slot when the curvature is positive (else skip it,
      // leaving the history, and so Hₖ, positive definite).
      var sy = 0.0
      var yy = 0.0
      for i in 0..<n {
        let si = lineSearch.xTrial[i] - x[i]
        let yi = lineSearch.gTrial[i] - g[i]
        sy += si * yi
        yy += yi * yi
      }
      if sy > Double.ulpOfOne * yy, sy.isFinite, yy.isFinite {
        let slot = (newest + 1) % m
        for i in 0..<n {
          s[slot * n + i] = lineSearch.xTrial[i] - x[i]
          y[slot * n + i] = lineSearch.gTrial[i] - g[i]
        }
        rho[slot] = 1 / sy
        newest = slot
        stored = Swift.min(stored + 1, m)
      }

      swap(&x, &lineSearch.xTrial)
      swap(&g, &lineSearch.gTrial)
      let previous = f
      f = newValue
      iterations += 1
      gradientNorm = infinityNorm(g)

      if gradientNorm <= options.gradientTolerance * Swift.max(1, Swift.abs(f)) {
        reason = .gradientTolerance
        break
      }
      let scale = Swift.max(1, Swift.abs(previous), Swift.abs(f))
      if previous - f <= options.functionTolerance * scale {
        smallDecreases += 1
        if smallDecreases >= 2 { reason = .functionTolerance; break }
      } else {
        smallDecreases = 0
      }
    }
    return finish(reason)
  }
}
