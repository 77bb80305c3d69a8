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
      return "\(file):\(line): column '\(column)': cannot parse '\(value)' as \(expected)"
    case .rejectedValue(let file, let line, let column, let value, let reason):
      return "\(file):\(line): column '\(column)': '\(value)' \(reason)"
    case .invalidRow(let file, let line, let reason):
      return "\(file):\(line): \(reason)"
    case .invalidFile(let file, let reason):
      return "\(file): \(reason)"
    case .notReadable(let path, let reason):
      return "\(path): cannot read: \(reason)"
    case .notWritable(let path, let reason):
      return "\(path): cannot write: \(reason)"
    }
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
