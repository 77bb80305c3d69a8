/// Writes per-customer summaries as CSV in the layouts ``SummaryCSVReader`` reads back.
///
/// Headers: `customer_id,frequency,recency,T[,monetary_value]`, or with holdout statistics
/// `customer_id,frequency_cal,recency_cal,T_cal[,monetary_value_cal],frequency_holdout[,monetary_value_holdout],duration_holdout[,cohort]`
/// (the monetary columns only when amounts were read; cohort only when known). Numbers are
/// written in Swift's shortest round-trip form (`Double.description`): reading them back gives
/// the same doubles. Ids containing a comma, quote or line break are quoted (RFC 4180).
public enum SummaryCSVWriter {
  /// The header fields for `summaries`.
  public static func header(for summaries: CustomerSummaries) -> [String] {
    let money = summaries.hasMonetaryValue
    if summaries.holdout != nil {
      var fields = ["customer_id", "frequency_cal", "recency_cal", "T_cal"]
      if money { fields.append("monetary_value_cal") }
      fields.append("frequency_holdout")
      if money { fields.append("monetary_value_holdout") }
      fields.append("duration_holdout")
      if summaries.cohort(at: 0) != nil { fields.append("cohort") }
      return fields
    }
    if summaries.layout == .donations {
      return ["frequency", "recency", "periods", "weights"]
    }
    return ["customer_id", "frequency", "recency", "T"] + (money ? ["monetary_value"] : [])
  }

  /// Writes `summaries` (header and one line per customer) to `output`; does not commit it.
  ///
  /// Large summaries are formatted in two halves at once (the second on another thread).
  public static func write(_ summaries: CustomerSummaries, to output: AtomicOutput) throws {
    let header = header(for: summaries)
    try output.write(header.joined(separator: ",") + "\n")
    let count = summaries.count
    let half = count >= 200_000 ? count / 2 : count
    final class Bytes: @unchecked Sendable { var bytes: [UInt8] = [] }
    let second = Bytes()
    let background =
      half < count
      ? BackgroundThread {
        second.bytes.reserveCapacity((count - half) * 40)
        format(summaries, header: header, rows: half..<count, into: &second.bytes) { _ in }
      } : nil
    var out: [UInt8] = []
    out.reserveCapacity((1 << 20) + 4096)
    var failure: Error?
    format(summaries, header: header, rows: 0..<half, into: &out) { out in
      guard failure == nil, out.count >= 1 << 20 else { return }
      do { try output.write(bytes: out) } catch { failure = error }
      out.removeAll(keepingCapacity: true)
    }
    background?.join()
    if let failure { throw failure }
    try output.write(bytes: out)
    try output.write(bytes: second.bytes)
  }

  /// Formats the lines of `rows` into `out`, calling `drain` after each line.
  private static func format(
    _ summaries: CustomerSummaries, header: [String], rows range: Range<Int>,
    into out: inout [UInt8],
    drain: (inout [UInt8]) -> Void
  ) {
    let money = summaries.hasMonetaryValue
    let withCohort = header.last == "cohort"
    let donations = summaries.layout == .donations
    // recency and T of order-log summaries are whole days / unit: their text is cached per day
    // count in one arena (offset, length), to spare a float-to-text conversion per field.
    var cache = TimeTextCache(unitDays: summaries.unit.days, enabled: summaries.layout == .orders)
    let rows = summaries.summary.rows
    for index in range {
      let row = rows[index]
      if donations {
        appendInteger(row.frequency, to: &out)
        out.append(44)
        appendNumber(row.recency, to: &out)
        out.append(44)
        appendNumber(row.age, to: &out)
        out.append(44)
        appendNumber(summaries.weights?[index] ?? 1, to: &out)
      } else {
        appendField(row.customerID, to: &out)
        out.append(44)
        appendInteger(row.frequency, to: &out)
        out.append(44)
        cache.append(row.recency, to: &out)
        out.append(44)
        cache.append(row.age, to: &out)
        if money {
          out.append(44)
          appendNumber(row.monetaryValue, to: &out)
        }
        if let holdout = summaries.holdout?[index] {
          out.append(44)
          appendInteger(holdout.frequency, to: &out)
          if money {
            out.append(44)
            appendNumber(holdout.monetaryValue, to: &out)
          }
          out.append(44)
          cache.append(holdout.duration, to: &out)
          if withCohort, let cohort = summaries.cohort(at: index) {
            out.append(44)
            appendField(cohort, to: &out)
          }
        }
      }
      out.append(10)
      drain(&out)
    }
  }

  /// Appends a text field, quoted (RFC 4180) when it holds a comma, quote or line break.
  static func appendField(_ text: String, to out: inout [UInt8]) {
    var text = text
    text.withUTF8 { bytes in
      var special = false
      for b in bytes where b == 44 || b == 34 || b == 10 || b == 13 {
        special = true
        break
      }
      guard special else {
        out.append(contentsOf: bytes)
        return
      }
      out.append(34)
      for b in bytes {
        if b == 34 { out.append(34) }
        out.append(b)
      }
      out.append(34)
    }
  }

  static func appendInteger(_ value: Int, to out: inout [UInt8]) {
    if value < 0 { out.append(45) }
    var magnitude = value.magnitude
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: enough for 20 digits
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
      repeat {
        buffer[23 - count] = UInt8(48 + magnitude % 10)
        magnitude /= 10
        count += 1
      } while magnitude > 0
      out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
    }
  }

  static func appendNumber(_ value: Double, to out: inout [UInt8]) {
    if abs(value) < 1e15 {
      let whole = Int(value)  // toward zero, no libm call
      if Double(whole) == value {
        appendInteger(whole, to: &out)
        return
      }
      // Money-like values: the fewest decimals k ≤ 4 such that n / 10^k reads back as `value`
      // (n and 10^k exact doubles, one correctly rounded division: Clinger's fast path, as in
      // the reader) are written as n with a decimal point: a round-trip form without the cost
      // of the general shortest-digits conversion.
      if abs(value) >= 1e-3, abs(value) < 1e11 {
        var scale = 10.0
        for k in 1...4 {
          let scaled = value * scale
          let n = Int(scaled + (scaled < 0 ? -0.5 : 0.5))
          if Double(n) / scale == value {
            appendDecimal(n, decimals: k, to: &out)
            return
          }
          scale *= 10
        }
      }
    }
    var text = format(value)
    text.withUTF8 { out.append(contentsOf: $0) }
  }

  /// Appends n / 10^decimals in fixed point (e.g. 22345, 3 → 22.345), without trailing zeros.
  private static func appendDecimal(_ n: Int, decimals: Int, to out: inout [UInt8]) {
    var n = n
    var decimals = decimals
    while decimals > 0, n % 10 == 0 {
      n /= 10
      decimals -= 1
    }
    if n < 0 { out.append(45) }
    let magnitude = n.magnitude
    var divisor: UInt = 1
    for _ in 0..<decimals { divisor *= 10 }
    appendInteger(Int(magnitude / divisor), to: &out)
    if decimals > 0 {
      out.append(46)
      var fraction = magnitude % divisor
      let start = out.count
      for _ in 0..<decimals { out.append(48) }
      var i = start + decimals - 1
      while fraction > 0 {
        out[i] = UInt8(48 + fraction % 10)
        fraction /= 10
        i -= 1
      }
    }
  }

  /// Text of `days / unit` values, cached by day count.
  private struct TimeTextCache {
    let unitDays: Double
    let enabled: Bool
    var spans = [Int32](repeating: -1, count: 1 << 16)
    var lengths = [UInt8](repeating: 0, count: 1 << 16)
    var arena: [UInt8] = []

    init(unitDays: Double, enabled: Bool) {
      self.unitDays = unitDays
      self.enabled = enabled
    }

    mutating func append(_ value: Double, to out: inout [UInt8]) {
      let days = value * unitDays
      guard enabled, days >= 0, days < Double(spans.count) else {
        appendNumber(value, to: &out)
        return
      }
      let key = Int(days + 0.5)
      guard Double(key) / unitDays == value else {
        appendNumber(value, to: &out)
        return
      }
      if spans[key] < 0 {
        let start = arena.count
        appendNumber(value, to: &arena)
        spans[key] = Int32(start)
        lengths[key] = UInt8(arena.count - start)
      }
      let start = Int(spans[key])
      let end = start + Int(lengths[key])
      arena.withUnsafeBufferPointer {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end]))
      }
    }
  }

  /// A double in shortest round-trip form; whole numbers without a trailing `.0`.
  public static func format(_ value: Double) -> String {
    precondition(value.isFinite, "summaries are checked finite before writing")
    if value == value.rounded(), abs(value) < 1e15 {
      return String(Int64(value))
    }
    return value.description
  }
}
