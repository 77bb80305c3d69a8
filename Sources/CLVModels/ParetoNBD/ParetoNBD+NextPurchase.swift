import CLVData
import CLVNumerics

extension ParetoNBD {
  /// Given alive at T, the customer's (λ, μ) are independent Gamma(r+x, α+T) and Gamma(s, β+T)
  /// ([FH2005-PNBD]); the next purchase comes after an Exp(λ+μ) wait if it comes before death,
  /// which happens with probability λ/(λ+μ). With p = r+x+1, q = s, A = α+T, B = β+T:
  ///
  ///     E[λ/(λ+μ)]   = (r+x) A^(r+x) B^s · J₀,   J₀ = ∫₀^∞ (A+u)^−p (B+u)^−q du
  ///     E[λ/(λ+μ)²]  = (r+x) A^(r+x) B^s · J₁,   J₁ = ∫₀^∞ u (A+u)^−p (B+u)^−q du
  ///
  /// (from 1/(λ+μ)ᵏ = ∫₀^∞ uᵏ⁻¹ e^−(λ+μ)u du / Γ(k) and the gamma Laplace transforms). With
  /// M = max(A, B) carrying exponent a, the other exponent b, and z = 1 − min(A, B)/M ∈ [0, 1),
  /// the substitution u = M(1−t)/t and Euler's integral give
  ///
  ///     J₀ = M^(1−a−b) / (a+b−1) · ₂F₁(b, a+b−1; a+b; z)                 (a+b > 1)
  ///     J₁ = M^(2−a−b) / ((a+b−2)(a+b−1)) · ₂F₁(b, a+b−2; a+b; z)        (a+b > 2)
  ///
  /// all terms positive, so their logs are sums (no cancellation).
  ///
  /// - Source: derived here from the model assumptions of [SMC1987] and the posterior in
  ///   [FH2005-PNBD]; Euler's integral for ₂F₁: DLMF 15.6.1. Checked against mpmath quadrature
  ///   (scripts/reference/pareto_nbd.py section 12).
  static func logNextPurchaseIntegrals(
    r: Double, alpha: Double, s: Double, beta: Double, x: Double, T: Double
  ) -> (logPrefactor: Double, logJ0: Double, logJ1: Double) {
    let p = r + x + 1
    let q = s
    let A = alpha + T
    let B = beta + T
    let (M, b, z) = A >= B ? (A, q, 1 - B / A) : (B, p, 1 - A / B)
    let total = p + q
    let logPrefactor = Double.log(r + x) + (r + x) * Double.log(A) + s * Double.log(B)
    let logJ0 =
      (1 - total) * Double.log(M) - Double.log(total - 1)
      + logHypergeometric2F1(b, total - 1, total, z)
    let logJ1 =
      total > 2
      ? (2 - total) * Double.log(M) - Double.log(total - 2) - Double.log(total - 1)
        + logHypergeometric2F1(b, total - 2, total, z)
      : Double.infinity
    return (logPrefactor, logJ0, logJ1)
  }

  /// Probability that the customer ever purchases again, given (x, tₓ, T):
  ///
  ///     P(another purchase | x, tₓ, T) = P(alive) · E[λ/(λ+μ) | alive]
  ///
  /// (see `logNextPurchaseIntegrals` for E[λ/(λ+μ)] in closed form).
  public func probabilityOfAnotherPurchase(for customer: RFMSummary.Row) -> Double {
    let terms = ParetoNBD.logNextPurchaseIntegrals(
      r: r, alpha: alpha, s: s, beta: beta, x: Double(customer.frequency), T: customer.age)
    let conditional = Swift.min(1, Double.exp(terms.logPrefactor + terms.logJ0))
    return probabilityAlive(for: customer) * conditional
  }

  /// Expected time from T to the customer's next purchase, for a customer who is alive and
  /// makes one (the purchase comes before dropout, which competes with it):
  ///
  ///     E[W | alive at T, next purchase occurs] = E[λ/(λ+μ)²] / E[λ/(λ+μ)] = J₁ / J₀
  ///
  /// (see `logNextPurchaseIntegrals`). Combine with `probabilityOfAnotherPurchase(for:)` for the
  /// chance that there is a next purchase at all. Unlike E[1/λ | alive] (used for BG/NBD, where
  /// dropout happens only at purchases), this accounts for dropout competing with the next
  /// purchase: customers with a high μ whose next purchase comes must make it soon; it is
  /// never longer than E[1/λ | alive] = (α+T)/(r+x−1).
  ///
  /// - Returns: the expectation in the model's time unit, or nil when r + x + s ≤ 1, where the
  ///   posterior gives it no finite mean.
  public func expectedTimeToNextPurchase(for customer: RFMSummary.Row) -> Double? {
    let terms = ParetoNBD.logNextPurchaseIntegrals(
      r: r, alpha: alpha, s: s, beta: beta, x: Double(customer.frequency), T: customer.age)
    guard terms.logJ1.isFinite, terms.logJ0.isFinite else { return nil }
    return Double.exp(terms.logJ1 - terms.logJ0)
  }
}
