import RealModule

/// Derivative-free minimization by the Nelder–Mead simplex method, the fallback when a gradient
/// is unavailable or unreliable.
///
/// One iteration orders the vertices `f(v₁) ≤ … ≤ f(vₙ₊₁)`, takes the centroid `c` of the best
/// `n`, and tries in turn
///
///     reflection   x_r  = c + ρ (c − vₙ₊₁)
///     expansion    x_e  = c + χ (x_r − c)          if f(x_r) < f(v₁)
///     outside contraction x_oc = c + γ (x_r − c)   if f(vₙ) ≤ f(x_r) < f(vₙ₊₁)
///     inside contraction  x_ic = c − γ (c − vₙ₊₁)  if f(x_r) ≥ f(vₙ₊₁)
///     shrink       vᵢ ← v₁ + σ (vᵢ − v₁)            if the contraction is rejected
///
/// with the acceptance and tie-breaking rules of [LRWW1998] (Section 2, "one iteration of the
/// Nelder–Mead algorithm"). The coefficients are the dimension-adaptive ones of [GH2012],
///
///     ρ = 1,  χ = 1 + 2/n,  γ = 0.75 − 1/(2n),  σ = 1 − 1/n     (n ≥ 2)
///
/// which equal the standard (1, 2, ½, ½) for n = 2 and avoid the loss of descent of the standard
/// ones in higher dimensions; for n = 1 the standard values are used (σ would be 0).
///
/// Non-finite objective values count as `+∞`: such points are never accepted, so the simplex
/// contracts back into the region where the objective is finite.
///
/// The initial simplex is `x0` and `x0 + hᵢ eᵢ` with `hᵢ = initialStep · max(1, |x0ᵢ|)`.
/// Stopping: see ``OptimizationOptions/functionTolerance``; also `maxIterations` and
/// `maxFunctionEvaluations` (checked before each iteration, so the count may exceed it by the
/// n + 1 evaluations of one shrink, plus the final gradient's 2n).
///
/// At the end the gradient at the best vertex is estimated by central
/// differences (step `ε^{1/3} max(1, |xᵢ|)`, 2n extra evaluations, counted in the result) so that
/// the result reports a gradient norm; a component whose neighbours are both non-finite is NaN,
/// and the norm is then `+∞`.
public enum NelderMead {
  /// Minimizes `objective` from `x0`.
  ///
  /// - Throws: ``OptimizationError/nonFiniteObjective(at:)`` when `f(x0)` is not finite;
  ///   ``OptimizationError/invalidArgument(_:)`` for an empty or non-finite `x0`, a
  ///   non-positive `initialStep`, or invalid options.
  /// - Complexity: O(n) evaluations per shrink, otherwise 1–2 per iteration; O(n²) arithmetic
  ///   per iteration.
  public static func minimize(
    from x0: [Double], initialStep: Double = 0.1, options: OptimizationOptions = .init(),
    _ objective: ([Double]) -> Double
  ) throws -> OptimizationResult {
    try options.validate("NelderMead")
    let n = x0.count
    guard n > 0 else {
      throw OptimizationError.invalidArgument("NelderMead: empty starting point")
    }
    guard allFinite(x0) else {
      throw OptimizationError.invalidArgument("NelderMead: starting point \(x0) is not finite")
    }
    guard initialStep > 0, initialStep.isFinite else {
      throw OptimizationError.invalidArgument(
        "NelderMead: initialStep \(initialStep) is not a finite value > 0")
    }
    let nd = Double(n)
    let (rho, chi, gamma, sigma) =
      n >= 2 ? (1.0, 1 + 2 / nd, 0.75 - 1 / (2 * nd), 1 - 1 / nd) : (1.0, 2.0, 0.5, 0.5)

    var evaluations = 0
    var trial = x0
    func value(_ point: [Double]) -> Double {
      evaluations += 1
      let v = objective(point)
      return v.isNaN ? .infinity : v
    }
    let f0 = value(x0)
    guard f0.isFinite else { throw OptimizationError.nonFiniteObjective(at: x0) }

    // Vertex k is vertices[k*n ..< (k+1)*n]; order[0] is the best, order[n] the worst.
    var vertices = [Double](repeating: 0, count: (n + 1) * n)
    var values = [Double](repeating: 0, count: n + 1)
    var order = Array(0...n)
    for i in 0..<n { vertices[i] = x0[i] }
    values[0] = f0
    for k in 1...n {
      for i in 0..<n { trial[i] = x0[i] }
      trial[k - 1] += initialStep * Swift.max(1, Swift.abs(x0[k - 1]))
      for i in 0..<n { vertices[k * n + i] = trial[i] }
      values[k] = value(trial)
    }

    var centroid = [Double](repeating: 0, count: n)
    var reflected = [Double](repeating: 0, count: n)
    var iterations = 0
    let diameterTolerance = options.functionTolerance.squareRoot()
    var reason: ConvergenceReason

    func replaceWorst(with point: [Double], value v: Double) {
      let worst = order[n]
      for i in 0..<n { vertices[worst * n + i] = point[i] }
      values[worst] = v
    }

    while true {
      // Stable insertion sort: a new vertex goes after the old ones with an equal value.
      for a in 1...n {
        let key = order[a]
        var b = a - 1
        while b >= 0, values[order[b]] > values[key] {
          order[b + 1] = order[b]
          b -= 1
        }
        order[b + 1] = key
      }
      let best = order[0]
      let worst = order[n]
      let fBest = values[best]
      var diameter = 0.0
      var bestNorm = 0.0
      for i in 0..<n { bestNorm = Swift.max(bestNorm, Swift.abs(vertices[best * n + i])) }
      for k in 1...n {
        let v = order[k]
        for i in 0..<n {
          diameter = Swift.max(diameter, Swift.abs(vertices[v * n + i] - vertices[best * n + i]))
        }
      }
      let scale = Swift.max(1, bestNorm)
      let spread = values[worst] - fBest
      if (spread <= options.functionTolerance * Swift.max(1, Swift.abs(fBest))
        && diameter <= diameterTolerance * scale) || diameter <= 4 * Double.ulpOfOne * scale
      {
        reason = .simplexTolerance
        break
      }
      if iterations >= options.maxIterations { reason = .maxIterations; break }
      if evaluations >= options.maxFunctionEvaluations {
        reason = .maxFunctionEvaluations
        break
      }
      iterations += 1

      for i in 0..<n { centroid[i] = 0 }
      for k in 0..<n {
        let v = order[k]
        for i in 0..<n { centroid[i] += vertices[v * n + i] }
      }
      for i in 0..<n { centroid[i] /= nd }

      for i in 0..<n {
        reflected[i] = centroid[i] + rho * (centroid[i] - vertices[worst * n + i])
      }
      let fReflected = value(reflected)
      if fReflected < fBest {
        for i in 0..<n { trial[i] = centroid[i] + chi * (reflected[i] - centroid[i]) }
        let fExpanded = value(trial)
        if fExpanded < fReflected {
          replaceWorst(with: trial, value: fExpanded)
        } else {
          replaceWorst(with: reflected, value: fReflected)
        }
        continue
      }
      if fReflected < values[order[n - 1]] {
        replaceWorst(with: reflected, value: fReflected)
        continue
      }
      if fReflected < values[worst] {
        for i in 0..<n { trial[i] = centroid[i] + gamma * (reflected[i] - centroid[i]) }
        let fContracted = value(trial)
        if fContracted <= fReflected {
          replaceWorst(with: trial, value: fContracted)
          continue
        }
      } else {
        for i in 0..<n {
          trial[i] = centroid[i] - gamma * (centroid[i] - vertices[worst * n + i])
        }
        let fContracted = value(trial)
        if fContracted < values[worst] {
          replaceWorst(with: trial, value: fContracted)
          continue
        }
      }
      // Shrink towards the best vertex.
      for k in 1...n {
        let v = order[k]
        for i in 0..<n {
          let shrunk =
            vertices[best * n + i] + sigma * (vertices[v * n + i] - vertices[best * n + i])
          vertices[v * n + i] = shrunk
          trial[i] = shrunk
        }
        values[v] = value(trial)
      }
    }

    let best = order[0]
    var x = [Double](repeating: 0, count: n)
    for i in 0..<n { x[i] = vertices[best * n + i] }
    let fBest = values[best]
    // Final gradient by central differences (one-sided where one neighbour is not finite).
    var gradient = [Double](repeating: 0, count: n)
    let cubeRootEpsilon = Double.root(Double.ulpOfOne, 3)
    for i in 0..<n {
      let xi = x[i]
      trial = x
      trial[i] = xi + cubeRootEpsilon * Swift.max(1, Swift.abs(xi))
      let hPlus = trial[i] - xi
      let fPlus = value(trial)
      trial[i] = xi - hPlus
      let hMinus = xi - trial[i]
      let fMinus = value(trial)
      switch (fPlus.isFinite, fMinus.isFinite) {
      case (true, true): gradient[i] = (fPlus - fMinus) / (hPlus + hMinus)
      case (true, false): gradient[i] = (fPlus - fBest) / hPlus
      case (false, true): gradient[i] = (fBest - fMinus) / hMinus
      case (false, false): gradient[i] = .nan
      }
    }
    let norm = infinityNorm(gradient)
    return OptimizationResult(
      x: x, value: fBest, gradient: gradient, iterations: iterations,
      functionEvaluations: evaluations, gradientNorm: norm.isNaN ? .infinity : norm,
      converged: reason.isConvergence, reason: reason)
  }
}
