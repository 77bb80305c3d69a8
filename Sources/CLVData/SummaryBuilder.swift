#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Accumulates per-customer state from a stream of orders.
struct SummaryBuilder: OrderSink {
  let period: SummaryPeriod
  let calibrationEnd: Int32
  let observationEnd: Int32
  var ordersAfterObservationEnd = 0
  var returnsBeforeFirstPurchase = 0
  var firstDate = Int32.max
  var lastDate = Int32.min

  /// The customer table and what applying orders finds; used by the aggregating thread until
  /// ``SummaryBuilder/finishInput()``, then by the caller.
  final class Aggregator: @unchecked Sendable {
    let customers: CustomerTable<CustomerState>
    let calibrationEnd: Int32
    let logGaps: Bool
    var replayCount = 0
    var prefetchSink = 0

    init(calibrationEnd: Int32, expectedCustomers: Int, logGaps: Bool) {
      self.calibrationEnd = calibrationEnd
      self.logGaps = logGaps
      customers = CustomerTable(expectedCount: expectedCustomers)
    }

    /// Applies a batch in order, 32 orders at a time: the table's cache misses for those 32
    /// overlap (see `CustomerTable.prefetch`), which makes lookups in a large table several
    /// times faster than one by one.
    func apply(_ batch: OrderBatch) {
      let calibrationEnd = self.calibrationEnd
      let logGaps = self.logGaps
      var k = 0
      var marked = 0
      while k < batch.count {
        let n = min(32, batch.count - k)
        for i in k..<(k + n) where batch.keys[i].length <= 16 {  // hashed here, not by the reader
          let key = batch.keys[i]
          batch.keys[i].hash = CustomerTable<CustomerState>.shortHash(
            key.key0, key.key1, key.length)
        }
        prefetchSink &+= customers.prefetch(UnsafeBufferPointer(start: batch.keys + k, count: n))
        for i in k..<(k + n) {
          let key = batch.keys[i]
          let (day, amount) = (batch.days[i], batch.amounts[i])
          let newlyMarked: Bool
          if key.length > 16 {
            let start = Int(key.key0)
            newlyMarked = batch.arena.withUnsafeBytes { arena in
              customers.withValue(
                for: UnsafeRawBufferPointer(rebasing: arena[start..<(start + key.length)]),
                initial: CustomerState()
              ) {
                Aggregator.apply(
                  &$0, day: day, amount: amount, calibrationEnd: calibrationEnd, logGaps: logGaps)
              }
            }
          } else {
            newlyMarked = customers.withValue(for: key, initial: CustomerState()) {
              Aggregator.apply(
                &$0, day: day, amount: amount, calibrationEnd: calibrationEnd, logGaps: logGaps)
            }
          }
          if newlyMarked { marked += 1 }
        }
        k += n
      }
      replayCount += marked
    }

    /// Applies one order to a customer's state; true when the customer was newly marked for
    /// replay.
    @inline(__always)
    static func apply(
      _ state: inout CustomerState, day: Int32, amount: Double, calibrationEnd: Int32,
      logGaps: Bool
    ) -> Bool {
      if state.needsReplay { return false }
      if !state.apply(day: day, amount: amount, calibrationEnd: calibrationEnd, logGaps: logGaps) {
        state.needsReplay = true
        return true
      }
      return false
    }
  }

  let aggregator: Aggregator
  private let pipeline: OrderPipeline
  private var batch: OrderBatch

  var customers: CustomerTable<CustomerState> { aggregator.customers }
  var replayCount: Int { aggregator.replayCount }

  init(period: SummaryPeriod, expectedCustomers: Int = 0) {
    self.period = period
    calibrationEnd =
      period.calibrationEnd.map { Int32(clamping: $0.daysSinceEpoch) } ?? Int32.max - 1
    observationEnd =
      period.observationEnd.map { Int32(clamping: $0.daysSinceEpoch) } ?? Int32.max - 1
    let aggregator = Aggregator(
      calibrationEnd: calibrationEnd, expectedCustomers: expectedCustomers,
      logGaps: period.interPurchaseTimes)
    self.aggregator = aggregator
    pipeline = OrderPipeline { aggregator.apply($0) }
    batch = pipeline.emptyBatch()
  }

  @inline(__always)
  mutating func add(customerID: UnsafeRawBufferPointer, day: Day, amount: Double, line: Int) {
    let d = Int32(clamping: day.daysSinceEpoch)
    if d > observationEnd {
      ordersAfterObservationEnd += 1
      return
    }
    if d < firstDate { firstDate = d }
    if d > lastDate { lastDate = d }
    let i = batch.count
    if let key = CustomerTable<CustomerState>.shortKey(customerID, hashed: false) {
      batch.keys[i] = key
    } else {
      batch.keys[i] = .init(
        key0: UInt64(batch.arena.count), key1: 0, length: customerID.count, hash: 0)
      batch.arena.append(contentsOf: customerID)
    }
    batch.days[i] = d
    batch.amounts[i] = amount
    batch.count = i + 1
    if batch.isFull { batch = pipeline.submit(batch) }
  }

  /// Applies the orders still in flight and stops the aggregating thread. Call once, after the
  /// last ``add(customerID:day:amount:line:)``, before reading ``customers``.
  mutating func finishInput() {
    if batch.count > 0 { batch = pipeline.submit(batch) }
    pipeline.finish()
  }

  /// Collects, in a second pass, the orders of the customers marked for replay.
  struct ReplayCollector: OrderSink {
    let builder: SummaryBuilder
    var orders: [(customer: Int32, day: Int32, amount: Double)] = []

    mutating func add(customerID: UnsafeRawBufferPointer, day: Day, amount: Double, line: Int) {
      let d = Int32(clamping: day.daysSinceEpoch)
      guard d <= builder.observationEnd, let index = builder.customers.index(of: customerID),
        builder.customers[index].needsReplay
      else { return }
      orders.append((Int32(index), d, amount))
    }
  }

  /// Recomputes the out-of-order customers from their sorted orders (purchases before returns
  /// within a day, so that a same-day return nets against that day).
  mutating func replay(_ orders: [(customer: Int32, day: Int32, amount: Double)]) {
    let orders = orders.sorted {
      ($0.customer, $0.day, $1.amount) < ($1.customer, $1.day, $0.amount)
    }
    var current: Int32 = -1
    var state = CustomerState()
    let customers = self.customers
    func store() { if current >= 0 { customers[Int(current)] = state } }
    for order in orders {
      if order.customer != current {
        store()
        current = order.customer
        state = CustomerState()
        state.needsReplay = true
      }
      if !state.apply(
        day: order.day, amount: order.amount, calibrationEnd: calibrationEnd,
        logGaps: period.interPurchaseTimes)
      {
        returnsBeforeFirstPurchase += 1  // sorted: only a return before any purchase lands here
      }
    }
    store()
  }

  func finish(report: IngestReport, hasAmounts: Bool) throws -> CustomerSummaries {
    var report = report
    report.ordersAfterObservationEnd = ordersAfterObservationEnd
    report.returnsBeforeFirstPurchase = returnsBeforeFirstPurchase
    report.customersOutOfOrder = replayCount
    guard lastDate >= firstDate else {
      throw DataError.invalidFile(
        file: report.file,
        reason: ordersAfterObservationEnd > 0
          ? "no orders on or before the observation end \(period.observationEnd!)"
          : "no valid orders")
    }
    report.firstDate = Day(daysSinceEpoch: Int(firstDate))
    report.lastDate = Day(daysSinceEpoch: Int(lastDate))
    let end = period.observationEnd ?? Day(daysSinceEpoch: Int(lastDate))
    if let calibrationEnd = period.calibrationEnd, calibrationEnd >= end {
      throw DataError.invalidFile(
        file: report.file,
        reason: "the calibration end \(calibrationEnd) is not before the observation end \(end)"
          + (period.observationEnd == nil ? " (the last date in the file)" : ""))
    }
    let summaryEnd = period.calibrationEnd ?? end
    let unitDays = period.unit.days
    let holdoutDuration = period.calibrationEnd.map { Double(end - $0) / unitDays }
    var rows: [RFMSummary.Row] = []
    var days: [CustomerSummaries.CustomerDays] = []
    var holdout: [HoldoutStatistics] = []
    let withGaps = period.interPurchaseTimes
    var litt: [Double] = []
    var lastTwoGaps: [(previous: Int32, last: Int32)] = []
    let logUnitDays = log(unitDays)
    rows.reserveCapacity(customers.count)
    days.reserveCapacity(customers.count)
    if holdoutDuration != nil { holdout.reserveCapacity(customers.count) }
    let summaryEndDay = Int32(clamping: summaryEnd.daysSinceEpoch)
    for index in 0..<customers.count {
      let state = customers[index]
      if state.firstDay == CustomerState.none {
        report.customersWithoutPurchase += 1
        continue
      }
      if state.firstDay > summaryEndDay {
        report.customersAfterCalibrationEnd += 1
        continue
      }
      let frequency = Int(state.calibrationDays) - 1
      rows.append(
        RFMSummary.Row(
          customerID: customers.id(index), frequency: frequency,
          recency: Double(state.calibrationLastDay - state.firstDay) / unitDays,
          age: Double(summaryEndDay - state.firstDay) / unitDays,
          monetaryValue: frequency > 0 ? state.calibrationRepeatAmount / Double(frequency) : 0))
      days.append(
        .init(first: state.firstDay, last: state.calibrationLastDay, longestGap: state.longestGap))
      if withGaps {
        // Σ log(gap / unit) = Σ log(gap in days) − x · log(days per unit).
        litt.append(frequency > 0 ? state.logGapDays - Double(frequency) * logUnitDays : 0)
        if state.previousGap > 0 { lastTwoGaps.append((state.previousGap, state.lastGap)) }
      }
      if let holdoutDuration {
        let n = Int(state.holdoutDays)
        holdout.append(
          HoldoutStatistics(
            frequency: n, monetaryValue: n > 0 ? state.holdoutAmount / Double(n) : 0,
            duration: holdoutDuration))
      }
    }
    guard !rows.isEmpty else {
      throw DataError.invalidFile(
        file: report.file,
        reason: "no customers with a purchase on or before \(summaryEnd)")
    }
    for row in rows where !(row.monetaryValue.isFinite) {
      throw DataError.invalidFile(
        file: report.file,
        reason: "customer '\(row.customerID)': the amounts overflow (monetary value not finite)")
    }
    var summaries = CustomerSummaries(
      summary: RFMSummary(
        rows: rows, unit: period.unit, logInterPurchaseTimes: withGaps ? litt : nil),
      holdout: holdoutDuration == nil ? nil : holdout, hasMonetaryValue: hasAmounts,
      layout: .orders, observationEnd: end, calibrationEnd: period.calibrationEnd, report: report)
    summaries.days = days
    if withGaps { summaries.regularity = PurchaseRegularity(lastTwoGaps: lastTwoGaps) }
    return summaries
  }
}
