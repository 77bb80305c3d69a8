extension Delimiter {
  /// The delimiters tried when a header lacks a column: tab, `;`, `,`, `|`, then whitespace
  /// (runs of blanks, last: it also splits names that contain a space).
  public static let suggestionCandidates: [Delimiter] = [
    .character(9), .character(UInt8(ascii: ";")), .comma, .character(UInt8(ascii: "|")),
    .whitespace,
  ]

  /// The delimiter under which a header read with `current` would contain every name in
  /// `needed`, or nil: for the message "no column 'customer_id' … use --delimiter X".
  ///
  /// - Parameter header: the header's fields as split by `current` (rejoined with it to
  ///   recover the line).
  public static func suggestion(
    header: [String], current: Delimiter, needed: [String]
  )
    -> Delimiter?
  {
    guard !needed.isEmpty else { return nil }
    let line: String
    switch current {
    case .whitespace: line = header.joined(separator: " ")
    case .character(let byte): line = header.joined(separator: String(UnicodeScalar(byte)))
    }
    for candidate in suggestionCandidates where candidate != current {
      let fields = candidate.split(line)
      if needed.allSatisfy(fields.contains) { return candidate }
    }
    return nil
  }

  /// `line` split at this delimiter by the one CSV reader (``DelimitedRecordReader``: quoting,
  /// blanks trimmed); no fields when the line does not parse.
  func split(_ line: String) -> [String] {
    let reader = DelimitedRecordReader(bytes: Array(line.utf8), displayName: "", delimiter: self)
    guard (try? reader.next()) == true else { return [] }
    return reader.fields
  }

  /// The `--delimiter` argument that selects this delimiter.
  public var argument: String {
    switch self {
    case .whitespace: return "whitespace"
    case .character(9): return "tab"
    case .character(let byte): return "'\(String(UnicodeScalar(byte)))'"
    }
  }
}
