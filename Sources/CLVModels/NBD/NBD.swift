import CLVData
import CLVNumerics

/// The NBD model of repeat buying: no dropout.
///
/// Each customer buys as a Poisson process with rate λ for as long as they are observed, and λ
/// varies across customers as gamma(shape r, rate α); the number of purchases in a period of
/// length t is then negative binomial. Every customer stays active (P(alive) = 1): the model is
/// the benchmark that the dropout models (BG/NBD, Pareto/NBD) extend. Time is in the unit of
/// the data it was fitted on (α is a time scale; r is unitless). Only x and T enter: recency
/// carries no information without dropout.
///
/// - Source: [Ehr1959] Ehrenberg (1959), "The Pattern of Consumer Purchases"; [MS1988]
///   Morrison & Schmittlein (1988), "Generalizing the NBD Model for Customer Purchases"; as a
///   benchmark for customer-base analysis: [FH2004-NBD]
///   Fader & Hardie (2004), "Illustrating the Performance of the NBD as a Benchmark Model for
///   Customer-Base Analysis".
public struct NBD: TransactionModel, ModelFileConvertible, SummaryFittable, Equatable {
  public static let modelName = "NBD"
  public static let modelID = "nbd"
  public static let parameterNames = ["r", "alpha"]

  /// Shape of the gamma distribution of the purchase rate λ.
  public var r: Double
  /// Rate (in units of time) of the gamma distribution of λ.
  public var alpha: Double
  public var fitReport: FitReport?

  /// A model with given parameters (e.g. a reference fit).
  public init(r: Double, alpha: Double, fitReport: FitReport? = nil) {
    self.r = r
    self.alpha = alpha
    self.fitReport = fitReport
  }

  public init(parameters: [Double], fitReport: FitReport?) {
    precondition(parameters.count == 2, "NBD has 2 parameters")
    self.init(r: parameters[0], alpha: parameters[1], fitReport: fitReport)
  }

  public var parameterNames: [String] { Self.parameterNames }
  public var parameterValues: [Double] { [r, alpha] }

  // MARK: Fitting

  /// Fits the NBD by maximum likelihood on the customers' (x, T).
  ///
  /// - Throws: ``ModelError`` (unusable data, no convergence, degenerate fit).
  public static func fit(
    _ summary: RFMSummary, weights: [Double]? = nil, options: FitOptions = FitOptions()
  ) throws -> NBD {
    let data = try CollapsedRFM(summary.rows, weights: weights, model: modelName)
    // α is penalized on lifetimes' time scale 1 / max T, as in BG/NBD.
    var problem = MaximumLikelihood.Problem(
      modelName: modelName, parameterNames: parameterNames, customers: data.customers,
      distinctRows: data.count, penaltyScales: [1, 1 / data.maxAge]
    ) { theta, gradient in
      logLikelihood(theta, data: data, gradient: &gradient)
    }
    problem.dropped = Int(data.zeroAgeCustomers.rounded())
    // lifetimes' start exp(0.1) on its time scale, and a moment start: r = 1 and α matching
    // the mean purchase rate x̄ / T̄.
    var meanX = 0.0
    var meanT = 0.0
    for row in 0..<data.count {
      meanX += data.weights[row] * Double(data.frequencies[Int(data.frequencyIndex[row])])
      meanT += data.weights[row] * data.ages[Int(data.ageIndex[row])]
    }
    let rate = Swift.max(meanX, 0.05) / Swift.max(meanT, 1e-9)
    let e01 = Double.exp(0.1)
    let starts = [[e01, e01 * data.maxAge], [1, 1 / rate]]
    let estimate = try MaximumLikelihood.fit(problem, starts: starts, options: options)
    return NBD(parameters: estimate.parameters, fitReport: estimate.report)
  }

  /// Total weighted log-likelihood of the purchase times and its gradient in (r, α):
  ///
  ///     log L = Σ wᵢ [ log Γ(r+xᵢ) − log Γ(r) + r log α − (r+xᵢ) log(α+Tᵢ) ]
  ///     ∂/∂r  = Σ wᵢ [ ψ(r+xᵢ) − ψ(r) + log α − log(α+Tᵢ) ]
  ///     ∂/∂α  = Σ wᵢ [ r/α − (r+xᵢ)/(α+Tᵢ) ]
  ///
  /// - Source: [FHL2005a] eq. (6) without its dropout term (the first term, with a → 0); the
  ///   NBD count probability of [Ehr1959] differs from it by Tˣ/x!, which does not depend on
  ///   the parameters (same estimate).
  public static func logLikelihood(
    _ theta: [Double], data: CollapsedRFM, gradient: inout [Double]
  ) -> Double {
    let r = theta[0]
    let alpha = theta[1]
    let logAlpha = Double.log(alpha)
    let lgR = Double.logGamma(r)
    let psiR = digamma(r)
    var total = 0.0
    var dr = 0.0
    var da = 0.0
    for row in 0..<data.count {
      let w = data.weights[row]
      let x = Double(data.frequencies[Int(data.frequencyIndex[row])])
      let age = data.ages[Int(data.ageIndex[row])]
      let logAlphaT = Double.log(alpha + age)
      total += w * (Double.logGamma(r + x) - lgR + r * logAlpha - (r + x) * logAlphaT)
      dr += w * (digamma(r + x) - psiR + logAlpha - logAlphaT)
      da += w * (r / alpha - (r + x) / (alpha + age))
    }
    gradient = [dr, da]
    return total
  }

  // MARK: Predictions

  /// One customer's log-likelihood: log Γ(r+x) − log Γ(r) + r log α − (r+x) log(α+T).
  /// - Source: as ``logLikelihood(_:data:gradient:)``.
  public func logLikelihood(of customer: RFMSummary.Row) throws -> Double {
    let x = Double(customer.frequency)
    let value =
      Double.logGamma(r + x) - Double.logGamma(r) + r * Double.log(alpha)
      - (r + x) * Double.log(alpha + customer.age)
    return try checkedFinite(value, "the log-likelihood of customer '\(customer.customerID)'")
  }

  /// 1: the NBD has no dropout.
  public func probabilityAlive(for customer: RFMSummary.Row) -> Double { 1 }

  /// E[Y(t) | x, T] = t · (r+x)/(α+T): the posterior of λ is gamma(r+x, α+T).
  /// - Source: [MS1988]; [FH2004-NBD] (conditional expectation).
  public func expectedPurchases(in horizon: Double, for customer: RFMSummary.Row) -> Double {
    horizon * (r + Double(customer.frequency)) / (alpha + customer.age)
  }

  /// E[X(t)] = r t / α.
  /// - Source: [Ehr1959]; [FH2004-NBD] (aggregate forecast).
  public func expectedPurchases(in horizon: Double) -> Double { r * horizon / alpha }

  /// P(X(t) = n) = Γ(r+n)/(Γ(r) n!) · (α/(α+t))ʳ · (t/(α+t))ⁿ, in log space.
  /// - Source: [Ehr1959]; [FH2004-NBD] (expected frequency distribution).
  public func probabilityOfPurchases(_ count: Int, in horizon: Double) -> Double {
    guard count >= 0 else { return 0 }
    let n = Double(count)
    if horizon == 0 { return count == 0 ? 1 : 0 }
    let logP =
      Double.logGamma(r + n) - Double.logGamma(r) - Double.logGamma(n + 1)
      + r * Double.log(alpha / (alpha + horizon)) + n * Double.log(horizon / (alpha + horizon))
    return Double.exp(logP)
  }

  /// P(no purchase in t | x, T) = ((α+T)/(α+T+t))^(r+x): the posterior gamma's Laplace
  /// transform at t.
  public func probabilityOfNoPurchase(in horizon: Double, for customer: RFMSummary.Row) -> Double {
    let scale = alpha + customer.age
    return Double.exp(
      (r + Double(customer.frequency)) * Double.log(onePlus: -horizon / (scale + horizon)))
  }

  /// E[1/λ | x, T] = (α+T)/(r+x−1), the mean time between purchases; nil when r + x ≤ 1.
  public func expectedTimeToNextPurchase(for customer: RFMSummary.Row) -> Double? {
    let shape = r + Double(customer.frequency)
    guard shape > 1 else { return nil }
    return (alpha + customer.age) / (shape - 1)
  }
}
