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
