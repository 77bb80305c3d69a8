import RealModule

/// Hessians by central finite differences, for standard errors at a maximum-likelihood optimum.
///
/// Step control: each step is `hᵢ = c · max(1, |xᵢ|)` (relative to the size of the coordinate,
/// absolute near 0), rounded so that `xᵢ ± hᵢ` is exactly representable, and halved (up to 30
/// times) while the function or gradient is not finite at a stencil point, so the stencil backs
/// away from the edge of the domain. An entry whose stencil cannot be made finite is NaN, and
/// every entry is NaN when `f(x)` itself is not finite (``standardErrors(fromHessian:)`` then
/// throws).
///
/// - Source: [NW2006] Section 8.1 (central differences; Hessians from gradient differences and
///   from function values, with the step sizes `ε^{1/3}` and `ε^{1/4}` that balance truncation
///   and rounding error for these formulas); the four-point off-diagonal formula is [Rid2009]
///   eq. (9) (as in statsmodels' `approx_hess3`); relative steps `max(1, |xᵢ|)` as in [DS1996]
///   Section 5.4.
public enum NumericalHessian {
  /// Largest number of step halvings when a stencil point is not finite.
  static let maxHalvings = 30

  /// The Hessian of `f` at `x` by second central differences:
  ///
  ///     Hᵢᵢ = [f(x + hᵢeᵢ) − 2f(x) + f(x − hᵢeᵢ)] / hᵢ²
  ///     Hᵢⱼ = [f(x + hᵢeᵢ + hⱼeⱼ) − f(x + hᵢeᵢ − hⱼeⱼ) − f(x − hᵢeᵢ + hⱼeⱼ)
  ///            + f(x − hᵢeᵢ − hⱼeⱼ)] / (4 hᵢ hⱼ)
  ///
  /// with `hᵢ = ε^{1/4} · max(1, |xᵢ|)` (truncation O(h²), rounding O(ε|f|/h²)). Symmetric by
  /// construction. Relative accuracy is about 1e-7 for well-scaled `f`; prefer
  /// ``ofGradient(_:at:)`` when an analytic gradient exists.
  ///
  /// - Complexity: `1 + 2n + 2n(n − 1)` evaluations of `f` (more when steps are halved).
  public static func ofFunction(_ f: ([Double]) -> Double, at x: [Double]) -> Matrix {
    let n = x.count
    var hessian = Matrix(rows: n, columns: n)
    let f0 = f(x)
    guard f0.isFinite else { return Matrix(rows: n, columns: n, repeating: .nan) }
    let base = Double.root(Double.ulpOfOne, 4)
    var point = x
    var steps = [Double](repeating: 0, count: n)

    for i in 0..<n {
      var h = representableStep(base * Swift.max(1, Swift.abs(x[i])), at: x[i])
      var entry = Double.nan
      for _ in 0...maxHalvings {
        point[i] = x[i] + h
        let plus = f(point)
        point[i] = x[i] - h
        let minus = f(point)
        point[i] = x[i]
        if plus.isFinite && minus.isFinite {
          entry = ((plus - f0) + (minus - f0)) / (h * h)
          break
        }
        h = representableStep(h / 2, at: x[i])
      }
      steps[i] = h
      hessian[i, i] = entry
    }

    for i in 0..<n {
      for j in (i + 1)..<Swift.max(i + 1, n) {
        var hi = steps[i]
        var hj = steps[j]
        var entry = Double.nan
        for _ in 0...maxHalvings {
          point[i] = x[i] + hi
          point[j] = x[j] + hj
          let pp = f(point)
          point[j] = x[j] - hj
          let pm = f(point)
          point[i] = x[i] - hi
          let mm = f(point)
          point[j] = x[j] + hj
          let mp = f(point)
          point[i] = x[i]
          point[j] = x[j]
          if pp.isFinite && pm.isFinite && mp.isFinite && mm.isFinite {
            entry = ((pp - pm) - (mp - mm)) / (4 * hi * hj)
            break
          }
          hi = representableStep(hi / 2, at: x[i])
          hj = representableStep(hj / 2, at: x[j])
        }
        hessian[i, j] = entry
        hessian[j, i] = entry
      }
    }
    return hessian
  }

  /// The Hessian from central differences of an analytic gradient `g`, symmetrized:
  ///
  ///     Jᵢⱼ = [gⱼ(x + hᵢeᵢ) − gⱼ(x − hᵢeᵢ)] / (2hᵢ),    H = (J + Jᵀ) / 2
  ///
  /// with `hᵢ = ε^{1/3} · max(1, |xᵢ|)` (truncation O(h²), rounding O(ε|g|/h)); relative
  /// accuracy about 1e-10 for well-scaled `g`.
  ///
  /// - Precondition: `g` returns `x.count` components.
  /// - Complexity: `2n` evaluations of `g` (more when steps are halved).
  public static func ofGradient(_ g: ([Double]) -> [Double], at x: [Double]) -> Matrix {
    let n = x.count
    var jacobian = Matrix(rows: n, columns: n)
    let base = Double.root(Double.ulpOfOne, 3)
    var point = x
    for i in 0..<n {
      var h = representableStep(base * Swift.max(1, Swift.abs(x[i])), at: x[i])
      var column: [Double]? = nil
      for _ in 0...maxHalvings {
        point[i] = x[i] + h
        let plus = g(point)
        point[i] = x[i] - h
        let minus = g(point)
        point[i] = x[i]
        precondition(plus.count == n && minus.count == n, "gradient must have \(n) components")
        if allFinite(plus) && allFinite(minus) {
          column = (0..<n).map { (plus[$0] - minus[$0]) / (2 * h) }
          break
        }
        h = representableStep(h / 2, at: x[i])
      }
      for j in 0..<n { jacobian[j, i] = column?[j] ?? .nan }
    }
    var hessian = jacobian
    for i in 0..<n {
      for j in 0..<i {
        let mean = 0.5 * (jacobian[i, j] + jacobian[j, i])
        hessian[i, j] = mean
        hessian[j, i] = mean
      }
    }
    return hessian
  }

  /// `h` adjusted so that `x + h` is exactly `h` away from `x` (removes the representation error
  /// of the step); at least the spacing of doubles near `x`.
  static func representableStep(_ h: Double, at x: Double) -> Double {
    let adjusted = (x + h) - x
    return adjusted > 0 ? adjusted : Swift.max(h, x.ulp)
  }
}

/// Asymptotic standard errors from the Hessian `H` of a negative log-likelihood at its minimum:
///
///     SEᵢ = √[(H⁻¹)ᵢᵢ]
///
/// (the inverse observed Fisher information is the asymptotic covariance of the MLE). `H⁻¹` is
/// computed through the Cholesky factorisation (LAPACK `dpotrf` + `dpotri`), which also checks
/// that `H` is positive definite, i.e. that the optimum is a strict local minimum. Only the
/// lower triangle is read: pass a symmetric `H` (``NumericalHessian`` returns one).
///
/// - Source: standard likelihood theory, e.g. [CB2002] Section 10.1 (Theorem 10.1.12, asymptotic
///   efficiency of MLEs, and the observed-information variance estimate).
/// - Throws: ``OptimizationError/invalidArgument(_:)`` when `H` has a non-finite entry;
///   ``LinearAlgebraError/notPositiveDefinite(routine:order:)`` when it is not positive definite;
///   ``LinearAlgebraError/dimensionMismatch(_:)`` unless square.
/// - Complexity: O(n³).
public func standardErrors(fromHessian h: Matrix) throws -> [Double] {
  try covariance(fromHessian: h).diagonal.map { $0.squareRoot() }
}

/// The asymptotic covariance of the MLE, `H⁻¹`, from the Hessian `H` of a negative
/// log-likelihood at its minimum (the inverse observed Fisher information; its diagonal gives
/// ``standardErrors(fromHessian:)``). Inverted through the Cholesky factorisation, which also
/// checks that `H` is positive definite.
///
/// - Source: [CB2002] Section 10.1 (Theorem 10.1.12 and the observed-information variance
///   estimate).
/// - Throws: as ``standardErrors(fromHessian:)``.
/// - Complexity: O(n³).
public func covariance(fromHessian h: Matrix) throws -> Matrix {
  for j in 0..<h.columns {
    for i in 0..<h.rows where !h[i, j].isFinite {
      throw OptimizationError.invalidArgument(
        "standardErrors: Hessian entry (\(i + 1), \(j + 1)) is \(h[i, j])")
    }
  }
  return try Cholesky(h).inverse()
}
