/// Byte-level text of numbers and CSV fields for the CSV writers (summaries, scores): a million
/// rows must not build a String per field.
///
/// One number format for every file clvkit writes (summaries, scores, lists): Swift's shortest
/// round-trip form (`value.description`, so reading a value back gives the same double), with
/// whole numbers below 10¹⁵ written without the `.0` (`0`, `3`, `2.5`, `0.1`, `1e-05`).
/// ``appendCompact(_:to:)`` writes the bytes, ``string(_:)`` the text.
public enum NumberText {
  /// The most bytes ``appendCompact(_:to:)`` writes (`-1.2345678901234567e-308` is 24; the
  /// fixed-point path writes at most 48 before its own checks, see
  /// `writeShortestDecimal`).
  static let compactLimit = 48
  /// The most bytes ``appendInteger(_:to:)`` writes (`-9223372036854775808`).
  static let integerLimit = 20

  /// Appends the decimal digits of `value`.
  public static func appendInteger(_ value: Int, to out: inout [UInt8]) {
    out.appendWritten(upTo: integerLimit) { writeInteger(value, to: $0) }
  }

  /// Appends the decimal digits of `value`.
  public static func appendInteger(_ value: Int, to out: inout ByteWriter) {
    out.write(upTo: integerLimit) { writeInteger(value, to: $0) }
  }

  /// Writes the decimal digits of `value` at `out`; returns their count (at most 20).
  static func writeInteger(_ value: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
    var magnitude = value.magnitude
    var count = 1
    var scan = magnitude
    while scan >= 10 {
      scan /= 10
      count += 1
    }
    var position = out
    if value < 0 {
      position.pointee = 45
      position += 1
    }
    var i = count - 1
    repeat {
      position[i] = UInt8(48 + magnitude % 10)
      magnitude /= 10
      i -= 1
    } while i >= 0
    return count + (value < 0 ? 1 : 0)
  }

  /// Appends `value` in shortest round-trip form, whole numbers below 10¹⁵ without `.0`
  /// (`3`, `2.5`; `-0.0` as `0`). `NumberTextConsistencyTests` checks the bytes against
  /// `description` on random values.
  public static func appendCompact(_ value: Double, to out: inout [UInt8]) {
    out.appendWritten(upTo: compactLimit) { writeCompact(value, to: $0) }
  }

  /// Appends `value` as `appendCompact(_:to:)` does.
  public static func appendCompact(_ value: Double, to out: inout ByteWriter) {
    out.write(upTo: compactLimit) { writeCompact(value, to: $0) }
  }

  /// Writes `value` as `appendCompact(_:to:)` appends it, at `out` (room for
  /// ``compactLimit`` bytes); returns the length.
  static func writeCompact(_ value: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
    if abs(value) < 1e15 {
      let whole = Int(value)  // toward zero, no libm call
      if Double(whole) == value { return writeInteger(whole, to: out) }
      var written = writeShortDecimal(value, to: out)
      if written > 0 { return written }
      written = writeShortestDecimal(value, to: out)
      if written > 0 { return written }
    }
    return writeShortest(value, to: out)
  }

  /// `value` as `appendCompact(_:to:)` writes it.
  public static func string(_ value: Double) -> String {
    var bytes: [UInt8] = []
    appendCompact(value, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// ``writeShortestDecimal(_:to:)`` appended to an array; false when it leaves the value to
  /// `description` (nothing appended). For tests.
  static func appendShortestDecimal(_ value: Double, to out: inout [UInt8]) -> Bool {
    var decided = false
    out.appendWritten(upTo: compactLimit) {
      let written = writeShortestDecimal(value, to: $0)
      decided = written > 0
      return written
    }
    return decided
  }

  /// Money-like values: the fewest decimals k ≤ 4 such that n / 10^k reads back as `value`
  /// (n and 10^k exact doubles, one correctly rounded division: Clinger's fast path, as in the
  /// reader) are written as n with a decimal point: the shortest round-trip form, without the
  /// cost of the general shortest-digits conversion. Returns the length, 0 (nothing written)
  /// otherwise.
  private static func writeShortDecimal(
    _ value: Double, to out: UnsafeMutablePointer<UInt8>
  )
    -> Int
  {
    guard abs(value) >= 1e-3, abs(value) < 1e11 else { return 0 }
    // A value n / 10^k (k ≤ 4) times 10⁴ is a whole number up to a relative rounding of about
    // 2⁻⁵²; anything farther from one (most model outputs) cannot pass the loop below.
    let scaled4 = value * 10_000
    // The nearest whole number by conversion (|scaled4| < 10¹⁵), not libm's round: the two
    // differ only at a fraction of about ½, which fails the test either way.
    let nearest = Double(Int64(scaled4 + (scaled4 < 0 ? -0.5 : 0.5)))
    guard abs(scaled4 - nearest) <= 1e-9 * abs(scaled4) else { return 0 }
    var scale = 10.0
    for k in 1...4 {
      let scaled = value * scale
      let n = Int(scaled + (scaled < 0 ? -0.5 : 0.5))
      if Double(n) / scale == value { return writeDecimal(n, decimals: k, to: out) }
      scale *= 10
    }
    return 0
  }

  /// Writes n / 10^decimals in fixed point (e.g. 22345, 3 → 22.345), without trailing zeros;
  /// returns the length.
  private static func writeDecimal(
    _ n: Int, decimals: Int, to out: UnsafeMutablePointer<UInt8>
  )
    -> Int
  {
    var n = n
    var decimals = decimals
    while decimals > 0, n % 10 == 0 {
      n /= 10
      decimals -= 1
    }
    var position = out
    if n < 0 {
      position.pointee = 45
      position += 1
    }
    let magnitude = n.magnitude
    var divisor: UInt = 1
    for _ in 0..<decimals { divisor *= 10 }
    position += writeInteger(Int(magnitude / divisor), to: position)
    if decimals > 0 {
      position.pointee = 46
      var fraction = magnitude % divisor
      var i = decimals
      while i > 0 {
        position[i] = UInt8(48 + fraction % 10)
        fraction /= 10
        i -= 1
      }
      position += decimals + 1
    }
    return position - out
  }

  /// Writes the UTF-8 of `value.description` (at most 24 bytes); returns the length.
  private static func writeShortest(_ value: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
    var text = value.description
    return text.withUTF8 { bytes in
      let count = min(bytes.count, compactLimit)
      out.update(from: bytes.baseAddress!, count: count)
      return count
    }
  }

  /// Appends a text field, quoted (RFC 4180) when it holds a comma, quote or line break, or
  /// starts or ends with a space or tab (which the reader trims from unquoted fields): the one
  /// quoting writer of every CSV file clvkit writes, so that ``DelimitedRecordReader`` reads
  /// back exactly the text written.
  public static func appendField(_ text: String, to out: inout [UInt8]) {
    var text = text
    text.withUTF8 { bytes in
      out.appendWritten(upTo: 2 * bytes.count + 2) { writeField(bytes, to: $0) }
    }
  }

  /// Appends a text field as `appendField(_:to:)` does.
  public static func appendField(_ text: String, to out: inout ByteWriter) {
    var text = text
    text.withUTF8 { bytes in
      out.write(upTo: 2 * bytes.count + 2) { writeField(bytes, to: $0) }
    }
  }

  /// Writes the field `bytes`, quoted when needed, at `out` (room for 2 · count + 2 bytes);
  /// returns the length.
  private static func writeField(
    _ bytes: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<UInt8>
  ) -> Int {
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
      if let source = bytes.baseAddress { out.update(from: source, count: bytes.count) }
      return bytes.count
    }
    var position = out
    position.pointee = 34
    position += 1
    for b in bytes {
      if b == 34 {
        position.pointee = 34
        position += 1
      }
      position.pointee = b
      position += 1
    }
    position.pointee = 34
    return position - out + 1
  }

  /// `appendCompact(_:to:)` through a direct-mapped cache of recent values (by
  /// bit pattern): model outputs repeat wherever customers share a history (every one-time
  /// buyer of one age has the same expected purchases), and copying a cached text is cheaper
  /// than formatting the value again. A miss formats the value and replaces the slot's entry.
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

    /// Appends `value` as `NumberText.appendCompact(_:to:)` does.
    public mutating func append(_ value: Double, to out: inout ByteWriter) {
      let bits = value.bitPattern
      // Fibonacci hashing: the top bits of bits · 2⁶⁴/φ.
      let slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> (64 - Self.slotBits))
      let offset = slot * Self.width
      let length = Int(lengths[slot])
      if length > 0, keys[slot] == bits {
        texts.withUnsafeBufferPointer { out.append($0.baseAddress! + offset, count: length) }
        return
      }
      var written = 0
      texts.withUnsafeMutableBufferPointer { texts in
        out.write(upTo: compactLimit) { target in
          written = writeCompact(value, to: target)
          if written <= Self.width {
            (texts.baseAddress! + offset).update(from: target, count: written)
          }
          return written
        }
      }
      guard written <= Self.width else { return }
      keys[slot] = bits
      lengths[slot] = UInt8(written)
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

    public mutating func append(_ value: Double, to out: inout ByteWriter) {
      let days = value * unitDays
      guard enabled, days >= 0, days < Double(spans.count), !(value == 0 && value.sign == .minus)
      else {
        NumberText.appendCompact(value, to: &out)
        return
      }
      let key = Int(days + 0.5)
      guard Double(key) / unitDays == value else {
        NumberText.appendCompact(value, to: &out)
        return
      }
      if spans[key] < 0 {
        let start = arena.count
        NumberText.appendCompact(value, to: &arena)
        spans[key] = Int32(start)
        lengths[key] = UInt8(arena.count - start)
      }
      let start = Int(spans[key])
      let length = Int(lengths[key])
      arena.withUnsafeBufferPointer { out.append($0.baseAddress! + start, count: length) }
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
