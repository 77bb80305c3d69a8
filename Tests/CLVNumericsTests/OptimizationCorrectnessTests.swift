import CLVNumerics
import TestSupport
import Testing

// MARK: - Test problems

/// Rosenbrock's function, 2-D: f = 100 (x₂ − x₁²)² + (1 − x₁)², minimum 0 at (1, 1).
private func rosenbrock(_ x: [Double], _ g: inout [Double]) -> Double {
  let a = x[1] - x[0] * x[0]
  let b = 1 - x[0]
  g[0] = -400 * a * x[0] - 2 * b
  g[1] = 200 * a
  return 100 * a * a + b * b
}

/// Extended Rosenbrock ([MGH1981] problem 21): Σᵢ 100 (x₂ᵢ − x₂ᵢ₋₁²)² + (1 − x₂ᵢ₋₁)², minimum 0 at
/// (1, …, 1), standard start (−1.2, 1, −1.2, 1, …).
private func extendedRosenbrock(_ x: [Double], _ g: inout [Double]) -> Double {
  var f = 0.0
  for i in stride(from: 0, to: x.count, by: 2) {
    let a = x[i + 1] - x[i] * x[i]
    let b = 1 - x[i]
    g[i] = -400 * a * x[i] - 2 * b
    g[i + 1] = 200 * a
    f += 100 * a * a + b * b
  }
  return f
}

/// A uniform double in [0, 1) from the top 53 bits.
private func uniform(_ rng: inout SeededGenerator) -> Double { Double(rng.next() >> 11) * 0x1p-53 }

/// Standard normal by Box–Muller (cosine branch), u₁ = 1 − uniform ∈ (0, 1].
private func normal(_ rng: inout SeededGenerator) -> Double {
  let u1 = 1 - uniform(&rng)
  let u2 = uniform(&rng)
  return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * .pi * u2)
}

/// Gamma(shape, rate) variate by Marsaglia & Tsang (2000), shape ≥ 1, without the squeeze.
/// scripts/reference/gamma_mle.py generates the same stream.
private func gammaVariate(_ rng: inout SeededGenerator, shape: Double, rate: Double) -> Double {
  let d = shape - 1.0 / 3.0
  let c = 1 / (9 * d).squareRoot()
  while true {
    let z = normal(&rng)
    var v = 1 + c * z
    if v <= 0 { continue }
    v = v * v * v
    let u = 1 - uniform(&rng)
    if Double.log(u) < 0.5 * z * z + d - d * v + d * Double.log(v) { return d * v / rate }
  }
}

/// ψ(x) for x > 0: recurrence up to x ≥ 20, then the asymptotic series
/// ψ(x) = log x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) (Abramowitz & Stegun 6.3.18), truncation < 1e-20.
/// Local to this test on purpose (the library's digamma is tested elsewhere).
private func testDigamma(_ x: Double) -> Double {
  var x = x
  var shift = 0.0
  while x < 20 {
    shift -= 1 / x
    x += 1
  }
  let r = 1 / (x * x)
  let series =
    r * (1.0 / 12 - r * (1.0 / 120 - r * (1.0 / 252 - r * (1.0 / 240 - r * (1.0 / 132)))))
  return shift + Double.log(x) - 0.5 / x - series
}

/// ψ′(x) for x > 0: recurrence up to x ≥ 20, then ψ′(x) = 1/x + 1/(2x²) + Σ B₂ₖ/x²ᵏ⁺¹
/// (Abramowitz & Stegun 6.4.12).
private func testTrigamma(_ x: Double) -> Double {
  var x = x
  var shift = 0.0
  while x < 20 {
    shift += 1 / (x * x)
    x += 1
  }
  let r = 1 / (x * x)
  let series = (1 / x) * r * (1.0 / 6 - r * (1.0 / 30 - r * (1.0 / 42 - r * (1.0 / 30))))
  return shift + 1 / x + 0.5 * r + series
}

/// The seeded gamma sample and the negative log-likelihood in u = (log k, log θ):
///
///     −log L = −n k log θ + n log Γ(k) − (k − 1) Σ log xᵢ + θ Σ xᵢ
private struct GammaSample {
  let n: Double
  let sum: Double
  let sumLog: Double

  init() {
    var rng = SeededGenerator(seed: 20_261_122)
    let xs = (0..<1000).map { _ in gammaVariate(&rng, shape: 2.5, rate: 1.5) }
    n = Double(xs.count)
    sum = xs.reduce(0, +)
    sumLog = xs.reduce(0) { $0 + Double.log($1) }
  }

  func negativeLogLikelihood(_ u: [Double]) -> Double {
    let k = Double.exp(u[0])
    let theta = Double.exp(u[1])
    return -n * k * u[1] + n * Double.logGamma(k) - (k - 1) * sumLog + theta * sum
  }

  func gradient(_ u: [Double]) -> [Double] {
    let k = Double.exp(u[0])
    let theta = Double.exp(u[1])
    return [
      k * (-n * u[1] + n * testDigamma(k) - sumLog),
      theta * (-n * k / theta + sum),
    ]
  }

  /// The shape MLE by bisection of log k − ψ(k) = log(mean) − mean(log x) (decreasing in k),
  /// to a bracket width of 1e-13.
  func shapeByBisection() -> Double {
    let target = Double.log(sum / n) - sumLog / n
    var low = 1e-3
    var high = 1e3
    while high - low > 1e-13 {
      let mid = 0.5 * (low + high)
      if Double.log(mid) - testDigamma(mid) > target { low = mid } else { high = mid }
    }
    return 0.5 * (low + high)
  }
}

// MARK: - Tests

@Suite struct OptimizationCorrectnessTests {
  @Test func lbfgsSolvesRosenbrockFromTheStandardStart() throws {
    let options = OptimizationOptions(gradientTolerance: 1e-10, functionTolerance: 0)
    let result = try LBFGS.minimize(from: [-1.2, 1], options: options, rosenbrock)
    try result.checkConverged()
    #expect(result.reason == .gradientTolerance)
    for value in result.x {
      assertClose(value, 1, absolute: 1e-6, source: "Rosenbrock minimum (1, 1), exact")
    }
    #expect(result.value < 1e-12)
    #expect(result.gradientNorm <= 1e-10)
    #expect(result.iterations < 100, "took \(result.iterations) iterations")
  }

  @Test func lbfgsSolvesTenDimensionalExtendedRosenbrock() throws {
    let start = (0..<10).map { $0 % 2 == 0 ? -1.2 : 1.0 }
    let options = OptimizationOptions(gradientTolerance: 1e-10, functionTolerance: 0, memory: 5)
    let result = try LBFGS.minimize(from: start, options: options, extendedRosenbrock)
    try result.checkConverged()
    for value in result.x {
      assertClose(value, 1, absolute: 1e-6, source: "[MGH1981] problem 21: minimum at ones, exact")
    }
  }

  @Test func lbfgsSolvesABadlyScaledRotatedQuadratic() throws {
    // f = ½ (x − c)ᵀ A (x − c) with A = Q diag(λ) Qᵀ, λ from 1 to 1e6 (condition number 1e6),
    // Q a Householder reflection of a seeded vector; the minimizer c is seeded too.
    let n = 6
    var rng = SeededGenerator(seed: 7)
    let v = (0..<n).map { _ in uniform(&rng) - 0.5 }
    let c = (0..<n).map { _ in 10 * (uniform(&rng) - 0.5) }
    let vv = v.reduce(0) { $0 + $1 * $1 }
    var a = Matrix(rows: n, columns: n)
    for i in 0..<n {
      for j in 0..<n {
        var sum = 0.0
        for k in 0..<n {
          let lambda = Double.pow(10, 6 * Double(k) / Double(n - 1))
          let qik = (i == k ? 1 : 0) - 2 * v[i] * v[k] / vv
          let qjk = (j == k ? 1 : 0) - 2 * v[j] * v[k] / vv
          sum += qik * lambda * qjk
        }
        a[i, j] = sum
      }
    }
    let eigenvalues = try a.symmetricEigenvalues()
    assertClose(
      eigenvalues.last! / eigenvalues.first!, 1e6, relative: 1e-6,
      source: "construction: condition number 1e6")
    let options = OptimizationOptions(gradientTolerance: 1e-10, functionTolerance: 0)
    let result = try LBFGS.minimize(from: [Double](repeating: 0, count: n), options: options) {
      x, g in
      let residual = zip(x, c).map { $0 - $1 }
      let ar = (try? a.multiplied(by: residual)) ?? []
      for i in 0..<n { g[i] = ar[i] }
      return 0.5 * dot(residual, ar)
    }
    try result.checkConverged()
    // ‖x − c‖₂ ≤ ‖g‖₂ / λ_min ≤ √6 · 1e-10.
    for (value, expected) in zip(result.x, c) {
      assertClose(value, expected, absolute: 1e-8, source: "constructed minimizer c")
    }
  }

  @Test func lbfgsBacktracksFromNonFiniteTrialPoints() throws {
    // f(x) = x − log x is NaN for x < 0. From x = 10 the second quasi-Newton step lands near
    // x ≈ −72 (secant curvature ≈ 0.011 vs f″ ≈ 0.012 … 0.01), which must be backtracked.
    var sawNonFinite = false
    let result = try LBFGS.minimize(
      from: [10], options: OptimizationOptions(gradientTolerance: 1e-12)
    ) { x, g in
      g[0] = 1 - 1 / x[0]
      let f = x[0] - Double.log(x[0])
      if !f.isFinite { sawNonFinite = true }
      return f
    }
    #expect(sawNonFinite, "the test should exercise a non-finite trial point")
    try result.checkConverged()
    assertClose(result.x[0], 1, absolute: 1e-9, source: "minimum of x − log x at x = 1, exact")
  }

  @Test func nelderMeadSolvesRosenbrock() throws {
    let result = try NelderMead.minimize(from: [-1.2, 1]) { x in
      var g = [0.0, 0.0]
      return rosenbrock(x, &g)
    }
    try result.checkConverged()
    #expect(result.reason == .simplexTolerance)
    for value in result.x {
      assertClose(value, 1, absolute: 1e-6, source: "Rosenbrock minimum (1, 1), exact")
    }
    #expect(result.gradientNorm < 1e-5)
  }

  @Test func nelderMeadSolvesFourDimensionalExtendedRosenbrock() throws {
    // n = 4 uses the adaptive coefficients of [GH2012].
    let result = try NelderMead.minimize(
      from: [-1.2, 1, -1.2, 1], options: OptimizationOptions(maxFunctionEvaluations: 20_000)
    ) { x in
      var g = [Double](repeating: 0, count: 4)
      return extendedRosenbrock(x, &g)
    }
    try result.checkConverged()
    for value in result.x {
      assertClose(value, 1, absolute: 1e-5, source: "[MGH1981] problem 21: minimum at ones")
    }
  }

  @Test func gammaMaximumLikelihoodMatchesReference() throws {
    let sample = GammaSample()
    // mpmath 50 digits: /work/pyref/bin/python scripts/reference/gamma_mle.py (same sample).
    let referenceShape = 2.4982359593188045963
    let referenceRate = 1.5212004235026188412
    // Independent in-test reference: bisection with the local digamma.
    let bisectedShape = sample.shapeByBisection()
    assertClose(
      bisectedShape, referenceShape, relative: 1e-12,
      source: "bisection vs mpmath: checks the sample and the local digamma")
    assertClose(
      sample.sum / sample.n, referenceShape / referenceRate, relative: 1e-13,
      source: "mpmath script: θ̂ = k̂ / mean")

    let options = OptimizationOptions(gradientTolerance: 1e-10, functionTolerance: 0)
    let start = [0.0, 0.0]  // k = θ = 1
    let result = try LBFGS.minimize(from: start, options: options) { u, g in
      let gradient = sample.gradient(u)
      g[0] = gradient[0]
      g[1] = gradient[1]
      return sample.negativeLogLikelihood(u)
    }
    try result.checkConverged()
    assertClose(
      Double.exp(result.x[0]), referenceShape, relative: 1e-9,
      source: "mpmath 50 digits, scripts/reference/gamma_mle.py")
    assertClose(
      Double.exp(result.x[1]), referenceRate, relative: 1e-9,
      source: "mpmath 50 digits, scripts/reference/gamma_mle.py")

    // Nelder–Mead, the derivative-free fallback, on the same problem.
    let simplex = try NelderMead.minimize(from: start, options: OptimizationOptions()) {
      sample.negativeLogLikelihood($0)
    }
    try simplex.checkConverged()
    assertClose(
      Double.exp(simplex.x[0]), referenceShape, relative: 1e-6,
      source: "mpmath 50 digits; Nelder–Mead simplex diameter ≤ 1e-7")
    assertClose(
      Double.exp(simplex.x[1]), referenceRate, relative: 1e-6,
      source: "mpmath 50 digits; Nelder–Mead simplex diameter ≤ 1e-7")
  }

  @Test func hessianStandardErrorsMatchFisherInformation() throws {
    let sample = GammaSample()
    let u = [Double.log(2.4982359593188045963), Double.log(1.5212004235026188412)]
    // Analytic: I(k, θ) = n [[ψ′(k), −1/θ], [−1/θ, k/θ²]] (observed = expected here), so
    // SE(log k) = 1/√(n k (k ψ′(k) − 1)), SE(log θ) = √(ψ′(k) / (n (k ψ′(k) − 1))).
    let k = Double.exp(u[0])
    let t1 = testTrigamma(k)
    let expectedLogShape = 1 / (sample.n * k * (k * t1 - 1)).squareRoot()
    let expectedLogRate = (t1 / (sample.n * (k * t1 - 1))).squareRoot()
    // mpmath 50 digits (scripts/reference/gamma_mle.py) checks the local trigamma.
    assertClose(expectedLogShape, 0.042078539102346885704, relative: 1e-12, source: "mpmath")
    assertClose(expectedLogRate, 0.046592766593056962161, relative: 1e-12, source: "mpmath")

    let fromGradient = NumericalHessian.ofGradient(sample.gradient, at: u)
    let fromFunction = NumericalHessian.ofFunction(sample.negativeLogLikelihood, at: u)
    for hessian in [fromGradient, fromFunction] {
      #expect(hessian[0, 1] == hessian[1, 0])
      let se = try standardErrors(fromHessian: hessian)
      // Numerical differences: ≈ 1e-9 (gradient) and ≈ 1e-7 (function values) relative.
      assertClose(se[0], expectedLogShape, relative: 1e-6, source: "analytic Fisher information")
      assertClose(se[1], expectedLogRate, relative: 1e-6, source: "analytic Fisher information")
    }
  }

  @Test func numericalHessianOfAKnownFunction() {
    // f = eˣ sin y + x² z³ + y z at (0.3, 1.2, −0.7); Hessian by hand.
    let p = [0.3, 1.2, -0.7]
    let f: ([Double]) -> Double = { v in
      Double.exp(v[0]) * Double.sin(v[1]) + v[0] * v[0] * v[2] * v[2] * v[2] + v[1] * v[2]
    }
    let gradient: ([Double]) -> [Double] = { v in
      [
        Double.exp(v[0]) * Double.sin(v[1]) + 2 * v[0] * v[2] * v[2] * v[2],
        Double.exp(v[0]) * Double.cos(v[1]) + v[2],
        3 * v[0] * v[0] * v[2] * v[2] + v[1],
      ]
    }
    let (x, y, z) = (p[0], p[1], p[2])
    let ex = Double.exp(x)
    let expected: [[Double]] = [
      [ex * Double.sin(y) + 2 * z * z * z, ex * Double.cos(y), 6 * x * z * z],
      [ex * Double.cos(y), -ex * Double.sin(y), 1],
      [6 * x * z * z, 1, 6 * x * x * z],
    ]
    let fromFunction = NumericalHessian.ofFunction(f, at: p)
    let fromGradient = NumericalHessian.ofGradient(gradient, at: p)
    for i in 0..<3 {
      for j in 0..<3 {
        assertClose(
          fromFunction[i, j], expected[i][j], absolute: 1e-6,
          source: "analytic Hessian; second differences, h = ε^¼")
        assertClose(
          fromGradient[i, j], expected[i][j], absolute: 1e-8,
          source: "analytic Hessian; gradient differences, h = ε^⅓")
        #expect(fromFunction[i, j] == fromFunction[j, i])
        #expect(fromGradient[i, j] == fromGradient[j, i])
      }
    }
  }

  @Test func numericalHessianShrinksStepsAtTheEdgeOfTheDomain() {
    // f = x² + xy + 2y² for x ≥ 0, +∞ (resp. a NaN gradient) for x < 0, at x = 5e-5 < ε^¼:
    // the first stencil leaves the domain, the halved one does not. Quadratic ⇒ exact Hessian
    // up to rounding.
    let p = [5e-5, 1.0]
    let f: ([Double]) -> Double = { v in
      v[0] < 0 ? .infinity : v[0] * v[0] + v[0] * v[1] + 2 * v[1] * v[1]
    }
    let gradient: ([Double]) -> [Double] = { v in
      v[0] < 0 ? [.nan, .nan] : [2 * v[0] + v[1], v[0] + 4 * v[1]]
    }
    let expected: [[Double]] = [[2, 1], [1, 4]]
    let fromFunction = NumericalHessian.ofFunction(f, at: p)
    let fromGradient = NumericalHessian.ofGradient(gradient, at: p)
    for i in 0..<2 {
      for j in 0..<2 {
        assertClose(
          fromFunction[i, j], expected[i][j], absolute: 1e-5,
          source: "quadratic, exact Hessian; rounding ≈ ε|f|/h² with h ≈ 3e-5")
        assertClose(
          fromGradient[i, j], expected[i][j], absolute: 1e-8,
          source: "quadratic, exact Hessian")
      }
    }
  }

  @Test func nonConvergedRunIsReportedAndThrowsOnCheck() throws {
    let options = OptimizationOptions(maxIterations: 3)
    let result = try LBFGS.minimize(from: [-1.2, 1], options: options, rosenbrock)
    #expect(result.converged == false)
    #expect(result.reason == .maxIterations)
    #expect(result.iterations == 3)
    #expect(
      throws: OptimizationError.didNotConverge(iterations: 3, gradientNorm: result.gradientNorm)
    ) {
      try result.checkConverged()
    }
    let simplex = try NelderMead.minimize(from: [-1.2, 1], options: options) { x in
      var g = [0.0, 0.0]
      return rosenbrock(x, &g)
    }
    #expect(simplex.converged == false)
    #expect(simplex.reason == .maxIterations)
    #expect(throws: OptimizationError.self) { try simplex.checkConverged() }
  }
}
