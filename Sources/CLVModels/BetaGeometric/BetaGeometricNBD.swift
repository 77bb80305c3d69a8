import CLVData
import CLVNumerics
import Dispatch

/// Partial sums of a log-likelihood over rows and of its gradient in (r, α, a, b).
struct RowSums {
  var total = 0.0, gr = 0.0, gAlpha = 0.0, ga = 0.0, gb = 0.0
}

/// Collapsed data with at least this many distinct rows evaluate the likelihood in two halves
/// in parallel (two fixed halves, so the sums do not depend on the number of cores; smaller
/// data are summed in one pass, in row order).
let parallelLikelihoodRows = 100_000

/// The likelihood and predictions shared by BG/NBD and MBG/NBD. Both are Poisson purchases at a
/// gamma(r, α) rate and a beta(a, b) dropout probability p applied after each repeat purchase
/// (BG/NBD), or after every purchase including the first (MBG/NBD). Their per-customer
/// likelihood has the same two-term form
///
///     L = B(a, b + x + m) / B(a, b) · Γ(r + x) αʳ / Γ(r) · [ (α + T)^−(r+x)
///         + δ · a / (b + x − 1 + m) · (α + tₓ)^−(r+x) ]
///
/// with m = 0, δ = 1{x > 0} for BG/NBD ([FHL2005a] eq. 6) and m = 1, δ = 1 for MBG/NBD
/// ([BDF2007] appendix A; lifetimes `ModifiedBetaGeoFitter`).
struct BetaGeometricKernel {
  /// true for MBG/NBD (dropout possible right after the first purchase).
  let modified: Bool

  /// Shift m of the dropout chances: 0 (BG/NBD) or 1 (MBG/NBD).
  var shift: Int { modified ? 1 : 0 }

  /// Total weighted log-likelihood and its gradient in (r, α, a, b).
  ///
  /// Per row, with A₃ = −(r+x) log(α+T), A₄ = log a − log(b+x−1+m) − (r+x) log(α+tₓ), and w
  /// the weight exp(A₄ − log(e^A₃ + δ e^A₄)) of the second term:
  ///
  ///     ℓ      = log Γ(r+x) − log Γ(r) + r log α + log B(a, b+x+m) − log B(a, b)
  ///              + log(e^A₃ + δ e^A₄)
  ///     ∂ℓ/∂r  = ψ(r+x) − ψ(r) + log α − (1−w) log(α+T) − w log(α+tₓ)
  ///     ∂ℓ/∂α  = r/α − (r+x) [ (1−w)/(α+T) + w/(α+tₓ) ]
  ///     ∂ℓ/∂a  = ψ(a+b) − ψ(a+b+x+m) + w/a
  ///     ∂ℓ/∂b  = ψ(a+b) + ψ(b+x+m) − ψ(b) − ψ(a+b+x+m) − w/(b+x−1+m)
  ///
  /// - Source: [FHL2005a] eq. (6); derivatives by differentiation of it.
  /// - Complexity: O(distinct rows) exponentials and logs, plus special functions once per
  ///   distinct x.
  func logLikelihood(_ theta: [Double], data: CollapsedRFM, gradient: inout [Double]) -> Double {
    let r = theta[0], alpha = theta[1], a = theta[2], b = theta[3]
    let m = shift
    let nx = data.frequencies.count
    // Per distinct x.
    var constant = [Double](repeating: 0, count: nx)
    var secondConstant = [Double](repeating: -.infinity, count: nx)
    var dR = [Double](repeating: 0, count: nx)
    var dA = [Double](repeating: 0, count: nx)
    var dB = [Double](repeating: 0, count: nx)
    var dBSecond = [Double](repeating: 0, count: nx)
    let logAlpha = Double.log(alpha)
    let lgR = Double.logGamma(r), psiR = digamma(r)
    let lgAB = Double.logGamma(a + b), psiAB = digamma(a + b)
    let lgB = Double.logGamma(b), psiB = digamma(b)
    let logA = Double.log(a)
    for (i, x) in data.frequencies.enumerated() {
      let xd = Double(x), xm = Double(x + m)
      constant[i] =
        Double.logGamma(r + xd) - lgR + r * logAlpha + lgAB + Double.logGamma(b + xm) - lgB
        - Double.logGamma(a + b + xm)
      dR[i] = digamma(r + xd) - psiR + logAlpha
      let psiABX = digamma(a + b + xm)
      dA[i] = psiAB - psiABX
      dB[i] = psiAB + digamma(b + xm) - psiB - psiABX
      if x > 0 || modified {
        let bx = b + xm - 1
        secondConstant[i] = logA - Double.log(bx)
        dBSecond[i] = -1 / bx
      }
    }
    // Per distinct T and tₓ.
    let logT = data.ages.map { Double.log(alpha + $0) }
    let invT = data.ages.map { 1 / (alpha + $0) }
    let logTx = data.recencies.map { Double.log(alpha + $0) }
    let invTx = data.recencies.map { 1 / (alpha + $0) }

    // Σ over rows lo..<hi of w·ℓ and of w·∂ℓ/∂(r, α, a, b).
    func rowSums(_ lo: Int, _ hi: Int) -> RowSums {
      var total = 0.0
      var gr = 0.0, gAlpha = 0.0, ga = 0.0, gb = 0.0
      data.frequencyIndex.withUnsafeBufferPointer { xi in
        data.recencyIndex.withUnsafeBufferPointer { ti in
          data.ageIndex.withUnsafeBufferPointer { ai in
            data.weights.withUnsafeBufferPointer { w in
              for row in lo..<hi {
                let i = Int(xi[row]), t = Int(ti[row]), age = Int(ai[row])
                let weight = w[row]
                let k = r + Double(data.frequencies[i])
                let a3 = -k * logT[age]
                var ll = constant[i]
                var second = 0.0  // w of the doc comment
                let c4 = secondConstant[i]
                if c4 > -.infinity {
                  let a4 = c4 - k * logTx[t]
                  let d = a4 - a3
                  // log(e^a3 + e^a4) = max + log(1 + e), e = e^−|d| in (0, 1]: log of the
                  // rounded 1 + e (absolute error ≤ 1.2e-16, below the rounding of ℓ itself)
                  // instead of log1p, which costs 3–4 times as much.
                  if d > 0 {
                    let e = Double.exp(-d)
                    let s = 1 + e
                    ll += a4 + Double.log(s)
                    second = 1 / s
                  } else {
                    let e = Double.exp(d)
                    let s = 1 + e
                    ll += a3 + Double.log(s)
                    second = e / s
                  }
                } else {
                  ll += a3
                }
                let first = 1 - second
                total += weight * ll
                gr += weight * (dR[i] - first * logT[age] - second * logTx[t])
                gAlpha += weight * (r / alpha - k * (first * invT[age] + second * invTx[t]))
                ga += weight * (dA[i] + second / a)
                gb += weight * (dB[i] + second * dBSecond[i])
              }
            }
          }
        }
      }
      return RowSums(total: total, gr: gr, gAlpha: gAlpha, ga: ga, gb: gb)
    }
    let rows = data.count
    let sums: RowSums
    if rows < parallelLikelihoodRows {
      sums = rowSums(0, rows)
    } else {
      // Two fixed halves, added in order: the result does not depend on the number of cores.
      let half = rows / 2
      nonisolated(unsafe) var parts = [RowSums](repeating: RowSums(), count: 2)
      nonisolated(unsafe) let sum = rowSums
      parts.withUnsafeMutableBufferPointer { parts in
        nonisolated(unsafe) let parts = parts
        DispatchQueue.concurrentPerform(iterations: 2) { part in
          parts[part] = part == 0 ? sum(0, half) : sum(half, rows)
        }
      }
      sums = RowSums(
        total: parts[0].total + parts[1].total, gr: parts[0].gr + parts[1].gr,
        gAlpha: parts[0].gAlpha + parts[1].gAlpha, ga: parts[0].ga + parts[1].ga,
        gb: parts[0].gb + parts[1].gb)
    }
    let total = sums.total
    let gr = sums.gr, gAlpha = sums.gAlpha, ga = sums.ga, gb = sums.gb
    if gradient.count != 4 { gradient = [0, 0, 0, 0] }
    gradient[0] = gr
    gradient[1] = gAlpha
    gradient[2] = ga
    gradient[3] = gb
    return total
  }

  /// One customer's log-likelihood (same formula as ``logLikelihood(_:data:gradient:)``);
  /// exactly 0 at (x, tₓ, T) = (0, 0, 0), the formula's limit (see `CollapsedRFM+ZeroAge.swift`).
  func logLikelihood(
    r: Double, alpha: Double, a: Double, b: Double, row: RFMSummary.Row
  )
    -> Double
  {
    if CollapsedRFM.isZeroAge(frequency: row.frequency, recency: row.recency, age: row.age) {
      return 0
    }
    let x = Double(row.frequency), xm = Double(row.frequency + shift)
    let k = r + x
    var ll =
      Double.logGamma(r + x) - Double.logGamma(r) + r * Double.log(alpha)
      + logBeta(a, b + xm) - logBeta(a, b)
    let a3 = -k * Double.log(alpha + row.age)
    if row.frequency > 0 || modified {
      let a4 = Double.log(a) - Double.log(b + xm - 1) - k * Double.log(alpha + row.recency)
      ll += logSumExp(a3, a4)
    } else {
      ll += a3
    }
    return ll
  }

  /// P(alive | x, tₓ, T) = 1 / (1 + δ · a/(b+x−1+m) · ((α+T)/(α+tₓ))^(r+x)).
  ///
  /// - Source: [FHL2008] eq. (2) (BG/NBD, δ = 1{x > 0}); [BDF2007] appendix A eq. (5)
  ///   (MBG/NBD, m = 1, δ = 1). Evaluated as a logistic of the log-odds.
  func probabilityAlive(
    r: Double, alpha: Double, a: Double, b: Double, row: RFMSummary.Row
  )
    -> Double
  {
    if row.frequency == 0 && !modified { return 1 }
    let x = Double(row.frequency)
    let logOdds =
      Double.log(a) - Double.log(b + x - 1 + Double(shift))
      + (r + x) * (Double.log(alpha + row.age) - Double.log(alpha + row.recency))
    return logistic(-logOdds)
  }

  /// E[X(t)] for a new customer: P(alive after the first purchase) · E[Y(t) | alive] with
  /// k = r, u = t/α, p ~ beta(a, b + m); P(alive) = 1 (BG/NBD) or b/(a+b) (MBG/NBD).
  ///
  /// - Source: [FHL2005a] eq. (7) (BG/NBD); lifetimes `ModifiedBetaGeoFitter`
  ///   `expected_number_of_purchases_up_to_time` (MBG/NBD: b/(a−1)·[1 − (α/(α+t))ʳ
  ///   ₂F₁(r, b+1; a+b; t/(α+t))]).
  func expectedPurchases(
    r: Double, alpha: Double, a: Double, b: Double, horizon t: Double
  )
    -> Double
  {
    guard t > 0 else { return 0 }
    let alive = modified ? b / (a + b) : 1
    return alive
      * expectedPurchasesGivenAlive(k: r, u: t / alpha, a: a, b: b + Double(shift))
  }

  /// E[Y(t) | x, tₓ, T] = P(alive) · E[Y(t) | alive], with k = r + x, u = t/(α+T) and the
  /// posterior p ~ beta(a, b + x + m).
  ///
  /// - Source: [FHL2005a] eq. (10) (BG/NBD); Wagner & Hoppe (2008), lifetimes
  ///   `ModifiedBetaGeoFitter.conditional_expected_number_of_purchases_up_to_time` (MBG/NBD).
  func expectedPurchases(
    r: Double, alpha: Double, a: Double, b: Double, horizon t: Double, row: RFMSummary.Row
  ) -> Double {
    guard t > 0 else { return 0 }
    let x = Double(row.frequency)
    let alive = probabilityAlive(r: r, alpha: alpha, a: a, b: b, row: row)
    return alive
      * expectedPurchasesGivenAlive(
        k: r + x, u: t / (alpha + row.age), a: a, b: b + x + Double(shift))
  }

  /// The (M)BG/CNBD-k kernel with k = 1: BG/NBD (MBG/NBD) is that model with exponential gaps,
  /// and shares its formulas for P(X(t) = n) and P(no purchase).
  var erlang: ErlangBetaGeometricKernel { ErlangBetaGeometricKernel(k: 1, modified: modified) }

  /// P(X(t) = n) for a new customer.
  ///
  ///     P(X(t)=n) = B(a, b+n+m)/B(a,b) · NB(n) + δ · B(a+1, b+n−1+m)/B(a,b) · P(NB ≥ n)
  ///
  /// where NB(j) = Γ(r+j)/(Γ(r) j!) (α/(α+t))ʳ (t/(α+t))ʲ, δ = 1{n > 0} for BG/NBD and 1 for
  /// MBG/NBD: the k = 1 case of ``ErlangBetaGeometricKernel/probabilityOfPurchases(r:alpha:a:b:count:horizon:)``,
  /// which evaluates it.
  ///
  /// - Source: [FHL2005a] eq. (8); lifetimes `ModifiedBetaGeoFitter`
  ///   `probability_of_n_purchases_up_to_time` (MBG/NBD).
  func probabilityOfPurchases(
    r: Double, alpha: Double, a: Double, b: Double, count n: Int, horizon t: Double
  ) -> Double {
    erlang.probabilityOfPurchases(r: r, alpha: alpha, a: a, b: b, count: n, horizon: t)
  }

  /// P(no purchase in the next t | x, tₓ, T) = 1 − P(alive) + P(alive) ((α+T)/(α+T+t))^(r+x):
  /// given alive, the rate's posterior is gamma(r+x, α+T) and no dropout happens without a
  /// purchase. The k = 1 case of
  /// ``ErlangBetaGeometricKernel/probabilityOfNoPurchase(r:alpha:a:b:horizon:row:)``, which
  /// evaluates it.
  ///
  /// - Source: derived from [FHL2005a] section 3 (the posterior of λ) and [FHL2008].
  func probabilityOfNoPurchase(
    r: Double, alpha: Double, a: Double, b: Double, horizon t: Double, row: RFMSummary.Row
  ) -> Double {
    erlang.probabilityOfNoPurchase(r: r, alpha: alpha, a: a, b: b, horizon: t, row: row)
  }

  /// E[1/λ | alive, history] = (α + T) / (r + x − 1) (λ | alive ~ gamma(r + x, α + T));
  /// nil when r + x ≤ 1 (no finite mean).
  func expectedTimeToNextPurchase(r: Double, alpha: Double, row: RFMSummary.Row) -> Double? {
    let k = r + Double(row.frequency)
    return k > 1 ? (alpha + row.age) / (k - 1) : nil
  }
}

/// E[Y(t) | alive] = E_p[(1 − (1 + p·u)^−k) / p] with p ~ beta(a, b'), the expected purchases
/// in the next t of an alive customer whose rate is gamma(k, α') (u = t/α') and who drops out
/// with probability p after each purchase. In closed form
///
///     E = (a + b' − 1)/(a − 1) · [1 − (1 + u)^−k · ₂F₁(k, b'; a + b' − 1; u/(1 + u))]
///
/// evaluated with `logHypergeometric2F1` as −expm1 of the log of the second term. When that
/// form is not usable (a + b' ≤ 1, a within 1e-6 of 1 where it is 0/0, or a non-finite or
/// negative result) the expectation is integrated by tanh-sinh quadrature instead.
///
/// - Source: [FHL2005a] eqs. (7) and (10) (closed form); the integral is their derivation
///   (E[X(t) | λ, p] = (1 − e^−λpt)/p, appendix).
func expectedPurchasesGivenAlive(k: Double, u: Double, a: Double, b: Double) -> Double {
  guard u > 0 else { return 0 }
  let c = a + b - 1
  if c > 0, abs(a - 1) > 1e-6 {
    let z = u / (1 + u)
    let logTerm = logHypergeometric2F1(k, b, c, z) - k * Double.log(onePlus: u)
    if logTerm.isFinite {
      let value = c / (a - 1) * -Double.expMinusOne(logTerm)
      if value.isFinite && value >= 0 { return value }
    }
  }
  return betaExpectation(a: a, b: b) { p, _ in
    // (1 − (1 + p u)^−k) / p, → k u as p → 0.
    let pu = p * u
    if pu < 1e-12 { return k * u }
    return -Double.expMinusOne(-k * Double.log(onePlus: pu)) / p
  } limitAtZero: {
    k * u
  }
}

/// E[g(p)] for p ~ beta(a, b) by tanh-sinh quadrature on p = 1/(1 + e^(−π sinh s)), working in
/// logs so that small a or b (densities singular at the ends) are handled; the mass below the
/// smallest node is added as g(0⁺) · P(p < p_min).
///
/// - Source: Takahasi & Mori (1974), double-exponential quadrature.
func betaExpectation(
  a: Double, b: Double, _ g: (_ p: Double, _ oneMinusP: Double) -> Double,
  limitAtZero: () -> Double
) -> Double {
  let h = 1.0 / 32
  let smax = 7.0
  let lb = logBeta(a, b)
  var sum = 0.0
  var s = -smax
  var logPMin = 0.0
  var first = true
  while s <= smax + 1e-12 {
    let v = Double.pi * Double.sinh(s)
    let logP = -Double.log(onePlus: Double.exp(-v))
    let logQ = -Double.log(onePlus: Double.exp(v))
    if first {
      logPMin = logP
      first = false
    }
    let weight = Double.exp(a * logP + b * logQ - lb) * Double.pi * Double.cosh(s)
    if weight > 0 {
      sum += g(Double.exp(logP), Double.exp(logQ)) * weight
    }
    s += h
  }
  sum *= h
  // Mass of beta(a, b) below p_min ≈ p_min^a / (a B(a, b)).
  let tail = Double.exp(a * logPMin - Double.log(a) - lb)
  if tail.isFinite { sum += limitAtZero() * tail }
  return sum
}

/// log NB(j) = log Γ(r+j) − log Γ(r) − log j! + r log p₀ + j log q.
func negativeBinomialLogPMF(_ j: Int, r: Double, logP0: Double, logQ: Double) -> Double {
  let jd = Double(j)
  let power = j == 0 ? 0 : jd * logQ
  return Double.logGamma(r + jd) - Double.logGamma(r) - Double.logGamma(jd + 1) + r * logP0
    + power
}

/// P(N ≥ n) for N ~ NB(r, p₀): 1 − Σ_{j<n} NB(j) when the head is at most ½; otherwise the
/// tail Σ_{j≥n} NB(j) summed directly (terms decrease geometrically with ratio → q).
func negativeBinomialUpperTail(_ n: Int, r: Double, logP0: Double, logQ: Double) -> Double {
  if n <= 0 { return 1 }
  var head = 0.0
  var logTerm = negativeBinomialLogPMF(0, r: r, logP0: logP0, logQ: logQ)
  for j in 0..<n {
    head += Double.exp(logTerm)
    if head > 0.5 { break }
    logTerm += Double.log((r + Double(j)) / Double(j + 1)) + logQ
  }
  if head <= 0.5 { return 1 - head }
  // Direct tail.
  let q = Double.exp(logQ)
  var term = Double.exp(negativeBinomialLogPMF(n, r: r, logP0: logP0, logQ: logQ))
  var tail = 0.0
  var j = n
  while j < n + 10_000_000 {
    tail += term
    let ratio = (r + Double(j)) / Double(j + 1) * q
    term *= ratio
    if term <= 1e-17 * tail && ratio < 1 { break }
    if term == 0 { break }
    j += 1
  }
  return Swift.min(1, tail)
}
