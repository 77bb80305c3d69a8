import CLVData
import CLVNumerics
import Dispatch

/// A value with its gradient in the four parameters (r, α, s, β): forward-mode automatic
/// differentiation ([GW2008] chapter 3).
typealias ParetoNBDDual = Dual<SIMD4<Double>>

/// Collapsed rows prepared for the Pareto/NBD likelihood: the distinct (x, tₓ) and (x, T) pairs
/// and, per row, the index of its pairs.
///
/// The likelihood's expensive part, the two ₂F₁ terms of A₀ ([FH2005-PNBD] eqs. (19)–(20)),
/// depends on (x, tₓ) and on (x, T) separately: each distinct pair's term is computed once per
/// evaluation, then combined per distinct (x, tₓ, T) row with a few exponentials and logs. On
/// 1M simulated customers: 374 622 distinct rows, but 18 714 (x, tₓ) and 12 949 (x, T) pairs.
struct ParetoNBDLikelihoodData: Sendable {
  let data: CollapsedRFM
  /// Distinct (index of x, index of tₓ) and (index of x, index of T) pairs.
  private(set) var recencyPairs: [(frequency: Int32, time: Int32)] = []
  private(set) var agePairs: [(frequency: Int32, time: Int32)] = []
  /// Per row: index into `recencyPairs` and `agePairs`.
  private(set) var rowRecencyPair: [Int32] = []
  private(set) var rowAgePair: [Int32] = []

  /// - Complexity: O(rows): two hash lookups per row.
  init(_ data: CollapsedRFM) {
    self.data = data
    var recencyTable = IndexTable<UInt64>(expected: Swift.min(data.count, 1 << 16))
    var ageTable = IndexTable<UInt64>(expected: Swift.min(data.count, 1 << 16))
    rowRecencyPair.reserveCapacity(data.count)
    rowAgePair.reserveCapacity(data.count)
    for row in 0..<data.count {
      let x = data.frequencyIndex[row]
      let t = data.recencyIndex[row]
      let age = data.ageIndex[row]
      let (i, newRecency) = recencyTable.index(
        of: UInt64(UInt32(bitPattern: x)) << 32 | UInt64(UInt32(bitPattern: t)))
      if newRecency { recencyPairs.append((x, t)) }
      rowRecencyPair.append(i)
      let (j, newAge) = ageTable.index(
        of: UInt64(UInt32(bitPattern: x)) << 32 | UInt64(UInt32(bitPattern: age)))
      if newAge { agePairs.append((x, age)) }
      rowAgePair.append(j)
    }
  }
}

extension ParetoNBD {
  /// Σ weight · log L(r, α, s, β | row) over the rows, on real numbers (the value) or on dual
  /// numbers seeded with the four parameters (the value and its exact gradient).
  ///
  /// The same formula, operation for operation, as the per-customer
  /// `logLikelihood(r:alpha:s:beta:x:tx:T:)` ([FH2005-PNBD] eq. (18) with A₀ of eqs. (19)–(20)
  /// and the Gauss–Legendre integral where the difference cancels; see `logA0`), so the values
  /// are bit-identical to summing it row by row (in two parallel halves, each summed in row
  /// order, from ``parallelLikelihoodRows`` distinct rows on). Terms that depend on x, tₓ, T,
  /// (x, tₓ) or (x, T) alone are computed once per distinct value.
  ///
  /// - Complexity: one ₂F₁ per distinct (x, tₓ) and (x, T) pair; O(1) exponentials and logs
  ///   per distinct row.
  ///
  /// With a `deadline` (a fit's time budget, ``FitOptions/timeLimit``), the ₂F₁ terms not yet
  /// computed when it passes are NaN, so that one evaluation far out on a ridge of the
  /// likelihood (r, α → ∞ together, where ₂F₁'s parameters grow with r) cannot overrun the
  /// budget by long: the evaluation then is not finite and the fit stops at its budget.
  static func logLikelihood<T: DifferentiableReal>(
    r: T, alpha: T, s: T, beta: T, prepared: ParetoNBDLikelihoodData,
    deadline: ContinuousClock.Instant? = nil
  ) -> T {
    let data = prepared.data
    let alphaWins = alpha.value >= beta.value
    let (m, d) = alphaWins ? (alpha, alpha - beta) : (beta, beta - alpha)
    let minimum = Swift.min(alpha.value, beta.value)
    // Per distinct x: a = r+s+x, the ₂F₁ parameter b, the constant
    // log Γ(r+x) − log Γ(r) + r log α + s log β and log s − log(r+s+x).
    let logGammaR = T.logGamma(r)
    let scale = r * T.log(alpha)
    let shapeScale = s * T.log(beta)
    let logS = T.log(s)
    let frequencies = data.frequencies.map { Double($0) }
    let shapes = frequencies.map { r + s + $0 }
    let secondParameters = frequencies.map { alphaWins ? s + 1.0 : r + $0 }
    let constants = frequencies.map { T.logGamma(r + $0) - logGammaR + scale + shapeScale }
    let deadWeights = shapes.map { logS - T.log($0) }
    // Per distinct T: log(α+T), log(β+T), log(m+T); per distinct tₓ: log(m+tₓ).
    let logAlphaT = data.ages.map { T.log(alpha + $0) }
    let logBetaT = data.ages.map { T.log(beta + $0) }
    let logMT = alphaWins ? logAlphaT : logBetaT
    let logMTx = data.recencies.map { T.log(m + $0) }

    // log ₂F₁(a, b; a+1; d/(m+y)) − a log(m+y) per pair (`logA0`'s logTerm).
    let clock = ContinuousClock()
    func logTerm(_ x: Int, _ y: Double, _ logMY: T) -> T {
      if let deadline, clock.now >= deadline { return T(constant: .nan) }
      let a = shapes[x]
      return logHypergeometric2F1(a, secondParameters[x], a + 1.0, d / (m + y)) - a * logMY
    }
    let upper = parallelMap(prepared.recencyPairs.count) { i in
      let pair = prepared.recencyPairs[i]
      let t = Int(pair.time)
      return logTerm(Int(pair.frequency), data.recencies[t], logMTx[t])
    }
    let lower = parallelMap(prepared.agePairs.count) { i in
      let pair = prepared.agePairs[i]
      let t = Int(pair.time)
      return logTerm(Int(pair.frequency), data.ages[t], logMT[t])
    }

    func rowSum(_ range: Range<Int>) -> T {
      var total = T(constant: 0)
      for row in range {
        let xi = Int(data.frequencyIndex[row])
        let ti = Int(data.recencyIndex[row])
        let ai = Int(data.ageIndex[row])
        let x = frequencies[xi]
        let tx = Swift.min(data.recencies[ti], data.ages[ai])
        let age = data.ages[ai]
        let logAlive = -(r + x) * logAlphaT[ai] - s * logBetaT[ai]
        var logA0 = T(constant: -.infinity)
        if age > tx {
          let a = shapes[xi]
          if a.value * (age - tx) / (minimum + tx) < 1e-3 {
            logA0 = gaussLegendreLogA0(r: r, alpha: alpha, s: s, beta: beta, x: x, tx: tx, T: age)
          } else {
            let u = upper[Int(prepared.rowRecencyPair[row])]
            let l = lower[Int(prepared.rowAgePair[row])]
            if l.value < u.value { logA0 = logDiffExp(u, l) }
          }
        }
        let logDead = deadWeights[xi] + logA0
        total = total + (constants[xi] + logSumExp(logAlive, logDead)) * data.weights[row]
      }
      return total
    }
    let rows = data.count
    if rows < parallelLikelihoodRows { return rowSum(0..<rows) }
    let halves = parallelMap(2) { half in rowSum(half == 0 ? 0..<rows / 2 : rows / 2..<rows) }
    return halves[0] + halves[1]
  }

  /// log A₀ by 3-point Gauss–Legendre on [tₓ, T], on real or dual numbers (see `logA0`: the
  /// same arithmetic).
  static func gaussLegendreLogA0<T: DifferentiableReal>(
    r: T, alpha: T, s: T, beta: T, x: Double, tx: Double, T age: Double
  ) -> T {
    let mid = (tx + age) / 2
    let half = (age - tx) / 2
    let offset = half * (0.6).squareRoot()
    func logIntegrand(_ y: Double) -> T {
      -(r + x) * T.log(alpha + y) - (s + 1.0) * T.log(beta + y)
    }
    let terms = [
      logIntegrand(mid - offset) + Double.log(5.0 / 9.0),
      logIntegrand(mid) + Double.log(8.0 / 9.0),
      logIntegrand(mid + offset) + Double.log(5.0 / 9.0),
    ]
    // log Σ exp, shifted by the largest value (as `logSumExp(_:)`).
    let largest = terms.map(\.value).max()!
    var sum = T(constant: 0)
    for term in terms { sum = sum + T.exp(term + -largest) }
    return T.log(r + s + x) + Double.log(half) + (T.log(sum) + largest)
  }

  /// f(0), …, f(count − 1), in two parallel halves when `count` is large.
  private static func parallelMap<T>(_ count: Int, _ f: (Int) -> T) -> [T] {
    guard count >= 2048 else { return (0..<count).map(f) }
    var halves: [[T]] = [[], []]
    nonisolated(unsafe) let body = f
    halves.withUnsafeMutableBufferPointer { halves in
      nonisolated(unsafe) let halves = halves
      DispatchQueue.concurrentPerform(iterations: 2) { half in
        let range = half == 0 ? 0..<count / 2 : count / 2..<count
        halves[half] = range.map(body)
      }
    }
    return halves[0] + halves[1]
  }
}
