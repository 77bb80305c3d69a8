import CLVData
import CLVNumerics

/// The likelihood shared by BG/CNBD-k and MBG/CNBD-k for a fixed regularity k.
///
/// While alive, a customer's inter-purchase times are Erlang-k with rate λ (the k-th event of a
/// Poisson process of rate λ, mean k/λ), λ ~ gamma(r, α) across customers; after each repeat
/// purchase (MBG/CNBD-k: after every purchase, the first included) the customer drops out with
/// probability p ~ beta(a, b). k = 1 is BG/NBD (MBG/NBD). With s = T − tₓ, K = r + kx,
/// m = 0 (BG) or 1 (MBG), δ = 1{x > 0} (BG) or 1 (MBG), and litt = Σ log of the x
/// inter-purchase times, one customer's likelihood is
///
///     L = Π τᵢ^(k−1) / ((k−1)!)^x · B(a, b+x+m)/B(a, b) · Γ(K) αʳ / Γ(r)
///         · [ (α+T)^−K · S + δ · a/(b+x−1+m) · (α+tₓ)^−K ]
///     S = Σ_{j=0}^{k−1} Γ(K+j)/(Γ(K) j!) · (s/(α+T))ʲ
///
/// (S: the Erlang-k survival of the unfinished gap (tₓ, T], integrated over λ).
///
/// - Source: [PR2016] section 3 (the (M)BG/CNBD-k likelihood); as BTYDplus `xbgcnbd.LL`
///   (P1 … P4, S1, S2). Derived here from the Erlang-k density λᵏ τ^(k−1) e^(−λτ)/(k−1)! and
///   survival Σ_{j<k} e^(−λs) (λs)ʲ/j!, integrated over λ ~ gamma(r, α) and p ~ beta(a, b).
struct ErlangBetaGeometricKernel: Sendable {
  /// The regularity k ≥ 1.
  let k: Int
  /// true for MBG/CNBD-k (dropout possible right after the first purchase).
  let modified: Bool

  var shift: Double { modified ? 1 : 0 }

  /// log((k−1)!).
  var logFactorialKMinus1: Double { Double.logGamma(Double(k)) }

  /// log S and, of the distribution πⱼ = Aⱼ/S (Aⱼ the j-th term of S), the means of
  /// H_j = Σ_{i<j} 1/(K+i) (= ∂ log Aⱼ/∂K) and of j: what the gradient needs.
  ///
  /// log Aⱼ = log Γ(K+j) − log Γ(K) − log j! + j log(s/(α+T)), built by the ratio
  /// Aⱼ/Aⱼ₋₁ = (K+j−1)/j · s/(α+T) in logs (no overflow for any K).
  @inline(__always)
  static func survivalTerms(
    k: Int, K: Double, ratio: Double
  ) -> (
    logS: Double, meanH: Double, meanJ: Double
  ) {
    if k == 1 || ratio <= 0 { return (0, 0, 0) }
    let stepLog = (1..<k).map { Double.log((K + Double($0 - 1)) / Double($0)) }
    let stepInverse = (1..<k).map { 1 / (K + Double($0 - 1)) }
    return stepLog.withUnsafeBufferPointer { stepLog in
      stepInverse.withUnsafeBufferPointer { stepInverse in
        survivalTerms(
          k: k, ratio: ratio, stepLog: stepLog, stepInverse: stepInverse, base: 0)
      }
    }
  }

  /// ``survivalTerms(k:K:ratio:)`` with log((K+j−1)/j) and 1/(K+j−1), j = 1 … k−1, taken
  /// from `stepLog[base + j − 1]` and `stepInverse[base + j − 1]` (computed once per distinct x).
  @inline(__always)
  static func survivalTerms(
    k: Int, ratio: Double, stepLog: UnsafeBufferPointer<Double>,
    stepInverse: UnsafeBufferPointer<Double>, base: Int
  ) -> (logS: Double, meanH: Double, meanJ: Double) {
    if k == 1 || ratio <= 0 { return (0, 0, 0) }
    let logRatio = Double.log(ratio)
    // One pass, as a running log-sum-exp: the sums are kept scaled by e^−maximum.
    var logA = 0.0, h = 0.0
    var maximum = 0.0
    var sum = 1.0, sumH = 0.0, sumJ = 0.0
    for j in 1..<k {
      logA += stepLog[base + j - 1] + logRatio
      h += stepInverse[base + j - 1]
      if logA > maximum {
        let scale = Double.exp(maximum - logA)
        sum *= scale
        sumH *= scale
        sumJ *= scale
        maximum = logA
      }
      let w = Double.exp(logA - maximum)
      sum += w
      sumH += w * h
      sumJ += w * Double(j)
    }
    return (maximum + Double.log(sum), sumH / sum, sumJ / sum)
  }

  /// The parameter-dependent part of one row's log-likelihood (everything but the litt term
  /// (k−1)·litt − x·log((k−1)!)) and its gradient in (r, α, a, b).
  ///
  /// With A₃ = −K log(α+T) + log S, A₄ = log a − log(b+x−1+m) − K log(α+tₓ) and
  /// w = δ e^A₄ / (e^A₃ + δ e^A₄):
  ///
  ///     ℓ     = log Γ(K) − log Γ(r) + r log α + log B(a, b+x+m) − log B(a, b)
  ///             + log(e^A₃ + δ e^A₄)
  ///     ∂ℓ/∂r = ψ(K) − ψ(r) + log α + (1−w)(−log(α+T) + E_π[H]) − w log(α+tₓ)
  ///     ∂ℓ/∂α = r/α − (1−w)(K + E_π[j])/(α+T) − w K/(α+tₓ)
  ///     ∂ℓ/∂a = ψ(a+b) − ψ(a+b+x+m) + w/a
  ///     ∂ℓ/∂b = ψ(a+b) + ψ(b+x+m) − ψ(b) − ψ(a+b+x+m) − w/(b+x−1+m)
  ///
  /// (∂K/∂r = 1; ∂ log Aⱼ/∂α = −j/(α+T)).
  ///
  /// - Source: [PR2016] section 3 (the likelihood, see the type); derivatives by
  ///   differentiation of it.
  func rowLogLikelihood(
    r: Double, alpha: Double, a: Double, b: Double, x: Int, recency: Double, age: Double,
    gradient: inout (r: Double, alpha: Double, a: Double, b: Double)
  ) -> Double {
    let xd = Double(x), m = shift
    let K = r + Double(k) * xd
    let logT = Double.log(alpha + age)
    let logTx = Double.log(alpha + recency)
    let terms = Self.survivalTerms(k: k, K: K, ratio: (age - recency) / (alpha + age))
    let a3 = -K * logT + terms.logS
    var ll =
      Double.logGamma(K) - Double.logGamma(r) + r * Double.log(alpha) + logBeta(a, b + xd + m)
      - logBeta(a, b)
    var w = 0.0
    let dropout = x > 0 || modified
    let bx = b + xd - 1 + m
    if dropout {
      let a4 = Double.log(a) - Double.log(bx) - K * logTx
      let total = logSumExp(a3, a4)
      ll += total
      w = Double.exp(a4 - total)
    } else {
      ll += a3
    }
    let psiABX = digamma(a + b + xd + m)
    gradient.r =
      digamma(K) - digamma(r) + Double.log(alpha) + (1 - w) * (-logT + terms.meanH) - w * logTx
    gradient.alpha =
      r / alpha - (1 - w) * (K + terms.meanJ) / (alpha + age) - w * K / (alpha + recency)
    gradient.a = digamma(a + b) - psiABX + w / a
    gradient.b =
      digamma(a + b) + digamma(b + xd + m) - digamma(b) - psiABX - (dropout ? w / bx : 0)
    return ll
  }

  /// Total weighted log-likelihood over collapsed rows (without the litt term) and its gradient
  /// in (r, α, a, b): the sum of ``rowLogLikelihood(r:alpha:a:b:x:recency:age:gradient:)`` with
  /// the special functions of each distinct x computed once.
  ///
  /// - Complexity: O(distinct rows · k) exponentials and logs, plus special functions once per
  ///   distinct x.
  func logLikelihood(_ theta: [Double], data: CollapsedRFM, gradient: inout [Double]) -> Double {
    let r = theta[0], alpha = theta[1], a = theta[2], b = theta[3]
    let m = shift
    let nx = data.frequencies.count
    var constant = [Double](repeating: 0, count: nx)
    var dR = [Double](repeating: 0, count: nx)
    var dA = [Double](repeating: 0, count: nx)
    var dB = [Double](repeating: 0, count: nx)
    var secondConstant = [Double](repeating: -.infinity, count: nx)
    let logAlpha = Double.log(alpha), lgR = Double.logGamma(r), psiR = digamma(r)
    let psiAB = digamma(a + b), psiB = digamma(b), lbAB = logBeta(a, b), logA = Double.log(a)
    for (i, x) in data.frequencies.enumerated() {
      let xd = Double(x)
      let K = r + Double(k) * xd
      constant[i] = Double.logGamma(K) - lgR + r * logAlpha + logBeta(a, b + xd + m) - lbAB
      dR[i] = digamma(K) - psiR + logAlpha
      let psiABX = digamma(a + b + xd + m)
      dA[i] = psiAB - psiABX
      dB[i] = psiAB + digamma(b + xd + m) - psiB - psiABX
      if x > 0 || modified { secondConstant[i] = logA - Double.log(b + xd - 1 + m) }
    }
    let logT = data.ages.map { Double.log(alpha + $0) }
    let logTx = data.recencies.map { Double.log(alpha + $0) }
    // Per distinct x: log((K+j−1)/j) and 1/(K+j−1), j = 1 … k−1.
    let steps = Swift.max(k - 1, 0)
    var stepLog = [Double](repeating: 0, count: nx * steps)
    var stepInverse = [Double](repeating: 0, count: nx * steps)
    for (i, x) in data.frequencies.enumerated() {
      let K = r + Double(k) * Double(x)
      for j in 1..<Swift.max(k, 1) {
        stepLog[i * steps + j - 1] = Double.log((K + Double(j - 1)) / Double(j))
        stepInverse[i * steps + j - 1] = 1 / (K + Double(j - 1))
      }
    }
    var total = 0.0
    var gr = 0.0, gAlpha = 0.0, ga = 0.0, gb = 0.0
    stepLog.withUnsafeBufferPointer { stepLog in
      stepInverse.withUnsafeBufferPointer { stepInverse in
        for row in 0..<data.count {
          let i = Int(data.frequencyIndex[row]), t = Int(data.recencyIndex[row])
          let age = Int(data.ageIndex[row])
          let weight = data.weights[row]
          let x = data.frequencies[i]
          let K = r + Double(k) * Double(x)
          let T = data.ages[age], tx = data.recencies[t]
          let terms = Self.survivalTerms(
            k: k, ratio: (T - tx) / (alpha + T), stepLog: stepLog, stepInverse: stepInverse,
            base: i * steps)
          let a3 = -K * logT[age] + terms.logS
          var ll = constant[i]
          var w = 0.0
          let c4 = secondConstant[i]
          if c4 > -.infinity {
            let a4 = c4 - K * logTx[t]
            let both = logSumExp(a3, a4)
            ll += both
            w = Double.exp(a4 - both)
          } else {
            ll += a3
          }
          total += weight * ll
          gr += weight * (dR[i] + (1 - w) * (-logT[age] + terms.meanH) - w * logTx[t])
          gAlpha +=
            weight * (r / alpha - (1 - w) * (K + terms.meanJ) / (alpha + T) - w * K / (alpha + tx))
          ga += weight * (dA[i] + w / a)
          gb += weight * (dB[i] - (c4 > -.infinity ? w / (b + Double(x) - 1 + m) : 0))
        }
      }
    }
    if gradient.count != 4 { gradient = [0, 0, 0, 0] }
    gradient[0] = gr
    gradient[1] = gAlpha
    gradient[2] = ga
    gradient[3] = gb
    return total
  }

  /// The litt term of one customer, (k−1)·litt − x·log((k−1)!): the Erlang-k density's factor
  /// Π τᵢ^(k−1)/(k−1)! that does not depend on (r, α, a, b).
  func timingTerm(frequency x: Int, logInterPurchaseTimes litt: Double) -> Double {
    k == 1 ? 0 : Double(k - 1) * litt - Double(x) * logFactorialKMinus1
  }
}
