import CLVData
import CLVNumerics

/// The Pareto/NBD model of Schmittlein, Morrison & Colombo (1987): while alive a customer buys
/// as a Poisson process with rate λ, lifetimes are exponential with rate μ, and across customers
/// λ ~ Gamma(r, α), μ ~ Gamma(s, β) independently.
///
/// Parameters keep the literature's letters: `r, alpha` (shape and rate of the purchase-rate
/// gamma; `alpha` has the unit of time), `s, beta` (shape and rate of the dropout-rate gamma;
/// `beta` has the unit of time). Rescaling time by c multiplies `alpha` and `beta` by c and leaves
/// `r`, `s`, P(alive) and the log-likelihood up to the constant −x·log c unchanged.
///
/// Every quantity is evaluated in log space: the 2F1 terms of the likelihood overflow Double for
/// x in the hundreds (e.g. x = 500, T = 5000).
///
/// - Source: [SMC1987]; likelihood and P(alive) as in [FH2005-PNBD].
public struct ParetoNBD: TransactionModel, ModelFileConvertible, ParametricModel, Equatable {
  public static let modelName = "Pareto/NBD"
  public static let modelID = "pnbd"
  public static let parameterNames = ["r", "alpha", "s", "beta"]

  /// Shape of the gamma mixing distribution of the purchase rate λ.
  public let r: Double
  /// Rate (in units of time) of the gamma mixing distribution of λ.
  public let alpha: Double
  /// Shape of the gamma mixing distribution of the dropout rate μ.
  public let s: Double
  /// Rate (in units of time) of the gamma mixing distribution of μ.
  public let beta: Double
  public var fitReport: FitReport?

  /// A model with known parameters (all finite and > 0: a precondition, as for any programmer
  /// input; model files are checked when decoded).
  public init(r: Double, alpha: Double, s: Double, beta: Double, fitReport: FitReport? = nil) {
    precondition(
      ParetoNBD.areValid([r, alpha, s, beta]),
      "Pareto/NBD parameters must be finite and positive: r=\(r) alpha=\(alpha) s=\(s) beta=\(beta)"
    )
    self.r = r
    self.alpha = alpha
    self.s = s
    self.beta = beta
    self.fitReport = fitReport
  }

  /// A model from (r, α, s, β) in this order (all finite and > 0: a precondition).
  public init(parameters: [Double], fitReport: FitReport?) {
    precondition(parameters.count == 4, "Pareto/NBD has 4 parameters")
    self.init(
      r: parameters[0], alpha: parameters[1], s: parameters[2], beta: parameters[3],
      fitReport: fitReport)
  }

  /// A model from a model file; its parameters must be finite and positive.
  /// - Throws: ``ModelError/invalidModelFile(path:reason:)`` otherwise.
  public init(modelFile: ModelFile, path: String) throws {
    let values = try modelFile.parameterValues(named: Self.parameterNames, path: path)
    for (name, value) in zip(Self.parameterNames, values) where !(value > 0) {
      throw ModelError.invalidModelFile(
        path: path, reason: "Pareto/NBD parameter '\(name)' = \(value) must be positive")
    }
    self.init(
      parameters: values, fitReport: modelFile.fitReport(parameterNames: Self.parameterNames))
  }

  public var parameterNames: [String] { Self.parameterNames }
  public var parameterValues: [Double] { [r, alpha, s, beta] }

  static func areValid(_ parameters: [Double]) -> Bool {
    parameters.count == 4 && parameters.allSatisfy { $0.isFinite && $0 > 0 }
  }
}

// MARK: - Codable (validated)

extension ParetoNBD {
  private enum CodingKeys: String, CodingKey { case r, alpha, s, beta, fitReport }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let values = try [CodingKeys.r, .alpha, .s, .beta].map {
      try container.decode(Double.self, forKey: $0)
    }
    guard ParetoNBD.areValid(values) else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription: "Pareto/NBD parameters must be finite and positive: \(values)"))
    }
    self.init(
      r: values[0], alpha: values[1], s: values[2], beta: values[3],
      fitReport: try container.decodeIfPresent(FitReport.self, forKey: .fitReport))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(r, forKey: .r)
    try container.encode(alpha, forKey: .alpha)
    try container.encode(s, forKey: .s)
    try container.encode(beta, forKey: .beta)
    try container.encodeIfPresent(fitReport, forKey: .fitReport)
  }
}

// MARK: - Likelihood

extension ParetoNBD {
  /// log A₀, the death-between-tₓ-and-T term of the likelihood, in log space.
  ///
  ///     α ≥ β:  A₀ = F(r+s+x, s+1; α, α−β)
  ///     α < β:  A₀ = F(r+s+x, r+x; β, β−α)
  ///     F(a, b; m, d) = ₂F₁(a, b; a+1; d/(m+tₓ)) / (m+tₓ)^a − ₂F₁(a, b; a+1; d/(m+T)) / (m+T)^a
  ///
  /// The difference is taken with `logDiffExp`. It equals
  ///
  ///     A₀ = (r+s+x) ∫_{tₓ}^{T} (α+y)^−(r+x) (β+y)^−(s+1) dy,
  ///
  /// and when (r+s+x)(T−tₓ)/(min(α,β)+tₓ) < 10⁻³ — where the difference cancels — that
  /// integral is evaluated instead by 3-point Gauss–Legendre (relative error < 10⁻¹⁵).
  ///
  /// - Source: [FH2005-PNBD] eqs. (19) (α ≥ β) and (20) (α < β); the integral is the step of the
  ///   derivation before them (death at time y ∈ (tₓ, T], density s β^s/(β+y)^(s+1)).
  ///   The same closed form is used by lifetimes 0.11.3 (`_log_A_0`) and CLVTools
  ///   (`pnbd_LL_ind`); neither takes the difference in log space.
  static func logA0(
    r: Double, alpha: Double, s: Double, beta: Double, x: Double, tx: Double, T: Double
  ) -> Double {
    guard T > tx else { return -.infinity }
    let a = r + s + x
    let width = T - tx
    if a * width / (Swift.min(alpha, beta) + tx) < 1e-3 {
      // 3-point Gauss–Legendre on [tₓ, T], nodes 0, ±√(3/5), weights 8/9, 5/9.
      let mid = (tx + T) / 2
      let half = width / 2
      let offset = half * (0.6).squareRoot()
      func logIntegrand(_ y: Double) -> Double {
        -(r + x) * Double.log(alpha + y) - (s + 1) * Double.log(beta + y)
      }
      let logSum = logSumExp([
        Double.log(5.0 / 9.0) + logIntegrand(mid - offset),
        Double.log(8.0 / 9.0) + logIntegrand(mid),
        Double.log(5.0 / 9.0) + logIntegrand(mid + offset),
      ])
      return Double.log(a) + Double.log(half) + logSum
    }
    let (m, d, b) = alpha >= beta ? (alpha, alpha - beta, s + 1) : (beta, beta - alpha, r + x)
    func logTerm(_ y: Double) -> Double {
      logHypergeometric2F1(a, b, a + 1, d / (m + y)) - a * Double.log(m + y)
    }
    let upper = logTerm(tx)
    let lower = logTerm(T)
    // A₀ > 0 mathematically; a rounding-level inversion means A₀ is below the precision of the
    // first term and contributes nothing.
    if lower >= upper { return -.infinity }
    return logDiffExp(upper, lower)
  }

  /// The customer-level log-likelihood (purchase times density) of (x, tₓ, T).
  ///
  ///     L = Γ(r+x) α^r β^s / Γ(r) · [ 1 / ((α+T)^(r+x) (β+T)^s) + s/(r+s+x) · A₀ ]
  ///
  /// evaluated as lgamma terms + `logSumExp` of the two bracketed terms' logs.
  ///
  /// - Source: [FH2005-PNBD] eq. (18), A₀ from eqs. (19)–(20) (see `logA0`).
  static func logLikelihood(
    r: Double, alpha: Double, s: Double, beta: Double, x: Double, tx: Double, T: Double
  ) -> Double {
    let logAliveTerm = -(r + x) * Double.log(alpha + T) - s * Double.log(beta + T)
    let logDeadTerm =
      Double.log(s) - Double.log(r + s + x)
      + logA0(r: r, alpha: alpha, s: s, beta: beta, x: x, tx: tx, T: T)
    return Double.logGamma(r + x) - Double.logGamma(r) + r * Double.log(alpha)
      + s * Double.log(beta) + logSumExp(logAliveTerm, logDeadTerm)
  }

  /// Checks that a summary row can be evaluated: finite, 0 ≤ tₓ ≤ T, x ≥ 0, and tₓ = 0 when x = 0
  /// (up to 1e-9 relative rounding in tₓ ≤ T).
  static func validate(_ row: RFMSummary.Row) throws {
    let ok =
      row.frequency >= 0 && row.recency.isFinite && row.age.isFinite && row.recency >= 0
      && row.age >= 0 && row.recency <= row.age * (1 + 1e-9)
      && (row.frequency > 0 || row.recency == 0)
    if !ok {
      throw ModelError.unusableData(
        model: modelName,
        reason: "customer '\(row.customerID)': (frequency, recency, T) = (\(row.frequency), "
          + "\(row.recency), \(row.age)) is not a valid summary (need 0 ≤ recency ≤ T, "
          + "recency = 0 when frequency = 0)")
    }
  }

  /// Log-likelihood of one customer's (x, tₓ, T) under this model.
  ///
  /// See `logLikelihood(r:alpha:s:beta:x:tx:T:)` for the formula ([FH2005-PNBD] eq. (18)).
  /// - Throws: `ModelError.unusableData` for an invalid row (see `validate`),
  ///   `ModelError.nonFinite` if the value cannot be represented.
  public func logLikelihood(of customer: RFMSummary.Row) throws -> Double {
    try ParetoNBD.validate(customer)
    if CollapsedRFM.isZeroAge(
      frequency: customer.frequency, recency: customer.recency, age: customer.age)
    {
      return 0  // the limit of eq. (18) at T = 0 (see `CollapsedRFM+ZeroAge.swift`)
    }
    let value = ParetoNBD.logLikelihood(
      r: r, alpha: alpha, s: s, beta: beta, x: Double(customer.frequency),
      tx: Swift.min(customer.recency, customer.age), T: customer.age)
    guard value.isFinite else {
      throw ModelError.nonFinite(
        model: ParetoNBD.modelName, quantity: "log-likelihood of customer '\(customer.customerID)'")
    }
    return value
  }

  /// Total log-likelihood of a summary: the sum of the customers' log-likelihoods.
  public func logLikelihood(of summary: RFMSummary) throws -> Double {
    var total = 0.0
    for row in summary.rows { total += try logLikelihood(of: row) }
    return total
  }

}

// MARK: - Predictions

extension ParetoNBD {
  /// log of the odds (1 − P(alive)) / P(alive):
  ///
  ///     u = log s − log(r+s+x) + (r+x) log(α+T) + s log(β+T) + log A₀
  static func logOddsDead(
    r: Double, alpha: Double, s: Double, beta: Double, x: Double, tx: Double, T: Double
  ) -> Double {
    Double.log(s) - Double.log(r + s + x) + (r + x) * Double.log(alpha + T)
      + s * Double.log(beta + T) + logA0(r: r, alpha: alpha, s: s, beta: beta, x: x, tx: tx, T: T)
  }

  /// Probability that the customer is still alive at the end of observation T.
  ///
  ///     P(τ > T | r, α, s, β, x, tₓ, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀)
  ///
  /// computed as the logistic function of −u (see `logOddsDead`), so it never overflows; it is
  /// exactly 1 when tₓ = T.
  ///
  /// - Source: [FH2005-PNBD] section 5, eqs. (36)–(37) (equation numbers as cited by lifetimes
  ///   0.11.3 `conditional_probability_alive`): the "alive at T" term of eq. (18) over L.
  public func probabilityAlive(for customer: RFMSummary.Row) -> Double {
    let u = ParetoNBD.logOddsDead(
      r: r, alpha: alpha, s: s, beta: beta, x: Double(customer.frequency),
      tx: Swift.min(customer.recency, customer.age), T: customer.age)
    return logistic(-u)
  }

  /// (1 − e^(−k·L)) / k, and its limit L at k = 0, without cancellation (`expm1`).
  static func powerDifference(_ k: Double, _ logRatio: Double) -> Double {
    if abs(k * logRatio) < 1e-300 || k == 0 { return logRatio }
    return -Double.expMinusOne(-k * logRatio) / k
  }

  /// Conditional expected number of purchases in (T, T + t], given (x, tₓ, T).
  ///
  ///     E[Y(t) | x, tₓ, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive)
  ///
  /// The bracket over (s − 1) is evaluated as −expm1(−(s−1)·log1p(t/(β+T)))/(s−1), which is
  /// exact for s near 1 and has the limit log(1 + t/(β+T)) at s = 1.
  ///
  /// - Source: [SMC1987]; [FH2005-PNBD] eq. (41) (as cited by lifetimes 0.11.3
  ///   `conditional_expected_number_of_purchases_up_to_time`, which implements the same form).
  public func expectedPurchases(in horizon: Double, for customer: RFMSummary.Row) -> Double {
    let x = Double(customer.frequency)
    let T = customer.age
    guard horizon > 0 else { return 0 }
    let logRatio = Double.log(onePlus: horizon / (beta + T))
    return (r + x) * (beta + T) / (alpha + T) * ParetoNBD.powerDifference(s - 1, logRatio)
      * probabilityAlive(for: customer)
  }

  /// Expected number of repeat purchases in (0, t] for a new, randomly chosen customer.
  ///
  ///     E[X(t)] = r β / (α (s−1)) · [1 − (β/(β+t))^(s−1)]
  ///
  /// (limit r β / α · log(1 + t/β) at s = 1; evaluated with `expm1` as in
  /// `expectedPurchases(in:for:)`).
  ///
  /// - Source: [SMC1987]; [FH2005-PNBD] eq. (27) (as cited by lifetimes 0.11.3
  ///   `expected_number_of_purchases_up_to_time`).
  public func expectedPurchases(in horizon: Double) -> Double {
    guard horizon > 0 else { return 0 }
    return r * beta / alpha * ParetoNBD.powerDifference(s - 1, Double.log(onePlus: horizon / beta))
  }
}
