/// Draws from the multivariate normal N(μ, Σ) through the Cholesky factor Σ = LLᵀ:
///
///     x = μ + L z,   z = (z₁, …, z_k) independent standard normal
///
/// (a linear transformation of z, so Cov(x) = L I Lᵀ = Σ). The normals come from the
/// caller's ``SeededGenerator`` (Box–Muller), k per draw, so a seed gives the same draws on
/// every platform.
///
/// - Source: [GVL2013] section 4.2 (the Cholesky factorisation of a symmetric positive-definite
///   matrix); [CB2002] section 4.6 (linear transformations of a normal vector).
public struct MultivariateNormal: Sendable {
  public let mean: [Double]
  /// L, lower triangular; all zeros when Σ = 0 (every draw is then μ).
  public let factor: Matrix

  /// The distribution with mean `mean` and covariance `covariance` (symmetric; only its lower
  /// triangle is read).
  ///
  /// - Throws: ``LinearAlgebraError/dimensionMismatch(_:)`` unless `covariance` is k × k with
  ///   k = `mean.count`; ``LinearAlgebraError/notPositiveDefinite(routine:order:)`` when Σ is
  ///   neither positive definite nor zero; ``LinearAlgebraError/invalidArgument(routine:position:)``
  ///   for a non-finite entry.
  public init(mean: [Double], covariance: Matrix) throws {
    let k = mean.count
    guard covariance.rows == k, covariance.columns == k else {
      throw LinearAlgebraError.dimensionMismatch(
        "multivariate normal: mean of length \(k), covariance \(covariance.rows)×"
          + "\(covariance.columns)")
    }
    self.mean = mean
    if covariance.elements.allSatisfy({ $0 == 0 }) {
      factor = Matrix(rows: k, columns: k)
    } else {
      factor = try Cholesky(covariance).lower
    }
  }

  /// The dimension k.
  public var dimension: Int { mean.count }

  /// One draw μ + L z, written into `x` (resized to k); draws k normals from `generator`.
  public func draw(into x: inout [Double], using generator: inout SeededGenerator) {
    let k = mean.count
    var z = [Double](repeating: 0, count: k)
    for j in 0..<k { z[j] = generator.normal() }
    if x.count != k { x = [Double](repeating: 0, count: k) }
    for i in 0..<k {
      var value = mean[i]
      for j in 0...i { value += factor[i, j] * z[j] }
      x[i] = value
    }
  }

  /// `count` draws, in order, from a generator seeded with `seed`.
  public func draws(_ count: Int, seed: UInt64) -> [[Double]] {
    var generator = SeededGenerator(seed: seed)
    var out: [[Double]] = []
    out.reserveCapacity(count)
    var x: [Double] = []
    for _ in 0..<count {
      draw(into: &x, using: &generator)
      out.append(x)
    }
    return out
  }
}
