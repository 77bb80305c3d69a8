/// The date layouts accepted in order logs. Times of day are dropped: purchases are counted per
/// calendar day.
public enum DateFormat: String, CaseIterable, Sendable, CustomStringConvertible {
  case isoDate = "yyyy-MM-dd"
  /// `yyyy-MM-dd HH:mm:ss`; a `T` between date and time is accepted too (ISO 8601).
  case isoDateTime = "yyyy-MM-dd HH:mm:ss"
  case compact = "yyyyMMdd"
  case dayMonthYear = "dd/MM/yyyy"
  case monthDayYear = "MM/dd/yyyy"
  case dotted = "dd.MM.yyyy"

  public var description: String { rawValue }

  /// Parses one date field given as bytes (no surrounding spaces), or nil when it does not match
  /// this layout or names a day that does not exist.
  public func parse(_ bytes: UnsafeRawBufferPointer) -> Day? {
    func digits(_ start: Int, _ count: Int) -> Int? {
      var value = 0
      for i in start..<(start + count) {
        let d = Int(bytes[i]) &- 48
        guard d >= 0, d <= 9 else { return nil }
        value = value * 10 + d
      }
      return value
    }
    func separated(_ separator: UInt8, _ positions: Int...) -> Bool {
      positions.allSatisfy { bytes[$0] == separator }
    }
    let y: Int?
    let m: Int?
    let d: Int?
    switch self {
    case .isoDate:
      guard bytes.count == 10, separated(UInt8(ascii: "-"), 4, 7) else { return nil }
      (y, m, d) = (digits(0, 4), digits(5, 2), digits(8, 2))
    case .isoDateTime:
      guard bytes.count == 19, separated(UInt8(ascii: "-"), 4, 7),
        separated(UInt8(ascii: ":"), 13, 16),
        bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"),
        let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
        hour < 24, minute < 60, second <= 60
      else { return nil }
      (y, m, d) = (digits(0, 4), digits(5, 2), digits(8, 2))
    case .compact:
      guard bytes.count == 8 else { return nil }
      (y, m, d) = (digits(0, 4), digits(4, 2), digits(6, 2))
    case .dayMonthYear:
      guard bytes.count == 10, separated(UInt8(ascii: "/"), 2, 5) else { return nil }
      (d, m, y) = (digits(0, 2), digits(3, 2), digits(6, 4))
    case .monthDayYear:
      guard bytes.count == 10, separated(UInt8(ascii: "/"), 2, 5) else { return nil }
      (m, d, y) = (digits(0, 2), digits(3, 2), digits(6, 4))
    case .dotted:
      guard bytes.count == 10, separated(UInt8(ascii: "."), 2, 5) else { return nil }
      (d, m, y) = (digits(0, 2), digits(3, 2), digits(6, 4))
    }
    guard let y, let m, let d else { return nil }
    return Day(year: y, month: m, day: d)
  }

  /// Parses a date given as text (see ``parse(_:)-(UnsafeRawBufferPointer)``).
  public func parse(_ text: String) -> Day? {
    var text = text
    return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
  }

  /// The outcome of ``detect(from:)``.
  public struct Detection: Equatable, Sendable {
    /// The layout chosen.
    public var format: DateFormat
    /// Every layout that parses all the samples (the chosen one first). More than one means the
    /// choice was ambiguous: the caller should say so.
    public var candidates: [DateFormat]
    /// Number of date values examined.
    public var sampleCount: Int

    public var isAmbiguous: Bool { candidates.count > 1 }
  }

  /// Picks the layout that parses every sample date.
  ///
  /// When several do (only `dd/MM/yyyy` and `MM/dd/yyyy` can, when every day of the month in the
  /// samples is at most 12), `MM/dd/yyyy` is chosen, as pandas does by default
  /// (`dayfirst=False`), and ``Detection/candidates`` lists both.
  ///
  /// - Returns: nil when no layout parses all samples, or there are no samples.
  public static func detect(from samples: [[UInt8]]) -> Detection? {
    guard !samples.isEmpty else { return nil }
    let preference: [DateFormat] = [
      .isoDate, .isoDateTime, .compact, .monthDayYear, .dayMonthYear, .dotted,
    ]
    let candidates = preference.filter { format in
      samples.allSatisfy { sample in sample.withUnsafeBytes { format.parse($0) != nil } }
    }
    guard let first = candidates.first else { return nil }
    return Detection(format: first, candidates: candidates, sampleCount: samples.count)
  }
}
