/// Stopping rules shared by ``LBFGS`` and ``NelderMead``.
public struct OptimizationOptions: Sendable, Equatable {
  /// Upper bound on iterations (L-BFGS steps, or Nelder–Mead simplex updates).
  public var maxIterations: Int
  /// Upper bound on objective evaluations (one evaluation computes value and gradient).
  public var maxFunctionEvaluations: Int
  /// L-BFGS converges when `‖g‖∞ ≤ gradientTolerance · max(1, |f|)` (scale-free for
  /// log-likelihoods, whose gradient grows with the number of customers).
  public var gradientTolerance: Double
  /// L-BFGS also converges when the relative decrease `(fₖ − fₖ₊₁) / max(1, |fₖ|, |fₖ₊₁|)` is at
  /// most this on two consecutive iterations. Nelder–Mead converges when the spread of the
  /// simplex values `f₍ₙ₊₁₎ − f₍₁₎` is at most `functionTolerance · max(1, |f₍₁₎|)` and the
  /// simplex diameter `maxᵢ ‖vᵢ − v₁‖∞` is at most `√functionTolerance · max(1, ‖v₁‖∞)` (or the
  /// simplex has collapsed to rounding level).
  public var functionTolerance: Double
  /// L-BFGS history length m (pairs (s, y) kept).
  public var memory: Int

  public init(
    maxIterations: Int = 1000, maxFunctionEvaluations: Int = 10_000,
    gradientTolerance: Double = 1e-6, functionTolerance: Double = 1e-14, memory: Int = 10
  ) {
    self.maxIterations = maxIterations
    self.maxFunctionEvaluations = maxFunctionEvaluations
    self.gradientTolerance = gradientTolerance
    self.functionTolerance = functionTolerance
    self.memory = memory
  }

  /// Throws ``OptimizationError/invalidArgument(_:)`` for an option out of its domain.
  func validate(_ routine: String) throws {
    func fail(_ message: String) -> OptimizationError { .invalidArgument("\(routine): \(message)") }
    guard maxIterations >= 0 else { throw fail("maxIterations \(maxIterations) < 0") }
    guard maxFunctionEvaluations >= 1 else {
      throw fail("maxFunctionEvaluations \(maxFunctionEvaluations) < 1")
    }
    guard gradientTolerance >= 0, gradientTolerance.isFinite else {
      throw fail("gradientTolerance \(gradientTolerance) is not a finite value ≥ 0")
    }
    guard functionTolerance >= 0, functionTolerance.isFinite else {
      throw fail("functionTolerance \(functionTolerance) is not a finite value ≥ 0")
    }
    guard memory >= 1 else { throw fail("memory \(memory) < 1") }
  }
}

/// Why an optimizer stopped.
public enum ConvergenceReason: String, Codable, Sendable {
  /// `‖g‖∞ ≤ gradientTolerance · max(1, |f|)` (converged).
  case gradientTolerance
  /// Relative decrease below `functionTolerance` twice in a row (converged).
  case functionTolerance
  /// Iteration limit reached (not converged).
  case maxIterations
  /// Evaluation limit reached (not converged).
  case maxFunctionEvaluations
  /// No step with sufficient decrease was found, even along steepest descent (not converged).
  case lineSearchFailed
  /// Nelder–Mead simplex small in value spread and diameter (converged).
  case simplexTolerance

  /// Whether this reason counts as convergence.
  public var isConvergence: Bool {
    switch self {
    case .gradientTolerance, .functionTolerance, .simplexTolerance: return true
    case .maxIterations, .maxFunctionEvaluations, .lineSearchFailed: return false
    }
  }
}

/// The outcome of a minimization: the best point found and how the run ended.
public struct OptimizationResult: Sendable, Equatable {
  /// The best point found.
  public var x: [Double]
  /// The objective at `x`.
  public var value: Double
  /// The gradient at `x` (L-BFGS: the objective's own; Nelder–Mead: central differences at the
  /// best vertex, computed once at the end).
  public var gradient: [Double]
  /// Iterations done.
  public var iterations: Int
  /// Objective evaluations done (including those for the final gradient of Nelder–Mead).
  public var functionEvaluations: Int
  /// `‖gradient‖∞`.
  public var gradientNorm: Double
  /// Whether a convergence test was met (`reason.isConvergence`).
  public var converged: Bool
  /// Why the run stopped.
  public var reason: ConvergenceReason

  public init(
    x: [Double], value: Double, gradient: [Double], iterations: Int, functionEvaluations: Int,
    gradientNorm: Double, converged: Bool, reason: ConvergenceReason
  ) {
    self.x = x
    self.value = value
    self.gradient = gradient
    self.iterations = iterations
    self.functionEvaluations = functionEvaluations
    self.gradientNorm = gradientNorm
    self.converged = converged
    self.reason = reason
  }

  /// Throws ``OptimizationError/didNotConverge(iterations:gradientNorm:)`` unless `converged`.
  public func checkConverged() throws {
    guard converged else {
      throw OptimizationError.didNotConverge(iterations: iterations, gradientNorm: gradientNorm)
    }
  }
}

/// `‖v‖∞`, NaN-propagating (a NaN component makes the norm NaN).
@inline(__always)
func infinityNorm(_ v: [Double]) -> Double {
  var norm = 0.0
  for value in v {
    let a = Swift.abs(value)
    if a > norm || a.isNaN { norm = a }
    if norm.isNaN { return norm }
  }
  return norm
}

/// Whether every component is finite.
@inline(__always)
func allFinite(_ v: [Double]) -> Bool {
  for value in v where !value.isFinite { return false }
  return true
}
