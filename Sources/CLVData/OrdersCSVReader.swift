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
  public internal(set) var dateFormat: DateFormat
  /// The detection outcome when the layout was detected.
  public internal(set) var dateDetection: DateFormat.Detection?
  /// Whether an amount column is read.
  public var hasAmounts: Bool { amountIndex != nil || lineItemIndices != nil }
  /// The decimal mark of amounts in use (given, or detected).
  public internal(set) var decimalMark = DecimalMark.point
  /// The detection outcome when the decimal mark was detected.
  public internal(set) var decimalMarkDetection: DecimalMark.Detection?
  /// Display name of the amount column, if any.
  public var amountColumnName: String? {
    if let (quantity, price) = lineItemIndices {
      return "\(columnName(quantity)) × \(columnName(price))"
    }
    return amountIndex.map(columnName)
  }

  /// Data rows seen (blank lines and the header excluded).
  public internal(set) var rows = 0
  /// Rows skipped per reason (only with `skipBadRows`), and the first such line.
  public internal(set) var badRows: [BadRowReason: (count: Int, firstLine: Int)] = [:]
  /// Negative-amount rows dropped under ``ReturnsPolicy/ignore``.
  public internal(set) var returnsIgnored = 0
  /// Negative-amount rows netted under ``ReturnsPolicy/net``.
  public internal(set) var returnsNetted = 0
  /// Exact duplicate lines of an order dropped (see ``OrderLines/orderColumn``).
  public internal(set) var duplicateLinesDropped = 0
  /// Lines of cancelled orders (see ``OrderLines/cancelPrefix``), handled as returns.
  public internal(set) var cancellationLines = 0

  let records: DelimitedRecordReader
  let expectedFields: Int
  let customerIndex: Int
  let dateIndex: Int
  let amountIndex: Int?
  let orderIndex: Int?
  let lineItemIndices: (quantity: Int, price: Int)?
  var dateIsDetected: Bool

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
}
