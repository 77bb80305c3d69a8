import CLVNumerics
import TestSupport
import Testing

/// Identities between the BLAS/LAPACK wrappers on seeded random matrices.
@Suite struct LinearAlgebraConsistencyTests {
  /// A seeded `rows × columns` matrix with entries uniform in [−1, 1).
  private func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
    var rng = SeededGenerator(seed: seed)
    let values = (0..<(rows * columns)).map { _ in Double(rng.next() >> 11) * 0x1p-52 - 1 }
    return Matrix(rows: rows, columns: columns, columnMajor: values)
  }

  /// A seeded symmetric positive-definite `n × n` matrix: AᵀA + I.
  private func randomSPD(_ n: Int, seed: UInt64) throws -> Matrix {
    var m = try Matrix.gram(randomMatrix(2 * n, n, seed: seed))
    for i in 0..<n { m[i, i] += 1 }
    return m
  }

  private func expectClose(
    _ a: Matrix, _ b: Matrix, absolute: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(a.rows == b.rows && a.columns == b.columns, sourceLocation: sourceLocation)
    for (x, y) in zip(a.elements, b.elements) {
      assertClose(x, y, absolute: absolute, source: what, sourceLocation: sourceLocation)
    }
  }

  @Test func gramEqualsExplicitProduct() throws {
    let a = randomMatrix(9, 4, seed: 1)
    var rng = SeededGenerator(seed: 2)
    let weights = (0..<9).map { _ in Double(rng.next() >> 11) * 0x1p-52 - 0.5 }  // mixed signs
    var weighted = a
    for i in 0..<9 {
      for j in 0..<4 { weighted[i, j] *= weights[i] }
    }
    let explicit = try a.transposed.multiplied(by: weighted)
    expectClose(try Matrix.gram(a, weights: weights), explicit, absolute: 1e-14, "AᵀWA by dgemm")
    expectClose(
      try Matrix.gram(a), try a.transposed.multiplied(by: a), absolute: 1e-14, "AᵀA by dgemm")
  }

  @Test func transposeProductMatchesTransposedMatrix() throws {
    let a = randomMatrix(5, 3, seed: 3)
    let x = [0.5, -1.25, 2, 0.75, -0.125]
    let viaTranspose = try a.transposed.multiplied(by: x)
    for (u, v) in zip(try a.transposeMultiplied(by: x), viaTranspose) {
      assertClose(u, v, absolute: 1e-15, source: "Aᵀx two ways")
    }
  }

  @Test func choleskyInverseSolveAndSpectrumAgree() throws {
    let n = 6
    let m = try randomSPD(n, seed: 4)
    let cholesky = try Cholesky(m)
    let l = cholesky.lower
    expectClose(try l.multiplied(by: l.transposed), m, absolute: 1e-13, "L·Lᵀ = A")
    expectClose(
      try m.multiplied(by: cholesky.inverse()), Matrix.identity(n), absolute: 1e-12, "A·A⁻¹ = I")
    expectClose(try m.inverseSPD(), try cholesky.inverse(), absolute: 0, "same routine twice")

    let b = [1.0, -2, 3, -4, 5, -6]
    let x = try cholesky.solve(b)
    let general = try m.solve(b)
    let residual = try m.multiplied(by: x)
    for i in 0..<n {
      assertClose(residual[i], b[i], absolute: 1e-12, source: "A·x = b (dpotrs)")
      assertClose(general[i], x[i], absolute: 1e-12, source: "dgesv agrees with dpotrs")
    }

    let eigenvalues = try m.symmetricEigenvalues()
    #expect(eigenvalues == eigenvalues.sorted())
    #expect(eigenvalues.first! > 1 - 1e-12, "AᵀA + I has eigenvalues ≥ 1")
    let trace = m.diagonal.reduce(0, +)
    assertClose(eigenvalues.reduce(0, +), trace, relative: 1e-13, source: "Σλ = trace")
    let logDet = eigenvalues.reduce(0) { $0 + Double.log($1) }
    assertClose(cholesky.logDeterminant, logDet, relative: 1e-12, source: "Σ log λ = log det")
  }
}
