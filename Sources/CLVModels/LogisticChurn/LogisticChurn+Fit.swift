import CLVData
import CLVNumerics
import Foundation
import RealModule

// MARK: - Fitting

extension LogisticChurn {
  /// Fits the model to raw feature values and churn labels.
  ///
  /// - Parameters:
  ///   - features: n × p matrix, one row per customer, one column per feature (original scale).
  ///   - churned: n labels, true when the customer churned.
  ///   - featureNames: p names, used in the model and in error messages.
  /// - Throws: ``ModelError/unusableData(model:reason:)`` (exit 65) for an empty or one-class
  ///   sample, a non-finite or constant feature, collinear features, or (quasi-)complete
  ///   separation (each naming the feature);
  ///   ``ModelError/didNotConverge(model:iterations:gradientNorm:)``
  ///   when Newton's method does not converge.
  /// - Complexity: O(n p²) per Newton iteration; typically 5–8 iterations.
  public static func fit(
    features: Matrix, churned: [Bool], featureNames: [String], options: Options = Options()
  ) throws -> LogisticChurn {
    let start = Date()
    let n = features.rows
    let p = features.columns
    precondition(featureNames.count == p, "one name per feature column")
    precondition(churned.count == n, "one label per row")
    guard options.l2 >= 0, options.l2.isFinite else {
      throw ModelError.unusableData(model: modelName, reason: "the L2 penalty must be ≥ 0")
    }
    guard n > 0 else {
      throw ModelError.unusableData(model: modelName, reason: "no customers to fit")
    }
    let churners = churned.reduce(0) { $0 + ($1 ? 1 : 0) }
    guard churners > 0, churners < n else {
      throw ModelError.unusableData(
        model: modelName,
        reason: churners == 0
          ? "no customer churned: the label has one class"
          : "every customer churned: the label has one class")
    }

    // Standardize: z = (x − mean) / sd, sd with divisor n.
    let scaling = try standardization(features, featureNames: featureNames)
    var design = Matrix(rows: n, columns: p + 1, repeating: 1)
    design.elements.withUnsafeMutableBufferPointer { z in
      features.elements.withUnsafeBufferPointer { x in
        for j in 0..<p {
          let mean = scaling[j].mean
          let inverse = 1 / scaling[j].standardDeviation
          let offset = j * n
          let target = (j + 1) * n
          for i in 0..<n { z[target + i] = (x[offset + i] - mean) * inverse }
        }
      }
    }
    let y = churned.map { $0 ? 1.0 : 0.0 }

    // ZᵀZ serves the collinearity check and, times the constant weight ȳ(1 − ȳ) of the
    // intercept-only start, the first Newton step.
    let gram = try Matrix.gram(design)
    try checkCollinearity(gram: gram, featureNames: featureNames)
    if options.l2 == 0 {
      try checkUnivariateSeparation(features, churned: churned, featureNames: featureNames)
    }

    let newton = try newtonIterations(design: design, y: y, gram: gram, options: options)
    guard newton.converged else {
      if options.l2 == 0, newton.separation {
        throw separationError(newton, featureNames: featureNames, iterations: newton.iterations)
      }
      throw ModelError.didNotConverge(
        model: modelName, iterations: newton.iterations, gradientNorm: newton.gradientNorm)
    }
    if options.l2 == 0, newton.extremeProbabilities > 0,
      newton.coefficients.dropFirst().contains(where: { abs($0) > separationCoefficient })
    {
      throw separationError(newton, featureNames: featureNames, iterations: newton.iterations)
    }

    // Back to the original scale: β = A b with A = [[1, −x̄ᵀ/s], [0, diag(1/s)]].
    let b = newton.coefficients
    var coefficients = [Double](repeating: 0, count: p)
    var intercept = b[0]
    for j in 0..<p {
      coefficients[j] = b[j + 1] / scaling[j].standardDeviation
      intercept -= coefficients[j] * scaling[j].mean
    }

    // Standard errors (unpenalized only): Cov(β) = A (ZᵀWZ)⁻¹ Aᵀ.
    var standardErrors: [Double]? = nil
    if options.l2 == 0 {
      let covariance = try newton.hessian.inverse()
      var a = Matrix(rows: p + 1, columns: p + 1)
      a[0, 0] = 1
      for j in 0..<p {
        a[0, j + 1] = -scaling[j].mean / scaling[j].standardDeviation
        a[j + 1, j + 1] = 1 / scaling[j].standardDeviation
      }
      var errors = [Double](repeating: 0, count: p + 1)
      let names = ["intercept"] + featureNames
      for r in 0...p {
        var v = 0.0
        for k in 0...p where a[r, k] != 0 {
          for l in 0...p where a[r, l] != 0 { v += a[r, k] * covariance[k, l] * a[r, l] }
        }
        guard v > 0, v.isFinite else {
          throw ModelError.unusableData(
            model: modelName,
            reason:
              "the information matrix is singular for '\(names[r])'"
          )
        }
        errors[r] = v.squareRoot()
      }
      standardErrors = errors
    }

    let report = FitReport(
      logLikelihood: newton.logLikelihood, standardErrors: standardErrors,
      iterations: newton.iterations, functionEvaluations: newton.evaluations,
      gradientNorm: newton.gradientNorm, converged: true,
      seconds: Date().timeIntervalSince(start), customers: n, distinctRows: n,
      penalizer: options.l2, reason: "Newton step below \(options.stepTolerance)")
    let model = LogisticChurn(
      featureNames: featureNames, intercept: intercept, coefficients: coefficients,
      scaling: scaling, l2: options.l2, standardErrors: standardErrors, fitReport: report)
    for (name, value) in zip(model.parameterNames, model.parameterValues) where !value.isFinite {
      throw ModelError.nonFinite(model: modelName, quantity: "coefficient of '\(name)'")
    }
    return model
  }
}

extension LogisticChurn {
  struct NewtonResult {
    var coefficients: [Double]
    var hessian: Cholesky
    var logLikelihood: Double
    var gradientNorm: Double
    var iterations: Int
    var evaluations: Int
    var converged: Bool
    /// Signs of separation seen (flat objective with large steps, or a singular Hessian).
    var separation: Bool
    /// Customers whose fitted probability is within 1e-10 of 0 or 1.
    var extremeProbabilities: Int
  }

  /// Per-iteration quantities at b: log-likelihood, penalized objective, gradient of −F
  /// (score minus penalty), and the weights μ(1 − μ).
  struct Evaluation {
    var logLikelihood: Double
    var objective: Double
    var score: [Double]
    var weights: [Double]
    var extremeProbabilities: Int
  }

  /// log-likelihood Σ yη − log(1 + e^η), score Zᵀ(y − μ) − P b and weights μ(1 − μ) at b.
  static func evaluate(design: Matrix, y: [Double], b: [Double], l2: Double) throws -> Evaluation {
    let n = design.rows
    let eta = try design.multiplied(by: b)
    var residual = [Double](repeating: 0, count: n)
    var weights = [Double](repeating: 0, count: n)
    var logLikelihood = 0.0
    var extreme = 0
    eta.withUnsafeBufferPointer { eta in
      y.withUnsafeBufferPointer { y in
        residual.withUnsafeMutableBufferPointer { residual in
          weights.withUnsafeMutableBufferPointer { weights in
            for i in 0..<n {
              let e = eta[i]
              // One exponential: t = e^(−|η|) ∈ (0, 1]; log(1 + e^η) = max(η, 0) + log1p(t),
              // σ(η) = 1/(1 + t) for η ≥ 0 and t/(1 + t) otherwise.
              let t = Double.exp(-abs(e))
              // log(1 + t) for t ∈ (0, 1]: the rounding of 1 + t costs at most 1.2e-16
              // absolute per customer (faster than log1p; t ≤ 1e-8 uses t − t²/2).
              let softplus = max(e, 0) + (t > 1e-8 ? Double.log(1 + t) : t - 0.5 * t * t)
              logLikelihood += y[i] * e - softplus
              let mu = e >= 0 ? 1 / (1 + t) : t / (1 + t)
              residual[i] = y[i] - mu
              let w = mu * (1 - mu)
              weights[i] = w
              if w < 1e-10 { extreme += 1 }
            }
          }
        }
      }
    }
    var score = try design.transposeMultiplied(by: residual)
    var penalty = 0.0
    for j in 1..<b.count {
      score[j] -= l2 * b[j]
      penalty += b[j] * b[j]
    }
    return Evaluation(
      logLikelihood: logLikelihood, objective: -logLikelihood + 0.5 * l2 * penalty, score: score,
      weights: weights, extremeProbabilities: extreme)
  }

  /// Newton's method with step halving on the standardized design (first column ones).
  ///
  /// - Source: [MN1989] ch. 2 (IRLS; for the canonical logit link it is Newton's method).
  ///
  /// - Parameter gram: ZᵀZ; at the intercept-only start every weight is the same ȳ(1 − ȳ), so
  ///   the first Hessian is that weight times ZᵀZ (one weighted Gram product saved).
  static func newtonIterations(
    design: Matrix, y: [Double], gram: Matrix, options: Options
  ) throws -> NewtonResult {
    let p1 = design.columns
    let mean = y.reduce(0, +) / Double(y.count)
    var b = [Double](repeating: 0, count: p1)
    b[0] = Double.log(mean / (1 - mean))  // the intercept-only MLE
    var current = try evaluate(design: design, y: y, b: b, l2: options.l2)
    var evaluations = 1
    var flatSteps = 0
    var iteration = 0
    while true {
      var hessianMatrix: Matrix
      if iteration == 0 {
        hessianMatrix = gram
        let w = current.weights[0]
        for k in hessianMatrix.elements.indices { hessianMatrix.elements[k] *= w }
      } else {
        hessianMatrix = try Matrix.gram(design, weights: current.weights)
      }
      for j in 1..<p1 { hessianMatrix[j, j] += options.l2 }
      let hessian: Cholesky
      do {
        hessian = try Cholesky(hessianMatrix)
      } catch LinearAlgebraError.notPositiveDefinite {
        // Weights underflowed to 0: fitted probabilities exactly 0 or 1 (separation).
        return NewtonResult(
          coefficients: b, hessian: try Cholesky(Matrix.identity(p1)),
          logLikelihood: current.logLikelihood, gradientNorm: maxNorm(current.score),
          iterations: iteration, evaluations: evaluations, converged: false, separation: true,
          extremeProbabilities: current.extremeProbabilities)
      }
      let gradientNorm = maxNorm(current.score)
      if iteration >= options.maxIterations {
        return NewtonResult(
          coefficients: b, hessian: hessian, logLikelihood: current.logLikelihood,
          gradientNorm: gradientNorm, iterations: iteration, evaluations: evaluations,
          converged: false, separation: current.extremeProbabilities > 0,
          extremeProbabilities: current.extremeProbabilities)
      }
      let step = try hessian.solve(current.score)
      let stepNorm = maxNorm(step)
      if stepNorm <= options.stepTolerance {
        // Converged. The last step is below tolerance; take it and keep the Hessian at b.
        for j in 0..<p1 { b[j] += step[j] }
        let final = try evaluate(design: design, y: y, b: b, l2: options.l2)
        return NewtonResult(
          coefficients: b, hessian: hessian, logLikelihood: final.logLikelihood,
          gradientNorm: maxNorm(final.score), iterations: iteration + 1,
          evaluations: evaluations + 1, converged: true, separation: false,
          extremeProbabilities: final.extremeProbabilities)
      }
      iteration += 1
      // Step halving until the penalized objective does not increase.
      var scale = 1.0
      var trial = b
      var next = current
      for _ in 0..<40 {
        for j in 0..<p1 { trial[j] = b[j] + scale * step[j] }
        next = try evaluate(design: design, y: y, b: trial, l2: options.l2)
        evaluations += 1
        if next.objective.isFinite,
          next.objective <= current.objective + 1e-12 * max(1, abs(current.objective))
        {
          break
        }
        scale /= 2
      }
      // Separation signature: the objective is flat while the steps stay large.
      let decrease = current.objective - next.objective
      if options.l2 == 0, stepNorm > 1, decrease <= 1e-9 * max(1, abs(current.objective)) {
        flatSteps += 1
      } else {
        flatSteps = 0
      }
      b = trial
      current = next
      if flatSteps >= 5 {
        let h = (try? Cholesky(Matrix.gram(design, weights: current.weights))) ?? hessian
        return NewtonResult(
          coefficients: b, hessian: h, logLikelihood: current.logLikelihood,
          gradientNorm: maxNorm(current.score), iterations: iteration, evaluations: evaluations,
          converged: false, separation: true,
          extremeProbabilities: current.extremeProbabilities)
      }
    }
  }
}

// σ(η) is CLVNumerics' `logistic(_:)` (evaluated on the side that cannot overflow).

func maxNorm(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }
