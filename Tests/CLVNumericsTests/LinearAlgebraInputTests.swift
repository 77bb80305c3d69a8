import CLVNumerics
import TestSupport
import Testing

/// Every failure path of the BLAS/LAPACK wrappers throws the right typed error (no trap).
@Suite struct LinearAlgebraInputTests {
  /// Expects `body` to throw `LinearAlgebraError.dimensionMismatch` (any message).
  private func expectDimensionMismatch(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
  ) {
    do {
      try body()
      Issue.record("expected dimensionMismatch, nothing thrown", sourceLocation: sourceLocation)
    } catch let error as LinearAlgebraError {
      guard case .dimensionMismatch(let message) = error else {
        Issue.record("expected dimensionMismatch, got \(error)", sourceLocation: sourceLocation)
        return
      }
      #expect(!message.isEmpty, sourceLocation: sourceLocation)
    } catch {
      Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
    }
  }

  @Test func notPositiveDefiniteIsReportedWithTheOrderOfTheMinor() {
    // Indefinite: eigenvalues 3 and −1; the 2×2 leading minor is negative.
    let indefinite = Matrix([[1, 2], [2, 1]])
    #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dpotrf", order: 2)) {
      try Cholesky(indefinite)
    }
    #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dpotrf", order: 2)) {
      try indefinite.inverseSPD()
    }
    #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dpotrf", order: 1)) {
      try Cholesky(Matrix([[-1, 0], [0, 1]]))
    }
    // Positive semi-definite but singular is not positive definite either.
    #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dpotrf", order: 2)) {
      try Cholesky(Matrix([[1, 1], [1, 1]]))
    }
  }

  @Test func singularSystemIsReportedWithThePivot() {
    #expect(throws: LinearAlgebraError.singular(routine: "dgesv", pivot: 2)) {
      try Matrix([[1, 2], [2, 4]]).solve([1, 2])
    }
    #expect(throws: LinearAlgebraError.singular(routine: "dgesv", pivot: 1)) {
      try Matrix(rows: 2, columns: 2).solve([0, 0])
    }
  }

  @Test func nanEntriesAreRejectedByLAPACKE() {
    // LAPACKE's NaN check reports the matrix argument (position 4 of dpotrf, 4 of dgesv).
    #expect(throws: LinearAlgebraError.invalidArgument(routine: "dpotrf", position: 4)) {
      try Cholesky(Matrix([[.nan, 0], [0, 1]]))
    }
    #expect(throws: LinearAlgebraError.invalidArgument(routine: "dgesv", position: 4)) {
      try Matrix([[1, 0], [.nan, 1]]).solve([1, 1])
    }
  }

  @Test func nonFiniteWeightsAreRejected() {
    #expect(throws: LinearAlgebraError.invalidArgument(routine: "gram", position: 2)) {
      try Matrix.gram(Matrix([[1], [2]]), weights: [1, .infinity])
    }
  }

  @Test func dimensionMismatchesThrow() {
    let a = Matrix([[1, 2, 3], [4, 5, 6]])
    expectDimensionMismatch { _ = try a.multiplied(by: [1, 2]) }
    expectDimensionMismatch { _ = try a.transposeMultiplied(by: [1, 2, 3]) }
    expectDimensionMismatch { _ = try a.multiplied(by: a) }
    expectDimensionMismatch { _ = try Matrix.gram(a, weights: [1, 2, 3]) }
    expectDimensionMismatch { _ = try a.solve([1, 2]) }
    expectDimensionMismatch { _ = try Matrix.identity(2).solve([1, 2, 3]) }
    expectDimensionMismatch { _ = try a.inverseSPD() }
    expectDimensionMismatch { _ = try a.symmetricEigenvalues() }
    expectDimensionMismatch { _ = try Cholesky(a) }
    expectDimensionMismatch { _ = try Cholesky(Matrix.identity(2)).solve([1]) }
  }

  @Test func descriptionsNameTheRoutine() {
    let errors: [LinearAlgebraError] = [
      .notPositiveDefinite(routine: "dpotrf", order: 2), .singular(routine: "dgesv", pivot: 1),
      .invalidArgument(routine: "dsyev", position: 4), .lapack(routine: "dsyev", info: 3),
    ]
    for error in errors {
      #expect(error.description.hasPrefix("d"), "\(error.description)")
    }
    #expect(LinearAlgebraError.dimensionMismatch("x").description.contains("dimension mismatch"))
  }
}
