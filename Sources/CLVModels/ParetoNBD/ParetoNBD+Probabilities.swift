import CLVData
import CLVNumerics

extension ParetoNBD {
  /// log P(X(t) = n) for a new, randomly chosen customer (n repeat purchases in (0, t]).
  ///
  ///     P(X(t) = n) = Γ(r+n) / (Γ(r) n!) · (α/(α+t))^r (t/(α+t))^n (β/(β+t))^s
  ///                 + α^r β^s B(r+n, s+1) / B(r, s)
  ///                   · [ B₁ − Σ_{i=0}^{n} Γ(r+s+i) / (Γ(r+s) i!) · t^i · B₂,ᵢ ]
  ///
  ///     α ≥ β:  B₁ = ₂F₁(r+s, s+1; r+s+n+1; (α−β)/α) / α^(r+s)
  ///             B₂,ᵢ = ₂F₁(r+s+i, s+1; r+s+n+1; (α−β)/(α+t)) / (α+t)^(r+s+i)
  ///     α < β:  B₁ = ₂F₁(r+s, r+n; r+s+n+1; (β−α)/β) / β^(r+s)
  ///             B₂,ᵢ = ₂F₁(r+s+i, r+n; r+s+n+1; (β−α)/(β+t)) / (β+t)^(r+s+i)
  ///
  /// All terms are summed in log space; the bracket is a `logDiffExp` (a rounding-level
  /// inversion, possible only when the bracket is below the precision of B₁, counts as 0).
  ///
  /// - Source: [FH2006-PNBD-PMF] (Fader & Hardie, "Deriving an Expression for P(X(t) = x) Under the
  ///   Pareto/NBD Model", final expression of section 4).
  static func logProbabilityOfPurchases(
    _ n: Int, in t: Double, r: Double, alpha: Double, s: Double, beta: Double
  ) -> Double {
    let k = Double(n)
    if t <= 0 { return n == 0 ? 0 : -.infinity }
    let logAliveThroughout =
      Double.logGamma(r + k) - Double.logGamma(r) - Double.logGamma(k + 1)
      + r * (Double.log(alpha) - Double.log(alpha + t))
      + k * (Double.log(t) - Double.log(alpha + t))
      + s * (Double.log(beta) - Double.log(beta + t))
    let (m, d, b) = alpha >= beta ? (alpha, alpha - beta, s + 1) : (beta, beta - alpha, r + k)
    let c = r + s + k + 1
    let logB1 = logHypergeometric2F1(r + s, b, c, d / m) - (r + s) * Double.log(m)
    var terms: [Double] = []
    terms.reserveCapacity(n + 1)
    for i in 0...n {
      let j = Double(i)
      terms.append(
        Double.logGamma(r + s + j) - Double.logGamma(r + s) - Double.logGamma(j + 1)
          + j * Double.log(t)
          + logHypergeometric2F1(r + s + j, b, c, d / (m + t)) - (r + s + j) * Double.log(m + t))
    }
    let logB2 = logSumExp(terms)
    let logBracket = logB2 >= logB1 ? -Double.infinity : logDiffExp(logB1, logB2)
    let logDiedInside =
      r * Double.log(alpha) + s * Double.log(beta) + logBeta(r + k, s + 1) - logBeta(r, s)
      + logBracket
    return logSumExp(logAliveThroughout, logDiedInside)
  }

  /// P(X(t) = n): probability that a new, randomly chosen customer makes exactly n repeat
  /// purchases in (0, t]. See `logProbabilityOfPurchases` for the formula ([FH2006-PNBD-PMF]).
  /// The result is clamped to [0, 1] (it can exceed 1 only by rounding).
  public func probabilityOfPurchases(_ n: Int, in horizon: Double) -> Double {
    precondition(n >= 0, "a purchase count is non-negative")
    let p = Double.exp(
      ParetoNBD.logProbabilityOfPurchases(n, in: horizon, r: r, alpha: alpha, s: s, beta: beta))
    return Swift.min(1, Swift.max(0, p))
  }

  /// P(X(T, T+t) = n | x, tₓ, T): probability of exactly n purchases in the next `horizon`,
  /// given the customer's history.
  ///
  ///     P(X(T, T+t) = n | x, tₓ, T) = [n = 0] · (1 − P(alive))
  ///                                  + P(alive) · P(X(t) = n | r+x, α+T, s, β+T)
  ///
  /// Given alive at T, the posterior of (λ, μ) is Gamma(r+x, α+T) × Gamma(s, β+T) (the likelihood
  /// of an alive customer is λ^x e^−(λ+μ)T), so a survivor behaves as a new customer with updated
  /// parameters and [FH2006-PNBD-PMF] applies to them.
  ///
  /// - Source: [FH2005-PNBD] (posterior of λ, μ), [FH2006-PNBD-PMF]; equal to [FH-PNBD-CondPMF]
  ///   eq. (16) as implemented by lifetimes 0.11.3 `conditional_probability_of_n_purchases_up_to_time`
  ///   (checked in ParetoNBDCorrectnessTests).
  public func probabilityOfPurchases(
    _ n: Int, in horizon: Double, for customer: RFMSummary.Row
  ) -> Double {
    precondition(n >= 0, "a purchase count is non-negative")
    let pAlive = probabilityAlive(for: customer)
    let x = Double(customer.frequency)
    let T = customer.age
    let pSurvivor = Double.exp(
      ParetoNBD.logProbabilityOfPurchases(
        n, in: horizon, r: r + x, alpha: alpha + T, s: s, beta: beta + T))
    let p = (n == 0 ? 1 - pAlive : 0) + pAlive * pSurvivor
    return Swift.min(1, Swift.max(0, p))
  }

  /// Probability of no purchase in the next `horizon`, given the history:
  /// `probabilityOfPurchases(0, in: horizon, for: customer)`.
  public func probabilityOfNoPurchase(in horizon: Double, for customer: RFMSummary.Row) -> Double {
    probabilityOfPurchases(0, in: horizon, for: customer)
  }
}
