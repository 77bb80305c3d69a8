/// Failures of the BLAS/LAPACK layer. Every LAPACK `info` ≠ 0 becomes one of these.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Cholesky (dpotrf) found a non-positive pivot: the matrix is not positive definite.
  case notPositiveDefinite(routine: String, order: Int)
  /// LU (dgetrf/dgesv) found an exactly zero pivot: the matrix is singular.
  case singular(routine: String, pivot: Int)
  /// LAPACK rejected argument number `position` (info < 0): a programming error in clvkit.
  case invalidArgument(routine: String, position: Int)
  /// An iterative routine (e.g. dsyev) failed to converge, or another positive `info`.
  case lapack(routine: String, info: Int)
  /// Operand shapes do not match.
  case dimensionMismatch(String)

  public var description: String {
    switch self {
    case .notPositiveDefinite(let routine, let order):
      return "\(routine): matrix is not positive definite (leading minor of order \(order))"
    case .singular(let routine, let pivot):
      return "\(routine): matrix is singular (zero pivot at \(pivot))"
    case .invalidArgument(let routine, let position):
      return "\(routine): invalid argument \(position) (an illegal value, or a NaN entry)"
    case .lapack(let routine, let info):
      return "\(routine): failed with info = \(info)"
    case .dimensionMismatch(let message):
      return "dimension mismatch: \(message)"
    }
  }
}
