/// Byte-level text of numbers and CSV fields for the CSV writers (summaries, scores): a million
/// rows must not build a String per field.
///
/// One number format for every file clvkit writes (summaries, scores, lists): Swift's shortest
/// round-trip form (`value.description`, so reading a value back gives the same double), with
/// whole numbers below 10¹⁵ written without the `.0` (`0`, `3`, `2.5`, `0.1`, `1e-05`).
/// ``appendCompact(_:to:)`` writes the bytes, ``string(_:)`` the text.
public enum NumberText {
  /// Appends the decimal digits of `value`.
  public static func appendInteger(_ value: Int, to out: inout [UInt8]) {
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

  /// Appends `value` in shortest round-trip form, whole numbers below 10¹⁵ without `.0`
  /// (`3`, `2.5`; `-0.0` as `0`). `NumberTextConsistencyTests` checks the bytes against
  /// `description` on random values.
  public static func appendCompact(_ value: Double, to out: inout [UInt8]) {
    if abs(value) < 1e15 {
      let whole = Int(value)  // toward zero, no libm call
      if Double(whole) == value {
        appendInteger(whole, to: &out)
        return
      }
      if appendShortDecimal(value, to: &out) { return }
      if appendShortestDecimal(value, to: &out) { return }
    }
    appendShortest(value, to: &out)
  }

  /// `value` as ``appendCompact(_:to:)`` writes it.
  public static func string(_ value: Double) -> String {
    var bytes: [UInt8] = []
    appendCompact(value, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Money-like values: the fewest decimals k ≤ 4 such that n / 10^k reads back as `value`
  /// (n and 10^k exact doubles, one correctly rounded division: Clinger's fast path, as in the
  /// reader) are written as n with a decimal point: the shortest round-trip form, without the
  /// cost of the general shortest-digits conversion. False (nothing written) otherwise.
  private static func appendShortDecimal(_ value: Double, to out: inout [UInt8]) -> Bool {
    guard abs(value) >= 1e-3, abs(value) < 1e11 else { return false }
    // A value n / 10^k (k ≤ 4) times 10⁴ is a whole number up to a relative rounding of about
    // 2⁻⁵²; anything farther from one (most model outputs) cannot pass the loop below.
    let scaled4 = value * 10_000
    // The nearest whole number by conversion (|scaled4| < 10¹⁵), not libm's round: the two
    // differ only at a fraction of about ½, which fails the test either way.
    let nearest = Double(Int64(scaled4 + (scaled4 < 0 ? -0.5 : 0.5)))
    guard abs(scaled4 - nearest) <= 1e-9 * abs(scaled4) else { return false }
    var scale = 10.0
    for k in 1...4 {
      let scaled = value * scale
      let n = Int(scaled + (scaled < 0 ? -0.5 : 0.5))
      if Double(n) / scale == value {
        appendDecimal(n, decimals: k, to: &out)
        return true
      }
      scale *= 10
    }
    return false
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

  /// The UTF-8 of `value.description`.
  private static func appendShortest(_ value: Double, to out: inout [UInt8]) {
    var text = value.description
    text.withUTF8 { out.append(contentsOf: $0) }
  }

  /// Appends a text field, quoted (RFC 4180) when it holds a comma, quote or line break, or
  /// starts or ends with a space or tab (which the reader trims from unquoted fields): the one
  /// quoting writer of every CSV file clvkit writes, so that ``DelimitedRecordReader`` reads
  /// back exactly the text written.
  public static func appendField(_ text: String, to out: inout [UInt8]) {
    var text = text
    text.withUTF8 { bytes in
      var special = false
      for b in bytes where b == 44 || b == 34 || b == 10 || b == 13 {
        special = true
        break
      }
      if let first = bytes.first, let last = bytes.last,
        first == 32 || first == 9 || last == 32 || last == 9
      {
        special = true
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

  /// ``appendCompact(_:to:)`` through a direct-mapped cache of recent values (by bit
  /// pattern): model outputs repeat wherever customers share a history (every one-time buyer
  /// of one age has the same expected purchases), and copying a cached text is cheaper than
  /// formatting the value again. A miss formats the value and replaces the slot's entry.
  public struct CompactTextCache {
    private static let slotBits = 14
    private static let width = 24  // the longest compact text: -1.2345678901234567e-308
    private var keys: [UInt64]
    private var lengths: [UInt8]
    private var texts: [UInt8]

    public init() {
      keys = [UInt64](repeating: 0, count: 1 << Self.slotBits)
      lengths = [UInt8](repeating: 0, count: 1 << Self.slotBits)  // 0: empty slot
      texts = [UInt8](repeating: 0, count: (1 << Self.slotBits) * Self.width)
    }

    /// Appends `value` as ``NumberText/appendCompact(_:to:)`` does.
    public mutating func append(_ value: Double, to out: inout [UInt8]) {
      let bits = value.bitPattern
      // Fibonacci hashing: the top bits of bits · 2⁶⁴/φ.
      let slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> (64 - Self.slotBits))
      let offset = slot * Self.width
      let length = Int(lengths[slot])
      if length > 0, keys[slot] == bits {
        texts.withUnsafeBufferPointer {
          out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[offset..<(offset + length)]))
        }
        return
      }
      let start = out.count
      NumberText.appendCompact(value, to: &out)
      let written = out.count - start
      guard written <= Self.width else { return }
      keys[slot] = bits
      lengths[slot] = UInt8(written)
      out.withUnsafeBufferPointer { source in
        texts.withUnsafeMutableBufferPointer { target in
          (target.baseAddress! + offset).update(from: source.baseAddress! + start, count: written)
        }
      }
    }
  }

  /// Text of `days / unit` values (recency, T), cached by whole day count: an order log's times
  /// are whole days divided by the unit's length, so a file has a few thousand distinct values.
  /// Values that are not `days / unitDays` exactly are formatted directly.
  public struct TimeTextCache {
    let unitDays: Double
    let enabled: Bool
    var spans = [Int32](repeating: -1, count: 1 << 16)
    var lengths = [UInt8](repeating: 0, count: 1 << 16)
    var arena: [UInt8] = []

    /// - Parameter enabled: false formats every value directly (times not from whole days).
    public init(unitDays: Double, enabled: Bool) {
      self.unitDays = unitDays
      self.enabled = enabled
    }

    private func format(_ value: Double, to out: inout [UInt8]) {
      NumberText.appendCompact(value, to: &out)
    }

    public mutating func append(_ value: Double, to out: inout [UInt8]) {
      let days = value * unitDays
      guard enabled, days >= 0, days < Double(spans.count), !(value == 0 && value.sign == .minus)
      else {
        format(value, to: &out)
        return
      }
      let key = Int(days + 0.5)
      guard Double(key) / unitDays == value else {
        format(value, to: &out)
        return
      }
      if spans[key] < 0 {
        let start = arena.count
        format(value, to: &arena)
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
}

/// Spreadsheet formula injection ("CSV injection", OWASP): a cell that starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return may be run as a formula when a person opens the CSV
/// file in a spreadsheet.
///
/// - Source: OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection):
///   the characters, and prefixing such a cell with a single quote.
public enum CSVFormula {
  /// Whether `text` starts with a character a spreadsheet may read as the start of a formula.
  public static func isFormulaLike(_ text: String) -> Bool {
    guard let first = text.utf8.first else { return false }
    return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
      || first == UInt8(ascii: "@") || first == 9 || first == 13
  }

  /// `text` with a `'` in front when it is formula-like (a spreadsheet then shows it as text),
  /// else unchanged.
  public static func neutralized(_ text: String) -> String {
    isFormulaLike(text) ? "'" + text : text
  }

  /// The one-line warning for an output with `count` formula-like ids (nil when none), naming
  /// the file and the first such id.
  public static func warning(file: String, count: Int, example: String?) -> String? {
    guard count > 0, let example else { return nil }
    return "\(file): \(count) customer id(s) start with =, +, -, @, a tab or a carriage return "
      + "(e.g. '\(DataError.shown(example))'): a spreadsheet may run them as formulas (OWASP "
      + "CSV injection)"
  }
}
