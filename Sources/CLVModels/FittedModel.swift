import CLVData

/// A model with estimated parameters. There is no unfitted state: a value is either fitted by
/// a `fit` function or built from known parameters (e.g. published values in tests).
public protocol FittedModel: Codable, Sendable {
  /// Display name, e.g. "BG/NBD".
  static var modelName: String { get }
  /// The model-file key, e.g. "bgnbd".
  static var modelID: String { get }
  /// Parameter names in the literature's letters, e.g. ["r", "alpha", "a", "b"].
  var parameterNames: [String] { get }
  var parameterValues: [Double] { get }
  /// How the parameters were estimated; nil for models built from given parameters.
  var fitReport: FitReport? { get }
}

/// A model of purchase counts and survival (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB).
///
/// Time is in the model's unit (`RFMSummary.unit`; opportunities for BG/BB, where
/// `customer.age` is the number of opportunities n and `customer.recency` the index tₓ of the
/// last one with a transaction). Every function returns a plain `Double`; callers that write
/// results check finiteness with ``FittedModel/checkedFinite(_:_:)``.
public protocol TransactionModel: FittedModel {
  /// Conditional expected purchases in the next `horizon` units, given the customer's history.
  func expectedPurchases(in horizon: Double, for customer: RFMSummary.Row) -> Double
  /// Probability that the customer is still active at the end of observation.
  func probabilityAlive(for customer: RFMSummary.Row) -> Double
  /// Unconditional expected repeat purchases E[X(t)] of a new customer in `horizon` units
  /// after the first purchase.
  func expectedPurchases(in horizon: Double) -> Double
  /// Probability P(X(t) = n) that a new customer makes exactly `count` repeat purchases in
  /// `horizon` units after the first purchase.
  func probabilityOfPurchases(_ count: Int, in horizon: Double) -> Double
  /// Probability that the customer makes no purchase in the next `horizon` units, given the
  /// history: 1 − P(alive) + P(alive) · P(no purchase in `horizon` | alive, history).
  func probabilityOfNoPurchase(in horizon: Double, for customer: RFMSummary.Row) -> Double
  /// Expected time to the next purchase of a customer who is alive and makes one, in the
  /// model's unit (BG/NBD, MBG/NBD: E[1/λ | alive, history]; Pareto/NBD: given the purchase
  /// comes before dropout; BG/BB: opportunities, E[1/p | alive, history]); nil when the
  /// posterior gives it no finite mean (e.g. r + x ≤ 1).
  func expectedTimeToNextPurchase(for customer: RFMSummary.Row) -> Double?
  /// The customer's contribution to the log-likelihood (in the model's time unit); the total
  /// log-likelihood of a fit is the (weighted) sum of these. Throws for an invalid row or a
  /// value that cannot be represented.
  func logLikelihood(of customer: RFMSummary.Row) throws -> Double
}

/// A model of spend per purchase (Gamma-Gamma).
public protocol SpendModel: FittedModel {
  /// Conditional expected average spend per purchase, given the customer's history.
  func expectedAverageSpend(for customer: RFMSummary.Row) -> Double
}

extension FittedModel {
  /// `value` when finite; otherwise throws ``ModelError/nonFinite(model:quantity:)``.
  /// Use it on every prediction before it is written.
  public func checkedFinite(
    _ value: Double, _ quantity: @autoclosure () -> String
  ) throws
    -> Double
  {
    guard value.isFinite else {
      throw ModelError.nonFinite(model: Self.modelName, quantity: quantity())
    }
    return value
  }

  /// Throws ``ModelError/nonFinite(model:quantity:)`` unless every parameter is finite and
  /// positive (all parameters of the BTYD models are; not for churn-logit coefficients).
  public func checkPositiveParameters() throws {
    for (name, value) in zip(parameterNames, parameterValues) where !(value.isFinite && value > 0) {
      throw ModelError.nonFinite(model: Self.modelName, quantity: "parameter \(name) = \(value)")
    }
  }
}

/// How a model's parameters were estimated: the facts a reader needs to trust the fit.
public struct FitReport: Codable, Sendable, Equatable {
  /// Total log-likelihood at the estimate, unpenalized, in the fit's time unit.
  public var logLikelihood: Double
  /// Standard errors of the parameters (same order as `parameterValues`), from the inverse of
  /// the observed information (Hessian of −log L in the natural parameters, by central
  /// differences of the analytic gradient); nil when not computable (degenerate fits).
  public var standardErrors: [Double]?
  /// Covariance of the log-parameters φ = log θ at the estimate (rows and columns in the order
  /// of `parameterValues`), by the delta method from the inverse Hessian of −log L in θ:
  /// Cov(φᵢ, φⱼ) = Cov(θᵢ, θⱼ) / (θᵢ θⱼ). What parameter draws for prediction intervals need
  /// (``ParameterDraws``); nil when not computable or not recorded (older model files).
  /// - Source: [CB2002] section 5.5.4 (the delta method) and section 10.1 (observed
  ///   information).
  public var logParameterCovariance: [[Double]]?
  public var iterations: Int
  public var functionEvaluations: Int
  public var gradientNorm: Double
  public var converged: Bool
  /// True when the fit was accepted with `--allow-degenerate` although it did not converge or
  /// its Hessian was not positive definite.
  public var degenerate: Bool
  /// Wall-clock seconds of the estimation.
  public var seconds: Double
  /// CPU seconds of the estimation (its thread); nil when not measured.
  public var cpuSeconds: Double?
  /// Customers used by the fit, and distinct rows after collapsing identical ones.
  public var customers: Int
  public var distinctRows: Int
  /// The L2 penalizer coefficient used (lifetimes' `penalizer_coef`; 0 = plain MLE).
  public var penalizer: Double
  /// Why the optimizer stopped (`ConvergenceReason.rawValue`), and why the fit is degenerate.
  public var reason: String?
  /// Customers left out of the fit (e.g. Gamma-Gamma: no repeat purchase or no positive spend).
  public var dropped: Int

  public init(
    logLikelihood: Double, standardErrors: [Double]?, iterations: Int, functionEvaluations: Int,
    gradientNorm: Double, converged: Bool, degenerate: Bool = false, seconds: Double,
    customers: Int, distinctRows: Int, penalizer: Double = 0, reason: String? = nil,
    dropped: Int = 0, cpuSeconds: Double? = nil
  ) {
    self.cpuSeconds = cpuSeconds
    self.penalizer = penalizer
    self.reason = reason
    self.dropped = dropped
    self.logLikelihood = logLikelihood
    self.standardErrors = standardErrors
    self.iterations = iterations
    self.functionEvaluations = functionEvaluations
    self.gradientNorm = gradientNorm
    self.converged = converged
    self.degenerate = degenerate
    self.seconds = seconds
    self.customers = customers
    self.distinctRows = distinctRows
  }
}

extension FitReport {
  /// 95% Wald intervals of positive parameters, computed on the log scale on which they are
  /// fitted: exp(log θ ± 1.96·SE(θ)/θ), the delta method giving SE(log θ) = SE(θ)/θ. Unlike
  /// lifetimes' `confidence_intervals_` (θ ± 1.96·SE) they never reach below zero, and they
  /// are asymmetric where the likelihood is (a flat direction such as Pareto/NBD's β on
  /// CDNOW). A non-positive value (not a BTYD parameter) gets the plain θ ± 1.96·SE. nil
  /// without standard errors. The report (`CLVReport`) shows the same intervals.
  /// - Source: [CB2002] section 10.1 (Wald intervals, delta method).
  public func confidenceIntervals(for parameters: [Double]) -> [ClosedRange<Double>]? {
    guard let standardErrors, standardErrors.count == parameters.count else { return nil }
    let z = 1.959_963_984_540_054
    return zip(parameters, standardErrors).map { value, se in
      guard value > 0 else { return (value - z * se)...(value + z * se) }
      let spread = Double.exp(z * se / value)
      return (value / spread)...(value * spread)
    }
  }
}
