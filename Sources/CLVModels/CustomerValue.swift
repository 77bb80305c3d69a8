import CLVData
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Customer lifetime value: the discounted expected margin over a horizon.
public enum CustomerValue {
  /// Discounted expected margin over `horizon` periods of the model's unit, per period like
  /// lifetimes' `customer_lifetime_value` (with one period = one model unit):
  ///
  ///     CLV = Σ_{i=1}^{H} margin · E[Z | x, z̄] · (E[Y(i) | h] − E[Y(i−1) | h]) / (1 + d)^i
  ///
  /// where E[Y(i) | h] is the transaction model's conditional expected purchases in the next i
  /// units and E[Z | x, z̄] the spend model's conditional mean spend. A fractional horizon adds
  /// a last partial period ending at H, discounted by (1 + d)^H. For an integer H this equals
  /// lifetimes 0.11.3 `_customer_lifetime_value(model, …, time=H, discount_rate=d, freq="M")`
  /// when the model unit is the month (lifetimes' factor 1) and margin = 1.
  ///
  /// - Parameters:
  ///   - horizon: H in model units (≥ 0).
  ///   - discountRate: d per model unit (> −1).
  ///   - margin: fraction of spend that is margin (default 1).
  /// - Returns: the CLV (may be non-finite for degenerate models: check before writing).
  /// - Source: lifetimes 0.11.3 `utils._customer_lifetime_value`; [FHL2005b] (CLV from
  ///   Pareto/NBD and Gamma-Gamma).
  public static func discountedValue(
    transactions: any TransactionModel, spend: any SpendModel, customer: RFMSummary.Row,
    horizon: Double, discountRate: Double, margin: Double = 1
  ) -> Double {
    let value = spend.expectedAverageSpend(for: customer) * margin
    return value
      * discountedPurchases(
        transactions: transactions, customer: customer, horizon: horizon,
        discountRate: discountRate)
  }

  /// The most per-unit terms ``discountedPurchases(transactions:customer:horizon:discountRate:)``
  /// evaluates (see ``periods(horizon:discountRate:)``); `clv score` rejects a horizon and
  /// discount rate that need more.
  public static let maximumPeriods = 100_000

  /// The number of per-unit terms of the CLV sum that are evaluated for `horizon` H and
  /// discount rate d: 0 when d = 0 (closed form), H (rounded up) when d < 0, and
  /// min(⌈H⌉, K) when d > 0, with K the smallest integer such that v^K / (1 − v) ≤ 2⁻⁵³,
  /// v = 1/(1 + d): past K the remaining terms are below the rounding of the sum (see
  /// ``discountedPurchases(transactions:customer:horizon:discountRate:)``).
  public static func periods(horizon: Double, discountRate: Double) -> Double {
    guard horizon > 0, discountRate != 0 else { return 0 }
    let whole = horizon.rounded(.up)
    guard discountRate > 0 else { return whole }
    let logV = -Double.log(onePlus: discountRate)
    let oneMinusV = discountRate / (1 + discountRate)
    // v^K ≤ 2⁻⁵³ (1 − v)  ⇔  K ≥ (53 log 2 − log(1 − v)) / (−log v)
    let k = ((53 * Double.log(2.0) - Double.log(oneMinusV)) / -logV).rounded(.up)
    return Swift.min(whole, k)
  }

  /// Σ_{i=1}^{H} (E[Y(i) | h] − E[Y(i−1) | h]) / (1 + d)^i: the discounted expected purchases
  /// (the CLV per unit of margin per purchase).
  ///
  /// Evaluated without a cost linear in H:
  /// - d = 0: the sum telescopes to E[Y(H) | h], one evaluation for any finite H.
  /// - d > 0: the increments ΔEᵢ = E[Y(i)] − E[Y(i−1)] do not increase with i, since in every
  ///   purchase model here a customer buys at a constant rate while alive and never returns
  ///   once dropped out, so the expected purchase rate λ·P(alive at t | h) does not increase
  ///   ([FHL2005a] section 2, [FH2005-PNBD] assumptions, [FHS2010] for the discrete BG/BB).
  ///   So the terms past K sum to at most ΔE₁ v^(K+1)/(1 − v) while the sum is at least
  ///   ΔE₁ v: the sum stops after K = ``periods(horizon:discountRate:)`` terms, where this
  ///   relative bound v^K/(1 − v) is ≤ 2⁻⁵³ (e.g. d = 0.01: K = 4 156; d = 0.1: K = 411).
  /// - d < 0: ⌈H⌉ terms (the caller bounds H, see ``maximumPeriods``).
  public static func discountedPurchases(
    transactions: any TransactionModel, customer: RFMSummary.Row, horizon: Double,
    discountRate: Double
  ) -> Double {
    guard horizon > 0 else { return 0 }
    if discountRate == 0 { return transactions.expectedPurchases(in: horizon, for: customer) }
    let periods = periods(horizon: horizon, discountRate: discountRate)
    guard periods <= Double(Int.max / 2) else { return .nan }
    // Whole periods summed; the partial last period (H − ⌊H⌋) only when no term was cut.
    let truncated = periods < horizon.rounded(.up)
    let whole = truncated ? Int(periods) : Int(horizon.rounded(.down))
    var total = 0.0
    var previous = 0.0
    let logDiscount = Double.log(onePlus: discountRate)
    if whole >= 1 {
      for i in 1...whole {
        let cumulative = transactions.expectedPurchases(in: Double(i), for: customer)
        total += (cumulative - previous) * Double.exp(-Double(i) * logDiscount)
        previous = cumulative
      }
    }
    if !truncated, horizon > Double(whole) {
      let cumulative = transactions.expectedPurchases(in: horizon, for: customer)
      total += (cumulative - previous) * Double.exp(-horizon * logDiscount)
    }
    return total
  }
}

/// One customer's scores.
public struct CustomerScore: Sendable, Equatable {
  public var probabilityAlive: Double
  /// Conditional expected purchases in the next `horizon` units.
  public var expectedPurchases: Double
  /// Probability of no purchase in the next `horizon` units.
  public var probabilityOfNoPurchase: Double
  /// Conditional expected average spend per purchase (nil without a spend model).
  public var expectedSpend: Double?
  /// Discounted expected margin over the horizon (nil without a spend model).
  public var customerValue: Double?
}

/// Scores many customers fast: P(alive), expected purchases, P(no purchase) and CLV over one
/// horizon.
///
/// In every model here, the future of a customer who is alive at T depends on the history only
/// through (x, T) (the posterior of the rates given alive: [FHL2005a] section 3, [FH2005-PNBD],
/// [FHS2010] eq. (A10)). So E[Y(t) | h] = P(alive | h) · g(x, T), and likewise
/// 1 − P(no purchase | h) and the discounted purchases. The scorer computes g once per distinct
/// (x, T) from a reference history with tₓ = T (where P(alive) is largest) and multiplies by
/// each customer's P(alive): the ₂F₁ evaluations of the per-period CLV sum are done per distinct
/// (x, T), not per customer. Falls back to direct evaluation when the reference P(alive) is
/// below 1e-200, and for every customer of a model whose future given alive also depends on
/// tₓ (``TransactionModel/futureGivenAliveDependsOnFrequencyAndAgeOnly``: the CNBD-k models
/// with k > 1).
public struct Scorer: Sendable {
  public let transactions: any TransactionModel
  public let spend: (any SpendModel)?
  public let horizon: Double
  public let discountRate: Double
  public let margin: Double

  private struct PerAlive: Sendable {
    var expected: Double
    var purchase: Double
    var discounted: Double
  }
  /// Index of each (x, T bit pattern) seen; `perAlive[index]` is its g, or nil when the
  /// reference P(alive) is too small (direct evaluation). Small at first (it grows as pairs
  /// are inserted): the intervals of a model with covariates hold one scorer per covariate
  /// group and draw.
  private var keys = IndexTable<PairKey>(expected: 16)
  private var perAlive: [PerAlive?] = []

  public init(
    transactions: any TransactionModel, spend: (any SpendModel)?, horizon: Double,
    discountRate: Double = 0, margin: Double = 1
  ) {
    self.transactions = transactions
    self.spend = spend
    self.horizon = horizon
    self.discountRate = discountRate
    self.margin = margin
  }

  private func direct(_ row: RFMSummary.Row) -> (Double, Double, Double) {
    let e = transactions.expectedPurchases(in: horizon, for: row)
    let none = transactions.probabilityOfNoPurchase(in: horizon, for: row)
    let discounted: Double
    if spend == nil {
      discounted = 0
    } else if discountRate == 0, horizon > 0 {
      // What discountedPurchases computes for d = 0 (the sum telescopes to E[Y(H) | h]): e,
      // not evaluated a second time.
      discounted = e
    } else {
      discounted = CustomerValue.discountedPurchases(
        transactions: transactions, customer: row, horizon: horizon, discountRate: discountRate)
    }
    return (e, none, discounted)
  }

  /// The per-(x, T) values g of the customers' distinct (x, T) pairs, so that every later
  /// ``score(_:)`` of these customers is a table look-up and a P(alive): the pairs are
  /// computed in parallel on all cores (each exactly as ``score(_:)`` would, so the scores do
  /// not change). Copies of the prepared scorer share the table; for scoring on several threads
  /// give each thread a scorer of its own (shared copies contend for their reference counts).
  public mutating func prepare(for rows: [RFMSummary.Row]) {
    guard transactions.futureGivenAliveDependsOnFrequencyAndAgeOnly else { return }
    var references: [RFMSummary.Row] = []
    rows.withUnsafeBufferPointer { rows in
      for i in 0..<rows.count {
        let (_, inserted) = keys.index(
          of: PairKey(
            first: UInt64(bitPattern: Int64(rows[i].frequency)), second: rows[i].age.bitPattern))
        if inserted {
          var reference = rows[i]
          reference.recency = reference.frequency > 0 ? reference.age : 0
          references.append(reference)
        }
      }
    }
    guard !references.isEmpty else { return }
    let values = UnsafeMutableBufferPointer<PerAlive?>.allocate(capacity: references.count)
    defer { values.deallocate() }
    let block = 64
    let blocks = (references.count + block - 1) / block
    let scorer = self
    let compute = { (start: Int) in
      for k in start..<Swift.min(references.count, start + block) {
        (values.baseAddress! + k).initialize(to: scorer.perAliveValues(references[k]))
      }
    }
    if blocks > 1 && Self.processors > 1 {
      nonisolated(unsafe) let compute = compute
      DispatchQueue.concurrentPerform(iterations: blocks) { compute($0 * block) }
    } else {
      for b in 0..<blocks { compute(b * block) }
    }
    perAlive.append(contentsOf: values)
  }

  /// Online processors (at least 1).
  private static var processors: Int { Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  /// g of a reference history (tₓ = T): E, 1 − P(none) and the discounted purchases per unit
  /// of P(alive); nil when the reference P(alive) is not above 1e-200.
  private func perAliveValues(_ reference: RFMSummary.Row) -> PerAlive? {
    let referenceAlive = transactions.probabilityAlive(for: reference)
    guard referenceAlive > 1e-200 else { return nil }
    let (e, none, discounted) = direct(reference)
    return PerAlive(
      expected: e / referenceAlive, purchase: (1 - none) / referenceAlive,
      discounted: discounted / referenceAlive)
  }

  /// The parts of a customer's scores that depend on the purchase history (x, tₓ, T) only, not
  /// on the spend: P(alive), expected purchases, P(no purchase) and the discounted expected
  /// purchases (``CustomerValue/discountedPurchases(transactions:customer:horizon:discountRate:)``,
  /// 0 without a spend model). ``score(_:)`` is this and the spend model's mean spend: the
  /// values are the same, bit for bit, whichever is called.
  public mutating func historyScore(_ row: RFMSummary.Row) -> HistoryScore {
    let alive = transactions.probabilityAlive(for: row)
    var factor: PerAlive? = nil
    if transactions.futureGivenAliveDependsOnFrequencyAndAgeOnly {
      let (index, inserted) = keys.index(
        of: PairKey(first: UInt64(bitPattern: Int64(row.frequency)), second: row.age.bitPattern))
      if inserted {
        var reference = row
        reference.recency = row.frequency > 0 ? row.age : 0
        perAlive.append(perAliveValues(reference))
      }
      factor = perAlive[Int(index)]
    }
    let expected: Double, none: Double, discounted: Double
    if let perAlive = factor {
      expected = alive * perAlive.expected
      none = 1 - alive * perAlive.purchase
      discounted = alive * perAlive.discounted
    } else {
      (expected, none, discounted) = direct(row)
    }
    return HistoryScore(
      probabilityAlive: alive, expectedPurchases: expected, probabilityOfNoPurchase: none,
      discountedPurchases: discounted)
  }

  /// The scores of one customer (values may be non-finite for degenerate models: check them).
  public mutating func score(_ row: RFMSummary.Row) -> CustomerScore {
    let history = historyScore(row)
    var score = CustomerScore(
      probabilityAlive: history.probabilityAlive, expectedPurchases: history.expectedPurchases,
      probabilityOfNoPurchase: history.probabilityOfNoPurchase)
    if let average = spend?.expectedAverageSpend(for: row) {
      score.expectedSpend = average
      score.customerValue = customerValue(
        average: average, discountedPurchases: history.discountedPurchases)
    }
    return score
  }

  /// CLV from a mean spend and a history's discounted purchases (``historyScore(_:)``): spend ·
  /// margin · discounted purchases, as
  /// ``CustomerValue/discountedValue(transactions:spend:customer:horizon:discountRate:margin:)``;
  /// the one place where ``score(_:)`` and the prediction intervals multiply them.
  @inline(__always)
  public func customerValue(average: Double, discountedPurchases: Double) -> Double {
    average * margin * discountedPurchases
  }
}

/// The history-dependent part of a customer's scores (``Scorer/historyScore(_:)``).
public struct HistoryScore: Sendable, Equatable {
  public var probabilityAlive: Double
  /// Conditional expected purchases in the next `horizon` units.
  public var expectedPurchases: Double
  /// Probability of no purchase in the next `horizon` units.
  public var probabilityOfNoPurchase: Double
  /// Σ (E[Y(i)] − E[Y(i−1)]) / (1 + d)^i over the horizon: CLV per unit of margin and of mean
  /// spend (0 when the scorer has no spend model).
  public var discountedPurchases: Double

  public init(
    probabilityAlive: Double, expectedPurchases: Double, probabilityOfNoPurchase: Double,
    discountedPurchases: Double
  ) {
    self.probabilityAlive = probabilityAlive
    self.expectedPurchases = expectedPurchases
    self.probabilityOfNoPurchase = probabilityOfNoPurchase
    self.discountedPurchases = discountedPurchases
  }
}
