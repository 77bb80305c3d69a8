/// The character that separates the whole part of an amount from its fraction.
public enum DecimalMark: String, CaseIterable, Sendable, CustomStringConvertible {
  /// `1,234.56`: `.` is the decimal mark; `,`, spaces and `'` group thousands.
  case point
  /// `1.234,56`: `,` is the decimal mark; `.`, spaces and `'` group thousands.
  case comma

  public var description: String { self == .point ? "decimal point" : "decimal comma" }

  /// The option that selects the other mark.
  public var otherOption: String { self == .point ? "--decimal-comma" : "--decimal-point" }

  /// The outcome of ``detect(from:delimiter:)``.
  public struct Detection: Equatable, Sendable {
    public var mark: DecimalMark
    /// A value that shows the mark (`12,50`, `1,234.56`), or nil when none did.
    public var evidence: String?
    /// When no value decided: a value that reads differently under the two marks (`1,234`,
    /// `1.234`), read as ``mark``; the caller should say so.
    public var ambiguousExample: String?
    /// Number of amount values examined.
    public var sampleCount: Int
  }

  /// Chooses the decimal mark from sample amounts.
  ///
  /// A value decides when it has both marks (the last one is decimal: `1.234,56`), a mark that
  /// repeats (only a group separator can: `1,234,567`), or a single mark not followed by exactly
  /// three digits (`12,50`, `3.5`), or preceded by a lone `0` (`0,125`). `1,234` and `1.234`
  /// decide nothing. Without a deciding value, the mark is a point, or a comma when fields are
  /// separated by `;` (as spreadsheets write files in locales with a decimal comma).
  ///
  /// - Returns: the detection, or nil when the samples contradict each other (both marks are
  ///   shown as decimal); `conflict` then holds one example of each.
  public static func detect(
    from samples: [[UInt8]], delimiter: Delimiter, conflict: inout (String, String)?
  ) -> Detection? {
    var point: String? = nil
    var comma: String? = nil
    var ambiguous: String? = nil
    for sample in samples {
      switch evidence(sample) {
      case .point?: if point == nil { point = String(decoding: sample, as: UTF8.self) }
      case .comma?: if comma == nil { comma = String(decoding: sample, as: UTF8.self) }
      case nil:
        if ambiguous == nil, sample.contains(where: { $0 == 44 || $0 == 46 }) {
          ambiguous = String(decoding: sample, as: UTF8.self)
        }
      }
    }
    if let point, let comma {
      conflict = (point, comma)
      return nil
    }
    if let point {
      return Detection(mark: .point, evidence: point, sampleCount: samples.count)
    }
    if let comma {
      return Detection(mark: .comma, evidence: comma, sampleCount: samples.count)
    }
    let mark: DecimalMark = delimiter == .character(59) ? .comma : .point
    return Detection(mark: mark, ambiguousExample: ambiguous, sampleCount: samples.count)
  }

  /// The mark one value shows, or nil when it shows none.
  static func evidence(_ bytes: [UInt8]) -> DecimalMark? {
    var lastPoint = -1
    var lastComma = -1
    var points = 0
    var commas = 0
    for (i, b) in bytes.enumerated() {
      if b == 46 {
        points += 1
        lastPoint = i
      } else if b == 44 {
        commas += 1
        lastComma = i
      }
    }
    if points > 0, commas > 0 { return lastPoint > lastComma ? .point : .comma }
    guard points + commas > 0 else { return nil }
    let (count, position, mark): (Int, Int, DecimalMark) =
      points > 0 ? (points, lastPoint, .point) : (commas, lastComma, .comma)
    if count > 1 { return mark == .point ? .comma : .point }  // a repeated group separator
    var after = 0
    var i = position + 1
    while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
      after += 1
      i += 1
    }
    var before = 0
    var j = position - 1
    while j >= 0, bytes[j] >= 48, bytes[j] <= 57 {
      before += 1
      j -= 1
    }
    if after != 3 || before == 0 || (before == 1 && bytes[position - 1] == 48) { return mark }
    return nil
  }
}

/// Parses an amount as exports write it, with `mark` as the decimal mark:
///
///     [-|+] [currency] [-|+] digits-with-groups [mark digits] [currency] [-]
///     (…)                    accounting negative
///
/// Groups of three digits may be separated by `,` (point) or `.` (comma), a space, a
/// non-breaking or narrow non-breaking space, or `'`; the first group has 1–3 digits. A currency
/// is a symbol (`$`, `€`, `£`, `¥`, `₹`, `₩`, `₺`, `₽`, `¢`), up to three capital letters
/// followed by a symbol (`US$`, `R$`), or a three-letter code (`EUR`). A trailing `-` (as ERP
/// systems write) or parentheses make the amount negative. Anything else is not a number.
///
/// Plain numbers with a decimal point take the fast path of `parseDecimal`.
@inline(__always)
func parseAmount(_ bytes: UnsafeRawBufferPointer, mark: DecimalMark) -> ParsedNumber {
  if mark == .point {
    let plain = parseDecimal(bytes)
    if case .notANumber = plain { return parseFormattedAmount(bytes, mark: mark) }
    return plain
  }
  let formatted = parseFormattedAmount(bytes, mark: mark)
  if case .notANumber = formatted, case .nonFinite = parseDecimal(bytes) { return .nonFinite }
  return formatted
}

/// The slow path of ``parseAmount(_:mark:)``.
func parseFormattedAmount(_ bytes: UnsafeRawBufferPointer, mark: DecimalMark) -> ParsedNumber {
  var scanner = AmountScanner(bytes: bytes)
  scanner.skipBlanks()
  var negative = false
  var parenthesized = false
  if scanner.take(40) { parenthesized = true }  // (
  scanner.skipBlanks()
  if scanner.take(45) { negative = true } else { _ = scanner.take(43) }
  scanner.skipBlanks()
  let leadingCurrency = scanner.currency()
  scanner.skipBlanks()
  if !negative, scanner.take(45) { negative = true } else if !negative { _ = scanner.take(43) }
  // Digits, groups, decimal part: normalized into `text` as plain `digits.digits`.
  var text: [UInt8] = []
  text.reserveCapacity(bytes.count)
  let decimalByte: UInt8 = mark == .point ? 46 : 44
  var group = 0
  var groups = 0
  var separator: [UInt8]? = nil
  while true {
    if let d = scanner.digit() {
      text.append(d)
      group += 1
      continue
    }
    if let s = scanner.groupSeparator(mark: mark) {
      // A separator must sit between digits: first group 1–3 digits, later ones exactly 3.
      guard group > 0, groups == 0 ? group <= 3 : group == 3, separator == nil || separator! == s
      else { return .notANumber }
      separator = s
      groups += 1
      group = 0
      continue
    }
    break
  }
  guard !text.isEmpty, groups == 0 || group == 3 else { return .notANumber }
  if scanner.take(decimalByte) {
    text.append(46)
    while let d = scanner.digit() { text.append(d) }
  }
  scanner.skipBlanks()
  if !scanner.atEnd, leadingCurrency == false {
    _ = scanner.currency()
    scanner.skipBlanks()
  }
  if scanner.take(45) {
    guard !negative else { return .notANumber }
    negative = true
  }
  scanner.skipBlanks()
  if parenthesized {
    guard !negative, scanner.take(41) else { return .notANumber }
    negative = true
    scanner.skipBlanks()
  }
  guard scanner.atEnd else { return .notANumber }
  let value = text.withUnsafeBytes { parseDecimal($0) }
  guard case .value(let v) = value else { return value }
  return .value(negative ? -v : v)
}

private struct AmountScanner {
  let bytes: UnsafeRawBufferPointer
  var index = 0

  var atEnd: Bool { index == bytes.count }
  var nextIsDigit: Bool { index < bytes.count && bytes[index] >= 48 && bytes[index] <= 57 }

  mutating func take(_ byte: UInt8) -> Bool {
    guard index < bytes.count, bytes[index] == byte else { return false }
    index += 1
    return true
  }

  mutating func digit() -> UInt8? {
    guard nextIsDigit else { return nil }
    index += 1
    return bytes[index - 1]
  }

  /// The byte sequence of a space-like character at `index`: space, U+00A0, U+202F, U+2009.
  func blank(at i: Int) -> Int {
    guard i < bytes.count else { return 0 }
    if bytes[i] == 32 { return 1 }
    if bytes[i] == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA0 { return 2 }
    if bytes[i] == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80,
      bytes[i + 2] == 0xAF || bytes[i + 2] == 0x89
    {
      return 3
    }
    return 0
  }

  mutating func skipBlanks() {
    while case let n = blank(at: index), n > 0 { index += n }
  }

  /// A group separator followed by a digit (as bytes), consumed, or nil (nothing consumed).
  mutating func groupSeparator(mark: DecimalMark) -> [UInt8]? {
    guard index < bytes.count else { return nil }
    let b = bytes[index]
    var n = 0
    if (mark == .point && b == 44) || (mark == .comma && b == 46) || b == 39 {
      n = 1
    } else {
      n = blank(at: index)
    }
    guard n > 0, index + n < bytes.count, bytes[index + n] >= 48, bytes[index + n] <= 57 else {
      return nil
    }
    let s = Array(bytes[index..<(index + n)])
    index += n
    return s
  }

  /// A currency symbol or code, consumed; true when one was there.
  mutating func currency() -> Bool {
    let start = index
    var letters = 0
    while index < bytes.count, bytes[index] >= 65, bytes[index] <= 90, letters < 3 {
      index += 1
      letters += 1
    }
    if symbol() { return true }
    if letters == 3 { return true }
    index = start
    return false
  }

  /// One currency symbol, consumed.
  private mutating func symbol() -> Bool {
    guard index < bytes.count else { return false }
    if bytes[index] == 36 {  // $
      index += 1
      return true
    }
    for symbol in currencySymbols where index + symbol.count <= bytes.count {
      if (0..<symbol.count).allSatisfy({ bytes[index + $0] == symbol[$0] }) {
        index += symbol.count
        return true
      }
    }
    return false
  }
}

/// UTF-8 of €, £, ¥, ₹, ₩, ₺, ₽, ¢.
private let currencySymbols: [[UInt8]] = ["€", "£", "¥", "₹", "₩", "₺", "₽", "¢"].map {
  Array($0.utf8)
}

extension DecimalMark {
  /// The amount `text` as an order log may write it (see `parseAmount`), or nil when it is not
  /// a finite number with this decimal mark.
  public func amount(_ text: String) -> Double? {
    var text = text
    let parsed = text.withUTF8 { parseAmount(UnsafeRawBufferPointer($0), mark: self) }
    if case .value(let v) = parsed { return v }
    return nil
  }
}
