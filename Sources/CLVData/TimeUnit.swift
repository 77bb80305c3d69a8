/// The model time unit. Time is measured continuously between calendar days:
/// `t = days / TimeUnit.days` (not calendar-week bins).
///
/// - Source: the CDNOW summaries of Fader, Hardie & Lee (2005a) use weeks = days / 7;
///   lifetimes reproduces them with `freq='D', freq_multiplier=7`.
public enum TimeUnit: String, CaseIterable, Codable, Sendable {
  case day, week, month

  /// Days per unit: 1, 7, or 365.25 / 12.
  public var days: Double {
    switch self {
    case .day: return 1
    case .week: return 7
    case .month: return 365.25 / 12
    }
  }

  /// Decodes `day`, `week` or `month`; any other text fails naming it
  /// (`unit 'fortnight' is not a time unit (day, week, month)`).
  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let unit = TimeUnit(rawValue: text) else {
      throw DecodingError.dataCorruptedError(
        in: container,
        debugDescription: "unit '\(DataError.shown(text))' is not a time unit (day, week, month)")
    }
    self = unit
  }
}
