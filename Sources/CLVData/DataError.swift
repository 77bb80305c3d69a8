/// Errors of reading and writing data files. Each case leads its description with the location,
/// `file:line: column 'name': …`, lines counted from 1 with the header as line 1.
public enum DataError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A field could not be parsed.
  case invalidField(file: String, line: Int, column: String, value: String, expected: String)
  /// A field was read but its value is not accepted (empty id, negative amount, …); `reason`
  /// completes "'value' …".
  case rejectedValue(file: String, line: Int, column: String, value: String, reason: String)
  /// A row is malformed as a whole (field count, unterminated quote, …).
  case invalidRow(file: String, line: Int, reason: String)
  /// The file is not usable as a whole (empty, no rows, missing column, binary data, …).
  case invalidFile(file: String, reason: String)
  /// The input cannot be opened or read (exit 66).
  case notReadable(path: String, reason: String)
  /// The output cannot be written (exit 73).
  case notWritable(path: String, reason: String)

  public var description: String {
    switch self {
    case .invalidField(let file, let line, let column, let value, let expected):
      // Column names come from the file's header too: cut like values.
      return "\(file):\(line): column '\(Self.shown(column))': cannot parse "
        + "'\(Self.shown(value))' as \(Self.shown(expected, limit: 400))"
    case .rejectedValue(let file, let line, let column, let value, let reason):
      return "\(file):\(line): column '\(Self.shown(column))': '\(Self.shown(value))' "
        + Self.shown(reason, limit: 400)
    case .invalidRow(let file, let line, let reason):
      return "\(file):\(line): \(Self.shown(reason, limit: 400))"
    case .invalidFile(let file, let reason):
      return "\(file): \(Self.shown(reason, limit: 400))"
    case .notReadable(let path, let reason):
      return "\(path): cannot read: \(reason)"
    case .notWritable(let path, let reason):
      return "\(path): cannot write: \(reason)"
    }
  }

  /// The longest value an error message shows in full (longer values are cut, with their
  /// length in bytes: a 1 MB bad value does not make a 1 MB error line).
  public static let shownValueLength = 80

  /// `value` as an error message shows it: line breaks, NUL and other control characters as
  /// `\n`, `\r`, `\u{0}` (the message stays one line), cut to ``shownValueLength``
  /// characters with the full length appended.
  public static func shown(_ value: String, limit: Int = shownValueLength) -> String {
    var text = ""
    var count = 0
    for character in value {
      if count == limit {
        return text + "… (\(value.utf8.count) bytes)"
      }
      count += 1
      switch character {
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      case "\r\n": text += "\\r\\n"
      default:
        if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
          scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F
        {
          text += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          text.append(character)
        }
      }
    }
    return text
  }

  /// The bytes of an invalid UTF-8 field for a message: valid UTF-8 as text, every other byte
  /// as `\xHH`, cut like ``shown(_:)``.
  public static func shown(bytes: some Collection<UInt8>) -> String {
    var text = ""
    var rest = Array(bytes)[...]
    while !rest.isEmpty {
      // The longest valid prefix (at most 4 bytes per scalar), else one escaped byte.
      var taken = false
      for length in stride(from: Swift.min(4, rest.count), through: 1, by: -1) {
        if let scalar = String(validating: rest.prefix(length), as: UTF8.self),
          scalar.unicodeScalars.count == 1
        {
          text += scalar
          rest = rest.dropFirst(length)
          taken = true
          break
        }
      }
      if !taken {
        text += "\\x" + String(rest.first!, radix: 16, uppercase: true)
        rest = rest.dropFirst()
      }
    }
    return shown(text)
  }

  /// The sysexits(3) code for this error: 66 unreadable input, 73 unwritable output, else 65.
  public var exitCode: Int32 {
    switch self {
    case .notReadable: return 66
    case .notWritable: return 73
    default: return 65
    }
  }
}
