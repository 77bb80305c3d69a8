/// Subscriber data for the contractual models (sBG, BdW): either one row per subscriber or a
/// cohort's survival counts. Read by ``SubscriberData/read(path:)``; the layouts are described
/// in `notebooks-md/guides/subscribers.md`.
///
/// Periods are whole contract periods (months, years: the renewal interval), numbered by the
/// user; only differences between them matter.
public struct SubscriberData: Sendable, Equatable {
  /// The two accepted layouts, told apart by the header.
  public enum Layout: String, Sendable {
    /// `customer_id,start_period,end_period`: one row per subscriber.
    case subscribers
    /// `period,alive`: the number still subscribed at the end of each period of one cohort.
    case cohort
  }

  /// One subscriber: subscribed from `start` (the first period paid) until `end` (the first
  /// period no longer subscribed), or still subscribed when `end` is nil.
  public struct Subscriber: Sendable, Equatable {
    public var customerID: String
    public var start: Int
    public var end: Int?
    /// The line of the file it was read from (for messages).
    public var line: Int

    public init(customerID: String, start: Int, end: Int?, line: Int = 0) {
      self.customerID = customerID
      self.start = start
      self.end = end
      self.line = line
    }
  }

  /// A cohort's count at the end of a period (period 0: the cohort's size at acquisition).
  public struct CohortCount: Sendable, Equatable {
    public var period: Int
    public var alive: Int

    public init(period: Int, alive: Int) {
      self.period = period
      self.alive = alive
    }
  }

  /// The file name for messages.
  public var file: String
  public var layout: Layout
  /// The subscribers (``Layout/subscribers``; empty for a cohort).
  public var subscribers: [Subscriber]
  /// The cohort's counts, periods 0, 1, 2, … (``Layout/cohort``; empty otherwise).
  public var cohort: [CohortCount]

  public init(file: String, subscribers: [Subscriber]) {
    self.file = file
    layout = .subscribers
    self.subscribers = subscribers
    cohort = []
  }

  public init(file: String, cohort: [CohortCount]) {
    self.file = file
    layout = .cohort
    subscribers = []
    self.cohort = cohort
  }

  /// The last period the data describe: the largest start or end period written (an end
  /// period is the first period not subscribed: the data know about it), or the cohort's last
  /// period.
  public var lastPeriod: Int {
    switch layout {
    case .cohort: return cohort.last?.period ?? 0
    case .subscribers:
      return subscribers.reduce(Int.min) { Swift.max($0, Swift.max($1.start, $1.end ?? $1.start)) }
    }
  }

  /// The first period of the data (the earliest start; 0 for a cohort).
  public var firstPeriod: Int {
    switch layout {
    case .cohort: return 0
    case .subscribers: return subscribers.reduce(Int.max) { Swift.min($0, $1.start) }
    }
  }

  /// Contract durations as of period `asOf` (default ``lastPeriod``): what a contractual model
  /// is fitted on.
  ///
  /// A subscriber who started at s ≤ asOf and ended at e ≤ asOf has the observed lifetime
  /// T = e − s periods (paid s, …, e − 1); one still subscribed in period asOf (no end, or
  /// e > asOf) has survived a = asOf − s renewals so far (T > a, right-censored). Subscribers
  /// who start after `asOf` are not counted (``ContractDurations/notStarted``). A cohort
  /// contributes n(t−1) − n(t) lifetimes T = t for each period t ≤ asOf and n(asOf) subscribers
  /// censored at asOf.
  ///
  /// - Source: the data layout of [FH2007] Table 1 and Appendix B (the censored term).
  /// - Throws: ``DataError/invalidFile(file:reason:)`` when `asOf` is before the first period.
  public func durations(asOf: Int? = nil) throws -> ContractDurations {
    let asOf = asOf ?? lastPeriod
    var durations = ContractDurations()
    switch layout {
    case .cohort:
      guard asOf >= 1 else {
        throw DataError.invalidFile(
          file: file,
          reason: "as-of period \(asOf) leaves no period to fit on (the cohort starts at 0)")
      }
      var previous = cohort[0].alive
      for count in cohort.dropFirst() where count.period <= asOf {
        durations.add(lifetime: count.period, count: Double(previous - count.alive))
        previous = count.alive
      }
      durations.add(censoredAt: Swift.min(asOf, cohort.last!.period), count: Double(previous))
    case .subscribers:
      guard asOf >= firstPeriod else {
        throw DataError.invalidFile(
          file: file,
          reason: "as-of period \(asOf) is before the first start period \(firstPeriod)")
      }
      for subscriber in subscribers {
        guard subscriber.start <= asOf else {
          durations.notStarted += 1
          continue
        }
        if let end = subscriber.end, end <= asOf {
          durations.add(lifetime: end - subscriber.start, count: 1)
        } else {
          durations.add(censoredAt: asOf - subscriber.start, count: 1)
        }
      }
    }
    return durations
  }
}

/// Contract lifetimes, collapsed: how many subscribers cancelled after exactly t periods, and
/// how many are still subscribed after a periods (right-censored). The likelihood of the
/// contractual models is a sum over these counts.
public struct ContractDurations: Sendable, Equatable {
  /// Observed lifetime T (≥ 1) → number of subscribers.
  public var lifetimes: [Int: Double] = [:]
  /// Periods survived so far a (≥ 0) by subscribers still active → number of subscribers.
  public var censored: [Int: Double] = [:]
  /// Subscribers left out because they start after the as-of period.
  public var notStarted = 0

  public init() {}

  /// Adds `count` subscribers who cancelled after `lifetime` periods (counts of 0 are kept
  /// out).
  public mutating func add(lifetime: Int, count: Double) {
    guard count > 0 else { return }
    lifetimes[lifetime, default: 0] += count
  }

  /// Adds `count` subscribers still active after `periods` renewals.
  public mutating func add(censoredAt periods: Int, count: Double) {
    guard count > 0 else { return }
    censored[periods, default: 0] += count
  }

  /// Number of subscribers (cancelled + active).
  public var subscribers: Double {
    lifetimes.values.reduce(0, +) + censored.values.reduce(0, +)
  }

  /// Number of cancellations observed.
  public var cancellations: Double { lifetimes.values.reduce(0, +) }

  /// Number of distinct (duration, censored) cells.
  public var distinctCells: Int { lifetimes.count + censored.count }

  /// The longest duration seen (cancelled or active).
  public var longest: Int {
    Swift.max(lifetimes.keys.max() ?? 0, censored.keys.max() ?? 0)
  }
}
