import CLVData
import CLVNumerics

/// The beta-geometric/NBD model of repeat purchasing.
///
/// While alive, a customer buys as a Poisson process with rate λ ~ gamma(r, α); after each
/// repeat purchase they drop out with probability p ~ beta(a, b). Time is in the unit of the
/// data it was fitted on; α is a time scale (its unit is that unit), r, a, b are unitless.
///
/// - Source: [FHL2005a] Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way".
public struct BGNBD: TransactionModel, ModelFileConvertible, ParametricModel {
  public static let modelName = "BG/NBD"
  public static let modelID = "bgnbd"
  public static let parameterNames = ["r", "alpha", "a", "b"]

  public var r: Double
  public var alpha: Double
  public var a: Double
  public var b: Double
  public var fitReport: FitReport?

  static let kernel = BetaGeometricKernel(modified: false)

  /// A model with given parameters (e.g. published estimates).
  public init(r: Double, alpha: Double, a: Double, b: Double, fitReport: FitReport? = nil) {
    self.r = r
    self.alpha = alpha
    self.a = a
    self.b = b
    self.fitReport = fitReport
  }

  public init(parameters: [Double], fitReport: FitReport?) {
    precondition(parameters.count == 4, "BG/NBD has 4 parameters")
    self.init(
      r: parameters[0], alpha: parameters[1], a: parameters[2], b: parameters[3],
      fitReport: fitReport)
  }

  public var parameterNames: [String] { Self.parameterNames }
  public var parameterValues: [Double] { [r, alpha, a, b] }

  // MARK: Fitting

  /// Fits BG/NBD by maximum likelihood on the customers' (x, tₓ, T).
  ///
  /// - Throws: ``ModelError`` (unusable data, no convergence, degenerate fit).
  public static func fit(
    _ summary: RFMSummary, weights: [Double]? = nil, options: FitOptions = FitOptions()
  ) throws -> BGNBD {
    try fit(CollapsedRFM(summary.rows, weights: weights, model: modelName), options: options)
  }

  /// Fits BG/NBD on collapsed rows.
  public static func fit(_ data: CollapsedRFM, options: FitOptions = FitOptions()) throws -> BGNBD {
    let estimate = try MaximumLikelihood.fit(
      problem(data, kernel: kernel, name: modelName), starts: betaGeometricStarts(data),
      options: options,
      screening: data.subsample(maximumRows: screeningRows).map {
        problem($0, kernel: kernel, name: modelName)
      })
    return BGNBD(parameters: estimate.parameters, fitReport: estimate.report)
  }

  /// Total log-likelihood [FHL2005a] eq. (6) and its gradient in (r, α, a, b).
  public static func logLikelihood(
    _ parameters: [Double], data: CollapsedRFM, gradient: inout [Double]
  ) -> Double {
    kernel.logLikelihood(parameters, data: data, gradient: &gradient)
  }

  // MARK: Predictions

  /// One customer's log-likelihood, [FHL2005a] eq. (6).
  public func logLikelihood(of customer: RFMSummary.Row) -> Double {
    Self.kernel.logLikelihood(r: r, alpha: alpha, a: a, b: b, row: customer)
  }

  /// P(alive | x, tₓ, T) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)).
  ///
  /// - Source: [FHL2008] eq. (2); [FHL2005a] eq. (11).
  public func probabilityAlive(for customer: RFMSummary.Row) -> Double {
    Self.kernel.probabilityAlive(r: r, alpha: alpha, a: a, b: b, row: customer)
  }

  /// E[Y(t) | x, tₓ, T] =
  ///
  ///     (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
  ///     ───────────────────────────────────────────────────────────────────────────────
  ///                    1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)
  ///
  /// - Source: [FHL2005a] eq. (10); ₂F₁ in log space; quadrature where the closed form fails
  ///   (see `expectedPurchasesGivenAlive`).
  public func expectedPurchases(in horizon: Double, for customer: RFMSummary.Row) -> Double {
    Self.kernel.expectedPurchases(r: r, alpha: alpha, a: a, b: b, horizon: horizon, row: customer)
  }

  /// E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))ʳ ₂F₁(r, b; a+b−1; t/(α+t))].
  ///
  /// - Source: [FHL2005a] eq. (7).
  public func expectedPurchases(in horizon: Double) -> Double {
    Self.kernel.expectedPurchases(r: r, alpha: alpha, a: a, b: b, horizon: horizon)
  }

  /// P(X(t) = n), [FHL2005a] eq. (8).
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

// MARK: - Shared by BG/NBD and MBG/NBD

/// The maximum-likelihood problem of a beta-geometric model; α is penalized on lifetimes' time
/// scale 1 / max T.
func problem(
  _ data: CollapsedRFM, kernel: BetaGeometricKernel, name: String
)
  -> MaximumLikelihood.Problem
{
  var problem = MaximumLikelihood.Problem(
    modelName: name, parameterNames: BGNBD.parameterNames, customers: data.customers,
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
  var meanX = 0.0, meanT = 0.0
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
