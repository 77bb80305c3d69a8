extension DelimitedRecordReader {
  /// Calls `body` with the bytes of field `index` (0-based), unescaped.
  @inline(__always)
  public func withField<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
  {
    precondition(index < fieldCount, "field index out of range")
    let (s, e, escaped) = spans[index]
    if !escaped {
      return try body(UnsafeRawBufferPointer(start: buffer + s, count: e - s))
    }
    scratch.removeAll(keepingCapacity: true)
    let b = buffer.assumingMemoryBound(to: UInt8.self)
    var i = s
    while i < e {
      scratch.append(b[i])
      i += b[i] == 34 ? 2 : 1
    }
    return try scratch.withUnsafeBytes { try body($0) }
  }

  /// Field `index` (0-based) as text (invalid UTF-8 is replaced by U+FFFD).
  public func field(_ index: Int) -> String {
    withField(index) { String(decoding: $0, as: UTF8.self) }
  }

  /// Every field of the current record as text.
  public var fields: [String] { (0..<fieldCount).map { field($0) } }
}

extension DelimitedRecordReader {
  /// Field `index` of the current record as text, when it is valid UTF-8.
  ///
  /// - Throws: ``DataError/invalidField(file:line:column:value:expected:)`` naming `column` and
  ///   showing the invalid bytes as `\xHH` (ids that differ only in invalid bytes would
  ///   otherwise become one id with U+FFFD).
  public func text(_ index: Int, column: String) throws -> String {
    try withField(index) { bytes in
      if let text = String(validating: bytes, as: UTF8.self) { return text }
      throw DataError.invalidField(
        file: displayName, line: line, column: column, value: DataError.shown(bytes: bytes),
        expected: "UTF-8 text")
    }
  }

  /// Reads the header record: its fields as text (valid UTF-8), each name once.
  ///
  /// - Throws: ``DataError/invalidFile(file:reason:)`` for an empty input (`expected` says what
  ///   header was expected), ``DataError/invalidRow(file:line:reason:)`` for a column named
  ///   twice.
  public func header(expected: String) throws -> [String] {
    guard try next() else {
      throw DataError.invalidFile(file: displayName, reason: "is empty (expected \(expected))")
    }
    var names: [String] = []
    for index in 0..<fieldCount {
      let name = try text(index, column: "header field \(index + 1)")
      if names.contains(name) {
        throw DataError.invalidRow(
          file: displayName, line: line,
          reason: "column '\(DataError.shown(name))' appears twice in the header")
      }
      names.append(name)
    }
    return names
  }

  /// Checks that the current record has as many fields as `header`.
  ///
  /// - Throws: ``DataError/invalidRow(file:line:reason:)`` naming the first missing column or
  ///   the number of extra fields.
  public func requireFields(of header: [String]) throws {
    if fieldCount < header.count {
      throw DataError.invalidRow(
        file: displayName, line: line,
        reason: "\(fieldCount) fields, expected \(header.count) as in the header (no value for "
          + "column '\(DataError.shown(header[fieldCount]))')")
    }
    if fieldCount > header.count {
      throw DataError.invalidRow(
        file: displayName, line: line,
        reason: "\(fieldCount) fields, expected \(header.count) as in the header "
          + "(\(fieldCount - header.count) after the last column '\(DataError.shown(header.last ?? ""))')"
      )
    }
  }
}
