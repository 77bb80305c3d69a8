/// Byte-level text of numbers and CSV fields for the CSV writers (summaries, scores): a million
/// rows must not build a String per field.
///
/// Doubles are written in Swift's shortest round-trip form, so reading them back gives the same
/// doubles: ``appendDescription(_:to:)`` writes exactly the bytes of `value.description`
/// (`1.0`, `0.1`, `1e-05`); ``appendCompact(_:to:)`` writes whole numbers without the `.0`.
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

  /// Appends the bytes of `value.description` (shortest round-trip form; `1.0` for one).
  ///
  /// Whole numbers below 10¹⁵ take an integer fast path (`"\(Int(value)).0"`, as `description`
  /// writes them); other values are copied from `description`'s UTF-8.
  /// `NumberTextConsistencyTests` checks the bytes against `description` on random values.
  public static func appendDescription(_ value: Double, to out: inout [UInt8]) {
    if value == value.rounded(), abs(value) < 1e15, !(value == 0 && value.sign == .minus) {
      appendInteger(Int(value), to: &out)
      out.append(46)  // "."
      out.append(48)  // "0"
      return
    }
    appendShortest(value, to: &out)
  }

  /// Appends `value` in shortest round-trip form, whole numbers below 10¹⁵ without `.0`
  /// (the summary CSV's form: `3`, `2.5`).
  public static func appendCompact(_ value: Double, to out: inout [UInt8]) {
    if value == value.rounded(), abs(value) < 1e15 {
      appendInteger(Int(value), to: &out)
      return
    }
    appendShortest(value, to: &out)
  }

  /// The UTF-8 of `value.description`.
  private static func appendShortest(_ value: Double, to out: inout [UInt8]) {
    var text = value.description
    text.withUTF8 { out.append(contentsOf: $0) }
  }

  /// Appends a text field, quoted (RFC 4180) when it holds a comma, quote or line break.
  public static func appendField(_ text: String, to out: inout [UInt8]) {
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

  /// Text of `days / unit` values (recency, T), cached by whole day count: an order log's times
  /// are whole days divided by the unit's length, so a file has a few thousand distinct values.
  /// Values that are not `days / unitDays` exactly are formatted directly.
  public struct TimeTextCache {
    public enum Style { case description, compact }
    let unitDays: Double
    let enabled: Bool
    let style: Style
    var spans = [Int32](repeating: -1, count: 1 << 16)
    var lengths = [UInt8](repeating: 0, count: 1 << 16)
    var arena: [UInt8] = []

    /// - Parameter enabled: false formats every value directly (times not from whole days).
    public init(unitDays: Double, enabled: Bool, style: Style) {
      self.unitDays = unitDays
      self.enabled = enabled
      self.style = style
    }

    private func format(_ value: Double, to out: inout [UInt8]) {
      switch style {
      case .description: NumberText.appendDescription(value, to: &out)
      case .compact: NumberText.appendCompact(value, to: &out)
      }
    }

    public mutating func append(_ value: Double, to out: inout [UInt8]) {
      let days = (value * unitDays).rounded()
      guard enabled, days >= 0, days < Double(spans.count), days / unitDays == value,
        !(value == 0 && value.sign == .minus)
      else {
        format(value, to: &out)
        return
      }
      let key = Int(days)
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
