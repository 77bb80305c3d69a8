import CLVData
import CLVNumerics

/// A member of the (M)BG/CNBD-k family: BG/CNBD-k (``BGCNBDkVariant``) or MBG/CNBD-k
/// (``MBGCNBDkVariant``). The variant names the model and says when dropout is possible.
public protocol ErlangBetaGeometricVariant: Sendable {
  /// Display name, e.g. "BG/CNBD-k".
  static var modelName: String { get }
  /// The model-file key.
  static var modelID: String { get }
  /// Whether a customer may drop out right after the first purchase (MBG/CNBD-k).
  static var dropsOutAfterFirstPurchase: Bool { get }
}

/// The BG/CNBD-k model of regular repeat buying ([PR2016]): BG/NBD with Erlang-k
/// inter-purchase times. While alive, a customer's gaps between purchases are Erlang-k with
/// rate λ (mean k/λ; k = 1: exponential, the BG/NBD), λ ~ gamma(r, α); after each repeat
/// purchase they drop out with probability p ~ beta(a, b).
///
/// - Source: [PR2016] Platzer & Reutterer (2016), "Ticking away the moments", section 3.
public typealias BGCNBDk = ErlangBetaGeometricModel<BGCNBDkVariant>

/// MBG/CNBD-k ([PR2016]): as ``BGCNBDk``, and a customer may also drop out right after the first
/// purchase (k = 1: MBG/NBD).
public typealias MBGCNBDk = ErlangBetaGeometricModel<MBGCNBDkVariant>

/// BG/CNBD-k's place in the family (see ``BGCNBDk``).
public enum BGCNBDkVariant: ErlangBetaGeometricVariant {
  public static let modelName = "BG/CNBD-k"
  public static let modelID = "bgcnbd-k"
  public static let dropsOutAfterFirstPurchase = false
}

/// MBG/CNBD-k's place in the family (see ``MBGCNBDk``).
public enum MBGCNBDkVariant: ErlangBetaGeometricVariant {
  public static let modelName = "MBG/CNBD-k"
  public static let modelID = "mbgcnbd-k"
  public static let dropsOutAfterFirstPurchase = true
}

/// The (M)BG/CNBD-k models of regular repeat buying, one generic type for both variants.
///
/// Parameters: the regularity k (a whole number, chosen by likelihood over 1 … 12), r and α of
/// the gamma distribution of the Erlang rate λ (α in the data's time unit), a and b of the beta
/// distribution of the dropout probability. The mean gap of a customer is k/λ. Every formula is
/// in `ErlangBetaGeometricKernel.swift` and `+Predictions.swift`, with its source.
///
/// - Source: [PR2016] (the model and its likelihood); BTYDplus `mbgcnbd.*`/`bgcnbd.*` (the
///   grid search over k and the litt statistic).
public struct ErlangBetaGeometricModel<Variant: ErlangBetaGeometricVariant>: TransactionModel,
  ModelFileConvertible, ParametricModel, SummaryFittable
{
  public static var modelName: String { Variant.modelName }
  public static var modelID: String { Variant.modelID }
  public static var parameterNames: [String] { ["k", "r", "alpha", "a", "b"] }
  /// The values of k the fit tries.
  public static var regularities: ClosedRange<Int> { 1...12 }

  public var k: Int
  public var r: Double
  public var alpha: Double
  public var a: Double
  public var b: Double
  public var fitReport: FitReport?
  /// The log-likelihood of every k the fit tried; nil for a model built from given parameters.
  public var profile: RegularityProfile?

  /// False for k > 1: given alive, the posterior of the Erlang phase depends on T − tₓ.
  public var futureGivenAliveDependsOnFrequencyAndAgeOnly: Bool { k == 1 }

  var kernel: ErlangBetaGeometricKernel {
    ErlangBetaGeometricKernel(k: k, modified: Variant.dropsOutAfterFirstPurchase)
  }

  /// A model with given parameters; k ≥ 1.
  public init(k: Int, r: Double, alpha: Double, a: Double, b: Double, fitReport: FitReport? = nil) {
    precondition(k >= 1, "k ≥ 1")
    self.k = k
    self.r = r
    self.alpha = alpha
    self.a = a
    self.b = b
    self.fitReport = fitReport
  }

  /// k is rounded to the nearest whole number (at least 1).
  public init(parameters: [Double], fitReport: FitReport?) {
    precondition(parameters.count == 5, "\(Variant.modelName) has 5 parameters")
    let k = parameters[0].isFinite ? Swift.max(1, Int(parameters[0].rounded())) : 1
    self.init(
      k: k, r: parameters[1], alpha: parameters[2], a: parameters[3], b: parameters[4],
      fitReport: fitReport)
  }

  /// Reads the model file; k must be a whole number in 1 … 12.
  public init(modelFile: ModelFile, path: String) throws {
    let values = try modelFile.parameterValues(named: Self.parameterNames, path: path)
    let k = values[0]
    guard k.isFinite, k == k.rounded(), Self.regularities.contains(Int(k)) else {
      throw ModelError.invalidModelFile(
        path: path,
        reason: "parameter k = \(k) is not a whole number in \(Self.regularities.lowerBound) … "
          + "\(Self.regularities.upperBound)")
    }
    self.init(
      parameters: values, fitReport: modelFile.fitReport(parameterNames: Self.parameterNames))
    if case .object(let fields)? = modelFile.extra,
      case .array(let values)? = fields.first(where: { $0.0 == "logLikelihoodByK" })?.1
    {
      profile = RegularityProfile(
        logLikelihoods: values.map { value -> Double? in
          if case .number(let v) = value { return v }
          return nil
        })
    }
  }

  /// `extra.logLikelihoodByK`: the log-likelihood of k = 1 … 12 (null: not fitted).
  public var modelFileExtra: JSONValue? {
    guard let profile else { return nil }
    return .object([
      ("logLikelihoodByK", .array(profile.logLikelihoods.map { $0.map(JSONValue.number) ?? .null }))
    ])
  }

  public var parameterNames: [String] { Self.parameterNames }
  public var parameterValues: [Double] { [Double(k), r, alpha, a, b] }

  // MARK: Predictions

  /// One customer's log-likelihood ([PR2016] section 3, see `ErlangBetaGeometricKernel`), with
  /// the litt term from `logInterPurchaseTimes` (Σ log of the customer's x inter-purchase
  /// times in the model's unit; 0 when x = 0 or k = 1). Exactly 0 at (x, tₓ, T) = (0, 0, 0).
  public func logLikelihood(
    of customer: RFMSummary.Row, logInterPurchaseTimes litt: Double
  )
    -> Double
  {
    if CollapsedRFM.isZeroAge(
      frequency: customer.frequency, recency: customer.recency, age: customer.age)
    {
      return 0
    }
    var gradient = (r: 0.0, alpha: 0.0, a: 0.0, b: 0.0)
    return kernel.rowLogLikelihood(
      r: r, alpha: alpha, a: a, b: b, x: customer.frequency, recency: customer.recency,
      age: customer.age, gradient: &gradient)
      + kernel.timingTerm(frequency: customer.frequency, logInterPurchaseTimes: litt)
  }

  /// One customer's log-likelihood without the litt term (the part that depends on the
  /// parameters; exact for k = 1, where the litt term is 0). Use
  /// ``logLikelihood(of:logInterPurchaseTimes:)`` to compare fits with different k.
  public func logLikelihood(of customer: RFMSummary.Row) -> Double {
    logLikelihood(of: customer, logInterPurchaseTimes: 0)
  }

  /// P(alive | x, tₓ, T) ([PR2016] section 3; BTYDplus `xbgcnbd.PAlive`).
  public func probabilityAlive(for customer: RFMSummary.Row) -> Double {
    kernel.probabilityAlive(r: r, alpha: alpha, a: a, b: b, row: customer)
  }

  /// E[Y(t) | x, tₓ, T], exact for every k (see `ErlangBetaGeometricKernel+Predictions.swift`).
  public func expectedPurchases(in horizon: Double, for customer: RFMSummary.Row) -> Double {
    kernel.expectedPurchases(r: r, alpha: alpha, a: a, b: b, horizon: horizon, row: customer)
  }

  /// E[X(t)] of a new customer.
  public func expectedPurchases(in horizon: Double) -> Double {
    kernel.expectedPurchases(r: r, alpha: alpha, a: a, b: b, horizon: horizon)
  }

  /// P(X(t) = n) of a new customer.
  public func probabilityOfPurchases(_ count: Int, in horizon: Double) -> Double {
    kernel.probabilityOfPurchases(r: r, alpha: alpha, a: a, b: b, count: count, horizon: horizon)
  }

  /// P(no purchase in the next t | x, tₓ, T).
  public func probabilityOfNoPurchase(in horizon: Double, for customer: RFMSummary.Row) -> Double {
    kernel.probabilityOfNoPurchase(
      r: r, alpha: alpha, a: a, b: b, horizon: horizon, row: customer)
  }

  /// Expected time from T to the next purchase given alive, from the Erlang-k timing: it
  /// depends on the time since the last purchase (unlike BG/NBD's memoryless wait).
  public func expectedTimeToNextPurchase(for customer: RFMSummary.Row) -> Double? {
    kernel.expectedTimeToNextPurchase(r: r, alpha: alpha, row: customer)
  }
}
