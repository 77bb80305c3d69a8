import CLVData
import CLVNumerics

/// The beta-geometric/beta-Bernoulli model for discrete transaction opportunities.
///
/// At each opportunity an alive customer transacts with probability p ~ beta(α, β); at the
/// start of each opportunity an alive customer dies with probability θ ~ beta(γ, δ). A history
/// is (x, tₓ, n): x transactions in n opportunities, the last at opportunity tₓ. In
/// `RFMSummary.Row` terms: `frequency` = x, `recency` = tₓ, `age` = n (whole numbers); the
/// time unit is the opportunity and horizons are whole numbers of opportunities (rounded down).
///
/// - Source: [FHS2010] Fader, Hardie & Shang (2010).
public struct BGBB: TransactionModel, ModelFileConvertible, ParametricModel {
  public static let modelName = "BG/BB"
  public static let modelID = "bgbb"
  public static let parameterNames = ["alpha", "beta", "gamma", "delta"]

  public var alpha: Double
  public var beta: Double
  public var gamma: Double
  public var delta: Double
  public var fitReport: FitReport?

  public init(
    alpha: Double, beta: Double, gamma: Double, delta: Double, fitReport: FitReport? = nil
  ) {
    self.alpha = alpha
    self.beta = beta
    self.gamma = gamma
    self.delta = delta
    self.fitReport = fitReport
  }

  public init(parameters: [Double], fitReport: FitReport?) {
    precondition(parameters.count == 4, "BG/BB has 4 parameters")
    self.init(
      alpha: parameters[0], beta: parameters[1], gamma: parameters[2], delta: parameters[3],
      fitReport: fitReport)
  }

  public var parameterNames: [String] { Self.parameterNames }
  public var parameterValues: [Double] { [alpha, beta, gamma, delta] }

  // MARK: Fitting

  /// Fits BG/BB on histories (x, tₓ, n) with optional weights (the donations layout's counts).
  ///
  /// - Throws: ``ModelError/unusableData(model:reason:)`` for a history that is not whole
  ///   numbers with 0 ≤ x ≤ tₓ ≤ n (tₓ = 0 when x = 0); the fit's errors.
  public static func fit(
    _ summary: RFMSummary, weights: [Double]? = nil, options: FitOptions = FitOptions()
  ) throws -> BGBB {
    for row in summary.rows {
      try validate(row)
    }
    let data = try CollapsedRFM(summary.rows, weights: weights, model: modelName)
    var problem = MaximumLikelihood.Problem(
      modelName: modelName, parameterNames: parameterNames, customers: data.customers,
      distinctRows: data.count
    ) { theta, gradient in
      logLikelihood(theta, data: data, gradient: &gradient)
    }
    problem.dropped = Int(data.zeroAgeCustomers.rounded())
    let e01 = Double.exp(0.1)
    let starts = [[e01, e01, e01, e01], [1, 1, 1, 3], [2, 1, 0.5, 2]]
    let estimate = try MaximumLikelihood.fit(problem, starts: starts, options: options)
    return BGBB(parameters: estimate.parameters, fitReport: estimate.report)
  }

  static func validate(_ row: RFMSummary.Row) throws {
    let x = Double(row.frequency)
    guard row.recency == row.recency.rounded(), row.age == row.age.rounded(), row.age >= 0,
      x <= row.recency || (row.frequency == 0 && row.recency == 0), row.recency <= row.age
    else {
      throw ModelError.unusableData(
        model: modelName,
        reason: "customer '\(row.customerID)': (x, tₓ, n) = (\(row.frequency), \(row.recency), "
          + "\(row.age)) is not a history of whole numbers with x ≤ tₓ ≤ n")
    }
  }

  /// The terms of the likelihood of one history, as logs (log-sum-exp gives log L):
  ///
  ///     L = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
  ///       + Σ_{i=0}^{n−tₓ−1} B(α+x, β+tₓ−x+i)/B(α,β) · B(γ+1, δ+tₓ+i)/B(γ,δ)
  ///
  /// - Source: [FHS2010] eq. (5).
  static func logTerms(_ theta: [Double], x: Int, tx: Int, n: Int) -> [Double] {
    let a = theta[0], b = theta[1], g = theta[2], d = theta[3]
    let xd = Double(x)
    let lbAB = logBeta(a, b), lbGD = logBeta(g, d)
    var terms = [logBeta(a + xd, b + Double(n - x)) - lbAB + logBeta(g, d + Double(n)) - lbGD]
    if n - tx - 1 >= 0 {
      for i in 0...(n - tx - 1) {
        terms.append(
          logBeta(a + xd, b + Double(tx - x + i)) - lbAB + logBeta(g + 1, d + Double(tx + i))
            - lbGD)
      }
    }
    return terms
  }

  /// Total weighted log-likelihood [FHS2010] eq. (5) and its gradient in (α, β, γ, δ): each
  /// term's log is a sum of log-beta functions, whose derivatives are
  /// ∂ log B(u, v)/∂u = ψ(u) − ψ(u+v); the gradient of log L is the softmax-weighted mean of the
  /// terms' gradients.
  public static func logLikelihood(
    _ theta: [Double], data: CollapsedRFM, gradient: inout [Double]
  )
    -> Double
  {
    let a = theta[0], b = theta[1], g = theta[2], d = theta[3]
    let psiA = digamma(a), psiB = digamma(b), psiAB = digamma(a + b)
    let psiG = digamma(g), psiD = digamma(d), psiGD = digamma(g + d)
    // ∂ of −log B(α,β) − log B(γ,δ).
    let base = [-(psiA - psiAB), -(psiB - psiAB), -(psiG - psiGD), -(psiD - psiGD)]
    var total = 0.0
    var grad = [0.0, 0.0, 0.0, 0.0]
    for row in 0..<data.count {
      let x = data.frequencies[Int(data.frequencyIndex[row])]
      let tx = Int(data.recencies[Int(data.recencyIndex[row])])
      let n = Int(data.ages[Int(data.ageIndex[row])])
      let w = data.weights[row]
      let terms = logTerms(theta, x: x, tx: tx, n: n)
      let ll = logSumExp(terms)
      total += w * ll
      let xd = Double(x)
      // First term: B(α+x, β+n−x) B(γ, δ+n).
      var weightSum = Double.exp(terms[0] - ll)
      let nd = Double(n)
      var ga = weightSum * (digamma(a + xd) - digamma(a + b + nd))
      var gb = weightSum * (digamma(b + nd - xd) - digamma(a + b + nd))
      var gg = weightSum * (psiG - digamma(g + d + nd))
      var gd = weightSum * (digamma(d + nd) - digamma(g + d + nd))
      if terms.count > 1 {
        for i in 0..<(terms.count - 1) {
          let wi = Double.exp(terms[i + 1] - ll)
          weightSum += wi
          let k = Double(tx + i)  // β + tₓ − x + i and δ + tₓ + i
          let psiABk = digamma(a + b + k)
          ga += wi * (digamma(a + xd) - psiABk)
          gb += wi * (digamma(b + k - xd) - psiABk)
          let psiGDk = digamma(g + d + k + 1)
          gg += wi * (digamma(g + 1) - psiGDk)
          gd += wi * (digamma(d + k) - psiGDk)
        }
      }
      grad[0] += w * (ga + base[0] * weightSum)
      grad[1] += w * (gb + base[1] * weightSum)
      grad[2] += w * (gg + base[2] * weightSum)
      grad[3] += w * (gd + base[3] * weightSum)
    }
    gradient = grad
    return total
  }

  // MARK: Predictions

  private func history(_ c: RFMSummary.Row) -> (x: Int, tx: Int, n: Int) {
    (c.frequency, Int(c.recency.rounded()), Int(c.age.rounded()))
  }

  /// log L of one history, [FHS2010] eq. (5); exactly 0 for n = 0 (see
  /// `CollapsedRFM+ZeroAge.swift`).
  public func logLikelihood(of customer: RFMSummary.Row) -> Double {
    let h = history(customer)
    if h.n == 0 && h.x == 0 && h.tx == 0 { return 0 }
    return logSumExp(Self.logTerms(parameterValues, x: h.x, tx: h.tx, n: h.n))
  }

  /// log P(alive at opportunity n + m | x, tₓ, n) =
  /// log B(α+x, β+n−x)/B(α,β) + log B(γ, δ+n+m)/B(γ,δ) − log L.
  func logProbabilityAlive(_ h: (x: Int, tx: Int, n: Int), ahead m: Int) -> Double {
    let xd = Double(h.x), nd = Double(h.n)
    return logBeta(alpha + xd, beta + nd - xd) - logBeta(alpha, beta)
      + logBeta(gamma, delta + nd + Double(m)) - logBeta(gamma, delta)
      - logSumExp(Self.logTerms(parameterValues, x: h.x, tx: h.tx, n: h.n))
  }

  /// P(alive at the next opportunity n + 1 | x, tₓ, n), the value [FHS2010] report (e.g. 0.11,
  /// 0.59, 0.93 for (0, 0), (2, 4), (6, 6) after 6 opportunities).
  ///
  ///     P = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n+1)/B(γ,δ) / L(α, β, γ, δ | x, tₓ, n)
  ///
  /// - Source: [FHS2010] eq. (11); lifetimes `conditional_probability_alive(1, …)`.
  public func probabilityAlive(for customer: RFMSummary.Row) -> Double {
    min(1, Double.exp(logProbabilityAlive(history(customer), ahead: 1)))
  }

  /// Expected transactions in the next t opportunities (t rounded down):
  ///
  ///     E = 1/L · B(α+x+1, β+n−x)/B(α,β) · δ/(γ−1) · Γ(γ+δ)/Γ(1+δ)
  ///         · [Γ(1+δ+n)/Γ(γ+δ+n) − Γ(1+δ+n+t)/Γ(γ+δ+n+t)]
  ///
  /// in logs; within 1e-6 of γ = 1 (0/0) as the sum over the next opportunities of
  /// P(transaction at n+k) = B(α+x+1, β+n−x)/B(α,β) · B(γ, δ+n+k)/B(γ,δ) / L.
  ///
  /// - Source: [FHS2010] eq. (13).
  public func expectedPurchases(in horizon: Double, for customer: RFMSummary.Row) -> Double {
    let t = Double(Int(max(0, horizon).rounded(.down)))
    guard t > 0 else { return 0 }
    let h = history(customer)
    let xd = Double(h.x), nd = Double(h.n)
    let logL = logSumExp(Self.logTerms(parameterValues, x: h.x, tx: h.tx, n: h.n))
    let logPurchase = logBeta(alpha + xd + 1, beta + nd - xd) - logBeta(alpha, beta) - logL
    return Double.exp(logPurchase) * expectedAliveOpportunities(after: nd, count: t)
  }

  /// Σ_{k=1}^{t} B(γ, δ+n+k)/B(γ,δ) = δ/(γ−1) · Γ(γ+δ)/Γ(1+δ) · [Γ(1+δ+n)/Γ(γ+δ+n) −
  /// Γ(1+δ+n+t)/Γ(γ+δ+n+t)], the expected number of the next t opportunities at which the
  /// customer is alive (unconditioned on the history of survival; [FHS2010] eqs. (9), (13)).
  func expectedAliveOpportunities(after n: Double, count t: Double) -> Double {
    let g = gamma, d = delta
    if abs(g - 1) > 1e-6 {
      let first = Double.logGamma(1 + d + n) - Double.logGamma(g + d + n)
      let second = Double.logGamma(1 + d + n + t) - Double.logGamma(g + d + n + t)
      let factor = d / (g - 1) * -Double.expMinusOne(second - first)
      let value = Double.exp(Double.logGamma(g + d) - Double.logGamma(1 + d) + first) * factor
      if value.isFinite && value >= 0 { return value }
    }
    var sum = 0.0
    let lbGD = logBeta(g, d)
    var k = 1.0
    while k <= t {
      sum += Double.exp(logBeta(g, d + n + k) - lbGD)
      k += 1
    }
    return sum
  }

  /// E[X(n)] = α/(α+β) · δ/(γ−1) · [1 − Γ(γ+δ)/Γ(γ+δ+n) · Γ(1+δ+n)/Γ(1+δ)] for a new
  /// customer over the first n opportunities (n rounded down).
  ///
  /// - Source: [FHS2010] eq. (9).
  public func expectedPurchases(in horizon: Double) -> Double {
    let n = Double(Int(max(0, horizon).rounded(.down)))
    guard n > 0 else { return 0 }
    return alpha / (alpha + beta) * expectedAliveOpportunities(after: 0, count: n)
  }

  /// P(X(n) = x) = C(n,x) B(α+x, β+n−x)/B(α,β) B(γ, δ+n)/B(γ,δ)
  ///             + Σ_{i=x}^{n−1} C(i,x) B(α+x, β+i−x)/B(α,β) B(γ+1, δ+i)/B(γ,δ).
  ///
  /// - Source: [FHS2010] eq. (7).
  public func probabilityOfPurchases(_ count: Int, in horizon: Double) -> Double {
    let n = Int(max(0, horizon).rounded(.down))
    let x = count
    guard x >= 0, x <= n else { return 0 }
    let xd = Double(x)
    let lbAB = logBeta(alpha, beta), lbGD = logBeta(gamma, delta)
    func logChoose(_ i: Int, _ j: Int) -> Double {
      Double.logGamma(Double(i + 1)) - Double.logGamma(Double(j + 1))
        - Double.logGamma(Double(i - j + 1))
    }
    var terms = [
      logChoose(n, x) + logBeta(alpha + xd, beta + Double(n - x)) - lbAB
        + logBeta(gamma, delta + Double(n)) - lbGD
    ]
    if x <= n - 1 {
      for i in x...(n - 1) {
        terms.append(
          logChoose(i, x) + logBeta(alpha + xd, beta + Double(i - x)) - lbAB
            + logBeta(gamma + 1, delta + Double(i)) - lbGD)
      }
    }
    return min(1, Double.exp(logSumExp(terms)))
  }

  /// P(no transaction in the next t opportunities | x, tₓ, n) = 1 − P(alive at n) + P(alive at
  /// n) · E[Σ_{k=0}^{t−1} θ ((1−θ)(1−p))ᵏ + ((1−θ)(1−p))ᵗ], with p ~ beta(α+x, β+n−x) and
  /// θ ~ beta(γ, δ+n) independent given alive at n.
  ///
  /// - Source: derived from [FHS2010] section 2 (the process) and eq. (A10) (the posterior).
  public func probabilityOfNoPurchase(in horizon: Double, for customer: RFMSummary.Row) -> Double {
    let t = Int(max(0, horizon).rounded(.down))
    guard t > 0 else { return 1 }
    let h = history(customer)
    let xd = Double(h.x), nd = Double(h.n)
    let alive = min(1, Double.exp(logProbabilityAlive(h, ahead: 0)))
    let ap = alpha + xd, bp = beta + nd - xd, dn = delta + nd
    let lbP = logBeta(ap, bp), lbT = logBeta(gamma, dn)
    var none = Double.exp(
      logBeta(ap, bp + Double(t)) - lbP + logBeta(gamma, dn + Double(t)) - lbT)
    for k in 0..<t {
      none += Double.exp(
        logBeta(ap, bp + Double(k)) - lbP + logBeta(gamma + 1, dn + Double(k)) - lbT)
    }
    return 1 - alive * (1 - min(1, none))
  }

  /// E[1/p | alive, history] = (α+β+n−1)/(α+x−1) opportunities; nil when α + x ≤ 1.
  public func expectedTimeToNextPurchase(for customer: RFMSummary.Row) -> Double? {
    let h = history(customer)
    let k = alpha + Double(h.x)
    return k > 1 ? (alpha + beta + Double(h.n) - 1) / (k - 1) : nil
  }
}
