import CLVNumerics
import TestSupport
import Testing

/// BLAS/LAPACK wrappers on small matrices with exactly known results.
@Suite struct LinearAlgebraCorrectnessTests {
  /// Checks every element of `actual` against `expected` (row lists) to an absolute tolerance.
  private func expectMatrix(
    _ actual: Matrix, _ expected: [[Double]], absolute: Double, source: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(actual.rows == expected.count, sourceLocation: sourceLocation)
    #expect(actual.columns == (expected.first?.count ?? 0), sourceLocation: sourceLocation)
    guard actual.rows == expected.count, actual.columns == (expected.first?.count ?? 0) else {
      return
    }
    for i in 0..<actual.rows {
      for j in 0..<actual.columns {
        assertClose(
          actual[i, j], expected[i][j], absolute: absolute, source: "\(source) [\(i), \(j)]",
          sourceLocation: sourceLocation)
      }
    }
  }

  private let a = Matrix([[1, 2, 3], [4, 5, 6]])

  @Test func matrixIsColumnMajor() {
    #expect(a.elements == [1, 4, 2, 5, 3, 6])
    #expect(a.transposed == Matrix([[1, 4], [2, 5], [3, 6]]))
  }

  @Test func dotProduct() {
    #expect(dot([1, 2, 3], [4, 5, 6]) == 32)
    #expect(dot([], []) == 0)
  }

  @Test func matrixVectorProducts() throws {
    // Integer arithmetic: exact in binary floating point.
    #expect(try a.multiplied(by: [1, 0, -1]) == [-2, -2])
    #expect(try a.transposeMultiplied(by: [1, 1]) == [5, 7, 9])
    #expect(try Matrix(rows: 0, columns: 3).multiplied(by: [1, 2, 3]) == [])
  }

  @Test func matrixProduct() throws {
    let b = Matrix([[7, 8], [9, 10], [11, 12]])
    #expect(try a.multiplied(by: b) == Matrix([[58, 64], [139, 154]]))
    #expect(try Matrix.identity(2).multiplied(by: a) == a)
  }

  @Test func gramMatrix() throws {
    // AᵀA by hand: columns (1,4), (2,5), (3,6).
    #expect(try Matrix.gram(a) == Matrix([[17, 22, 27], [22, 29, 36], [27, 36, 45]]))
    // AᵀWA = Σᵢ wᵢ rᵢᵀrᵢ with r₁ = (1,2,3), r₂ = (4,5,6), by hand. 0.5 and √0.5² are not
    // exact, hence the tolerance.
    expectMatrix(
      try Matrix.gram(a, weights: [0.5, 3]),
      [[48.5, 61, 73.5], [61, 77, 93], [73.5, 93, 112.5]], absolute: 1e-12,
      source: "0.5·r₁ᵀr₁ + 3·r₂ᵀr₂ by hand")
    // A negative weight goes through the second dsyrk (alpha = −1).
    expectMatrix(
      try Matrix.gram(a, weights: [2, -1]),
      [[-14, -16, -18], [-16, -17, -18], [-18, -18, -18]], absolute: 1e-12,
      source: "2·r₁ᵀr₁ − r₂ᵀr₂ by hand")
  }

  @Test func generalSolveWithPivoting() throws {
    // A(0,0) = 0 forces a row interchange; x = (1, 2, 3) gives b by hand; det A = 3.
    let m = Matrix([[0, 2, 1], [1, 1, 1], [2, 1, 0]])
    let x = try m.solve([7, 6, 4])
    for (value, expected) in zip(x, [1.0, 2, 3]) {
      assertClose(value, expected, absolute: 1e-14, source: "constructed: A·(1,2,3) = b")
    }
  }

  @Test func choleskyFactorSolveInverseAndDeterminant() throws {
    // The classic example (Wikipedia "Cholesky decomposition"): L has integer entries.
    let m = Matrix([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])
    let cholesky = try Cholesky(m)
    expectMatrix(
      cholesky.lower, [[2, 0, 0], [6, 1, 0], [-8, 5, 3]], absolute: 1e-13,
      source: "L by hand (LLᵀ = A)")
    assertClose(
      cholesky.logDeterminant, Double.log(36), absolute: 1e-13,
      source: "det A = (2·1·3)² = 36")
    // b = A·(1, 1, 1).
    for value in try cholesky.solve([0, 6, 39]) {
      assertClose(value, 1, absolute: 1e-12, source: "constructed: A·(1,1,1) = b")
    }
    // mpmath 40 digits: `mp.matrix([[4,12,-16],[12,37,-43],[-16,-43,98]])**-1 * 36` is integral.
    let inverseTimes36: [[Double]] = [[1777, -488, 76], [-488, 136, -20], [76, -20, 4]]
    let expected = inverseTimes36.map { $0.map { $0 / 36 } }
    expectMatrix(try cholesky.inverse(), expected, absolute: 1e-11, source: "mpmath 40 digits")
    expectMatrix(try m.inverseSPD(), expected, absolute: 1e-11, source: "mpmath 40 digits")
  }

  @Test func hilbertInverseAndDeterminant() throws {
    // Hilbert matrix H₄ (cond ≈ 1.55e4): H₄⁻¹ is integral and det H₄ = 1/6048000
    // (Choi 1983, "Tricks or treats with the Hilbert matrix", Amer. Math. Monthly 90(5)).
    let h = Matrix((0..<4).map { i in (0..<4).map { j in 1 / Double(i + j + 1) } })
    let expected: [[Double]] = [
      [16, -120, 240, -140],
      [-120, 1200, -2700, 1680],
      [240, -2700, 6480, -4200],
      [-140, 1680, -4200, 2800],
    ]
    // Relative error ≲ cond · ε ≈ 3e-12; 1e-8 absolute on entries up to 6480.
    expectMatrix(try h.inverseSPD(), expected, absolute: 1e-8, source: "Hilbert inverse, exact")
    assertClose(
      try Cholesky(h).logDeterminant, -Double.log(6_048_000), relative: 1e-12,
      source: "det H₄ = 1/6048000, exact")
  }

  @Test func symmetricEigenvaluesAscending() throws {
    assertClose(
      try Matrix([[2, 1], [1, 2]]).symmetricEigenvalues()[0], 1, absolute: 1e-14,
      source: "eigenvalues of [[2,1],[1,2]] are 1 and 3")
    // Tridiagonal (−1, 2, −1) of order 5: λₖ = 2 − 2cos(kπ/6), k = 1…5, ascending.
    var t = Matrix(rows: 5, columns: 5)
    for i in 0..<5 {
      t[i, i] = 2
      if i > 0 { t[i, i - 1] = -1; t[i - 1, i] = -1 }
    }
    let eigenvalues = try t.symmetricEigenvalues()
    #expect(eigenvalues.count == 5)
    for k in 1...5 {
      assertClose(
        eigenvalues[k - 1], 2 - 2 * Double.cos(Double(k) * .pi / 6), absolute: 1e-13,
        source: "closed form for the second-difference matrix")
    }
  }

  @Test func blasThreadsCanBeSet() throws {
    BLASThreads.set(1)
    #expect(try Matrix.identity(3).multiplied(by: [1, 2, 3]) == [1, 2, 3])
  }
}
