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
  /// Per parameter (``parameterNames`` order): true for a positive parameter, estimated and
  /// drawn on the log scale; false for a real one (a covariate coefficient). Default: all true.
  var logScaleParameters: [Bool] { get }
}

extension FittedModel {
  public var logScaleParameters: [Bool] {
    [Bool](repeating: true, count: parameterValues.count)
  }
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
  /// True when, given alive at T, the customer's future depends on the history only through
  /// (x, T), so that every conditional prediction is P(alive | history) · g(x, T) (``Scorer``
  /// then computes g once per distinct (x, T)). True for BG/NBD, MBG/NBD, Pareto/NBD, NBD and
  /// BG/BB (the default); false for the CNBD-k models with k > 1, whose Erlang phase given alive
  /// depends on T − tₓ ([PR2016] section 3).
  var futureGivenAliveDependsOnFrequencyAndAgeOnly: Bool { get }
}

extension TransactionModel {
  public var futureGivenAliveDependsOnFrequencyAndAgeOnly: Bool { true }
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
