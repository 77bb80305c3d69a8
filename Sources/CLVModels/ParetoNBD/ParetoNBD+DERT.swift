import CLVData
import CLVNumerics

extension ParetoNBD {
  /// Discounted expected residual transactions (DERT) with continuous discounting at rate δ per
  /// unit of time: the present value at T of the customer's future purchases (multiply by the
  /// expected margin per purchase for a residual lifetime value).
  ///
  ///     DERT(δ | r, α, s, β, x, tₓ, T)
  ///       = α^r β^s δ^(s−1) Γ(r+x+1) Ψ(s, s; δ(β+T))
  ///         / (Γ(r) (α+T)^(r+x+1) L(r, α, s, β | x, tₓ, T))
  ///       = P(alive) · (r+x)/(α+T) · (1/δ) · z^s Ψ(s, s; z),   z = δ(β+T)
  ///
  /// where Ψ = U is Tricomi's confluent hypergeometric function of the second kind. The second
  /// line uses P(alive) ([FH2005-PNBD]) and is the same quantity: given alive at T, λ and μ are
  /// independent Gamma(r+x, α+T) and Gamma(s, β+T), and E[1/(μ+δ)] = (β+T)^s δ^(s−1) U(s, s; z)
  /// by U's integral representation (DLMF 13.4.4). z^s U(s, s; z) is evaluated in log space by
  /// `logScaledU` (it tends to 1 as z → ∞, when discounting dominates dropout).
  ///
  /// - Parameter continuousDiscountRate: δ > 0 per unit of time (e.g. an annual rate d compounded
  ///   continuously over 52 weeks: δ = log(1 + d)/52 per week).
  /// - Returns: DERT ≥ 0, finite for δ > 0.
  /// - Source: [FHL2005b] eq. (2) and its appendix; CLVTools `pnbd_DERT_ind` implements the first
  ///   line with U in terms of ₁F₁ (not stable for large z nor at integer s).
  public func discountedExpectedResidualTransactions(
    continuousDiscountRate delta: Double, for customer: RFMSummary.Row
  ) -> Double {
    precondition(delta > 0 && delta.isFinite, "the continuous discount rate must be positive")
    let x = Double(customer.frequency)
    let T = customer.age
    let z = delta * (beta + T)
    let logValue =
      Double.log(r + x) - Double.log(alpha + T) - Double.log(delta)
      + ParetoNBD.logScaledU(s: s, z: z)
    return probabilityAlive(for: customer) * Double.exp(logValue)
  }

  /// log(z^s · U(s, s; z)) for s > 0, z > 0.
  ///
  ///     U(s, s; z) = e^z Γ(1−s, z)                                        (DLMF 8.5.3)
  ///     z ≥ 1:  Γ(a, z) = e^−z z^a · 1/(z+1−a− 1(1−a)/(z+3−a− 2(2−a)/(z+5−a− …)))
  ///             (the even contraction of DLMF 8.9.2; Numerical Recipes 3rd ed. eq. (6.2.7))
  ///             so log(z^s U) = log z + log CF   (no cancellation; modified Lentz)
  ///     z < 1:  log(z^s U) = s log z + z + log Γ(1−s, z), with Γ(a, z) from
  ///             a > 0:  Γ(a) − γ(a, z),  γ(a, z) = e^−z z^a Σₖ zᵏ / (a(a+1)…(a+k))  (DLMF 8.7.1)
  ///             a ≤ 0:  downward recurrence Γ(a, z) = (z^a e^−z − Γ(a+1, z)) / (−a)
  ///                     (DLMF 8.8.2)
  ///                     from Γ(b, z), b ∈ (0, 1) by the series, or from E₁(z) = Γ(0, z)
  ///                     = −γ − log z − Σₖ (−z)ᵏ/(k·k!) for integer a            (DLMF 6.6.2)
  ///
  /// - Source: DLMF (NIST Digital Library of Mathematical Functions) §§ 6.6, 8.5, 8.7, 8.8, 8.9;
  ///   [NR2007] Press, Teukolsky, Vetterling & Flannery, Numerical Recipes, 3rd ed., §§ 5.2
  ///   (modified Lentz) and 6.2 (incomplete gamma function).
  static func logScaledU(s: Double, z: Double) -> Double {
    let a = 1 - s
    if z >= 1 {
      return Double.log(z) + Double.log(upperIncompleteGammaContinuedFraction(a: a, z: z))
    }
    return s * Double.log(z) + z + logUpperIncompleteGammaSmallZ(a: a, z: z)
  }

  /// log Γ(a, z) for 0 < z < 1 and any real a.
  private static func logUpperIncompleteGammaSmallZ(a: Double, z: Double) -> Double {
    let logZ = Double.log(z)
    if a > 0 { return logGammaComplementOfSeries(a: a, z: z) }
    // a ≤ 0: start at b = 0 (integer a, E₁) or b ∈ (0, 1) (series) and recur down to a.
    var b: Double
    var logValue: Double
    if a == a.rounded() {
      b = 0
      logValue = Double.log(exponentialIntegralE1(z))
    } else {
      b = a + (-a).rounded(.up)
      logValue = logGammaComplementOfSeries(a: b, z: z)
    }
    while b > a + 0.5 {
      // Γ(b−1, z) = (z^(b−1) e^−z − Γ(b, z)) / (1 − b), 1 − b > 0.
      let logFirst = (b - 1) * logZ - z
      logValue =
        (logValue >= logFirst ? -Double.infinity : logDiffExp(logFirst, logValue))
        - Double.log(1 - b)
      b -= 1
    }
    return logValue
  }

  /// log(Γ(a) − γ(a, z)) for a > 0, 0 < z < 1, γ by its series (DLMF 8.7.1).
  private static func logGammaComplementOfSeries(a: Double, z: Double) -> Double {
    var term = 1 / a
    var sum = term
    var k = 1.0
    while k < 1000 {
      term *= z / (a + k)
      sum += term
      if term < sum * 1e-17 { break }
      k += 1
    }
    let logLower = -z + a * Double.log(z) + Double.log(sum)
    let logComplete = Double.logGamma(a)
    return logLower >= logComplete ? -Double.infinity : logDiffExp(logComplete, logLower)
  }

  /// E₁(z) for 0 < z < 1 by its convergent series (DLMF 6.6.2).
  private static func exponentialIntegralE1(_ z: Double) -> Double {
    let eulerGamma = 0.577_215_664_901_532_860_6
    var sum = 0.0
    var term = 1.0
    var k = 1.0
    while k < 200 {
      term *= -z / k
      let contribution = term / k
      sum += contribution
      if abs(contribution) < 1e-17 * abs(sum) { break }
      k += 1
    }
    return -eulerGamma - Double.log(z) - sum
  }
}
