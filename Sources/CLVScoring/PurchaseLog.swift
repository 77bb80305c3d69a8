import CLVData

/// Every customer's purchase days and the amount of each day, from an order log: what the
/// win-back backtest replays (``ReactivationTable``) and the histories it ranks.
public struct PurchaseLog: Sendable, Equatable {
  /// One customer's distinct purchase days, ascending, with the day's total amount (0 without
  /// amounts).
  public struct Purchases: Sendable, Equatable {
    public var days: [Day]
    public var amounts: [Double]

    public init(days: [Day], amounts: [Double]) {
      self.days = days
      self.amounts = amounts
    }

    /// The number of purchase days on or before `day`.
    public func count(through day: Day) -> Int {
      var low = 0
      var high = days.count
      while low < high {
        let middle = (low + high) / 2
        if days[middle] <= day { low = middle + 1 } else { high = middle }
      }
      return low
    }

    /// The history on `asOf` (purchase days on or before it); nil when there is none.
    public func history(asOf: Day) -> CustomerFacts.History? {
      let n = count(through: asOf)
      guard n > 0 else { return nil }
      var longest = 0
      for i in 1..<max(n, 1) { longest = max(longest, days[i] - days[i - 1]) }
      return CustomerFacts.History(
        firstPurchase: days[0], lastPurchase: days[n - 1], frequency: n - 1,
        longestGapDays: longest)
    }
  }

  public var customers: [String: Purchases]
  /// False when the log had no amount column (every amount is 0).
  public var hasAmounts: Bool
  /// The last purchase day in the log.
  public var lastDay: Day?

  public init(customers: [String: Purchases], hasAmounts: Bool) {
    self.customers = customers
    self.hasAmounts = hasAmounts
    lastDay = customers.values.compactMap(\.days.last).max()
  }

  /// Reads an order log: orders on one day of one customer are one purchase day (amounts
  /// summed), as in the summaries ([FHL2005a] counts purchase days).
  ///
  /// - Parameter through: orders after this day are ignored (nil: none).
  /// - Throws: ``DataError`` for an unreadable or malformed log (the checks of the summaries).
  public static func read(
    path: String, format: OrderLogFormat, through last: Day? = nil
  ) throws -> PurchaseLog {
    let reader = try OrdersCSVReader.open(path: path, format: format)
    var byDay: [String: [Day: Double]] = [:]
    try reader.forEachOrder { id, day, amount, _ in
      if let last, day > last { return }
      let key = String(decoding: id, as: UTF8.self)
      byDay[key, default: [:]][day, default: 0] += amount
    }
    return PurchaseLog(byDay: byDay, hasAmounts: reader.hasAmounts)
  }

  /// The purchase log of orders held in memory: what ``read(path:format:through:)`` gives for
  /// the log they were read from.
  public init(orders: RecordedOrders, through last: Day? = nil) {
    let ids = (0..<orders.customerCount).map(orders.customerID)
    var byDay: [String: [Day: Double]] = [:]
    orders.forEach { customer, day, amount in
      if let last, day > last { return }
      byDay[ids[customer], default: [:]][day, default: 0] += amount
    }
    self.init(byDay: byDay, hasAmounts: orders.hasAmounts)
  }

  /// Each customer's days ascending with the day's total amount.
  private init(byDay: [String: [Day: Double]], hasAmounts: Bool) {
    var customers: [String: Purchases] = [:]
    customers.reserveCapacity(byDay.count)
    for (id, days) in byDay {
      let sorted = days.keys.sorted()
      customers[id] = Purchases(days: sorted, amounts: sorted.map { days[$0]! })
    }
    self.init(customers: customers, hasAmounts: hasAmounts)
  }
}
