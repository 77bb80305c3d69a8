import CLVData

/// The time unit of a fitted model's parameters, as its model file records it (`unit`).
///
/// Continuous-time models are fitted in a calendar unit (their rates and scales are per
/// `day`, `week` or `month`); BG/BB counts discrete `opportunity`s, which are never
/// converted; a model without time in its parameters (Gamma-Gamma) has no unit (nil where a
/// `ModelUnit?` is expected). Conversion of customer times to the model's unit happens only in
/// ``rows(_:from:)``.
public enum ModelUnit: Sendable, Hashable, Codable, CustomStringConvertible {
  case time(TimeUnit)
  case opportunity

  /// The calendar units, spelled as their model-file values (`.week` for `.time(.week)`).
  public static let day = ModelUnit.time(.day)
  public static let week = ModelUnit.time(.week)
  public static let month = ModelUnit.time(.month)

  /// The model-file spelling: `day`, `week`, `month`, `opportunity`.
  public var rawValue: String {
    switch self {
    case .time(let unit): return unit.rawValue
    case .opportunity: return "opportunity"
    }
  }

  public init?(rawValue: String) {
    if rawValue == "opportunity" {
      self = .opportunity
    } else if let unit = TimeUnit(rawValue: rawValue) {
      self = .time(unit)
    } else {
      return nil
    }
  }

  public var description: String { rawValue }

  /// The unit's name in the plural, for prose ("in weeks", "in opportunities").
  public var pluralName: String {
    switch self {
    case .time(let unit): return unit.rawValue + "s"
    case .opportunity: return "opportunities"
    }
  }

  /// The calendar unit, or nil for opportunities.
  public var timeUnit: TimeUnit? {
    if case .time(let unit) = self { return unit }
    return nil
  }

  /// The factor that turns times in `dataUnit` into this unit (1 for opportunities, which are
  /// given as counts and never converted).
  public func scale(from dataUnit: TimeUnit) -> Double {
    guard case .time(let unit) = self, unit != dataUnit else { return 1 }
    return dataUnit.days / unit.days
  }

  /// The calendar units customer times in `dataUnit` are converted from and to for this unit;
  /// nil when they are already in it, or for opportunities (never converted).
  public func conversion(from dataUnit: TimeUnit) -> (from: TimeUnit, to: TimeUnit)? {
    guard case .time(let unit) = self, unit != dataUnit else { return nil }
    return (dataUnit, unit)
  }

  /// `rows` with recency and T converted from `dataUnit` to this unit (unchanged when the units
  /// agree or for opportunities). The one place where customer times change unit.
  public func rows(_ rows: [RFMSummary.Row], from dataUnit: TimeUnit) -> [RFMSummary.Row] {
    let scale = scale(from: dataUnit)
    guard scale != 1 else { return rows }
    var converted = rows
    for index in converted.indices {
      converted[index].recency *= scale
      converted[index].age *= scale
    }
    return converted
  }

  public init(from decoder: Decoder) throws {
    self = try decoder.decodeText(ModelUnit.init(rawValue:)) {
      "unit '\($0)' is not one of day, week, month, opportunity"
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
