#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Running per-customer state while streaming an order log (48 bytes per customer; nothing per
/// row). Days are days since 1970-01-01.
struct CustomerState {
  static let none = Int32.max
  var firstDay: Int32 = CustomerState.none
  var lastDay: Int32 = Int32.min  // last purchase day seen (any period)
  var calibrationLastDay: Int32 = Int32.min
  var calibrationDays: Int32 = 0  // purchase days ≤ calibration end
  var holdoutDays: Int32 = 0  // purchase days in (calibration end, observation end]
  var longestGap: Int32 = 0
  var needsReplay = false
  var firstDayAmount = 0.0
  var calibrationRepeatAmount = 0.0
  var holdoutAmount = 0.0

  /// Adds `amount` to the bucket of `day`: the first purchase day, a repeat day in the
  /// calibration period, or the holdout period.
  @inline(__always)
  mutating func addAmount(_ amount: Double, on day: Int32, calibrationEnd: Int32) {
    if day == firstDay {
      firstDayAmount += amount
    } else if day <= calibrationEnd {
      calibrationRepeatAmount += amount
    } else {
      holdoutAmount += amount
    }
  }

  /// Applies one order. Returns false when the order cannot be applied in streaming order (it
  /// predates the last purchase day, or is a return before any purchase): the customer must be
  /// recomputed from their sorted orders.
  @inline(__always)
  mutating func apply(day: Int32, amount: Double, calibrationEnd: Int32) -> Bool {
    if amount < 0 {  // a return under `net`: not a purchase day by itself
      guard firstDay != CustomerState.none, day >= firstDay else { return false }
      addAmount(amount, on: day, calibrationEnd: calibrationEnd)
      return true
    }
    if firstDay == CustomerState.none {
      firstDay = day
      lastDay = day
      if day <= calibrationEnd {  // else first seen after the calibration end: left out later
        calibrationDays = 1
        calibrationLastDay = day
      }
      firstDayAmount = amount
      return true
    }
    if day < lastDay { return false }
    if day == lastDay {
      addAmount(amount, on: day, calibrationEnd: calibrationEnd)
      return true
    }
    if day <= calibrationEnd {
      calibrationDays += 1
      longestGap = max(longestGap, day - lastDay)
      calibrationLastDay = day
      calibrationRepeatAmount += amount
    } else {
      holdoutDays += 1
      holdoutAmount += amount
    }
    lastDay = day
    return true
  }
}

extension CustomerSummaries {
  /// Reads `path` (`-`: standard input): a summary CSV when its header says so (see
  /// ``SummaryCSVReader``), else an order log summarized over `period`.
  ///
  /// - Parameters:
  ///   - weightColumn: a summary CSV's column holding the number of customers with each row
  ///     (see ``SummaryCSVReader``); an order log with a weight column given is an error.
  ///   - progress: called now and then with bytes and rows read (order logs).
  /// - Throws: ``DataError``.
  public static func read(
    path: String, format: OrderLogFormat, period: SummaryPeriod, weightColumn: String? = nil,
    progress: ((_ bytes: Int, _ rows: Int) -> Void)? = nil
  ) throws -> CustomerSummaries {
    try read(
      orders: path, format: format, period: period, acceptSummaryCSV: true,
      weightColumn: weightColumn, progress: progress)
  }

  /// Summarizes an order log (`-`: standard input) over `period`.
  ///
  /// Definitions (all orders of a customer on one day are one purchase; amounts summed):
  ///
  ///     x  = purchase days after the first            (frequency)
  ///     tₓ = (last purchase day − first) / unit        (recency)
  ///     T  = (period end − first purchase day) / unit  (age)
  ///     m  = Σ repeat-day amounts / x, 0 when x = 0    (monetary value)
  ///
  /// over the orders up to the calibration end (or the observation end without one).
  ///
  /// - Source: [FHL2005a] section 2 (CDNOW: weeks = days / 7); [lifetimes]
  ///   `summary_data_from_transaction_data(freq='D', freq_multiplier=7)` for weeks.
  /// - Complexity: one pass over the file, O(customers) memory when every customer's orders
  ///   appear in date order (customers may interleave). Customers whose orders are out of date
  ///   order are recomputed in a second pass that keeps only their orders (standard input is
  ///   buffered to an unlinked temporary file for that).
  public static func read(
    orders path: String, format: OrderLogFormat, period: SummaryPeriod,
    acceptSummaryCSV: Bool = false, weightColumn: String? = nil,
    progress: ((_ bytes: Int, _ rows: Int) -> Void)? = nil
  ) throws -> CustomerSummaries {
    var tee: Int32? = nil
    if path == "-" {
      var template = Array("\(temporaryFolder())/clv-stdin-XXXXXX".utf8CString)
      let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
      if fd >= 0 {
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        tee = fd
      }
    }
    defer { if let tee { close(tee) } }
    let records = try DelimitedRecordReader(path: path, delimiter: format.delimiter, tee: tee)
    var header: [String]? = nil
    if format.hasHeader {
      guard try records.next() else {
        throw DataError.invalidFile(file: records.displayName, reason: "empty file")
      }
      let fields = records.fields
      if fields.contains(where: { $0.unicodeScalars.contains("\u{FFFD}") }) {
        throw DataError.invalidFile(
          file: records.displayName, reason: "the header is not UTF-8 text (binary data?)")
      }
      header = fields
      if acceptSummaryCSV, let layout = SummaryCSVReader.layout(ofHeader: fields) {
        return try SummaryCSVReader.read(
          records: records, header: fields, layout: layout, unit: period.unit,
          weightColumn: weightColumn)
      }
    }
    if let weightColumn {
      throw DataError.invalidFile(
        file: records.displayName,
        reason: "a weight column ('\(weightColumn)') applies to a summary file; this is an "
          + "order log (each of its customers counts once)")
    }
    let reader = try OrdersCSVReader(records: records, header: header, format: format)
    // At most one customer per row; rows are at least ~20 bytes in practice.
    let expectedCustomers = min((reader.fileSize ?? 0) / 20, 1 << 23)
    var builder = SummaryBuilder(period: period, expectedCustomers: expectedCustomers)
    try reader.forEachOrder(into: &builder, progress: progress)
    builder.finishInput()
    // A file rewritten while it was read may have given a mix of old and new rows.
    try records.checkUnchanged()
    var report = IngestReport(file: reader.displayName)
    report.bytes = reader.bytesRead
    report.rows = reader.rows
    report.badRows = reader.badRows
    report.returnsIgnored = reader.returnsIgnored
    report.returnsNetted = reader.returnsNetted
    report.dateFormat = reader.dateFormat
    report.dateDetection = reader.dateDetection
    report.decimalMarkDetection = reader.decimalMarkDetection
    report.duplicateLinesDropped = reader.duplicateLinesDropped
    report.cancellationLines = reader.cancellationLines
    report.amountColumn = reader.amountColumnName

    if builder.replayCount > 0 {
      // Second pass: only the customers whose orders were out of date order.
      let again: DelimitedRecordReader
      if let tee {
        guard lseek(tee, 0, SEEK_SET) == 0 else {
          throw DataError.notReadable(path: path, reason: "cannot rewind the buffered input")
        }
        again = DelimitedRecordReader(
          descriptor: tee, displayName: records.displayName, delimiter: format.delimiter)
      } else {
        // The open file again (not the path: it may have been replaced meanwhile).
        again = try records.reopened()
      }
      if format.hasHeader { _ = try again.next() }
      var quiet = format
      quiet.skipBadRows = true
      quiet.dateFormat = reader.dateFormat
      quiet.decimalMark = reader.decimalMark
      let replay = try OrdersCSVReader(records: again, header: header, format: quiet)
      var collector = SummaryBuilder.ReplayCollector(builder: builder)
      try replay.forEachOrder(into: &collector)
      try again.checkUnchanged()
      builder.replay(collector.orders)
    }
    return try builder.finish(report: report, hasAmounts: reader.hasAmounts)
  }
}

private func temporaryFolder() -> String {
  if let value = getenv("TMPDIR"), value.pointee != 0 { return String(cString: value) }
  return "/tmp"
}

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
    var replayCount = 0
    var prefetchSink = 0

    init(calibrationEnd: Int32, expectedCustomers: Int) {
      self.calibrationEnd = calibrationEnd
      customers = CustomerTable(expectedCount: expectedCustomers)
    }

    /// Applies a batch in order, 32 orders at a time: the table's cache misses for those 32
    /// overlap (see `CustomerTable.prefetch`), which makes lookups in a large table several
    /// times faster than one by one.
    func apply(_ batch: OrderBatch) {
      let calibrationEnd = self.calibrationEnd
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
              ) { Aggregator.apply(&$0, day: day, amount: amount, calibrationEnd: calibrationEnd) }
            }
          } else {
            newlyMarked = customers.withValue(for: key, initial: CustomerState()) {
              Aggregator.apply(&$0, day: day, amount: amount, calibrationEnd: calibrationEnd)
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
      _ state: inout CustomerState, day: Int32, amount: Double, calibrationEnd: Int32
    ) -> Bool {
      if state.needsReplay { return false }
      if !state.apply(day: day, amount: amount, calibrationEnd: calibrationEnd) {
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
      calibrationEnd: calibrationEnd, expectedCustomers: expectedCustomers)
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
      if !state.apply(day: order.day, amount: order.amount, calibrationEnd: calibrationEnd) {
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
      summary: RFMSummary(rows: rows, unit: period.unit),
      holdout: holdoutDuration == nil ? nil : holdout, hasMonetaryValue: hasAmounts,
      layout: .orders, observationEnd: end, calibrationEnd: period.calibrationEnd, report: report)
    summaries.days = days
    return summaries
  }
}
