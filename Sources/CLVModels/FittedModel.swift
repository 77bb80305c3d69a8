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
public protocol TransactionModel: FittedModel {
  /// Conditional expected purchases in the next `horizon` units, given the customer's history.
  func expectedPurchases(in horizon: Double, for customer: RFMSummary.Row) -> Double
  /// Probability that the customer is still active at the end of observation.
  func probabilityAlive(for customer: RFMSummary.Row) -> Double
}

/// A model of spend per purchase (Gamma-Gamma).
public protocol SpendModel: FittedModel {
  /// Conditional expected average spend per purchase, given the customer's history.
  func expectedAverageSpend(for customer: RFMSummary.Row) -> Double
}

/// How a model's parameters were estimated: the facts a reader needs to trust the fit.
public struct FitReport: Codable, Sendable, Equatable {
  /// Total log-likelihood at the estimate, unpenalized, in the fit's time unit.
  public var logLikelihood: Double
  /// Standard errors of the parameters (same order as `parameterValues`), from the inverse of
  /// the observed information (numerical Hessian of −log L); nil when not computable.
  public var standardErrors: [Double]?
  public var iterations: Int
  public var functionEvaluations: Int
  public var gradientNorm: Double
  public var converged: Bool
  /// True when the fit was accepted with `--allow-degenerate` although it did not converge or
  /// its Hessian was not positive definite.
  public var degenerate: Bool
  public var seconds: Double
  /// Customers used by the fit, and distinct rows after collapsing identical ones.
  public var customers: Int
  public var distinctRows: Int

  public init(
    logLikelihood: Double, standardErrors: [Double]?, iterations: Int, functionEvaluations: Int,
    gradientNorm: Double, converged: Bool, degenerate: Bool = false, seconds: Double,
    customers: Int, distinctRows: Int
  ) {
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
