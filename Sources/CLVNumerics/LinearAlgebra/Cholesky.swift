import CLAPACK
import RealModule

/// The Cholesky factorisation `A = LLᵀ` of a symmetric positive-definite matrix, with `L`
/// lower triangular (LAPACKE `dpotrf`, column-major, `uplo = "L"`).
///
/// Only the lower triangle of `A` is read; symmetry is the caller's promise. Use it to solve
/// several systems with one factorisation, to invert a covariance-type matrix, or for
/// `log det A`.
public struct Cholesky: Sendable {
  /// The factor `L` (upper triangle zero).
  public let lower: Matrix

  /// Factors `a`.
  ///
  /// - Throws: ``LinearAlgebraError/notPositiveDefinite(routine:order:)`` when the leading minor
  ///   of that order is not positive (`info > 0`); ``LinearAlgebraError/dimensionMismatch(_:)``
  ///   unless square; ``LinearAlgebraError/invalidArgument(routine:position:)`` for `info < 0`
  ///   (LAPACKE reports a NaN in the lower triangle as argument 4).
  /// - Complexity: O(n³/3).
  public init(_ a: Matrix) throws {
    guard a.isSquare else {
      throw LinearAlgebraError.dimensionMismatch(
        "dpotrf: \(a.rows)×\(a.columns) matrix is not square")
    }
    var factor = a
    if a.rows > 0 {
      let n: Int32 = try blasIndex(a.rows, "dpotrf")
      let info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, lapackFlag("L"), n, &factor.elements, n)
      try checkInfo(info, "dpotrf") { .notPositiveDefinite(routine: "dpotrf", order: $0) }
      // dpotrf leaves the strict upper triangle untouched: clear it so that `lower` is L.
      for j in 1..<Swift.max(1, a.rows) {
        for i in 0..<j { factor[i, j] = 0 }
      }
    }
    lower = factor
  }

  /// The order `n` of the factored matrix.
  public var order: Int { lower.rows }

  /// The solution `x` of `A·x = b` from the factorisation (LAPACKE `dpotrs`).
  ///
  /// - Throws: ``LinearAlgebraError/dimensionMismatch(_:)`` unless `b.count == n`;
  ///   ``LinearAlgebraError/invalidArgument(routine:position:)`` for `info < 0` (a NaN in `b`).
  /// - Complexity: O(n²).
  public func solve(_ b: [Double]) throws -> [Double] {
    guard b.count == order else {
      throw LinearAlgebraError.dimensionMismatch(
        "dpotrs: order \(order) factorisation with right-hand side of length \(b.count)")
    }
    if order == 0 { return [] }
    let n: Int32 = try blasIndex(order, "dpotrs")
    var x = b
    let info = lower.elements.withUnsafeBufferPointer { l in
      LAPACKE_dpotrs(LAPACK_COL_MAJOR, lapackFlag("L"), n, 1, l.baseAddress, n, &x, n)
    }
    try checkInfo(info, "dpotrs") { .lapack(routine: "dpotrs", info: $0) }
    return x
  }

  /// `A⁻¹` as a full symmetric matrix (LAPACKE `dpotri` on the factor, lower triangle mirrored).
  ///
  /// - Throws: ``LinearAlgebraError/singular(routine:pivot:)`` if a diagonal element of `L` is
  ///   zero (cannot happen after a successful `dpotrf` on finite input).
  /// - Complexity: O(n³).
  public func inverse() throws -> Matrix {
    var inverse = lower
    if order == 0 { return inverse }
    let n: Int32 = try blasIndex(order, "dpotri")
    let info = LAPACKE_dpotri(LAPACK_COL_MAJOR, lapackFlag("L"), n, &inverse.elements, n)
    try checkInfo(info, "dpotri") { .singular(routine: "dpotri", pivot: $0) }
    inverse.mirrorLowerToUpper()
    return inverse
  }

  /// `log det A = 2 Σᵢ log Lᵢᵢ` (no overflow for large or tiny determinants).
  ///
  /// - Complexity: O(n).
  public var logDeterminant: Double {
    var sum = 0.0
    for i in 0..<order { sum += Double.log(lower[i, i]) }
    return 2 * sum
  }
}
