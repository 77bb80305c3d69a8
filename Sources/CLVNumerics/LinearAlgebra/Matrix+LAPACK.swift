import CLAPACK

extension Matrix {
  /// The solution `x` of the square system `A·x = b`, by LU factorisation with partial
  /// pivoting (LAPACKE `dgesv`, column-major). `self` is not modified.
  ///
  /// - Throws: ``LinearAlgebraError/dimensionMismatch(_:)`` unless `A` is square and
  ///   `b.count == rows`; ``LinearAlgebraError/singular(routine:pivot:)`` when LU meets an
  ///   exactly zero pivot (`info > 0`); ``LinearAlgebraError/invalidArgument(routine:position:)``
  ///   for `info < 0` (LAPACKE reports a NaN in `A` or `b` this way).
  /// - Complexity: O(n³).
  public func solve(_ b: [Double]) throws -> [Double] {
    guard isSquare else {
      throw LinearAlgebraError.dimensionMismatch("dgesv: \(rows)×\(columns) matrix is not square")
    }
    guard b.count == rows else {
      throw LinearAlgebraError.dimensionMismatch(
        "dgesv: \(rows)×\(columns) system with right-hand side of length \(b.count)")
    }
    if rows == 0 { return [] }
    let n: Int32 = try blasIndex(rows, "dgesv")
    var lu = elements
    var x = b
    var pivots = [Int32](repeating: 0, count: rows)
    let info = LAPACKE_dgesv(LAPACK_COL_MAJOR, n, 1, &lu, n, &pivots, &x, n)
    try checkInfo(info, "dgesv") { .singular(routine: "dgesv", pivot: $0) }
    return x
  }

  /// The inverse of a symmetric positive-definite matrix: Cholesky factorisation `A = LLᵀ`
  /// (LAPACKE `dpotrf`) followed by `dpotri`; the result is returned as a full symmetric
  /// matrix. Only the lower triangle of `self` is read (symmetry is the caller's promise).
  ///
  /// - Throws: ``LinearAlgebraError/notPositiveDefinite(routine:order:)`` when `dpotrf` finds
  ///   the leading minor of that order not positive; ``LinearAlgebraError/dimensionMismatch(_:)``
  ///   unless square; ``LinearAlgebraError/invalidArgument(routine:position:)`` for a NaN entry.
  /// - Complexity: O(n³).
  public func inverseSPD() throws -> Matrix {
    try Cholesky(self).inverse()
  }

  /// The eigenvalues of a symmetric matrix in ascending order (LAPACKE `dsyev`, `jobz = "N"`,
  /// lower triangle read).
  ///
  /// - Throws: ``LinearAlgebraError/dimensionMismatch(_:)`` unless square;
  ///   ``LinearAlgebraError/lapack(routine:info:)`` when the QR iteration fails to converge
  ///   (`info > 0`); ``LinearAlgebraError/invalidArgument(routine:position:)`` for `info < 0`
  ///   (including a NaN entry).
  /// - Complexity: O(n³).
  public func symmetricEigenvalues() throws -> [Double] {
    guard isSquare else {
      throw LinearAlgebraError.dimensionMismatch("dsyev: \(rows)×\(columns) matrix is not square")
    }
    if rows == 0 { return [] }
    let n: Int32 = try blasIndex(rows, "dsyev")
    var a = elements
    var w = [Double](repeating: 0, count: rows)
    let info = LAPACKE_dsyev(
      LAPACK_COL_MAJOR, lapackFlag("N"), lapackFlag("L"), n, &a, n, &w)
    try checkInfo(info, "dsyev") { .lapack(routine: "dsyev", info: $0) }
    return w
  }
}
