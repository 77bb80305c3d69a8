/// The date layouts accepted in order logs.
///
/// Every calendar layout also accepts a time of day after the date, as exports write them
/// (see ``parse(_:)-(UnsafeRawBufferPointer)``): purchases are counted per calendar day, so the
/// time is checked and dropped. The day is the calendar date **as written**: an offset such as
/// `+01:00` or `Z` is accepted but not converted (an order at `2023-01-15T23:30:00-05:00` is on
/// 2023-01-15, the shop's local day). Only the epoch layouts, which have no written date, take
/// the UTC day.
public enum DateFormat: String, CaseIterable, Sendable, CustomStringConvertible {
  /// `yyyy-MM-dd`, optionally followed by a time (`2023-01-15T10:32:11Z`).
  case isoDate = "yyyy-MM-dd"
  /// The same as ``isoDate`` (kept as a name for `--date-format`).
  case isoDateTime = "yyyy-MM-dd HH:mm:ss"
  /// `yyyy/MM/dd` (month and day may have one digit).
  case slashedISO = "yyyy/MM/dd"
  /// `yyyyMMdd`, eight digits.
  case compact = "yyyyMMdd"
  /// `dd/MM/yyyy`; day and month may have one digit (`1/12/2010`).
  case dayMonthYear = "dd/MM/yyyy"
  /// `MM/dd/yyyy`; month and day may have one digit (`12/1/2010 8:26`).
  case monthDayYear = "MM/dd/yyyy"
  /// `dd.MM.yyyy`; day and month may have one digit.
  case dotted = "dd.MM.yyyy"
  /// Day, English month name or abbreviation, year, separated by `-`, `/` or spaces:
  /// `01-Dec-2010`, `1 December 2010`.
  case dayMonthNameYear = "dd-MMM-yyyy"
  /// English month name or abbreviation, day, comma optional, year: `Dec 1, 2010`.
  case monthNameDayYear = "MMM d, yyyy"
  /// Unix time in seconds (fractions allowed); the UTC day.
  case epoch = "epoch"
  /// Unix time in milliseconds; the UTC day.
  case epochMilliseconds = "epoch-ms"

  public var description: String { rawValue }

  /// Parses a date given as text (see ``parse(_:)-(UnsafeRawBufferPointer)``).
  public func parse(_ text: String) -> Day? {
    var text = text
    return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
  }

  /// The layouts that automatic detection tries, in order of preference. Epoch layouts are
  /// never detected (a column of integers is too easily something else): give them explicitly.
  public static let detectable: [DateFormat] = [
    .isoDate, .slashedISO, .compact, .monthDayYear, .dayMonthYear, .dotted,
    .dayMonthNameYear, .monthNameDayYear,
  ]

  /// For a layout that detection could confuse with another one (day and month swapped), that
  /// other layout.
  public var swapped: DateFormat? {
    switch self {
    case .dayMonthYear: return .monthDayYear
    case .monthDayYear: return .dayMonthYear
    default: return nil
    }
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

    public init(format: DateFormat, candidates: [DateFormat], sampleCount: Int) {
      self.format = format
      self.candidates = candidates
      self.sampleCount = sampleCount
    }

    public var isAmbiguous: Bool { candidates.count > 1 }
  }

  /// Picks the layout that parses every sample date.
  ///
  /// When several do (only `dd/MM/yyyy` and `MM/dd/yyyy` can, when every day of the month in the
  /// samples is at most 12), `MM/dd/yyyy` is chosen, as pandas does by default
  /// (`dayfirst=False`), and ``Detection/candidates`` lists both. A single value above 12 in the
  /// first or second position decides.
  ///
  /// - Returns: nil when no layout parses all samples, or there are no samples.
  public static func detect(from samples: [[UInt8]]) -> Detection? {
    guard !samples.isEmpty else { return nil }
    let candidates = detectable.filter { format in
      samples.allSatisfy { sample in sample.withUnsafeBytes { format.parse($0) != nil } }
    }
    guard let first = candidates.first else { return nil }
    return Detection(format: first, candidates: candidates, sampleCount: samples.count)
  }
}
