import CLVData

/// Acquisition cohorts: customers grouped by the period of their first purchase, and what
/// each cohort did in the periods since (the retention triangle and revenue per customer).
///
///     cohort            the month (yyyy-MM) or quarter (yyyy-Qn) of the first purchase
///     period k          the k-th calendar period after the cohort's (k = 0: its own)
///     repeat rate(k)    customers with a repeat purchase (any purchase day but the first)
///                       in period k / customers acquired
///     revenue(k)        revenue of all purchases in period k / customers acquired
///                       (cumulative: summed over periods 0…k)
///     second purchase   customers with at least two purchase days by the last day / acquired
///     one-time buyers   1 − second-purchase rate
///     days to second    the median days from the first to the second purchase day, among
///                       customers with one
///
/// Only periods that end on or before the log's last day are reported (a partly observed
/// period would understate its rates): the triangle's hypotenuse. Purchase days as in the
/// summaries (orders of one day are one purchase, [FHL2005a]).
///
/// - Source: the acquisition-cohort view of a customer base, [FH2009]; repeat purchasing as
///   the measure of retention in non-contractual settings, [GL2001]. The period grid, complete
///   periods only and the medians are product decisions.
public struct CohortTable: Sendable, Equatable {
  /// The calendar period of the cohorts and their columns.
  public enum Period: String, CaseIterable, Sendable {
    case month, quarter

    /// The period's number since year 0 (months: 12·y + m − 1; quarters: 4·y + (m − 1)/3).
    func index(of day: Day) -> Int {
      let (y, m, _) = day.components
      return self == .month ? 12 * y + m - 1 : 4 * y + (m - 1) / 3
    }

    /// The name of period `index`: yyyy-MM or yyyy-Qn.
    func name(of index: Int) -> String {
      switch self {
      case .month:
        let (y, m) = (index / 12, index % 12 + 1)
        return "\(y)-\(m < 10 ? "0" : "")\(m)"
      case .quarter: return "\(index / 4)-Q\(index % 4 + 1)"
      }
    }

    /// The last day of period `index`.
    func lastDay(of index: Int) -> Day {
      let (y, firstMonth) =
        self == .month ? (index / 12, index % 12 + 1) : (index / 4, (index % 4) * 3 + 1)
      let lastMonth = self == .month ? firstMonth : firstMonth + 2
      return Day(year: y, month: lastMonth, day: Day.daysIn(month: lastMonth, year: y))!
    }
  }

  /// One period of one cohort.
  public struct Cell: Sendable, Equatable {
    /// Periods since acquisition (0: the acquisition period).
    public var period: Int
    public var repeatCustomers: Int
    public var repeatRate: Double
    public var revenuePerCustomer: Double
    public var cumulativeRevenuePerCustomer: Double
  }

  /// One acquisition cohort (of one segment, when segmented).
  public struct Cohort: Sendable, Equatable {
    /// yyyy-MM or yyyy-Qn.
    public var name: String
    /// The segment value (nil without segmentation).
    public var segment: String?
    public var customers: Int
    public var secondPurchaseRate: Double
    public var oneTimeBuyerShare: Double { 1 - secondPurchaseRate }
    /// nil when no customer of the cohort bought twice.
    public var medianDaysToSecondPurchase: Double?
    /// Periods 0…k of the complete periods.
    public var cells: [Cell]
    /// The mean CAC of the cohort's customers (`--cac`); nil without costs or when a customer
    /// of the cohort has none.
    public var cac: Double? = nil
    /// The predicted unit economics of the cohort's customers with a CAC in the scores
    /// (`--scores`, ``AcquisitionEconomics/Summary``); nil without scores or when none has one.
    public var predicted: AcquisitionEconomics.Summary? = nil
  }

  public var period: Period
  /// The last day of the log: periods ending after it are left out.
  public var lastDay: Day
  /// In cohort, then segment order.
  public var cohorts: [Cohort]
  /// The margin of the CAC columns (share of revenue that is profit); nil without costs.
  public var margin: Double? = nil
  /// Whether the cohorts carry ``Cohort/predicted`` (made with scores, `--scores`).
  public var hasPredictions = false

  /// The segment of customers missing from the attributes.
  public static let missingSegment = "(missing)"

  /// The cohorts of `log`, by `period`, split by `segments` (customer id → value; customers
  /// without one in ``missingSegment``) when given.
  /// - Parameters:
  ///   - lastDay: the last observed day (default: the log's last purchase day); later
  ///     purchases must already be left out of `log`.
  ///   - costs: the customers' acquisition costs, for each cohort's mean CAC (``Cohort/cac``),
  ///     with `costAttributes` (customer id → value) when they are keyed by an attribute and
  ///     `margin` for the margin against them (``Cohort/marginToCAC(margin:)``).
  ///   - scores: customer id → the customer's CAC, margins and predicted CLV as
  ///     `clv score --cac` wrote them, for each cohort's ``Cohort/predicted``.
  public init(
    _ log: PurchaseLog, by period: Period, segments: [String: String]? = nil, lastDay: Day? = nil,
    costs: AcquisitionCosts? = nil, costAttributes: [String: String]? = nil, margin: Double = 1,
    scores: [String: AcquisitionEconomics.Scored]? = nil
  ) {
    self.period = period
    self.hasPredictions = scores != nil
    self.margin = costs == nil ? nil : margin
    self.lastDay = lastDay ?? log.lastDay ?? Day(daysSinceEpoch: 0)
    let lastDay = self.lastDay
    let lastComplete =
      period.lastDay(of: period.index(of: lastDay)) == lastDay
      ? period.index(of: lastDay) : period.index(of: lastDay) - 1
    struct Key: Hashable, Comparable {
      var cohort: Int
      var segment: String?
      static func < (a: Key, b: Key) -> Bool {
        a.cohort != b.cohort
          ? a.cohort < b.cohort
          : (a.segment ?? "").utf8.lexicographicallyPrecedes((b.segment ?? "").utf8)
      }
    }
    struct Sums {
      var customers = 0
      var twice = 0
      var daysToSecond: [Double] = []
      var repeaters: [Int] = []
      var revenue: [Double] = []
      var cac = 0.0
      var withoutCost = 0
      var scored: [AcquisitionEconomics.Scored] = []
    }
    var sums: [Key: Sums] = [:]
    // In id order, so that sums are the same bytes on every run.
    for id in log.customers.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      let purchases = log.customers[id]!
      guard let first = purchases.days.first else { continue }
      let cohort = period.index(of: first)
      let key = Key(cohort: cohort, segment: segments.map { $0[id] ?? Self.missingSegment })
      let width = max(lastComplete - cohort + 1, 0)
      var s =
        sums[key]
        ?? Sums(
          repeaters: Array(repeating: 0, count: width),
          revenue: Array(repeating: 0, count: width))
      s.customers += 1
      if let customer = scores?[id] { s.scored.append(customer) }
      if let costs {
        if let cost = costs.cost(customerID: id, firstPurchase: first, attributes: costAttributes) {
          s.cac += cost
        } else {
          s.withoutCost += 1
        }
      }
      if purchases.days.count >= 2 {
        s.twice += 1
        s.daysToSecond.append(Double(purchases.days[1] - first))
      }
      var counted = Set<Int>()
      for (index, day) in purchases.days.enumerated() {
        let k = period.index(of: day) - cohort
        guard k < width else { break }
        s.revenue[k] += purchases.amounts[index]
        if index > 0, counted.insert(k).inserted { s.repeaters[k] += 1 }
      }
      sums[key] = s
    }
    cohorts = sums.keys.sorted().map { key in
      var s = sums[key]!
      let n = Double(s.customers)
      var cumulative = 0.0
      let cells = s.repeaters.indices.map { k in
        cumulative += s.revenue[k] / n
        return Cell(
          period: k, repeatCustomers: s.repeaters[k], repeatRate: Double(s.repeaters[k]) / n,
          revenuePerCustomer: s.revenue[k] / n, cumulativeRevenuePerCustomer: cumulative)
      }
      return Cohort(
        name: period.name(of: key.cohort), segment: key.segment, customers: s.customers,
        secondPurchaseRate: Double(s.twice) / n,
        medianDaysToSecondPurchase: Median.of(&s.daysToSecond), cells: cells,
        cac: costs == nil || s.withoutCost > 0 ? nil : s.cac / n,
        predicted: AcquisitionEconomics.Summary(s.scored))
    }
  }
}
