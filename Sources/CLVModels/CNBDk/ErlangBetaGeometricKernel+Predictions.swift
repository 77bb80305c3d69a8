import CLVData
import CLVNumerics

/// The predictions of the (M)BG/CNBD-k models.
///
/// Given alive at T, the posterior of a customer with history (x, tₓ, T) is: p ~ beta(a,
/// b + x + m), and jointly (j, λ), j the Poisson "phases" of the unfinished Erlang-k gap already
/// completed in s = T − tₓ (j < k), with P(j) = πⱼ = Aⱼ/S (the terms of S in
/// ``ErlangBetaGeometricKernel``) and λ | j ~ gamma(K + j, α + T), K = r + kx. The next purchase
/// comes after k − j more phases, each later one after k more. Every prediction below is exact
/// for every k (no approximation by a BG/NBD with a rescaled α, as BTYDplus'
/// `xbgcnbd.ConditionalExpectedTransactions` does); k = 1 gives the BG/NBD (MBG/NBD) formulas.
///
/// - Source: [PR2016] section 3 (the model); the posterior follows from the likelihood's terms
///   (Bayes' rule on the alive term); the phase counts of a Poisson process with a gamma rate
///   are negative binomial ([FHL2005a] eq. (8)'s NB(j) with shape K + j).
extension ErlangBetaGeometricKernel {
  /// πⱼ, j = 0 … k−1: the posterior of the completed phases given alive.
  func phaseWeights(K: Double, ratio: Double) -> [Double] {
    var logA = [Double](repeating: 0, count: k)
    if ratio > 0 {
      let logRatio = Double.log(ratio)
      for j in 1..<Swift.max(k, 1) {
        logA[j] = logA[j - 1] + Double.log((K + Double(j - 1)) / Double(j)) + logRatio
      }
    } else {
      for j in 1..<Swift.max(k, 1) { logA[j] = -.infinity }
    }
    let maximum = logA.max() ?? 0
    var weights = logA.map { Double.exp($0 - maximum) }
    let sum = weights.reduce(0, +)
    for j in weights.indices { weights[j] /= sum }
    return weights
  }

  /// log-odds of dead vs alive, A₄ − A₃ (nil when dropout is impossible: BG, x = 0).
  func logOddsDead(
    r: Double, alpha: Double, a: Double, b: Double, row: RFMSummary.Row
  ) -> Double? {
    guard row.frequency > 0 || modified else { return nil }
    let x = Double(row.frequency)
    let K = r + Double(k) * x
    let terms = Self.survivalTerms(
      k: k, K: K, ratio: (row.age - row.recency) / (alpha + row.age))
    let a3 = -K * Double.log(alpha + row.age) + terms.logS
    let a4 = Double.log(a) - Double.log(b + x - 1 + shift) - K * Double.log(alpha + row.recency)
    return a4 - a3
  }

  /// P(alive | x, tₓ, T) = (α+T)^−K S / [(α+T)^−K S + δ a/(b+x−1+m) (α+tₓ)^−K], as a logistic
  /// of the log-odds.
  ///
  /// - Source: [PR2016] section 3; BTYDplus `xbgcnbd.PAlive`.
  func probabilityAlive(
    r: Double, alpha: Double, a: Double, b: Double, row: RFMSummary.Row
  ) -> Double {
    guard let odds = logOddsDead(r: r, alpha: alpha, a: a, b: b, row: row) else { return 1 }
    return logistic(-odds)
  }

  /// E[Y(t) | alive, history] = Σⱼ πⱼ Σ_{n≥1} c_n P(N ≥ nk − j), N ~ NB(K + j, β/(β+t)) the
  /// phases in the next t, c_n = B(a, b'+n−1)/B(a, b') the chance of surviving to the n-th
  /// purchase (b' = b + x + m), β = α + T.
  func expectedPurchasesGivenAlive(
    K: Double, beta: Double, weights: [Double], a: Double, bPrime: Double, horizon t: Double
  ) -> Double {
    guard t > 0 else { return 0 }
    let logP0 = Double.log(beta) - Double.log(beta + t)
    let logQ = Double.log(t) - Double.log(beta + t)
    var total = 0.0
    for (j, weight) in weights.enumerated() where weight > 0 {
      total +=
        weight
        * Self.expectedRenewals(
          k: k, completed: j, shape: K + Double(j), logP0: logP0, logQ: logQ, a: a, b: bPrime)
    }
    return total
  }

  /// Σ_{n≥1} c_n P(N ≥ nk − j) = Σᵢ P(N = i) C(⌊(i+j)/k⌋), C(n) = Σ_{l≤n} c_l, summed over i
  /// from 0 (no cancellation) until the rest is below 1e-16 of the sum (past the mode, bounded
  /// by a geometric tail). NaN when 10⁷ terms do not suffice.
  static func expectedRenewals(
    k: Int, completed j: Int, shape: Double, logP0: Double, logQ: Double, a: Double, b: Double
  ) -> Double {
    let q = Double.exp(logQ)
    var logPMF = shape * logP0  // log P(N = 0)
    var pmf = logPMF > -700 ? Double.exp(logPMF) : 0
    var linear = logPMF > -700
    var n = j / k  // purchases completed after i = 0 phases: ⌊j/k⌋ = 0
    var c = 1.0  // c_n of the next purchase
    var cumulative = 0.0  // C(n)
    var total = 0.0
    var i = 0
    while i < 10_000_000 {
      let purchases = (i + j) / k
      while n < purchases {
        n += 1
        if n > 1 { c *= (b + Double(n - 2)) / (a + b + Double(n - 2)) }
        cumulative += c
      }
      total += pmf * cumulative
      let ratio = (shape + Double(i)) / Double(i + 1) * q
      if ratio < 1, i + j >= k, linear || logPMF < -745 {
        if pmf * cumulative <= 1e-16 * total * (1 - ratio) { return total }
      }
      // Next term, in logs until it is representable.
      if linear {
        pmf *= ratio
      } else {
        logPMF += Double.log(ratio)
        if logPMF > -700 {
          pmf = Double.exp(logPMF)
          linear = true
        }
      }
      i += 1
    }
    return .nan
  }

  /// E[Y(t) | x, tₓ, T] = P(alive) · E[Y(t) | alive, history].
  func expectedPurchases(
    r: Double, alpha: Double, a: Double, b: Double, horizon t: Double, row: RFMSummary.Row
  ) -> Double {
    guard t > 0 else { return 0 }
    let x = Double(row.frequency)
    let K = r + Double(k) * x
    let beta = alpha + row.age
    let alive = probabilityAlive(r: r, alpha: alpha, a: a, b: b, row: row)
    let weights = phaseWeights(K: K, ratio: (row.age - row.recency) / beta)
    return alive
      * expectedPurchasesGivenAlive(
        K: K, beta: beta, weights: weights, a: a, bPrime: b + x + shift, horizon: t)
  }

  /// E[X(t)] of a new customer: the Erlang-k clock starts at the first purchase (j = 0,
  /// λ ~ gamma(r, α)); alive after the first purchase with probability 1 (BG) or b/(a+b)
  /// (MBG), then p ~ beta(a, b + m).
  func expectedPurchases(
    r: Double, alpha: Double, a: Double, b: Double, horizon t: Double
  )
    -> Double
  {
    guard t > 0 else { return 0 }
    let alive = modified ? b / (a + b) : 1
    var weights = [Double](repeating: 0, count: k)
    weights[0] = 1
    return alive
      * expectedPurchasesGivenAlive(
        K: r, beta: alpha, weights: weights, a: a, bPrime: b + shift, horizon: t)
  }

  /// P(X(t) = n) of a new customer, with F = ⌊N/k⌋ the purchases the phases N ~ NB(r,
  /// α/(α+t)) allow and G the purchases before dropout:
  ///
  ///     P(X(t) = n) = P(G > n) P(F = n) + P(G = n) P(F ≥ n)
  ///     P(G > n) = B(a, b+n+m)/B(a, b),  P(G = n) = δ B(a+1, b+n−1+m)/B(a, b)
  ///     P(F = n) = Σ_{i=nk}^{nk+k−1} NB(i),  P(F ≥ n) = P(N ≥ nk)
  ///
  /// with δ = 1{n > 0} (BG) or 1 (MBG). k = 1 is [FHL2005a] eq. (8).
  ///
  /// - Source: [PR2016] section 3 (the model); the decomposition as [FHL2005a] eq. (8).
  func probabilityOfPurchases(
    r: Double, alpha: Double, a: Double, b: Double, count n: Int, horizon t: Double
  ) -> Double {
    guard n >= 0 else { return 0 }
    if t <= 0 { return n == 0 ? 1 : 0 }
    let m = shift
    let nd = Double(n)
    let logP0 = Double.log(alpha) - Double.log(alpha + t)
    let logQ = Double.log(t) - Double.log(alpha + t)
    let lbAB = logBeta(a, b)
    var exactly = 0.0
    for i in (n * k)..<(n * k + k) {
      exactly += Double.exp(negativeBinomialLogPMF(i, r: r, logP0: logP0, logQ: logQ))
    }
    let first = Double.exp(logBeta(a, b + nd + m) - lbAB) * exactly
    guard n > 0 || modified else { return first }
    let second =
      Double.exp(logBeta(a + 1, b + nd - 1 + m) - lbAB)
      * negativeBinomialUpperTail(n * k, r: r, logP0: logP0, logQ: logQ)
    return first + second
  }

  /// P(no purchase in the next t | history) = 1 − P(alive) · Σⱼ πⱼ P(Nⱼ ≥ k − j),
  /// Nⱼ ~ NB(K + j, β/(β+t)), β = α + T: alive, the next purchase needs k − j more phases.
  /// Each P(Nⱼ ≥ k − j) = −expm1(log P(Nⱼ < k − j)), with
  ///
  ///     log P(Nⱼ < k − j) = (K+j) log(β/(β+t)) + log Σ_{i<k−j} Π_{l<i} (K+j+l)/(l+1) · t/(β+t)
  ///
  /// so that a short horizon keeps its digits. With k = 1 (one phase, π₀ = 1) this is
  /// 1 − P(alive) (1 − (β/(β+t))^(r+x)), the BG/NBD (MBG/NBD) formula, evaluated by the same
  /// operations: ``BetaGeometricKernel`` uses this function.
  ///
  /// - Source: [PR2016] section 3 (the model; the phase posterior, see the extension); k = 1:
  ///   derived from [FHL2005a] section 3 (the posterior of λ given alive is gamma(r+x, α+T),
  ///   and no dropout happens without a purchase) and [FHL2008].
  func probabilityOfNoPurchase(
    r: Double, alpha: Double, a: Double, b: Double, horizon t: Double, row: RFMSummary.Row
  ) -> Double {
    guard t > 0 else { return 1 }
    let alive = probabilityAlive(r: r, alpha: alpha, a: a, b: b, row: row)
    let K = r + Double(k) * Double(row.frequency)
    let beta = alpha + row.age
    let logP0 = -Double.log(onePlus: t / beta)  // log β/(β+t)
    /// P(Nⱼ ≥ k − j), j phases of the unfinished gap completed.
    func purchase(completed j: Int) -> Double {
      let shape = K + Double(j)
      var term = 1.0, head = 1.0
      if k - j > 1 {
        let q = t / (beta + t)
        for i in 1..<(k - j) {
          term *= (shape + Double(i - 1)) / Double(i) * q
          head += term
        }
      }
      let logNone = shape * logP0 + (head == 1 ? 0 : Double.log(head))
      return Swift.max(0, -Double.expMinusOne(logNone))
    }
    if k == 1 { return 1 - alive * purchase(completed: 0) }
    let weights = phaseWeights(K: K, ratio: (row.age - row.recency) / beta)
    var total = 0.0
    for (j, weight) in weights.enumerated() where weight > 0 {
      total += weight * purchase(completed: j)
    }
    return 1 - alive * total
  }

  /// E[time to the next purchase | alive, history], counted from T: Σⱼ πⱼ (k − j) (α+T)/(K+j−1)
  /// (the k − j phases still needed, each of mean 1/λ, E[1/λ | j] = (α+T)/(K+j−1)); nil when
  /// K = r + kx ≤ 1 (no finite mean). k = 1: (α+T)/(r+x−1), the BG/NBD value.
  func expectedTimeToNextPurchase(r: Double, alpha: Double, row: RFMSummary.Row) -> Double? {
    let K = r + Double(k) * Double(row.frequency)
    guard K > 1 else { return nil }
    let beta = alpha + row.age
    let weights = phaseWeights(K: K, ratio: (row.age - row.recency) / beta)
    var total = 0.0
    for (j, weight) in weights.enumerated() {
      total += weight * Double(k - j) * beta / (K + Double(j) - 1)
    }
    return total
  }
}
