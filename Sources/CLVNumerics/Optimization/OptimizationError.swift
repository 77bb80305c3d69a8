/// Failures of the optimizers and of the standard-error computation.
///
/// An optimizer that merely stops early (iteration or evaluation limit, failed line search)
/// does not throw: it returns an ``OptimizationResult`` with `converged == false`, and
/// ``OptimizationResult/checkConverged()`` turns that into
/// ``didNotConverge(iterations:gradientNorm:)``.
public enum OptimizationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The run stopped before a convergence test was met.
  case didNotConverge(iterations: Int, gradientNorm: Double)
  /// The objective (or its gradient) is NaN or infinite at the starting point. Trial points
  /// with non-finite values are backtracked from, never reported.
  case nonFiniteObjective(at: [Double])
  /// An argument is out of its domain (empty or non-finite start, bad option, Hessian with a
  /// non-finite entry, gradient of the wrong length).
  case invalidArgument(String)

  public var description: String {
    switch self {
    case .didNotConverge(let iterations, let gradientNorm):
      return "optimizer: did not converge after \(iterations) iterations "
        + "(gradient norm \(gradientNorm))"
    case .nonFiniteObjective(let x):
      return "optimizer: objective is not finite at the starting point \(x)"
    case .invalidArgument(let message):
      return "optimizer: \(message)"
    }
  }
}
