/// A calendar day (proleptic Gregorian, no time zone), stored as days since 1970-01-01.
///
/// Purchases are counted per day, so clvkit never needs times of day; differences of `Day`
/// values are exact integers, and model time is `days / TimeUnit.days`.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
  public var daysSinceEpoch: Int

  public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

  /// The day `year-month-day`, or nil when that day does not exist (e.g. 1997-02-30).
  ///
  /// - Source: Hinnant, "chrono-Compatible Low-Level Date Algorithms", `days_from_civil`.
  public init?(year: Int, month: Int, day: Int) {
    guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else {
      return nil
    }
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    daysSinceEpoch = era * 146_097 + doe - 719_468
  }

  /// Parses `yyyy-MM-dd` (the format of every date clvkit writes and of date options).
  public init?(iso string: some StringProtocol) {
    let parts = string.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
    else { return nil }
    self.init(year: y, month: m, day: d)
  }

  /// (year, month, day) of this day. - Source: Hinnant, `civil_from_days`.
  public var components: (year: Int, month: Int, day: Int) {
    let z = daysSinceEpoch + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }

  /// `yyyy-MM-dd`.
  public var description: String {
    let (y, m, d) = components
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
  }

  /// The month, `yyyy-MM` (the acquisition-cohort key).
  public var monthString: String {
    let (y, m, _) = components
    return "\(pad(y, 4))-\(pad(m, 2))"
  }

  public static func < (lhs: Day, rhs: Day) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
  public static func + (lhs: Day, rhs: Int) -> Day { Day(daysSinceEpoch: lhs.daysSinceEpoch + rhs) }
  public static func - (lhs: Day, rhs: Int) -> Day { Day(daysSinceEpoch: lhs.daysSinceEpoch - rhs) }
  /// Whole days from `rhs` to `lhs`.
  public static func - (lhs: Day, rhs: Day) -> Int { lhs.daysSinceEpoch - rhs.daysSinceEpoch }

  public static func isLeap(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let day = Day(iso: text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "'\(text)' is not a date (expected yyyy-MM-dd)")
    }
    self = day
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

private func pad(_ value: Int, _ width: Int) -> String {
  let s = String(value)
  return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
