import ArgumentParser
import CLVData

#if canImport(Glibc)
import Glibc
#endif

/// Options shared by every command that reads an order log (or a summary CSV).
///
/// Use as `@OptionGroup var ingest: IngestOptions` and call ``summaries(from:)`` with the
/// command's INPUT argument.
struct IngestOptions: ParsableArguments {
  @Option(help: "Customer id column: a header name or a 1-based number.")
  var customerColumn: String = "customer_id"

  @Option(help: "Order date column: a header name or a 1-based number.")
  var dateColumn: String = "date"

  @Option(
    help: """
      Order amount column: a header name or a 1-based number (default: amount, used when the \
      file has it; without amounts there is no monetary value).
      """)
  var amountColumn: String?

  @Option(
    help: """
      Field delimiter: ',', ';', '|', tab, or whitespace (runs of blanks). When the header lacks \
      a column under this delimiter but has it under another, the error names that one.
      """)
  var delimiter: String = ","

  @Flag(help: "The file has no header row (give columns by number).")
  var noHeader = false

  @Option(
    help: """
      Date layout: auto, yyyy-MM-dd, yyyy/MM/dd, yyyyMMdd, dd/MM/yyyy, MM/dd/yyyy, \
      dd.MM.yyyy, dd-MMM-yyyy (01-Dec-2010), 'MMM d, yyyy' (Dec 1, 2010), epoch (Unix \
      seconds), epoch-ms (milliseconds). Days and months may have one digit. A time of day may \
      follow (8:26, 08:26:00.123, T10:32:11Z, +01:00, -0500, PM): the day is the date as \
      written, offsets are not converted (epoch: the UTC day). auto detects the layout from \
      the first 1,000 rows (not epoch).
      """)
  var dateFormat: String = "auto"

  @Option(
    help: """
      Negative amounts (returns): ignore (drop the row), net (subtract from that day's amount), \
      error (exit 65).
      """)
  var returns: ReturnsPolicy = .ignore

  @Flag(
    help: "Skip malformed rows and report counts per reason, instead of stopping (default: off).")
  var skipBadRows = false

  @Option(
    help: """
      Line-item exports: the order id column. Consecutive rows with one order id are lines of \
      one order: exact duplicate lines are dropped (counted on stderr); a later line may leave \
      customer, date or amount empty (taken from the first line; an empty amount is 0).
      """)
  var orderColumn: String?

  @Option(help: "Line-item exports: quantity column; amount = quantity × --price-column.")
  var quantityColumn: String?

  @Option(help: "Line-item exports: unit price column; amount = --quantity-column × price.")
  var priceColumn: String?

  @Flag(help: "Keep exact duplicate lines of an order (with --order-column).")
  var keepDuplicates = false

  @Option(
    help: """
      Orders whose id (--order-column) starts with this text are cancellations or returns: \
      their amounts count as negative and --returns decides (UCI Online Retail: C).
      """)
  var cancelPrefix: String?

  @Flag(
    help: """
      Decimal mark of amounts (default: detected from the first 1,000 amounts, as said on \
      stderr). Currency symbols or codes ($, €, EUR), thousands separators (',' '.' space \
      ') and accounting negatives ((12.00), 12.00-) are accepted either way.
      """)
  var decimalMark: DecimalMark?

  @Option(help: "Time unit of recency, T and durations: day, week, month.")
  var unit: TimeUnit = .week

  @Option(
    help:
      """
      Last day observed, yyyy-MM-dd; later orders are ignored (default: the last date in the \
      file).
      """
  )
  var observationEnd: String?

  @Option(
    help: """
      Last day of the calibration period, yyyy-MM-dd; adds holdout columns for \
      (calibration end, observation end] (default: none).
      """)
  var calibrationEnd: String?

  func validate() throws {
    guard Delimiter(argument: delimiter) != nil else {
      throw ValidationError(
        "--delimiter must be one character, 'tab' or 'whitespace'; got '\(delimiter)'")
    }
    if dateFormat != "auto", DateFormat(rawValue: dateFormat) == nil {
      throw ValidationError(
        "--date-format must be auto or one of "
          + DateFormat.allCases.map(\.rawValue).joined(separator: ", ") + "; got '\(dateFormat)'")
    }
    if (quantityColumn == nil) != (priceColumn == nil) {
      throw ValidationError("--quantity-column and --price-column go together")
    }
    if quantityColumn != nil, amountColumn != nil {
      throw ValidationError(
        "give either --amount-column or --quantity-column with --price-column, not both")
    }
    if cancelPrefix != nil, orderColumn == nil {
      throw ValidationError("--cancel-prefix needs --order-column (the order ids it applies to)")
    }
    if cancelPrefix == "" { throw ValidationError("--cancel-prefix must not be empty") }
    if keepDuplicates, orderColumn == nil {
      throw ValidationError("--keep-duplicates needs --order-column")
    }
    let observation = try observationEnd.map { try Self.day($0, option: "--observation-end") }
    let calibration = try calibrationEnd.map { try Self.day($0, option: "--calibration-end") }
    if let observation, let calibration, calibration >= observation {
      throw ValidationError("--calibration-end must be before --observation-end")
    }
    if noHeader {
      for (name, value) in [("--customer-column", customerColumn), ("--date-column", dateColumn)]
      where Int(value) == nil {
        throw ValidationError("with --no-header, \(name) must be a column number (got '\(value)')")
      }
      if let amountColumn, Int(amountColumn) == nil {
        throw ValidationError("with --no-header, --amount-column must be a column number")
      }
    }
  }

  private static func day(_ text: String, option: String) throws -> Day {
    guard let day = Day(iso: text) else {
      throw ValidationError("\(option) must be a date yyyy-MM-dd; got '\(text)'")
    }
    return day
  }

  /// The order-log layout these options describe.
  var orderLogFormat: OrderLogFormat {
    var format = OrderLogFormat(
      delimiter: Delimiter(argument: delimiter) ?? .comma, hasHeader: !noHeader,
      customerColumn: ColumnSelector(argument: customerColumn),
      dateColumn: ColumnSelector(argument: dateColumn),
      amountColumn: noHeader && amountColumn == nil
        ? nil : ColumnSelector(argument: amountColumn ?? "amount"),
      amountColumnRequired: amountColumn != nil,
      dateFormat: DateFormat(rawValue: dateFormat), returns: returns, skipBadRows: skipBadRows,
      decimalMark: decimalMark)
    format.lines = OrderLines(
      orderColumn: orderColumn.map(ColumnSelector.init(argument:)),
      quantityColumn: quantityColumn.map(ColumnSelector.init(argument:)),
      priceColumn: priceColumn.map(ColumnSelector.init(argument:)),
      keepDuplicates: keepDuplicates, cancelPrefix: cancelPrefix)
    return format
  }

  /// The summary period these options describe.
  var period: SummaryPeriod {
    SummaryPeriod(
      unit: unit, observationEnd: observationEnd.flatMap { Day(iso: $0) },
      calibrationEnd: calibrationEnd.flatMap { Day(iso: $0) })
  }

  /// Reads INPUT (a path or `-`): an order log, summarized per these options, or a summary CSV
  /// (detected from its header). Prints the ingest report to standard error (unless `quiet`)
  /// and a progress line while reading a large file when standard error is a terminal.
  /// - Throws: ``DataError`` (exit 65/66).
  ///   `interPurchaseTimes`: also each customer's litt and the Wheat–Morrison regularity
  ///   (``SummaryPeriod/interPurchaseTimes``).
  func summaries(
    from input: String, quiet: Bool = false, weightColumn: String? = nil,
    interPurchaseTimes: Bool = false
  ) throws -> CustomerSummaries {
    var progress = ProgressLine(path: input)
    var period = self.period
    period.interPurchaseTimes = interPurchaseTimes
    let summaries = try CustomerSummaries.read(
      path: input, format: orderLogFormat, period: period, weightColumn: weightColumn,
      progress: progress.isEnabled ? { progress.update(bytes: $0, rows: $1) } : nil)
    progress.finish()
    if !quiet { report(summaries) }
    return summaries
  }

  /// Reads INPUT as ``summaries(from:quiet:weightColumn:)`` does, keeping an order log's
  /// orders in memory (nil for a summary CSV): for the views of the same orders that need more
  /// than the summaries (`clv score --cac`: first orders and margin to date).
  func summariesKeepingOrders(
    from input: String
  ) throws -> (summaries: CustomerSummaries, orders: RecordedOrders?) {
    var progress = ProgressLine(path: input)
    let read = try CustomerSummaries.readKeepingOrders(
      orders: input, format: orderLogFormat, period: period,
      progress: progress.isEnabled ? { progress.update(bytes: $0, rows: $1) } : nil)
    progress.finish()
    report(read.summaries)
    return read
  }

  /// Writes the ingest report (unit, counts, skipped rows, chosen date layout) to stderr.
  func report(_ summaries: CustomerSummaries) {
    var stderr = StandardError()
    let r = summaries.report
    let name = r.file
    func say(_ text: String) { print("clv: \(name): \(text)", to: &stderr) }
    if summaries.layout != .orders {
      say(
        "summary file (\(summaries.layout.rawValue) layout), \(summaries.count) rows; "
          + (summaries.layout == .donations
            ? "recency and periods are counts of opportunities (--unit does not apply)"
            : "recency and T taken to be in \(summaries.unit.rawValue)s (--unit)"))
      if observationEnd != nil || calibrationEnd != nil {
        say("--observation-end and --calibration-end do not apply to a summary file: ignored")
      }
      return
    }
    if let detection = r.dateDetection {
      if detection.isAmbiguous {
        let other =
          detection.format.swapped.map { "use --date-format \($0.rawValue) if that is the layout" }
          ?? "set --date-format to choose"
        say(
          "dates are ambiguous (\(detection.candidates.map(\.rawValue).joined(separator: " or ")) "
            + "fit the first \(detection.sampleCount) rows); assumed \(detection.format.rawValue): "
            + other)
      } else {
        say(
          "date format \(detection.format.rawValue) "
            + "(detected from the first \(detection.sampleCount) rows)"
        )
      }
    }
    if let detection = r.decimalMarkDetection {
      if let evidence = detection.evidence, detection.mark == .comma {
        say("amounts have a decimal comma (e.g. '\(evidence)'; --decimal-point to override)")
      } else if detection.evidence == nil, let example = detection.ambiguousExample {
        let separator = detection.mark == .point ? "','" : "'.'"
        say(
          "no amount in the first \(detection.sampleCount) rows shows the decimal mark: read "
            + "'\(example)' with \(separator) as a thousands separator (\(detection.mark)"
            + (detection.mark == .comma
              ? ", as usual with ';' delimiters" : "")
            + "); use \(detection.mark.otherOption) if \(separator) is the decimal mark")
      } else if detection.mark == .comma {
        say("amounts read with a decimal comma (';' delimiter; --decimal-point to override)")
      }
    }
    var period = "\(r.firstDate!) to \(r.lastDate!)"
    if let end = summaries.observationEnd { period += ", observation end \(end)" }
    if let end = summaries.calibrationEnd { period += ", calibration end \(end)" }
    say(
      "\(r.rows) rows, \(summaries.count) customers, dates \(period); "
        + "unit: \(summaries.unit.rawValue) "
        + "(recency, T\(summaries.holdout == nil ? "" : ", duration") "
        + "in \(summaries.unit.rawValue)s)")
    if r.amountColumn == nil { say("no amount column: monetary value omitted") }
    for (reason, seen) in r.badRows.sorted(by: { $0.key < $1.key }) {
      say("skipped \(seen.count) row(s): \(reason.rawValue) (first at line \(seen.firstLine))")
    }
    if r.duplicateLinesDropped > 0 {
      say(
        "dropped \(r.duplicateLinesDropped) exact duplicate line(s) within orders "
          + "(--keep-duplicates keeps them)")
    }
    if r.cancellationLines > 0, let prefix = cancelPrefix {
      say(
        "\(r.cancellationLines) line(s) of orders whose id starts with '\(prefix)' are "
          + "cancellations: handled as returns (--returns \(returns.rawValue))")
    }
    if r.returnsIgnored > 0 { say("ignored \(r.returnsIgnored) return row(s) (negative amount)") }
    if r.returnsNetted > 0 {
      say("netted \(r.returnsNetted) return row(s) against their day's amount")
    }
    if r.returnsBeforeFirstPurchase > 0 {
      say(
        "dropped \(r.returnsBeforeFirstPurchase) return(s) dated before the customer's "
          + "first purchase"
      )
    }
    if r.ordersAfterObservationEnd > 0 {
      say("ignored \(r.ordersAfterObservationEnd) order row(s) after the observation end")
    }
    if r.customersAfterCalibrationEnd > 0 {
      say(
        "left out \(r.customersAfterCalibrationEnd) customer(s) first seen after the "
          + "calibration end"
      )
    }
    if r.customersWithoutPurchase > 0 {
      say("left out \(r.customersWithoutPurchase) customer(s) with returns but no purchase")
    }
    if r.customersOutOfOrder > 0 {
      say(
        "\(r.customersOutOfOrder) customer(s) had orders out of date order "
          + "(re-read in a second pass)"
      )
    }
  }
}

extension ReturnsPolicy: ExpressibleByArgument {}

extension DecimalMark: EnumerableFlag {
  public static func name(for value: DecimalMark) -> NameSpecification {
    .customLong("decimal-\(value.rawValue)")
  }

  public static func help(for value: DecimalMark) -> ArgumentHelp? {
    value == .point
      ? "Amounts use a decimal point: 1,234.56." : "Amounts use a decimal comma: 1.234,56."
  }
}
extension TimeUnit: ExpressibleByArgument {}

/// A one-line progress display (rows, MB/s) on stderr, only when stderr is a terminal and the
/// input is a file of at least 64 MiB.
struct ProgressLine {
  let isEnabled: Bool
  private var start = timespec()
  private var lastShown = -1.0
  private var shown = false

  init(path: String) {
    var info = stat()
    let large = path != "-" && stat(path, &info) == 0 && info.st_size >= 64 << 20
    isEnabled = large && isatty(STDERR_FILENO) == 1
    clock_gettime(CLOCK_MONOTONIC, &start)
  }

  mutating func update(bytes: Int, rows: Int) {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    let seconds = Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) / 1e9
    guard seconds - lastShown >= 0.25 else { return }  // at most four updates a second
    lastShown = seconds
    let rate = seconds > 0 ? Double(bytes) / 1e6 / seconds : 0
    var stderr = StandardError()
    print("\r\u{1B}[Kclv: read \(rows) rows, \(Int(rate)) MB/s", terminator: "", to: &stderr)
    shown = true
  }

  func finish() {
    guard shown else { return }
    var stderr = StandardError()
    print("\r\u{1B}[K", terminator: "", to: &stderr)
  }
}
