/// A column given by header name or by 1-based number.
public enum ColumnSelector: Equatable, Hashable, Sendable, CustomStringConvertible {
  case name(String)
  /// 1-based column number.
  case number(Int)

  /// `"3"` is column 3; anything else is a header name.
  public init(argument: String) {
    if let n = Int(argument), n >= 1, argument.allSatisfy(\.isASCII) {
      self = .number(n)
    } else {
      self = .name(argument)
    }
  }

  public var description: String {
    switch self {
    case .name(let name): return name
    case .number(let n): return String(n)
    }
  }
}

/// What to do with a negative amount (a return or refund).
public enum ReturnsPolicy: String, CaseIterable, Sendable {
  /// Drop the row (counted in the report).
  case ignore
  /// Subtract it from that customer's amount on that day; it is not a purchase by itself.
  case net
  /// Stop with an error (exit 65).
  case error
}

/// Why a row was rejected (or skipped, with `skipBadRows`).
public enum BadRowReason: String, CaseIterable, Sendable, Comparable {
  case fieldCount = "wrong number of fields"
  case quoting = "unterminated or misplaced quote"
  case emptyCustomerID = "empty customer id"
  case date = "unparsable date"
  case amount = "non-numeric amount"
  case nonFiniteAmount = "NaN or infinite amount"
  case negativeAmount = "negative amount (--returns error)"

  public static func < (lhs: BadRowReason, rhs: BadRowReason) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}

/// Receives the valid orders of an order log
/// (see ``OrdersCSVReader/forEachOrder(into:progress:)``).
public protocol OrderSink {
  /// One order: `customerID` bytes (valid only during the call), day, amount (0 without an
  /// amount column), and the line it came from.
  mutating func add(customerID: UnsafeRawBufferPointer, day: Day, amount: Double, line: Int) throws
}

private struct ClosureSink: OrderSink {
  let body: (UnsafeRawBufferPointer, Day, Double, Int) throws -> Void
  func add(customerID: UnsafeRawBufferPointer, day: Day, amount: Double, line: Int) throws {
    try body(customerID, day, amount, line)
  }
}

/// The layout of an order log: one row per order (or order line).
public struct OrderLogFormat: Sendable, Equatable {
  public var delimiter: Delimiter
  /// Whether the first non-blank line is a header row.
  public var hasHeader: Bool
  public var customerColumn: ColumnSelector
  public var dateColumn: ColumnSelector
  /// The amount column, or nil for none (every amount is then 0 and there is no spend).
  public var amountColumn: ColumnSelector?
  /// When false, a missing `amountColumn` (by name) just means "no amounts".
  public var amountColumnRequired: Bool
  /// nil: detect from the first rows (see ``DateFormat/detect(from:)``).
  public var dateFormat: DateFormat?
  public var returns: ReturnsPolicy
  /// Skip malformed rows (counted per ``BadRowReason``) instead of stopping at the first.
  public var skipBadRows: Bool
  /// The decimal mark of amounts; nil: detect from the first rows (see
  /// ``DecimalMark/detect(from:delimiter:conflict:)``).
  public var decimalMark: DecimalMark?
  /// Order lines: order id, quantity × price, cancellations (default: one row per order).
  public var lines = OrderLines()

  public init(
    delimiter: Delimiter = .comma, hasHeader: Bool = true,
    customerColumn: ColumnSelector = .name("customer_id"),
    dateColumn: ColumnSelector = .name("date"),
    amountColumn: ColumnSelector? = .name("amount"), amountColumnRequired: Bool = false,
    dateFormat: DateFormat? = nil, returns: ReturnsPolicy = .ignore, skipBadRows: Bool = false,
    decimalMark: DecimalMark? = nil
  ) {
    self.delimiter = delimiter
    self.hasHeader = hasHeader
    self.customerColumn = customerColumn
    self.dateColumn = dateColumn
    self.amountColumn = amountColumn
    self.amountColumnRequired = amountColumnRequired
    self.dateFormat = dateFormat
    self.returns = returns
    self.skipBadRows = skipBadRows
    self.decimalMark = decimalMark
  }

  /// The columns given by name that the header must contain (the amount column only when
  /// required).
  public var namedColumns: [String] {
    let selectors: [ColumnSelector?] = [
      customerColumn, dateColumn, amountColumnRequired ? amountColumn : nil, lines.orderColumn,
      lines.quantityColumn, lines.priceColumn,
    ]
    return selectors.compactMap {
      if case .name(let name)? = $0 { return name }
      return nil
    }
  }
}

/// Reads an order log row by row, validating each row and handing over customer id bytes, day
/// and amount. Streams: memory does not grow with the number of rows.
///
/// Every malformed row either throws a ``DataError`` naming file, line, column and value, or,
/// with ``OrderLogFormat/skipBadRows``, is counted in ``badRows`` and skipped.
public final class OrdersCSVReader {
  public let format: OrderLogFormat
  /// The header fields, or nil without a header.
  public let header: [String]?
  /// The date layout in use (given, or detected).
  public private(set) var dateFormat: DateFormat
  /// The detection outcome when the layout was detected.
  public private(set) var dateDetection: DateFormat.Detection?
  /// Whether an amount column is read.
  public var hasAmounts: Bool { amountIndex != nil || lineItemIndices != nil }
  /// The decimal mark of amounts in use (given, or detected).
  public private(set) var decimalMark = DecimalMark.point
  /// The detection outcome when the decimal mark was detected.
  public private(set) var decimalMarkDetection: DecimalMark.Detection?
  /// Display name of the amount column, if any.
  public var amountColumnName: String? {
    if let (quantity, price) = lineItemIndices {
      return "\(columnName(quantity)) × \(columnName(price))"
    }
    return amountIndex.map(columnName)
  }

  /// Data rows seen (blank lines and the header excluded).
  public private(set) var rows = 0
  /// Rows skipped per reason (only with `skipBadRows`), and the first such line.
  public private(set) var badRows: [BadRowReason: (count: Int, firstLine: Int)] = [:]
  /// Negative-amount rows dropped under ``ReturnsPolicy/ignore``.
  public private(set) var returnsIgnored = 0
  /// Negative-amount rows netted under ``ReturnsPolicy/net``.
  public private(set) var returnsNetted = 0
  /// Exact duplicate lines of an order dropped (see ``OrderLines/orderColumn``).
  public internal(set) var duplicateLinesDropped = 0
  /// Lines of cancelled orders (see ``OrderLines/cancelPrefix``), handled as returns.
  public internal(set) var cancellationLines = 0

  let records: DelimitedRecordReader
  private let expectedFields: Int
  private let customerIndex: Int
  private let dateIndex: Int
  private let amountIndex: Int?
  let orderIndex: Int?
  let lineItemIndices: (quantity: Int, price: Int)?
  private var dateIsDetected: Bool

  public var displayName: String { records.displayName }
  public var bytesRead: Int { records.bytesRead }
  public var fileSize: Int? { records.fileSize }

  /// Prepares reading from `records`, which is positioned after the header (`header` given) or
  /// at the first row (`header` nil). Resolves the columns and, when needed, detects the date
  /// layout from up to 1,000 of the first rows.
  /// - Throws: ``DataError/invalidFile(file:reason:)`` for a missing column, no data rows, or no
  ///   recognisable dates.
  public init(records: DelimitedRecordReader, header: [String]?, format: OrderLogFormat) throws {
    self.records = records
    self.header = header
    self.format = format
    let file = records.displayName
    var fieldCount: Int
    if let header {
      fieldCount = header.count
    } else {
      // No header: the first row fixes the field count.
      var first: Int?
      try records.lookAhead(limit: 1) { first = records.fieldCount }
      guard let first else {
        throw DataError.invalidFile(file: file, reason: "empty file (no rows)")
      }
      fieldCount = first
    }
    expectedFields = fieldCount

    func resolve(_ selector: ColumnSelector, role: String) throws -> Int {
      switch selector {
      case .number(let n):
        guard n <= fieldCount else {
          throw DataError.invalidFile(
            file: file,
            reason: "\(role) column \(n) does not exist (the file has \(fieldCount) columns)")
        }
        return n - 1
      case .name(let name):
        guard let header else {
          throw DataError.invalidFile(
            file: file,
            reason: "\(role) column '\(name)' is a name but the file has no header; "
              + "give a column number")
        }
        guard let index = header.firstIndex(of: name) else {
          var reason =
            "no column '\(name)' for the \(role) (columns: \(header.joined(separator: ", ")))"
          if let other = Delimiter.suggestion(
            header: header, current: format.delimiter, needed: format.namedColumns)
          {
            reason += "; the header has them with --delimiter \(other.argument)"
          }
          throw DataError.invalidFile(file: file, reason: reason)
        }
        return index
      }
    }
    customerIndex = try resolve(format.customerColumn, role: "customer")
    dateIndex = try resolve(format.dateColumn, role: "date")
    let lines = format.lines
    orderIndex = try lines.orderColumn.map { try resolve($0, role: "order") }
    switch (lines.quantityColumn, lines.priceColumn) {
    case (let quantity?, let price?):
      lineItemIndices = (try resolve(quantity, role: "quantity"), try resolve(price, role: "price"))
    case (nil, nil):
      lineItemIndices = nil
    default:
      throw DataError.invalidFile(
        file: file, reason: "a quantity column needs a price column and vice versa")
    }
    if lines.cancelPrefix != nil, orderIndex == nil {
      throw DataError.invalidFile(file: file, reason: "a cancellation prefix needs an order column")
    }
    if let amount = format.amountColumn, lineItemIndices == nil {
      if !format.amountColumnRequired, case .name(let name) = amount,
        header.map({ !$0.contains(name) }) ?? true
      {
        amountIndex = nil
      } else {
        amountIndex = try resolve(amount, role: "amount")
      }
    } else {
      amountIndex = nil
    }

    if let given = format.dateFormat {
      dateFormat = given
      dateIsDetected = false
    } else {
      var samples: [[UInt8]] = []
      var sawRow = false
      let dateIndex = self.dateIndex
      try records.lookAhead(limit: 1000) {
        sawRow = true
        guard records.fieldCount == fieldCount else { return }
        records.withField(dateIndex) { if !$0.isEmpty { samples.append(Array($0)) } }
      }
      guard sawRow else {
        throw DataError.invalidFile(
          file: file, reason: header == nil ? "empty file (no rows)" : "a header but no data rows")
      }
      if var detection = DateFormat.detect(from: samples) {
        if detection.isAmbiguous {
          // Day and month both fit the first rows: look further, as far as the read buffer
          // holds, for a value above 12 that decides.
          var more: [[UInt8]] = []
          try records.lookAhead(limit: Int.max) {
            guard records.fieldCount == fieldCount else { return }
            records.withField(dateIndex) { if !$0.isEmpty { more.append(Array($0)) } }
          }
          if more.count > samples.count, let wider = DateFormat.detect(from: more) {
            detection = wider
          }
        }
        dateFormat = detection.format
        dateDetection = detection
      } else {
        // No layout fits every sample: take the one that fits most; the misfits then fail (or
        // are skipped) with their line numbers.
        let best = DateFormat.detectable.map { format in
          (format, samples.filter { s in s.withUnsafeBytes { format.parse($0) != nil } }.count)
        }.max { $0.1 < $1.1 }
        guard let best, best.1 > 0 else {
          let example = samples.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
          throw DataError.invalidFile(
            file: file,
            reason: "column '\(Self.name(dateIndex, header))': no date layout fits the first rows "
              + "(e.g. '\(example)'); known: "
              + DateFormat.allCases.map(\.rawValue).joined(separator: ", ")
              + " (see --date-format)")
        }
        dateFormat = best.0
        dateDetection = DateFormat.Detection(
          format: best.0, candidates: [best.0], sampleCount: samples.count)
      }
      dateIsDetected = true
    }
    if let amountIndex = amountIndex ?? lineItemIndices?.price {
      try detectDecimalMark(amountIndex: amountIndex, fieldCount: fieldCount)
    }
  }

  /// Sets ``decimalMark``: given, or detected from up to 1,000 of the first amounts.
  private func detectDecimalMark(amountIndex: Int, fieldCount: Int) throws {
    if let given = format.decimalMark {
      decimalMark = given
      return
    }
    var samples: [[UInt8]] = []
    try records.lookAhead(limit: 1000) {
      guard records.fieldCount == fieldCount else { return }
      records.withField(amountIndex) { if !$0.isEmpty { samples.append(Array($0)) } }
    }
    var conflict: (String, String)? = nil
    guard
      let detection = DecimalMark.detect(
        from: samples, delimiter: format.delimiter, conflict: &conflict)
    else {
      let (point, comma) = conflict ?? ("", "")
      throw DataError.invalidFile(
        file: records.displayName,
        reason: "column '\(columnName(amountIndex))': the first rows show both a decimal point "
          + "('\(point)') and a decimal comma ('\(comma)'); give --decimal-point or "
          + "--decimal-comma")
    }
    decimalMark = detection.mark
    decimalMarkDetection = detection
  }

  /// What an amount should look like, for an error about `value`.
  func expectedAmount(_ value: String) -> String {
    if value.isEmpty, orderIndex == nil {
      return "a number (an export with the amount on an order's first line only needs "
        + "--order-column)"
    }
    let other = decimalMark == .point ? "," : "."
    guard value.contains(other) else { return "a number" }
    let how = format.decimalMark == nil ? "detected" : "given"
    return "a number with a \(decimalMark) (\(how)); use \(decimalMark.otherOption) if "
      + "'\(other)' is the decimal mark"
  }

  private static func name(_ index: Int, _ header: [String]?) -> String {
    header.map { $0[index] } ?? String(index + 1)
  }

  func columnName(_ index: Int) -> String { Self.name(index, header) }

  func reject(_ reason: BadRowReason, _ error: @autoclosure () -> DataError) throws {
    guard format.skipBadRows else { throw error() }
    if let seen = badRows[reason] {
      badRows[reason] = (seen.count + 1, seen.firstLine)
    } else {
      badRows[reason] = (1, records.line)
    }
  }

  /// Reads every remaining row, calling `body(customerID, day, amount, line)` for each valid
  /// order (after the returns policy: ignored returns are not passed on). `customerID` is valid
  /// only during the call. Amount is 0 without an amount column.
  ///
  /// - Parameter progress: called about every 4 MiB with the bytes and rows read so far.
  public func forEachOrder(
    progress: ((_ bytes: Int, _ rows: Int) -> Void)? = nil,
    _ body: (_ customerID: UnsafeRawBufferPointer, _ day: Day, _ amount: Double, _ line: Int) throws
      -> Void
  ) throws {
    try withoutActuallyEscaping(body) { body in
      var sink = ClosureSink(body: body)
      try forEachOrder(into: &sink, progress: progress)
    }
  }

  /// Reads every remaining row into `sink` (see ``forEachOrder(progress:_:)``); the fast path.
  public func forEachOrder<Sink: OrderSink>(
    into sink: inout Sink, progress: ((_ bytes: Int, _ rows: Int) -> Void)? = nil
  ) throws {
    let file = records.displayName
    // The last date field parsed, as zero-padded words (dates are at most 19 bytes).
    var lastDate: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var lastDateCount = -1
    var lastDay = Day(daysSinceEpoch: 0)
    @inline(__always) func words(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64, UInt64) {
      let (p, n) = (bytes.baseAddress!, bytes.count)
      return (
        loadPadded(p, n), n > 8 ? loadPadded(p + 8, n - 8) : 0,
        n > 16 ? loadPadded(p + 16, n - 16) : 0
      )
    }
    var nextProgress = 4 << 20
    let dateFormat = self.dateFormat
    let decimalMark = self.decimalMark
    let (dateIndex, amountIndex, customerIndex) = (
      self.dateIndex, self.amountIndex, self.customerIndex
    )
    let returns = format.returns
    let currentOrder = orderIndex.map {
      OrderState(index: $0, cancelPrefix: format.lines.cancelPrefix)
    }
    let keepDuplicates = format.lines.keepDuplicates
    var rows = self.rows
    defer { self.rows = rows }
    let expected: String
    if format.dateFormat == nil && dateIsDetected {
      if let detection = dateDetection, detection.isAmbiguous, let other = dateFormat.swapped {
        expected =
          "\(dateFormat.rawValue) (assumed: the first \(detection.sampleCount) rows also fit "
          + "\(other.rawValue); use --date-format \(other.rawValue) if that is the layout)"
      } else {
        expected = "\(dateFormat.rawValue) (detected from the first rows; set --date-format)"
      }
    } else {
      expected = dateFormat.rawValue
    }
    while true {
      let more: Bool
      do {
        more = try records.next()
      } catch let error as DataError {
        if case .invalidRow = error {
          rows += 1
          try reject(.quoting, error)
          continue
        }
        throw error
      }
      guard more else { break }
      rows += 1
      if let progress, records.bytesRead >= nextProgress {
        progress(records.bytesRead, rows)
        nextProgress = records.bytesRead + (4 << 20)
      }
      guard records.fieldCount == expectedFields else {
        try reject(
          .fieldCount,
          DataError.invalidRow(
            file: file, line: records.line,
            reason: "expected \(expectedFields) fields, found \(records.fieldCount)"))
        continue
      }
      var continuation = false
      if let currentOrder {
        continuation = records.withField(currentOrder.index) { currentOrder.begin($0) }
        if !keepDuplicates, currentOrder.isDuplicate(records) {
          duplicateLinesDropped += 1
          continue
        }
      }
      // Date (cached: logs are usually sorted, so the same date repeats).
      var day: Day? = nil
      records.withField(dateIndex) { bytes in
        if bytes.count == lastDateCount {
          let w = words(bytes)
          if w == lastDate {
            day = lastDay
            return
          }
        }
        day = dateFormat.parse(bytes)
        if let day, bytes.count <= 24 {
          lastDay = day
          lastDateCount = bytes.count
          lastDate = words(bytes)
        }
      }
      if day == nil, continuation, records.withField(dateIndex, { $0.isEmpty }) {
        day = currentOrder!.day
      }
      guard let day else {
        try reject(
          .date,
          DataError.invalidField(
            file: file, line: records.line, column: columnName(dateIndex),
            value: records.field(dateIndex), expected: expected))
        continue
      }
      if !continuation { currentOrder?.day = day }
      var amount = 0.0
      if let amountIndex, !(continuation && records.withField(amountIndex, { $0.isEmpty })) {
        switch records.withField(amountIndex, { parseAmount($0, mark: decimalMark) }) {
        case .value(let v):
          amount = v
        case .notANumber:
          try reject(
            .amount,
            DataError.invalidField(
              file: file, line: records.line, column: columnName(amountIndex),
              value: records.field(amountIndex),
              expected: expectedAmount(records.field(amountIndex))))
          continue
        case .nonFinite:
          try reject(
            .nonFiniteAmount,
            DataError.invalidField(
              file: file, line: records.line, column: columnName(amountIndex),
              value: records.field(amountIndex), expected: "a finite number"))
          continue
        }
      } else if let (quantity, price) = lineItemIndices {
        guard
          let value = try lineAmount(quantity: quantity, price: price, continuation: continuation)
        else { continue }
        amount = value
      }
      if let currentOrder, currentOrder.isCancellation {
        cancellationLines += 1
        amount = -abs(amount)
        if amount == 0 {  // nothing to net: dropped like an ignored return
          returnsIgnored += 1
          continue
        }
      }
      if amount < 0 {
        switch returns {
        case .ignore:
          returnsIgnored += 1
          continue
        case .net:
          returnsNetted += 1
        case .error:
          try reject(
            .negativeAmount,
            DataError.rejectedValue(
              file: file, line: records.line, column: amountColumnName ?? "",
              value: amountIndex.map { records.field($0) } ?? String(amount),
              reason: "is negative (a return; see --returns ignore|net)"))
          continue
        }
      }
      let empty = records.withField(customerIndex) { $0.isEmpty }
      let line = records.line
      if empty, continuation, let customer = currentOrder!.customer {
        try customer.withUnsafeBytes {
          try sink.add(customerID: $0, day: day, amount: amount, line: line)
        }
        continue
      }
      if empty {
        try reject(
          .emptyCustomerID,
          DataError.rejectedValue(
            file: file, line: records.line, column: columnName(customerIndex), value: "",
            reason: "is empty (every row needs a customer id)"))
        continue
      }
      // Ids that are not UTF-8 would be written with U+FFFD and could then merge: stop here.
      if !records.withField(customerIndex, isUTF8) {
        _ = try records.text(customerIndex, column: columnName(customerIndex))
      }
      if !continuation, let currentOrder {
        currentOrder.customer = records.withField(customerIndex) { Array($0) }
      }
      try records.withField(customerIndex) {
        try sink.add(customerID: $0, day: day, amount: amount, line: line)
      }
    }
    if rows == 0 {
      throw DataError.invalidFile(
        file: file, reason: header == nil ? "empty file (no rows)" : "a header but no data rows")
    }
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether `bytes` are valid UTF-8 (ASCII checked first, without building a String).
@inline(__always)
func isUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
  for byte in bytes where byte >= 0x80 {
    return String(validating: bytes, as: UTF8.self) != nil
  }
  return true
}
