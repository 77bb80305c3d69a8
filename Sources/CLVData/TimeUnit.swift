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
    self = try decoder.decodeText(TimeUnit.init(rawValue:)) {
      "unit '\($0)' is not a time unit (day, week, month)"
    }
  }
}

extension Decoder {
  /// A single string value parsed by `parse`; text it does not take fails as data corrupted,
  /// with `message(text)` (the text shown as by ``DataError/shown(_:limit:)``).
  public func decodeText<Value>(
    _ parse: (String) -> Value?, failing message: (String) -> String
  ) throws -> Value {
    let container = try singleValueContainer()
    let text = try container.decode(String.self)
    guard let value = parse(text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: message(DataError.shown(text)))
    }
    return value
  }
}
