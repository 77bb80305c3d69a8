/// Repeat purchase days per calendar day, summed over the customers acquired by a calibration
/// end: the "actual" line of the tracking plot (Fader, Hardie & Lee 2005a, Fig. 2).
///
/// A purchase day is a day with at least one order of non-negative amount (as in
/// ``CustomerSummaries``: all orders of a customer on one day are one purchase); a repeat
/// purchase day is a purchase day after the customer's first. Only customers whose first
/// purchase is on or before `calibrationEnd` are counted, and only days up to `observationEnd`.
public struct DailyRepeatPurchases: Sendable, Equatable {
  /// The first purchase day of the counted customers (index 0 of ``counts``).
  public var start: Day
  /// `counts[i]`: repeat purchase days on day `start + i`, up to the observation end (inclusive).
  public var counts: [Int]
  /// First purchase days of the counted customers: day → number of customers acquired that day.
  public var acquisitions: [Day: Int]

  public init(start: Day, counts: [Int], acquisitions: [Day: Int]) {
    self.start = start
    self.counts = counts
    self.acquisitions = acquisitions
  }

  /// The last day covered (`start + counts.count − 1`).
  public var end: Day { start + (counts.count - 1) }

  /// Reads an order log (a path; standard input cannot be read twice, so callers spool it to a
  /// file first) and counts repeat purchase days per day.
  ///
  /// - Parameters:
  ///   - format: the order-log layout; give the `dateFormat` detected by the first read so that
  ///     both reads agree.
  ///   - calibrationEnd: customers first seen after this day are not counted.
  ///   - observationEnd: later orders are ignored.
  /// - Throws: ``DataError`` (the same row checks as
  ///   ``CustomerSummaries/read(path:format:period:progress:)``).
  /// - Complexity: one pass; 8 bytes per order row in memory (the customer-day pairs are sorted
  ///   to find distinct purchase days, so the file need not be in date order).
  public static func read(
    orders path: String, format: OrderLogFormat, calibrationEnd: Day, observationEnd: Day
  ) throws -> DailyRepeatPurchases {
    let reader = try OrdersCSVReader.open(path: path, format: format)
    let last = Int64(observationEnd.daysSinceEpoch)
    let customers = CustomerTable<Int>()
    var pairs: [UInt64] = []
    try reader.forEachOrder { id, day, amount, _ in
      let d = Int64(day.daysSinceEpoch)
      guard d <= last, amount >= 0 else { return }
      let index = customers.withValue(for: id, initial: customers.count) { $0 }
      pairs.append(pair(customer: index, day: d))
    }
    return try counting(
      pairs, file: reader.displayName, calibrationEnd: calibrationEnd,
      observationEnd: observationEnd)
  }

  /// The counts of the orders in memory: what ``read(orders:format:calibrationEnd:observationEnd:)``
  /// gives for the log they were read from.
  /// - Throws: ``DataError`` as `read` does.
  public init(orders: RecordedOrders, calibrationEnd: Day, observationEnd: Day) throws {
    let last = Int64(observationEnd.daysSinceEpoch)
    var pairs: [UInt64] = []
    pairs.reserveCapacity(orders.count)
    orders.forEach { customer, day, amount in
      let d = Int64(day.daysSinceEpoch)
      guard d <= last, amount >= 0 else { return }
      pairs.append(Self.pair(customer: customer, day: d))
    }
    self = try Self.counting(
      pairs, file: orders.report.file, calibrationEnd: calibrationEnd,
      observationEnd: observationEnd)
  }

  /// A customer's purchase day as one sortable word: the customer in the upper 32 bits, the day
  /// offset so that it sorts as an unsigned 32-bit value in the lower.
  private static func pair(customer: Int, day: Int64) -> UInt64 {
    UInt64(customer) << 32 | UInt64(UInt32(truncatingIfNeeded: day + (1 << 31)))
  }

  /// Counts repeat purchase days per day from the customers' purchase days
  /// (``pair(customer:day:)``, in any order, a day repeated for several orders).
  private static func counting(
    _ pairs: [UInt64], file: String, calibrationEnd: Day, observationEnd: Day
  ) throws -> DailyRepeatPurchases {
    let last = Int64(observationEnd.daysSinceEpoch)
    var pairs = pairs
    guard !pairs.isEmpty else {
      throw DataError.invalidFile(file: file, reason: "no orders on or before \(observationEnd)")
    }
    pairs.sort()
    func day(_ pair: UInt64) -> Int { Int(Int64(pair & 0xFFFF_FFFF) - (1 << 31)) }
    let calibrationLast = calibrationEnd.daysSinceEpoch
    var acquisitions: [Day: Int] = [:]
    var repeatDays: [Int] = []
    var i = 0
    while i < pairs.count {
      let customer = pairs[i] >> 32
      let first = day(pairs[i])
      var j = i + 1
      var previous = first
      let counted = first <= calibrationLast
      if counted { acquisitions[Day(daysSinceEpoch: first), default: 0] += 1 }
      while j < pairs.count, pairs[j] >> 32 == customer {
        let d = day(pairs[j])
        if counted, d != previous { repeatDays.append(d) }
        previous = d
        j += 1
      }
      i = j
    }
    guard let startDay = acquisitions.keys.min() else {
      throw DataError.invalidFile(
        file: file, reason: "no customers with a purchase on or before \(calibrationEnd)")
    }
    let start = startDay.daysSinceEpoch
    var counts = [Int](repeating: 0, count: max(1, Int(last) - start + 1))
    for d in repeatDays { counts[d - start] += 1 }
    return DailyRepeatPurchases(start: startDay, counts: counts, acquisitions: acquisitions)
  }
}
