import CLVData
import CLVNumerics

/// The modified beta-geometric/NBD model: BG/NBD in which a customer may also drop out right
/// after the first purchase, so that customers without repeat purchases need not be alive.
///
/// While alive, a customer buys as a Poisson process with rate λ ~ gamma(r, α); after every
/// purchase, the first included, they drop out with probability p ~ beta(a, b).
///
/// - Source: [BDF2007] Batislam, Denizel & Filiztekin (2007); formulas as in lifetimes 0.11.3
///   `ModifiedBetaGeoFitter` (which follows [BDF2007] appendix A and Wagner & Hoppe 2008).
public struct MBGNBD: TransactionModel, ModelFileConvertible {
  public static let modelName = "MBG/NBD"
  public static let modelID = "mbgnbd"
  public static let parameterNames = ["r", "alpha", "a", "b"]

  public var r: Double
  public var alpha: Double
  public var a: Double
  public var b: Double
  public var fitReport: FitReport?

  static let kernel = BetaGeometricKernel(modified: true)

  /// A model with given parameters (e.g. published estimates).
  public init(r: Double, alpha: Double, a: Double, b: Double, fitReport: FitReport? = nil) {
    self.r = r
    self.alpha = alpha
    self.a = a
    self.b = b
    self.fitReport = fitReport
  }

  public init(parameters: [Double], fitReport: FitReport?) {
    precondition(parameters.count == 4, "MBG/NBD has 4 parameters")
    self.init(
      r: parameters[0], alpha: parameters[1], a: parameters[2], b: parameters[3],
      fitReport: fitReport)
  }

  public var parameterNames: [String] { Self.parameterNames }
  public var parameterValues: [Double] { [r, alpha, a, b] }

  // MARK: Fitting

  /// Fits MBG/NBD by maximum likelihood on the customers' (x, tₓ, T).
  ///
  /// - Throws: ``ModelError`` (unusable data, no convergence, degenerate fit).
  public static func fit(
    _ summary: RFMSummary, weights: [Double]? = nil, options: FitOptions = FitOptions()
  ) throws -> MBGNBD {
    try fit(CollapsedRFM(summary.rows, weights: weights, model: modelName), options: options)
  }

  /// Fits MBG/NBD on collapsed rows.
  public static func fit(_ data: CollapsedRFM, options: FitOptions = FitOptions()) throws -> MBGNBD
  {
    let estimate = try MaximumLikelihood.fit(
      problem(data, kernel: kernel, name: modelName), starts: betaGeometricStarts(data),
      options: options,
      screening: data.subsample(maximumRows: screeningRows).map {
        problem($0, kernel: kernel, name: modelName)
      })
    return MBGNBD(parameters: estimate.parameters, fitReport: estimate.report)
  }

  /// Total log-likelihood ([BDF2007] appendix A) and its gradient in (r, α, a, b):
  ///
  ///     L = B(a, b+x+1)/B(a, b) · Γ(r+x) αʳ/Γ(r) · [(α+T)^−(r+x) + a/(b+x) (α+tₓ)^−(r+x)]
  public static func logLikelihood(
    _ parameters: [Double], data: CollapsedRFM, gradient: inout [Double]
  ) -> Double {
    kernel.logLikelihood(parameters, data: data, gradient: &gradient)
  }

  // MARK: Predictions

  /// One customer's log-likelihood ([BDF2007] appendix A).
  public func logLikelihood(of customer: RFMSummary.Row) -> Double {
    Self.kernel.logLikelihood(r: r, alpha: alpha, a: a, b: b, row: customer)
  }

  /// P(alive | x, tₓ, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+tₓ))^(r+x)) (also for x = 0).
  ///
  /// - Source: [BDF2007] appendix A eq. (5); lifetimes `conditional_probability_alive`.
  public func probabilityAlive(for customer: RFMSummary.Row) -> Double {
    Self.kernel.probabilityAlive(r: r, alpha: alpha, a: a, b: b, row: customer)
  }

  /// E[Y(t) | x, tₓ, T] =
  ///
  ///     (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))]
  ///     ─────────────────────────────────────────────────────────────────────────────
  ///                      1 + a/(b+x) · ((α+T)/(α+tₓ))^(r+x)
  ///
  /// - Source: Wagner & Hoppe (2008), as in lifetimes `ModifiedBetaGeoFitter`; ₂F₁ in log
  ///   space; quadrature where the closed form fails (see `expectedPurchasesGivenAlive`).
  public func expectedPurchases(in horizon: Double, for customer: RFMSummary.Row) -> Double {
    Self.kernel.expectedPurchases(r: r, alpha: alpha, a: a, b: b, horizon: horizon, row: customer)
  }

  /// E[X(t)] = b/(a−1) · [1 − (α/(α+t))ʳ ₂F₁(r, b+1; a+b; t/(α+t))].
  ///
  /// - Source: lifetimes `ModifiedBetaGeoFitter.expected_number_of_purchases_up_to_time`.
  public func expectedPurchases(in horizon: Double) -> Double {
    Self.kernel.expectedPurchases(r: r, alpha: alpha, a: a, b: b, horizon: horizon)
  }

  /// P(X(t) = n) = B(a, b+n+1)/B(a,b) NB(n) + B(a+1, b+n)/B(a,b) P(NB ≥ n).
  ///
  /// - Source: lifetimes `ModifiedBetaGeoFitter.probability_of_n_purchases_up_to_time`.
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

extension MBGNBD: ParametricModel {}
