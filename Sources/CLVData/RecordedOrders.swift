/// An order log held in memory as it was read: every order the reader passed on (after its row
/// checks, returns policy and duplicate-line handling), in file order, with the customer as an
/// index in order of first appearance.
///
/// `clv evaluate` reads its input once into it
/// (``CustomerSummaries/readKeepingOrders(orders:format:period:progress:)``) and derives the
/// rest from it: the summaries of another period (``CustomerSummaries/init(orders:period:)``),
/// the daily repeat purchases (``DailyRepeatPurchases/init(orders:calibrationEnd:observationEnd:)``)
/// and the targeting backtest's purchase log. Each gives what reading the file again with the
/// same format gives: the same orders reach it in the same order.
///
/// - Complexity: 16 bytes per order plus the customer table.
public struct RecordedOrders {
  /// The reader's account of the input (name, bytes, rows, bad rows, returns, date layout),
  /// before any summary: the report of summaries derived from these orders starts from it.
  public let report: IngestReport
  /// Whether the log has an amount column (every amount is 0 without one).
  public let hasAmounts: Bool
  /// The customer ids, in order of first appearance; each value is its own index.
  let ids: CustomerTable<Int32>
  /// Per order, in file order: customer index, day (days since 1970-01-01), amount.
  let customers: [Int32]
  let days: [Int32]
  let amounts: [Double]

  /// Orders recorded.
  public var count: Int { customers.count }

  /// Customers seen (with any order).
  public var customerCount: Int { ids.count }

  /// The id of customer `index` as text (invalid UTF-8 replaced by U+FFFD, as the summaries
  /// write it).
  public func customerID(_ index: Int) -> String { ids.id(index) }

  /// Calls `body` with each order: customer index, day and amount, in file order.
  public func forEach(
    _ body: (_ customer: Int, _ day: Day, _ amount: Double) throws -> Void
  )
    rethrows
  {
    for i in 0..<customers.count {
      try body(Int(customers[i]), Day(daysSinceEpoch: Int(days[i])), amounts[i])
    }
  }

  /// Passes every order to `sink` in file order, with its customer's id bytes (line 0: the
  /// lines are not kept).
  func replay<Sink: OrderSink>(into sink: inout Sink) throws {
    for i in 0..<customers.count {
      let day = Day(daysSinceEpoch: Int(days[i]))
      let amount = amounts[i]
      try ids.withID(Int(customers[i])) {
        try sink.add(customerID: $0, day: day, amount: amount, line: 0)
      }
    }
  }
}

/// Passes each order to `sink` and records it (``RecordedOrders``).
struct RecordingSink<Sink: OrderSink>: OrderSink {
  var sink: Sink
  let ids = CustomerTable<Int32>()
  var customers: [Int32] = []
  var days: [Int32] = []
  var amounts: [Double] = []

  init(_ sink: Sink) { self.sink = sink }

  @inline(__always)
  mutating func add(customerID: UnsafeRawBufferPointer, day: Day, amount: Double, line: Int) throws
  {
    try sink.add(customerID: customerID, day: day, amount: amount, line: line)
    let ids = self.ids
    customers.append(ids.withValue(for: customerID, initial: Int32(ids.count)) { $0 })
    days.append(Int32(clamping: day.daysSinceEpoch))
    amounts.append(amount)
  }

  func recorded(report: IngestReport, hasAmounts: Bool) -> RecordedOrders {
    RecordedOrders(
      report: report, hasAmounts: hasAmounts, ids: ids, customers: customers, days: days,
      amounts: amounts)
  }
}
