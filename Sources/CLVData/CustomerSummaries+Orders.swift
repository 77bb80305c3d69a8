#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    try read(
      orders: path, format: format, period: period, acceptSummaryCSV: acceptSummaryCSV,
      weightColumn: weightColumn, recording: false, progress: progress
    ).summaries
  }

  /// Summarizes an order log (`-`: standard input) over `period` as
  /// ``read(orders:format:period:acceptSummaryCSV:progress:)`` does, reading it once, and keeps
  /// its orders in memory (``RecordedOrders``) for the summaries of other periods and the other
  /// views of the same orders; `orders` is nil when `path` holds a summary CSV.
  ///
  /// - Complexity: one pass over the file (customers out of date order are recomputed from
  ///   the orders in memory); 16 bytes per order.
  public static func readKeepingOrders(
    orders path: String, format: OrderLogFormat, period: SummaryPeriod,
    progress: ((_ bytes: Int, _ rows: Int) -> Void)? = nil
  ) throws -> (summaries: CustomerSummaries, orders: RecordedOrders?) {
    try read(
      orders: path, format: format, period: period, acceptSummaryCSV: true, weightColumn: nil,
      recording: true, progress: progress)
  }

  /// The summaries of `orders` over `period`: what reading the same log with the same format
  /// over `period` gives (its report starts from ``RecordedOrders/report``).
  /// - Throws: ``DataError`` (no orders in the period, no customers by its end, …).
  public init(orders: RecordedOrders, period: SummaryPeriod) throws {
    var builder = SummaryBuilder(period: period, expectedCustomers: orders.customerCount)
    try orders.replay(into: &builder)
    builder.finishInput()
    if builder.replayCount > 0 {
      var collector = SummaryBuilder.ReplayCollector(builder: builder)
      try orders.replay(into: &collector)
      builder.replay(collector.orders)
    }
    self = try builder.finish(report: orders.report, hasAmounts: orders.hasAmounts)
  }

  private static func read(
    orders path: String, format: OrderLogFormat, period: SummaryPeriod,
    acceptSummaryCSV: Bool, weightColumn: String?, recording: Bool,
    progress: ((_ bytes: Int, _ rows: Int) -> Void)?
  ) throws -> (summaries: CustomerSummaries, orders: RecordedOrders?) {
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
        return (
          try SummaryCSVReader.read(
            records: records, header: fields, layout: layout, unit: period.unit,
            weightColumn: weightColumn), nil
        )
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
    var recorder: RecordingSink<SummaryBuilder>? = nil
    if recording {
      var sink = RecordingSink(builder)
      try reader.forEachOrder(into: &sink, progress: progress)
      builder = sink.sink
      recorder = sink
    } else {
      try reader.forEachOrder(into: &builder, progress: progress)
    }
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

    let orders = recorder?.recorded(report: report, hasAmounts: reader.hasAmounts)
    if builder.replayCount > 0, let orders {
      // The customers whose orders were out of date order, from the orders in memory.
      var collector = SummaryBuilder.ReplayCollector(builder: builder)
      try orders.replay(into: &collector)
      builder.replay(collector.orders)
    } else if builder.replayCount > 0 {
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
    return (try builder.finish(report: report, hasAmounts: reader.hasAmounts), orders)
  }
}

private func temporaryFolder() -> String {
  if let value = getenv("TMPDIR"), value.pointee != 0 { return String(cString: value) }
  return "/tmp"
}
