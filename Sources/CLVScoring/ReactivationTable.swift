import CLVData

/// The lapsed state of a customer: time since the last purchase in their own purchase cycles,
/// and how often they bought, both bucketed.
///
///     cycles since last purchase:  < 1 | 1–2 | 2–4 | 4–8 | ≥ 8      (buckets 0…4)
///     repeat purchase days x:      0 | 1 | 2–3 | 4–7 | ≥ 8          (buckets 0…4)
///
/// The cycle is ``SegmentationRules/cycleDays(of:)`` (own mean gap shrunk toward the
/// population's; the population's for a one-time buyer). The doubling edges are a product
/// decision.
public struct LapsedState: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var cyclesBucket: Int
  public var frequencyBucket: Int

  public init(cyclesBucket: Int, frequencyBucket: Int) {
    self.cyclesBucket = cyclesBucket
    self.frequencyBucket = frequencyBucket
  }

  /// The upper edges of the cycle buckets (the last bucket is open).
  public static let cycleEdges: [Double] = [1, 2, 4, 8]
  /// The upper edges (exclusive) of the frequency buckets.
  public static let frequencyEdges = [1, 2, 4, 8]

  /// The state of `cycles` cycles since the last purchase and `frequency` repeat days.
  public init(cyclesSinceLastPurchase cycles: Double, frequency: Int) {
    cyclesBucket = Self.cycleEdges.firstIndex(where: { cycles < $0 }) ?? Self.cycleEdges.count
    frequencyBucket =
      Self.frequencyEdges.firstIndex(where: { frequency < $0 }) ?? Self.frequencyEdges.count
  }

  /// E.g. `2-4 cycles, x 2-3`.
  public var description: String {
    let c = Self.cycleEdges.map { NumberText.fixed($0, digits: 0) }
    let cycles =
      cyclesBucket == 0
      ? "<\(c[0]) cycle"
      : cyclesBucket == c.count
        ? ">=\(c[c.count - 1]) cycles" : "\(c[cyclesBucket - 1])-\(c[cyclesBucket]) cycles"
    let f = Self.frequencyEdges
    let frequency: String
    switch frequencyBucket {
    case 0: frequency = "x 0"
    case f.count: frequency = "x >=\(f[f.count - 1])"
    default:
      let low = f[frequencyBucket - 1]
      let high = f[frequencyBucket] - 1
      frequency = low == high ? "x \(low)" : "x \(low)-\(high)"
    }
    return cycles + ", " + frequency
  }

  public static func < (a: LapsedState, b: LapsedState) -> Bool {
    (a.cyclesBucket, a.frequencyBucket) < (b.cyclesBucket, b.frequencyBucket)
  }
}

/// How often customers in each lapsed state bought again within a campaign window, replayed
/// from the shop's own order log at several past as-of dates.
///
///     backtest dates   tₖ = asOf − k · window,  k = 1 … dates   (each window ends ≤ asOf)
///     at each tₖ:      every customer with a purchase on or before tₖ, in their state at tₖ
///                      (cycle from the purchases through tₖ, population cycle = the median
///                      own gap at tₖ); reactivated = a purchase day in (tₖ, tₖ + window]
///     P(reactivation | s)      = (reactivated_s + m · P_all) / (n_s + m)
///     E[purchase days | s, r]  = (days_s + m · D_all) / (reactivated_s + m)
///
/// with n_s customer-dates in state s, P_all and D_all the rates over all states, and m = 20
/// pseudo-observations: a state seen rarely gets the shop's overall rate, a state seen often
/// its own. Both are bounded: P in [0, 1], the purchase days by the window's length.
///
/// - Source: estimating the response to a win-back campaign from the customers' own past
///   lapse-and-return behaviour, by the time since the last purchase (and frequency), is the
///   recapture analysis of [TBF2004] and the RFM-cell response estimate of database marketing
///   ([BKN2008], RFM analysis: response rate per cell from past behaviour); the shrinkage is
///   the posterior mean of a binomial rate under a beta prior centred on the pooled rate
///   ([CB2002] §7.2.3, beta-binomial). The relative-to-cycle recency, the buckets, the number
///   of dates and m = 20 are product decisions of clvkit.
public struct ReactivationTable: Sendable, Equatable {
  /// Counts of one state over the backtest dates.
  public struct Cell: Sendable, Equatable {
    /// Customer-dates in the state.
    public var customers = 0
    /// Of those, who bought within the window.
    public var reactivated = 0
    /// Purchase days within the window of those who bought.
    public var purchaseDays = 0

    public init(customers: Int = 0, reactivated: Int = 0, purchaseDays: Int = 0) {
      self.customers = customers
      self.reactivated = reactivated
      self.purchaseDays = purchaseDays
    }
  }

  public var windowDays: Int
  /// The backtest as-of dates, latest first.
  public var dates: [Day]
  public var cells: [LapsedState: Cell]
  /// All states together.
  public var total: Cell

  /// Pseudo-observations at the pooled rate, see ``ReactivationTable``.
  public static let priorWeight = 20.0
  public static let defaultWindowDays = 90
  public static let defaultDates = 4

  public init(windowDays: Int, dates: [Day], cells: [LapsedState: Cell]) {
    self.windowDays = windowDays
    self.dates = dates
    self.cells = cells
    var total = Cell()
    for cell in cells.values {
      total.customers += cell.customers
      total.reactivated += cell.reactivated
      total.purchaseDays += cell.purchaseDays
    }
    self.total = total
  }

  /// The pooled reactivation rate over all states (0 without data).
  public var pooledProbability: Double {
    total.customers > 0 ? Double(total.reactivated) / Double(total.customers) : 0
  }

  /// The pooled purchase days per reactivated customer (1 without data: at least one).
  public var pooledPurchaseDays: Double {
    total.reactivated > 0 ? Double(total.purchaseDays) / Double(total.reactivated) : 1
  }

  /// P(reactivation within the window | state), shrunk toward the pooled rate.
  public func probability(of state: LapsedState) -> Double {
    let cell = cells[state] ?? Cell()
    let m = Self.priorWeight
    return (Double(cell.reactivated) + m * pooledProbability) / (Double(cell.customers) + m)
  }

  /// E[purchase days within the window | state, reactivated], shrunk toward the pooled mean.
  public func purchaseDaysIfReactivated(of state: LapsedState) -> Double {
    let cell = cells[state] ?? Cell()
    let m = Self.priorWeight
    return (Double(cell.purchaseDays) + m * pooledPurchaseDays) / (Double(cell.reactivated) + m)
  }

  /// Replays `log` at `dates` past as-of dates a window apart, see ``ReactivationTable``.
  ///
  /// - Parameters:
  ///   - rules: the cycle rule (``SegmentationRules/cyclePriorGaps``); its as-of date is the
  ///     list's, and its population cycle is ignored (recomputed at every backtest date).
  /// - Throws: ``ScoringError/invalidRules(_:)`` for a window or a date count below 1.
  public static func backtest(
    _ log: PurchaseLog, rules: SegmentationRules, windowDays: Int = defaultWindowDays,
    dates count: Int = defaultDates
  ) throws -> ReactivationTable {
    guard windowDays >= 1 else {
      throw ScoringError.invalidRules("window \(windowDays) days is not positive")
    }
    guard count >= 1 else {
      throw ScoringError.invalidRules("backtest dates \(count) is not positive")
    }
    let first = log.customers.values.compactMap(\.days.first).min()
    var dates: [Day] = []
    for k in 1...count {
      let day = rules.asOf - k * windowDays
      guard let first, day >= first else { break }
      dates.append(day)
    }
    var cells: [LapsedState: Cell] = [:]
    for day in dates {
      var at = rules
      at.asOf = day
      var histories: [(CustomerFacts.History, PurchaseLog.Purchases)] = []
      for purchases in log.customers.values {
        if let history = purchases.history(asOf: day) { histories.append((history, purchases)) }
      }
      at.populationCycleDays = SegmentationRules.medianCycleDays(
        of: histories.map { CustomerFacts(customerID: "", history: $0.0) })
      for (history, purchases) in histories {
        guard let cycles = at.cyclesSinceLastPurchase(of: history) else { continue }
        let state = LapsedState(cyclesSinceLastPurchase: cycles, frequency: history.frequency)
        let within = purchases.count(through: day + windowDays) - purchases.count(through: day)
        cells[state, default: Cell()].customers += 1
        if within > 0 {
          cells[state]!.reactivated += 1
          cells[state]!.purchaseDays += within
        }
      }
    }
    return ReactivationTable(windowDays: windowDays, dates: dates, cells: cells)
  }
}
