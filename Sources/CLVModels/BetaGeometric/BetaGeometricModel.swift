import CLVData
import CLVNumerics

/// A member of the beta-geometric family: BG/NBD (``BGNBDVariant``) or MBG/NBD
/// (``MBGNBDVariant``). The variant names the model and says when dropout is possible; the
/// likelihood, predictions and fit are shared (``BetaGeometricModel``).
public protocol BetaGeometricVariant: Sendable {
  /// Display name, e.g. "BG/NBD".
  static var modelName: String { get }
  /// The model-file key, e.g. "bgnbd".
  static var modelID: String { get }
  /// Whether a customer may drop out right after the first purchase (MBG/NBD), not only after
  /// each repeat purchase (BG/NBD).
  static var dropsOutAfterFirstPurchase: Bool { get }
}

/// The beta-geometric/NBD models of repeat purchasing, one generic type for BG/NBD and MBG/NBD.
///
/// While alive, a customer buys as a Poisson process with rate λ ~ gamma(r, α); after each
/// repeat purchase (MBG/NBD: after every purchase, the first included) they drop out with
/// probability p ~ beta(a, b). Time is in the unit of the data it was fitted on; α is a time
/// scale (its unit is that unit), r, a, b are unitless. Use the names ``BGNBD`` and
/// ``MBGNBD``; every formula, with its source for each variant, is in the shared kernel
/// (`BetaGeometricNBD.swift`).
///
/// - Source: [FHL2005a] (BG/NBD); [BDF2007] (MBG/NBD), formulas as in lifetimes 0.11.3
///   `ModifiedBetaGeoFitter`.
public struct BetaGeometricModel<Variant: BetaGeometricVariant>: TransactionModel,
  ModelFileConvertible, ParametricModel, SummaryFittable
{
  public static var modelName: String { Variant.modelName }
  public static var modelID: String { Variant.modelID }
  public static var parameterNames: [String] { ["r", "alpha", "a", "b"] }

  public var r: Double
  public var alpha: Double
  public var a: Double
  public var b: Double
  public var fitReport: FitReport?

  static var kernel: BetaGeometricKernel {
    BetaGeometricKernel(modified: Variant.dropsOutAfterFirstPurchase)
  }

  /// A model with given parameters (e.g. published estimates).
  public init(r: Double, alpha: Double, a: Double, b: Double, fitReport: FitReport? = nil) {
    self.r = r
    self.alpha = alpha
    self.a = a
    self.b = b
    self.fitReport = fitReport
  }

  public init(parameters: [Double], fitReport: FitReport?) {
    precondition(parameters.count == 4, "\(Variant.modelName) has 4 parameters")
    self.init(
      r: parameters[0], alpha: parameters[1], a: parameters[2], b: parameters[3],
      fitReport: fitReport)
  }

  public var parameterNames: [String] { Self.parameterNames }
  public var parameterValues: [Double] { [r, alpha, a, b] }

  // MARK: Fitting

  /// Fits the model by maximum likelihood on the customers' (x, tₓ, T).
  ///
  /// - Throws: ``ModelError`` (unusable data, no convergence, degenerate fit).
  public static func fit(
    _ summary: RFMSummary, weights: [Double]? = nil, options: FitOptions = FitOptions()
  ) throws -> Self {
    try fit(CollapsedRFM(summary.rows, weights: weights, model: modelName), options: options)
  }

  /// Fits the model on collapsed rows (starts screened on a subsample of large data).
  public static func fit(_ data: CollapsedRFM, options: FitOptions = FitOptions()) throws -> Self {
    let kernel = self.kernel
    let estimate = try MaximumLikelihood.fit(
      problem(data, kernel: kernel, name: modelName), starts: betaGeometricStarts(data),
      options: options,
      screening: data.subsample(maximumRows: screeningRows).map {
        problem($0, kernel: kernel, name: modelName)
      })
    return Self(parameters: estimate.parameters, fitReport: estimate.report)
  }

  /// Total log-likelihood and its gradient in (r, α, a, b): [FHL2005a] eq. (6) for BG/NBD,
  /// [BDF2007] appendix A for MBG/NBD (see `BetaGeometricKernel`).
  public static func logLikelihood(
    _ parameters: [Double], data: CollapsedRFM, gradient: inout [Double]
  ) -> Double {
    kernel.logLikelihood(parameters, data: data, gradient: &gradient)
  }

  // MARK: Predictions

  /// One customer's log-likelihood ([FHL2005a] eq. (6); [BDF2007] appendix A).
  public func logLikelihood(of customer: RFMSummary.Row) -> Double {
    Self.kernel.logLikelihood(r: r, alpha: alpha, a: a, b: b, row: customer)
  }

  /// P(alive | x, tₓ, T) = 1 / (1 + δ · a/(b+x−1+m) · ((α+T)/(α+tₓ))^(r+x)), with m = 0,
  /// δ = 1{x>0} for BG/NBD and m = 1, δ = 1 for MBG/NBD.
  ///
  /// - Source: [FHL2008] eq. (2), [FHL2005a] eq. (11); [BDF2007] appendix A eq. (5).
  public func probabilityAlive(for customer: RFMSummary.Row) -> Double {
    Self.kernel.probabilityAlive(r: r, alpha: alpha, a: a, b: b, row: customer)
  }

  /// E[Y(t) | x, tₓ, T]; for BG/NBD
  ///
  ///     (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
  ///     ───────────────────────────────────────────────────────────────────────────────
  ///                    1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)
  ///
  /// and for MBG/NBD the same with b+x+1, a+b+x in ₂F₁, (a+b+x)/(a−1) and a/(b+x).
  ///
  /// - Source: [FHL2005a] eq. (10); MBG/NBD: Wagner & Hoppe (2008), as in lifetimes
  ///   `ModifiedBetaGeoFitter`; ₂F₁ in log space; quadrature where the closed form fails (see
  ///   `expectedPurchasesGivenAlive`).
  public func expectedPurchases(in horizon: Double, for customer: RFMSummary.Row) -> Double {
    Self.kernel.expectedPurchases(r: r, alpha: alpha, a: a, b: b, horizon: horizon, row: customer)
  }

  /// E[X(t)]: BG/NBD (a+b−1)/(a−1) · [1 − (α/(α+t))ʳ ₂F₁(r, b; a+b−1; t/(α+t))]
  /// ([FHL2005a] eq. (7)); MBG/NBD b/(a−1) · [1 − (α/(α+t))ʳ ₂F₁(r, b+1; a+b; t/(α+t))]
  /// (lifetimes `ModifiedBetaGeoFitter.expected_number_of_purchases_up_to_time`).
  public func expectedPurchases(in horizon: Double) -> Double {
    Self.kernel.expectedPurchases(r: r, alpha: alpha, a: a, b: b, horizon: horizon)
  }

  /// P(X(t) = n): [FHL2005a] eq. (8); MBG/NBD B(a, b+n+1)/B(a,b) NB(n) + B(a+1, b+n)/B(a,b)
  /// P(NB ≥ n) (lifetimes `ModifiedBetaGeoFitter.probability_of_n_purchases_up_to_time`).
  public func probabilityOfPurchases(_ count: Int, in horizon: Double) -> Double {
    Self.kernel.probabilityOfPurchases(
      r: r, alpha: alpha, a: a, b: b, count: count, horizon: horizon)
  }

  /// 1 − P(alive) + P(alive) · ((α+T)/(α+T+t))^(r+x).
  public func probabilityOfNoPurchase(in horizon: Double, for customer: RFMSummary.Row) -> Double {
    Self.kernel.probabilityOfNoPurchase(
      r: r, alpha: alpha, a: a, b: b, horizon: horizon, row: customer)
  }

  /// (α + T)/(r + x − 1), the posterior mean of 1/λ given alive; nil when r + x ≤ 1.
  public func expectedTimeToNextPurchase(for customer: RFMSummary.Row) -> Double? {
    Self.kernel.expectedTimeToNextPurchase(r: r, alpha: alpha, row: customer)
  }
}

// MARK: - Shared fitting machinery

/// The maximum-likelihood problem of a beta-geometric model; α is penalized on lifetimes' time
/// scale 1 / max T.
func problem(
  _ data: CollapsedRFM, kernel: BetaGeometricKernel, name: String
)
  -> MaximumLikelihood.Problem
{
  var problem = MaximumLikelihood.Problem(
    modelName: name, parameterNames: ["r", "alpha", "a", "b"], customers: data.customers,
    distinctRows: data.count, penaltyScales: [1, 1 / data.maxAge, 1, 1]
  ) { theta, gradient in
    kernel.logLikelihood(theta, data: data, gradient: &gradient)
  }
  problem.dropped = Int(data.zeroAgeCustomers.rounded())
  return problem
}

/// Data with more distinct rows than this screen their starting values on a subsample.
let screeningRows = 20_000

/// Deterministic starts (r, α, a, b): lifetimes' start exp(0.1) on its time scale (α =
/// e^0.1 · max T), and two moment-based starts where α matches the mean purchase rate.
func betaGeometricStarts(_ data: CollapsedRFM) -> [[Double]] {
  let e01 = Double.exp(0.1)
  var meanX = 0.0
  var meanT = 0.0
  for row in 0..<data.count {
    meanX += data.weights[row] * Double(data.frequencies[Int(data.frequencyIndex[row])])
    meanT += data.weights[row] * data.ages[Int(data.ageIndex[row])]
  }
  meanX /= data.customers
  meanT /= data.customers
  let rate = Swift.max(meanX, 0.05) / Swift.max(meanT, 1e-9)
  return [
    [e01, e01 * data.maxAge, e01, e01],
    [1, 1 / rate, 1, 3],
    [0.3, 0.3 / rate, 0.7, 2.5],
  ]
}
