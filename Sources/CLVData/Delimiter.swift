/// How fields are separated.
public enum Delimiter: Equatable, Sendable, CustomStringConvertible {
  /// One byte: `,`, `;`, tab, …
  case character(UInt8)
  /// Runs of spaces and tabs; leading and trailing blanks are ignored (fixed-width-looking files
  /// such as the CDNOW logs).
  case whitespace

  public static let comma = Delimiter.character(UInt8(ascii: ","))

  /// Parses a command-line value: `,`, `;`, `|`, `tab` (or a literal tab), `whitespace`.
  public init?(argument: String) {
    switch argument {
    case "tab", "\t", "\\t": self = .character(9)
    case "whitespace", "space", "spaces": self = .whitespace
    default:
      let bytes = Array(argument.utf8)
      guard bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != 10, bytes[0] != 13 else {
        return nil
      }
      self = .character(bytes[0])
    }
  }

  public var description: String {
    switch self {
    case .whitespace: return "whitespace"
    case .character(9): return "tab"
    case .character(let c): return String(UnicodeScalar(c))
    }
  }
}
