#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension OrdersCSVReader {
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
    // Dates parsed once per distinct text: a log sorted by date repeats one date, a log
    // sorted by customer cycles through the few hundred days of its period.
    var dates = FieldMemo<Day>(placeholder: Day(daysSinceEpoch: 0))
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
      var day: Day? = records.withField(dateIndex) { bytes in
        dates.value(of: bytes) { dateFormat.parse($0) }
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

/// Whether `bytes` are valid UTF-8 (ASCII checked first, without building a String).
@inline(__always)
func isUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
  for byte in bytes where byte >= 0x80 {
    return String(validating: bytes, as: UTF8.self) != nil
  }
  return true
}

/// Adapts a closure to ``OrderSink`` (``OrdersCSVReader/forEachOrder(progress:_:)``).
private struct ClosureSink: OrderSink {
  let body: (UnsafeRawBufferPointer, Day, Double, Int) throws -> Void
  func add(customerID: UnsafeRawBufferPointer, day: Day, amount: Double, line: Int) throws {
    try body(customerID, day, amount, line)
  }
}
