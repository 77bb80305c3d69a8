import CLVData
import CLVNumerics
import Foundation
import RealModule

/// A supervised churn classifier: P(churn | features) for one customer.
///
/// Refines ``FittedModel``: the parameters are the intercept and one coefficient per feature,
/// in the order of ``featureNames``.
public protocol ChurnClassifier: FittedModel {
  /// The model's features, in the order `churnProbability(for:)` expects their values.
  var featureNames: [String] { get }
  /// The probability that a customer with these feature values churns.
  func churnProbability(for features: [Double]) -> Double
}

/// Logistic regression of churn on customer features, fitted by Newton's method (IRLS).
///
/// Model, for customer i with features xᵢ ∈ ℝᵖ and label yᵢ = 1 when the customer churns:
///
///     P(yᵢ = 1 | xᵢ) = σ(ηᵢ),   ηᵢ = β₀ + Σⱼ βⱼ xᵢⱼ,   σ(η) = 1 / (1 + e^(−η))
///
/// Fitting works on standardized features zᵢⱼ = (xᵢⱼ − x̄ⱼ) / sⱼ, with x̄ⱼ the mean and sⱼ the
/// population standard deviation (divisor n, as scikit-learn's `StandardScaler`), and minimizes
///
///     F(b) = Σᵢ [ log(1 + e^(ηᵢ)) − yᵢ ηᵢ ] + (λ / 2) Σⱼ₌₁..ₚ bⱼ²,   ηᵢ = b₀ + Σⱼ bⱼ zᵢⱼ
///
/// (the intercept b₀ is not penalized). With λ = 0 this is maximum likelihood, and the estimate
/// does not depend on the standardization. With λ > 0 it is exactly scikit-learn's
/// `make_pipeline(StandardScaler(), LogisticRegression(C = 1 / λ))`, which minimizes
/// `C Σᵢ logloss + ½‖w‖²` with an unpenalized intercept: **C = 1 / λ**. The penalty acts on the
/// standardized coefficients, so λ does not depend on the features' units.
///
/// Coefficients are reported on the original feature scale:
///
///     βⱼ = bⱼ / sⱼ,   β₀ = b₀ − Σⱼ bⱼ x̄ⱼ / sⱼ
///
/// Newton step (IRLS), with μᵢ = σ(ηᵢ), wᵢ = μᵢ(1 − μᵢ), Z the n × (p+1) standardized design
/// with a leading column of ones, and P = diag(0, λ, …, λ):
///
///     (ZᵀWZ + P) Δ = Zᵀ(y − μ) − P b,   b ← b + Δ
///
/// ZᵀWZ is formed by `Matrix.gram(_:weights:)` (dsyrk) and the system is solved by `Cholesky`
/// (dpotrf/dpotrs). Steps are halved while F increases.
///
/// - Source: [MN1989] ch. 2 (IRLS for generalized linear models) and ch. 4 (binary data:
///   Fisher information and standard errors); [AA1984] (existence of the maximum-likelihood estimate: it does not
///   exist under complete or quasi-complete separation); [HTF2009] §3.4.1 (ridge penalty on
///   standardized inputs, intercept unpenalized).
public struct LogisticChurn: ChurnClassifier, Equatable {
  public static let modelName = "logistic churn"
  public static let modelID = "churn-logit"

  /// Mean and population standard deviation of one feature in the training data.
  public struct FeatureScaling: Codable, Sendable, Equatable {
    public var mean: Double
    public var standardDeviation: Double

    public init(mean: Double, standardDeviation: Double) {
      self.mean = mean
      self.standardDeviation = standardDeviation
    }
  }

  /// Settings of the Newton iteration and the penalty.
  public struct Options: Sendable, Equatable {
    /// λ ≥ 0 of the L2 penalty (λ/2)‖b‖² on the standardized coefficients; C = 1/λ.
    public var l2: Double
    /// Newton iterations before giving up.
    public var maxIterations: Int
    /// Converged when the largest Newton step on the standardized scale is at most this.
    public var stepTolerance: Double

    public init(l2: Double = 0, maxIterations: Int = 100, stepTolerance: Double = 1e-10) {
      self.l2 = l2
      self.maxIterations = maxIterations
      self.stepTolerance = stepTolerance
    }
  }

  /// Feature names, in the order of ``coefficients`` and of the values passed to scoring.
  public var featureNames: [String]
  /// β₀ on the original scale.
  public var intercept: Double
  /// βⱼ on the original feature scale, one per feature.
  public var coefficients: [Double]
  /// The training data's means and standard deviations (used by the fit; kept for readers).
  public var scaling: [FeatureScaling]
  /// The λ the model was fitted with (0: maximum likelihood).
  public var l2: Double
  /// Standard errors of (β₀, β₁, …, βₚ) on the original scale; nil when penalized or not fitted.
  public var standardErrors: [Double]?
  public var fitReport: FitReport?
  /// How the features are computed from orders (nil for a model built from coefficients).
  public var specification: ChurnFeatureSpecification?
  /// The label's dates (nil for a model built from coefficients).
  public var label: ChurnLabel?

  /// A model from known coefficients (original scale).
  public init(
    featureNames: [String], intercept: Double, coefficients: [Double],
    scaling: [FeatureScaling]? = nil, l2: Double = 0, standardErrors: [Double]? = nil,
    fitReport: FitReport? = nil, specification: ChurnFeatureSpecification? = nil,
    label: ChurnLabel? = nil
  ) {
    precondition(featureNames.count == coefficients.count, "one coefficient per feature")
    self.featureNames = featureNames
    self.intercept = intercept
    self.coefficients = coefficients
    self.scaling =
      scaling ?? featureNames.map { _ in FeatureScaling(mean: 0, standardDeviation: 1) }
    self.l2 = l2
    self.standardErrors = standardErrors
    self.fitReport = fitReport
    self.specification = specification
    self.label = label
  }

  public var parameterNames: [String] { ["intercept"] + featureNames }
  public var parameterValues: [Double] { [intercept] + coefficients }

  /// Wald statistics zⱼ = βⱼ / se(βⱼ) for (β₀, β₁, …, βₚ); nil without standard errors.
  ///
  /// - Source: [MN1989] ch. 4 (asymptotic normality of the estimates).
  public var zValues: [Double]? {
    guard let standardErrors else { return nil }
    return zip(parameterValues, standardErrors).map { $0 / $1 }
  }

  /// Two-sided p-values 2(1 − Φ(|z|)) = erfc(|z| / √2) of the Wald statistics.
  ///
  /// - Source: [MN1989] ch. 4; erfc from swift-numerics (RealModule).
  public var pValues: [Double]? {
    zValues?.map { Double.erfc(abs($0) / 2.0.squareRoot()) }
  }

  /// η = β₀ + Σⱼ βⱼ xⱼ.
  public func linearPredictor(for features: [Double]) -> Double {
    precondition(features.count == coefficients.count, "expected \(coefficients.count) features")
    var eta = intercept
    for j in coefficients.indices { eta += coefficients[j] * features[j] }
    return eta
  }

  /// P(churn) = σ(η), computed without overflow for any finite η.
  public func churnProbability(for features: [Double]) -> Double {
    logistic(linearPredictor(for: features))
  }

  /// P(churn) for every row of an n × p matrix of feature values (original scale).
  ///
  /// - Throws: ``ModelError/nonFinite(model:quantity:)`` when a probability is not finite
  ///   (a non-finite feature value).
  public func churnProbabilities(_ features: Matrix) throws -> [Double] {
    guard features.columns == coefficients.count else {
      throw LinearAlgebraError.dimensionMismatch(
        "\(features.columns) feature columns for \(coefficients.count) coefficients")
    }
    var eta = try features.multiplied(by: coefficients)
    for i in eta.indices {
      eta[i] = logistic(eta[i] + intercept)
      guard eta[i].isFinite else {
        throw ModelError.nonFinite(
          model: Self.modelName, quantity: "churn probability of row \(i + 1)")
      }
    }
    return eta
  }
}

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

  /// A standardized coefficient beyond this, with fitted probabilities numerically 0 or 1,
  /// is taken as a coefficient diverging under quasi-complete separation.
  static let separationCoefficient = 30.0

  /// Means and population standard deviations; throws for a non-finite or constant feature.
  static func standardization(_ x: Matrix, featureNames: [String]) throws -> [FeatureScaling] {
    let n = x.rows
    return try (0..<x.columns).map { j in
      let offset = j * n
      var sum = 0.0
      for i in 0..<n {
        let v = x.elements[offset + i]
        guard v.isFinite else {
          throw ModelError.unusableData(
            model: modelName, reason: "feature '\(featureNames[j])' is not finite for row \(i + 1)")
        }
        sum += v
      }
      let mean = sum / Double(n)
      var squares = 0.0
      for i in 0..<n {
        let d = x.elements[offset + i] - mean
        squares += d * d
      }
      let sd = (squares / Double(n)).squareRoot()
      guard sd > 1e-12 * max(1, abs(mean)) else {
        throw ModelError.unusableData(
          model: modelName,
          reason: "feature '\(featureNames[j])' is constant (\(mean)) and collinear with the "
            + "intercept; drop it")
      }
      return FeatureScaling(mean: mean, standardDeviation: sd)
    }
  }

  /// Tolerance on 1 − R²ⱼ below which feature j counts as a linear combination of the earlier
  /// features (variance inflation factor above 10⁸).
  static let collinearityTolerance = 1e-8

  /// Detects collinear features by a sequential (Gram–Schmidt-like) Cholesky of the feature
  /// correlation matrix R = ZᵀZ / n (Z standardized, so R is the correlation matrix).
  ///
  /// Adding features one at a time, 1 − R²ₖ of feature k regressed on features 1…k−1 is the
  /// ratio of determinants det Rₖ / det Rₖ₋₁ of the leading blocks (the squared k-th Cholesky
  /// pivot). The first feature with 1 − R²ₖ below ``collinearityTolerance`` is named, with the
  /// earlier features that carry weight in its regression.
  ///
  /// - Source: [GVL2013] §4.2 (Cholesky factorization; pivots as Schur complements);
  ///   [BKW1980] ch. 3 (collinearity diagnostics).
  ///
  /// - Parameter gram: ZᵀZ of the standardized design with its leading column of ones.
  static func checkCollinearity(gram: Matrix, featureNames: [String]) throws {
    let p = gram.columns - 1
    guard p >= 2 else { return }
    let n = gram[0, 0]
    var correlation = Matrix(rows: p, columns: p)
    for j in 0..<p {
      for k in 0..<p { correlation[j, k] = gram[j + 1, k + 1] / n }
    }
    var previous = Cholesky?.none
    var previousLogDeterminant = 0.0
    for k in 1...p {
      var block = Matrix(rows: k, columns: k)
      for j in 0..<k {
        for l in 0..<k { block[j, l] = correlation[j, l] }
      }
      let factor = try? Cholesky(block)
      let residual = factor.map { exp($0.logDeterminant - previousLogDeterminant) } ?? 0
      if residual < collinearityTolerance || !residual.isFinite {
        var partners: [String] = []
        if let previous {
          let weights = (try? previous.solve((0..<(k - 1)).map { correlation[$0, k - 1] })) ?? []
          let largest = weights.map(abs).max() ?? 0
          partners = weights.indices.filter { abs(weights[$0]) >= 1e-3 * largest }
            .map { "'\(featureNames[$0])'" }
        }
        let with = partners.isEmpty ? "earlier features" : partners.joined(separator: ", ")
        throw ModelError.unusableData(
          model: modelName,
          reason: "feature '\(featureNames[k - 1])' is collinear with \(with) "
            + "(1 − R² = \(residual.formatted6)); drop one of them")
      }
      previous = factor
      previousLogDeterminant = factor?.logDeterminant ?? 0
    }
  }

  /// Complete or quasi-complete separation by a single feature: every churner's value is on
  /// one side of (or at) a threshold and every non-churner's on the other. The maximum-likelihood
  /// estimate then does not exist.
  ///
  /// - Source: [AA1984] (complete and quasi-complete separation: the MLE does not exist).
  static func checkUnivariateSeparation(
    _ x: Matrix, churned: [Bool], featureNames: [String]
  ) throws {
    let n = x.rows
    guard n > 0 else { return }
    let churners = churned.indices.filter { churned[$0] }
    let stayers = churned.indices.filter { !churned[$0] }
    for j in 0..<x.columns {
      var churnMin = Double.infinity, churnMax = -Double.infinity
      var stayMin = Double.infinity, stayMax = -Double.infinity
      // Over index lists rather than a branch per row (the labels are in no particular order).
      x.elements.withUnsafeBufferPointer { x in
        let column = x.baseAddress! + j * n
        for i in churners {
          let v = column[i]
          if v < churnMin { churnMin = v }
          if v > churnMax { churnMax = v }
        }
        for i in stayers {
          let v = column[i]
          if v < stayMin { stayMin = v }
          if v > stayMax { stayMax = v }
        }
      }
      let description: String
      if churnMin > stayMax || stayMin > churnMax {
        description = "completely separates"
      } else if churnMin == stayMax || stayMin == churnMax {
        description = "quasi-completely separates"
      } else {
        continue
      }
      let (low, high) = churnMin >= stayMax ? ("active", "churned") : ("churned", "active")
      let threshold = churnMin >= stayMax ? stayMax : churnMax
      throw ModelError.unusableData(
        model: modelName,
        reason: "feature '\(featureNames[j])' \(description) churners from active customers "
          + "(\(low) ≤ \(threshold.formatted6) ≤ \(high)): the maximum-likelihood estimate does "
          + "not exist; drop the feature or use an L2 penalty (--l2)")
    }
  }

  static func separationError(
    _ newton: NewtonResult, featureNames: [String], iterations: Int
  ) -> ModelError {
    // The diverging direction: the feature with the largest standardized coefficient.
    let b = newton.coefficients.dropFirst()
    let j = b.indices.max { abs(b[$0]) < abs(b[$1]) }.map { $0 - 1 } ?? 0
    return ModelError.unusableData(
      model: modelName,
      reason:
        "complete or quasi-complete separation: the coefficient of feature '\(featureNames[j])' "
        + "diverges (standardized \(newton.coefficients[j + 1].formatted6) after \(iterations) "
        + "iterations) and \(newton.extremeProbabilities) fitted probabilities are numerically "
        + "0 or 1; the maximum-likelihood estimate does not exist; drop the feature or use an L2 "
        + "penalty (--l2)")
  }

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

private func maxNorm(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }

extension Double {
  /// Six significant digits, for messages.
  fileprivate var formatted6: String { String(format: "%.6g", self) }
}

// MARK: - Model file layout

extension LogisticChurn {
  enum CodingKeys: String, CodingKey {
    case objective, features, coefficients, standardErrors, zValues, pValues, scaling, l2, fit
    case specification, label
  }

  /// The objective, in words, recorded in the model file.
  public static let objectiveDescription =
    "sum_i logloss_i + (l2/2) * sum_j b_j^2 over standardized features z_j = (x_j - mean_j) / sd_j "
    + "(sd with divisor n), intercept unpenalized; equals scikit-learn "
    + "StandardScaler + LogisticRegression(C = 1/l2)"

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(Self.objectiveDescription, forKey: .objective)
    try container.encode(featureNames, forKey: .features)
    let names = parameterNames
    try container.encode(
      Dictionary(uniqueKeysWithValues: zip(names, parameterValues)), forKey: .coefficients)
    if let standardErrors {
      try container.encode(
        Dictionary(uniqueKeysWithValues: zip(names, standardErrors)), forKey: .standardErrors)
    }
    if let zValues, let pValues {
      try container.encode(Dictionary(uniqueKeysWithValues: zip(names, zValues)), forKey: .zValues)
      try container.encode(Dictionary(uniqueKeysWithValues: zip(names, pValues)), forKey: .pValues)
    }
    try container.encode(
      Dictionary(uniqueKeysWithValues: zip(featureNames, scaling)), forKey: .scaling)
    try container.encode(l2, forKey: .l2)
    try container.encodeIfPresent(fitReport, forKey: .fit)
    try container.encodeIfPresent(specification, forKey: .specification)
    try container.encodeIfPresent(label, forKey: .label)
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let features = try container.decode([String].self, forKey: .features)
    let byName = try container.decode([String: Double].self, forKey: .coefficients)
    func ordered<T>(_ values: [String: T], _ key: CodingKeys, _ names: [String]) throws -> [T] {
      try names.map { name in
        guard let value = values[name] else {
          throw DecodingError.dataCorruptedError(
            forKey: key, in: container,
            debugDescription: "'\(key.stringValue)' has no value for '\(name)'")
        }
        return value
      }
    }
    guard Set(features).count == features.count, !features.contains("intercept") else {
      throw DecodingError.dataCorruptedError(
        forKey: .features, in: container, debugDescription: "feature names must be distinct")
    }
    let parameters = try ordered(byName, .coefficients, ["intercept"] + features)
    guard parameters.allSatisfy(\.isFinite) else {
      throw DecodingError.dataCorruptedError(
        forKey: .coefficients, in: container, debugDescription: "coefficients must be finite")
    }
    var standardErrors: [Double]? = nil
    if let errors = try container.decodeIfPresent([String: Double].self, forKey: .standardErrors) {
      standardErrors = try ordered(errors, .standardErrors, ["intercept"] + features)
    }
    let scaling = try ordered(
      container.decode([String: FeatureScaling].self, forKey: .scaling), .scaling, features)
    self.init(
      featureNames: features, intercept: parameters[0], coefficients: Array(parameters.dropFirst()),
      scaling: scaling, l2: try container.decode(Double.self, forKey: .l2),
      standardErrors: standardErrors,
      fitReport: try container.decodeIfPresent(FitReport.self, forKey: .fit),
      specification: try container.decodeIfPresent(
        ChurnFeatureSpecification.self, forKey: .specification),
      label: try container.decodeIfPresent(ChurnLabel.self, forKey: .label))
  }
}
