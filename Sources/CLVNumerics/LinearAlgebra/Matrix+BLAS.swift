import CLAPACK

/// The dot product `xᵀy = Σᵢ xᵢ yᵢ` (CBLAS `ddot`).
///
/// - Precondition: `x.count == y.count` (a programming error otherwise).
/// - Complexity: O(n).
public func dot(_ x: [Double], _ y: [Double]) -> Double {
  precondition(x.count == y.count, "dot: vectors have lengths \(x.count) and \(y.count)")
  guard !x.isEmpty, let n = Int32(exactly: x.count) else {
    // Empty, or too long for a 32-bit BLAS index: sum in Swift.
    var sum = 0.0
    for i in x.indices { sum += x[i] * y[i] }
    return sum
  }
  return cblas_ddot(n, x, 1, y, 1)
}

extension Matrix {
  /// The matrix–vector product `A·x` (CBLAS `dgemv`, no transpose).
  ///
  /// - Throws: ``LinearAlgebraError/dimensionMismatch(_:)`` unless `x.count == columns`.
  /// - Complexity: O(rows · columns).
  public func multiplied(by x: [Double]) throws -> [Double] {
    guard x.count == columns else {
      throw LinearAlgebraError.dimensionMismatch(
        "dgemv: \(rows)×\(columns) matrix times vector of length \(x.count)")
    }
    var y = [Double](repeating: 0, count: rows)
    if rows == 0 || columns == 0 { return y }
    let m: Int32 = try blasIndex(rows, "dgemv")
    let n: Int32 = try blasIndex(columns, "dgemv")
    cblas_dgemv(CblasColMajor, CblasNoTrans, m, n, 1, elements, m, x, 1, 0, &y, 1)
    return y
  }

  /// The transposed matrix–vector product `Aᵀ·x` (CBLAS `dgemv` with `CblasTrans`; the
  /// transpose is not formed).
  ///
  /// - Throws: ``LinearAlgebraError/dimensionMismatch(_:)`` unless `x.count == rows`.
  /// - Complexity: O(rows · columns).
  public func transposeMultiplied(by x: [Double]) throws -> [Double] {
    guard x.count == rows else {
      throw LinearAlgebraError.dimensionMismatch(
        "dgemv: transpose of \(rows)×\(columns) matrix times vector of length \(x.count)")
    }
    var y = [Double](repeating: 0, count: columns)
    if rows == 0 || columns == 0 { return y }
    let m: Int32 = try blasIndex(rows, "dgemv")
    let n: Int32 = try blasIndex(columns, "dgemv")
    cblas_dgemv(CblasColMajor, CblasTrans, m, n, 1, elements, m, x, 1, 0, &y, 1)
    return y
  }

  /// The matrix product `A·B` (CBLAS `dgemm`).
  ///
  /// - Throws: ``LinearAlgebraError/dimensionMismatch(_:)`` unless
  ///   `columns == other.rows`.
  /// - Complexity: O(rows · columns · other.columns).
  public func multiplied(by other: Matrix) throws -> Matrix {
    guard columns == other.rows else {
      throw LinearAlgebraError.dimensionMismatch(
        "dgemm: \(rows)×\(columns) matrix times \(other.rows)×\(other.columns) matrix")
    }
    var c = Matrix(rows: rows, columns: other.columns)
    if rows == 0 || other.columns == 0 || columns == 0 { return c }
    let m: Int32 = try blasIndex(rows, "dgemm")
    let n: Int32 = try blasIndex(other.columns, "dgemm")
    let k: Int32 = try blasIndex(columns, "dgemm")
    cblas_dgemm(
      CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, elements, m, other.elements, k, 0,
      &c.elements, m)
    return c
  }

  /// The Gram matrix `AᵀWA` with `W = diag(weights)` (identity when `weights` is nil), returned
  /// as a full symmetric `columns × columns` matrix.
  ///
  ///     (AᵀWA)ⱼₖ = Σᵢ wᵢ aᵢⱼ aᵢₖ
  ///
  /// Computed by the symmetric rank-k update CBLAS `dsyrk` on the rows of `A` scaled by
  /// `√wᵢ`; negative weights are handled exactly by a second `dsyrk` with `alpha = −1` on the
  /// rows scaled by `√(−wᵢ)` (`AᵀWA = A₊ᵀA₊ − A₋ᵀA₋`). The upper triangle is computed and
  /// mirrored.
  ///
  /// - Parameters:
  ///   - a: an `n × p` matrix, one row per observation.
  ///   - weights: `n` finite weights, or nil for all ones.
  /// - Throws: ``LinearAlgebraError/dimensionMismatch(_:)`` unless `weights.count == a.rows`;
  ///   ``LinearAlgebraError/invalidArgument(routine:position:)`` (routine "gram", position 2)
  ///   when a weight is not finite.
  /// - Complexity: O(n · p²).
  public static func gram(_ a: Matrix, weights: [Double]? = nil) throws -> Matrix {
    let n = a.rows
    let p = a.columns
    var result = Matrix(rows: p, columns: p)
    if let weights {
      guard weights.count == n else {
        throw LinearAlgebraError.dimensionMismatch(
          "gram: \(n)×\(p) matrix with \(weights.count) weights")
      }
      guard weights.allSatisfy({ $0.isFinite }) else {
        throw LinearAlgebraError.invalidArgument(routine: "gram", position: 2)
      }
    }
    if n == 0 || p == 0 { return result }
    let pIndex: Int32 = try blasIndex(p, "dsyrk")
    let nIndex: Int32 = try blasIndex(n, "dsyrk")
    guard let weights else {
      cblas_dsyrk(
        CblasColMajor, CblasUpper, CblasTrans, pIndex, nIndex, 1, a.elements, nIndex, 0,
        &result.elements, pIndex)
      result.mirrorUpperToLower()
      return result
    }
    // Rows scaled by √max(w, 0) and by √max(−w, 0).
    var scaled = a.elements
    var hasNegative = false
    for i in 0..<n {
      let s = weights[i] > 0 ? weights[i].squareRoot() : 0
      if weights[i] < 0 { hasNegative = true }
      for j in 0..<p { scaled[i + j * n] *= s }
    }
    cblas_dsyrk(
      CblasColMajor, CblasUpper, CblasTrans, pIndex, nIndex, 1, scaled, nIndex, 0,
      &result.elements, pIndex)
    if hasNegative {
      for i in 0..<n {
        let s = weights[i] < 0 ? (-weights[i]).squareRoot() : 0
        for j in 0..<p { scaled[i + j * n] = a.elements[i + j * n] * s }
      }
      cblas_dsyrk(
        CblasColMajor, CblasUpper, CblasTrans, pIndex, nIndex, -1, scaled, nIndex, 1,
        &result.elements, pIndex)
    }
    result.mirrorUpperToLower()
    return result
  }
}
