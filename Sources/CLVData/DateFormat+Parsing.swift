/// Byte-level parsing of the ``DateFormat`` layouts (no allocation, no Foundation).
extension DateFormat {
  /// Parses one date field given as bytes (no surrounding spaces), or nil when it does not match
  /// this layout or names a day or time that does not exist.
  ///
  /// After the date of a calendar layout may follow a time of day, separated by spaces or `T`:
  ///
  ///     H:mm | HH:mm | HH:mm:ss | HH:mm:ss.fff (or ,fff)   hours 0–23
  ///     … followed by AM or PM (hours 1–12)                  optional
  ///     … followed by Z, UTC, GMT, ±hh, ±hh:mm or ±hhmm      optional (not converted)
  ///
  /// The time is validated and dropped: the day is the calendar date as written.
  public func parse(_ bytes: UnsafeRawBufferPointer) -> Day? {
    var scanner = DateScanner(bytes)
    let y: Int
    let m: Int
    let d: Int
    switch self {
    case .isoDate, .isoDateTime:
      // The common case first: fixed positions.
      guard bytes.count >= 10, bytes[4] == 45, bytes[7] == 45,
        let year = scanner.fixed(0, 4), let month = scanner.fixed(5, 2),
        let day = scanner.fixed(8, 2)
      else { return nil }
      (y, m, d) = (year, month, day)
      scanner.index = 10
    case .compact:
      guard bytes.count >= 8, let year = scanner.fixed(0, 4), let month = scanner.fixed(4, 2),
        let day = scanner.fixed(6, 2)
      else { return nil }
      (y, m, d) = (year, month, day)
      scanner.index = 8
    case .slashedISO:
      guard let year = scanner.digits(4...4), scanner.take(47),
        let month = scanner.digits(1...2), scanner.take(47), let day = scanner.digits(1...2)
      else { return nil }
      (y, m, d) = (year, month, day)
    case .dayMonthYear, .monthDayYear, .dotted:
      let separator: UInt8 = self == .dotted ? 46 : 47
      guard let first = scanner.digits(1...2), scanner.take(separator),
        let second = scanner.digits(1...2), scanner.take(separator),
        let year = scanner.digits(4...4)
      else { return nil }
      (y, m, d) = self == .monthDayYear ? (year, first, second) : (year, second, first)
    case .dayMonthNameYear:
      guard let day = scanner.digits(1...2), let separator = scanner.nameSeparator(),
        let month = scanner.monthName(),
        separator == 32 ? scanner.spaces() : scanner.take(separator),
        let year = scanner.digits(4...4)
      else { return nil }
      (y, m, d) = (year, month, day)
    case .monthNameDayYear:
      guard let month = scanner.monthName(), scanner.spaces(),
        let day = scanner.digits(1...2)
      else { return nil }
      _ = scanner.take(44)
      guard scanner.spaces(), let year = scanner.digits(4...4) else { return nil }
      (y, m, d) = (year, month, day)
    case .epoch, .epochMilliseconds:
      return scanner.epochDay(perDay: self == .epoch ? 86_400 : 86_400_000)
    }
    guard scanner.atEnd || scanner.timeOfDay() else { return nil }
    return Day(year: y, month: m, day: d)
  }
}

/// A cursor over the bytes of one date field.
private struct DateScanner {
  let bytes: UnsafeRawBufferPointer
  var index = 0

  init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  var atEnd: Bool { index == bytes.count }

  @inline(__always) func digit(at i: Int) -> Int? {
    guard i < bytes.count else { return nil }
    let d = Int(bytes[i]) &- 48
    return d >= 0 && d <= 9 ? d : nil
  }

  /// `count` digits at `start` (bounds checked by the caller).
  @inline(__always) func fixed(_ start: Int, _ count: Int) -> Int? {
    var value = 0
    for i in start..<(start + count) {
      let d = Int(bytes[i]) &- 48
      guard d >= 0, d <= 9 else { return nil }
      value = value * 10 + d
    }
    return value
  }

  /// A run of digits whose length is in `lengths`.
  mutating func digits(_ lengths: ClosedRange<Int>) -> Int? {
    var value = 0
    var count = 0
    while let d = digit(at: index) {
      value = value * 10 + d
      count += 1
      index += 1
      if count > lengths.upperBound { return nil }
    }
    return count >= lengths.lowerBound ? value : nil
  }

  mutating func take(_ byte: UInt8) -> Bool {
    guard index < bytes.count, bytes[index] == byte else { return false }
    index += 1
    return true
  }

  /// One or more spaces.
  mutating func spaces() -> Bool {
    let start = index
    while index < bytes.count, bytes[index] == 32 { index += 1 }
    return index > start
  }

  /// The separator between a day and a month name: `-`, `/`, or spaces (returned as a space).
  mutating func nameSeparator() -> UInt8? {
    if take(45) { return 45 }
    if take(47) { return 47 }
    return spaces() ? 32 : nil
  }

  /// An English month name or its three-letter abbreviation (or `Sept`), any case; 1–12.
  mutating func monthName() -> Int? {
    let start = index
    while index < bytes.count, (bytes[index] | 0x20) >= 97, (bytes[index] | 0x20) <= 122 {
      index += 1
    }
    let count = index - start
    guard count >= 3 else { return nil }
    var word: [UInt8] = []
    word.reserveCapacity(count)
    for i in start..<index { word.append(bytes[i] | 0x20) }
    let abbreviation = String(decoding: word[0..<3], as: UTF8.self)
    guard let month = monthNames.firstIndex(where: { $0.hasPrefix(abbreviation) }) else {
      return nil
    }
    let text = String(decoding: word, as: UTF8.self)
    guard count == 3 || text == monthNames[month] || text == "sept" && month == 8 else {
      return nil
    }
    return month + 1
  }

  /// The rest of the field after a date: a time of day (see ``DateFormat/parse(_:)``).
  mutating func timeOfDay() -> Bool {
    guard take(84) || spaces() else { return false }  // T or spaces
    guard let hour = digits(1...2), take(58), let minute = digits(2...2), minute < 60 else {
      return false
    }
    if take(58) {
      guard let second = digits(2...2), second <= 60 else { return false }
      if take(46) || take(44) {
        guard digits(1...9) != nil else { return false }
      }
    }
    _ = spaces()
    var hourLimit = 23
    if index + 1 < bytes.count, bytes[index + 1] | 0x20 == 109,
      bytes[index] | 0x20 == 97 || bytes[index] | 0x20 == 112
    {  // AM or PM
      guard hour >= 1 else { return false }
      hourLimit = 12
      index += 2
      _ = spaces()
    }
    guard hour <= hourLimit else { return false }
    return atEnd || zone()
  }

  /// `Z`, `UTC`, `GMT`, `±hh`, `±hh:mm` or `±hhmm`, ending the field.
  mutating func zone() -> Bool {
    if take(90) { return atEnd }  // Z
    if bytes.count - index == 3 {
      let word = (bytes[index], bytes[index + 1], bytes[index + 2])
      if word == (85, 84, 67) || word == (71, 77, 84) { return true }  // UTC, GMT
    }
    guard take(43) || take(45) else { return false }
    guard let hours = digits(2...4) else { return false }
    if hours > 99 {  // ±hhmm
      return atEnd && hours / 100 <= 23 && hours % 100 < 60
    }
    guard hours <= 23 else { return false }
    if take(58) {
      guard let minutes = digits(2...2), minutes < 60 else { return false }
    }
    return atEnd
  }

  /// Unix time (seconds or milliseconds, optional sign; seconds may have a fraction) as the
  /// UTC day.
  mutating func epochDay(perDay: Int) -> Day? {
    let negative = take(45)
    if !negative { _ = take(43) }
    guard let whole = digits(1...15) else { return nil }
    var hasFraction = false
    if perDay == 86_400, take(46) {
      guard let fraction = digits(1...9) else { return nil }
      hasFraction = fraction > 0
    }
    guard atEnd else { return nil }
    var days = whole / perDay
    if negative {
      days = -days
      if whole % perDay != 0 || hasFraction { days -= 1 }  // floor
    }
    return Day(daysSinceEpoch: days)
  }
}

private let monthNames = [
  "january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december",
]
