import CLVNumerics
import TestSupport
import Testing

/// Error paths of the optimizers and of the standard errors: each throws its typed error.
@Suite struct OptimizationInputTests {
  private func quadratic(_ x: [Double], _ g: inout [Double]) -> Double {
    for i in x.indices { g[i] = 2 * x[i] }
    return x.reduce(0) { $0 + $1 * $1 }
  }

  /// Expects `OptimizationError.invalidArgument` whose message contains `fragment`.
  private func expectInvalidArgument(
    _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
  ) {
    do {
      try body()
      Issue.record("expected invalidArgument, nothing thrown", sourceLocation: sourceLocation)
    } catch OptimizationError.invalidArgument(let message) {
      #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
    } catch {
      Issue.record("expected invalidArgument, got \(error)", sourceLocation: sourceLocation)
    }
  }

  @Test func nonFiniteStartThrows() {
    #expect(throws: OptimizationError.nonFiniteObjective(at: [1, 2])) {
      try LBFGS.minimize(from: [1, 2]) { _, g in
        g = [0, 0]
        return .nan
      }
    }
    // A finite value with an infinite gradient is not a usable start either.
    #expect(throws: OptimizationError.nonFiniteObjective(at: [1, 2])) {
      try LBFGS.minimize(from: [1, 2]) { _, g in
        g = [.infinity, 0]
        return 1
      }
    }
    #expect(throws: OptimizationError.nonFiniteObjective(at: [3])) {
      try NelderMead.minimize(from: [3]) { _ in -.infinity }
    }
  }

  @Test func invalidStartsAndOptionsThrow() {
    expectInvalidArgument("empty") { _ = try LBFGS.minimize(from: [], quadratic) }
    expectInvalidArgument("not finite") { _ = try LBFGS.minimize(from: [.nan], quadratic) }
    expectInvalidArgument("empty") { _ = try NelderMead.minimize(from: []) { _ in 0 } }
    expectInvalidArgument("not finite") {
      _ = try NelderMead.minimize(from: [.infinity]) { _ in 0 }
    }
    expectInvalidArgument("initialStep") {
      _ = try NelderMead.minimize(from: [1], initialStep: 0) { _ in 0 }
    }
    expectInvalidArgument("memory") {
      _ = try LBFGS.minimize(from: [1], options: .init(memory: 0), quadratic)
    }
    expectInvalidArgument("maxIterations") {
      _ = try LBFGS.minimize(from: [1], options: .init(maxIterations: -1), quadratic)
    }
    expectInvalidArgument("maxFunctionEvaluations") {
      _ = try NelderMead.minimize(from: [1], options: .init(maxFunctionEvaluations: 0)) { _ in 0 }
    }
    expectInvalidArgument("gradientTolerance") {
      _ = try LBFGS.minimize(from: [1], options: .init(gradientTolerance: -1), quadratic)
    }
    expectInvalidArgument("functionTolerance") {
      _ = try LBFGS.minimize(from: [1], options: .init(functionTolerance: .nan), quadratic)
    }
  }

  @Test func gradientOfTheWrongLengthThrows() {
    expectInvalidArgument("gradient of length 1") {
      _ = try LBFGS.minimize(from: [1, 2]) { _, g in
        g = [0]
        return 0
      }
    }
  }

  @Test func evaluationLimitStopsWithoutConverging() throws {
    var calls = 0
    let result = try LBFGS.minimize(from: [-1.2, 1], options: .init(maxFunctionEvaluations: 7)) {
      x, g in
      calls += 1
      let a = x[1] - x[0] * x[0]
      g[0] = -400 * a * x[0] - 2 * (1 - x[0])
      g[1] = 200 * a
      return 100 * a * a + (1 - x[0]) * (1 - x[0])
    }
    #expect(result.reason == .maxFunctionEvaluations)
    #expect(!result.converged)
    #expect(result.functionEvaluations == calls)
    #expect(calls <= 7)
    #expect(throws: OptimizationError.self) { try result.checkConverged() }
  }

  @Test func standardErrorsRejectBadHessians() {
    // Saddle point: indefinite Hessian.
    #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dpotrf", order: 2)) {
      try standardErrors(fromHessian: Matrix([[2, 0], [0, -1]]))
    }
    expectInvalidArgument("(2, 1)") {
      _ = try standardErrors(fromHessian: Matrix([[2, .nan], [.nan, 1]]))
    }
    // A Hessian taken where the function is not finite is all NaN, and rejected.
    let h = NumericalHessian.ofFunction({ _ in .nan }, at: [1, 2])
    expectInvalidArgument("Hessian entry") { _ = try standardErrors(fromHessian: h) }
    do {
      _ = try standardErrors(fromHessian: Matrix([[1, 2, 3]]))
      Issue.record("expected dimensionMismatch")
    } catch LinearAlgebraError.dimensionMismatch {
    } catch {
      Issue.record("expected dimensionMismatch, got \(error)")
    }
  }

  @Test func standardErrorsOfADiagonalHessian() throws {
    let se = try standardErrors(fromHessian: Matrix([[4, 0], [0, 0.25]]))
    assertClose(se[0], 0.5, absolute: 1e-15, source: "1/√4, exact")
    assertClose(se[1], 2, absolute: 1e-15, source: "1/√0.25, exact")
  }

  @Test func descriptionsAreOneLine() {
    let errors: [OptimizationError] = [
      .didNotConverge(iterations: 3, gradientNorm: 0.5), .nonFiniteObjective(at: [1]),
      .invalidArgument("LBFGS: memory 0 < 1"),
    ]
    for error in errors {
      #expect(error.description.hasPrefix("optimizer: "))
      #expect(!error.description.contains("\n"))
    }
    #expect(
      OptimizationError.didNotConverge(iterations: 3, gradientNorm: 0.5).description
        .contains("3 iterations"))
  }
}
