/// A prediction horizon as written on the command line: a number with an optional unit suffix,
/// `52w` (weeks), `12m` (months), `365d` (days), `1y` (years), or a bare number (`52`) in the
/// model's own time unit.
///
/// Suffixed lengths are converted to the model's unit through days: a week is 7 days, a month
/// 365.25 / 12 days (as ``TimeUnit/month``), a year 365.25 days; so `52w` is 52 weeks exactly
/// for a weekly model and 11.96 months for a monthly one, `1y` is 52.18 weeks. A bare number is
/// accepted only when the data and the model share a unit: `--horizon 52` with weekly data and a
/// monthly model would silently mean 52 months (a product decision: ask for the suffix instead).
public struct Horizon: Equatable, Sendable, CustomStringConvertible {
  /// The unit written after the number.
  public enum Suffix: Character, CaseIterable, Sendable {
    case day = "d", week = "w", month = "m", year = "y"

    /// Days per unit: 1, 7, 365.25 / 12, 365.25.
    public var days: Double {
      switch self {
      case .day: return TimeUnit.day.days
      case .week: return TimeUnit.week.days
      case .month: return TimeUnit.month.days
      case .year: return 365.25
      }
    }
  }

  /// The number as written (≥ 0, finite).
  public var amount: Double
  /// The unit suffix, or nil for a bare number (the model's unit).
  public var suffix: Suffix?

  public init(amount: Double, suffix: Suffix? = nil) {
    self.amount = amount
    self.suffix = suffix
  }

  /// Parses `52`, `52w`, `12m`, `365d`, `1y`, `1.5y` (suffix letters case-insensitive); nil for
  /// anything else, a negative or a non-finite number.
  public init?(_ text: String) {
    var number = Substring(text.trimmingSpaces)
    var suffix: Suffix? = nil
    if let last = number.last, last.isLetter {
      guard let found = Suffix(rawValue: Character(last.lowercased())) else { return nil }
      suffix = found
      number = number.dropLast()
    }
    guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }),
      let amount = Double(number), amount.isFinite, amount >= 0
    else { return nil }
    self.init(amount: amount, suffix: suffix)
  }

  public var description: String {
    let number = NumberText.string(amount)
    return suffix.map { number + String($0.rawValue) } ?? number
  }

  /// The horizon's length in `modelUnit`.
  ///
  /// - Parameters:
  ///   - modelUnit: the model's time unit; nil for a model that counts opportunities (BG/BB),
  ///     where only a bare number applies.
  ///   - dataUnit: the time unit the data were summarized in (`--unit`); a bare number is
  ///     refused when it differs from `modelUnit`.
  /// - Throws: ``HorizonError`` saying which suffix to use.
  public func length(in modelUnit: TimeUnit?, dataUnit: TimeUnit?) throws -> Double {
    guard let suffix else {
      if let modelUnit, let dataUnit, modelUnit != dataUnit {
        throw HorizonError.bareNumberWithUnitsDiffering(
          horizon: self, dataUnit: dataUnit, modelUnit: modelUnit)
      }
      return amount
    }
    guard let modelUnit else { throw HorizonError.suffixWithoutTimeUnit(horizon: self) }
    if suffix.days == modelUnit.days { return amount }
    return amount * suffix.days / modelUnit.days
  }
}

/// Why a horizon cannot be used with a model.
public enum HorizonError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A bare number while the data and the model are in different units.
  case bareNumberWithUnitsDiffering(horizon: Horizon, dataUnit: TimeUnit, modelUnit: TimeUnit)
  /// A unit suffix for a model that counts opportunities.
  case suffixWithoutTimeUnit(horizon: Horizon)

  public var description: String {
    switch self {
    case .bareNumberWithUnitsDiffering(let horizon, let dataUnit, let modelUnit):
      let number = NumberText.string(horizon.amount)
      return
        "--horizon \(horizon): the data are in \(dataUnit.rawValue)s and the model in "
        + "\(modelUnit.rawValue)s; give the unit: \(number)w, \(number)m, \(number)d or "
        + "\(number)y"
    case .suffixWithoutTimeUnit(let horizon):
      return
        "--horizon \(horizon): the model counts opportunities (no time unit); give a bare "
        + "number of opportunities"
    }
  }
}

extension String {
  fileprivate var trimmingSpaces: Substring {
    var text = Substring(self)
    while text.first == " " { text = text.dropFirst() }
    while text.last == " " { text = text.dropLast() }
    return text
  }
}
