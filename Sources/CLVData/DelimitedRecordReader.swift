#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// A streaming reader of delimited text records (CSV and friends), working on bytes.
///
/// Accepts RFC 4180 quoting (a field that starts with `"` runs to the matching `"`, may contain
/// delimiters and line breaks, and writes `"` as `""`), a UTF-8 byte-order mark, LF or CRLF line
/// ends, and a missing final line end. Blank lines are skipped (but counted). Unquoted fields are
/// trimmed of surrounding spaces and tabs. A NUL byte anywhere makes the file "binary" (an
/// error). Memory is one read buffer (1 MiB, grown only for a longer record).
///
/// ``line`` is the physical line where the current record starts (the first line is 1).
public final class DelimitedRecordReader {
  /// The name used in messages: the path, or `<stdin>` for `-`.
  public let displayName: String
  /// The physical line (from 1) where the current record starts.
  public var line: Int { cursor.pointee.line }
  /// Fields in the current record.
  public var fieldCount: Int { cursor.pointee.fieldCount }
  /// Bytes consumed from the input so far.
  public var bytesRead: Int { cursor.pointee.bytesRead }
  /// Records returned so far (blank lines excluded).
  public var recordCount: Int { cursor.pointee.recordCount }

  private let delimiter: Delimiter
  private let descriptor: Int32
  private let ownsDescriptor: Bool
  private let teeDescriptor: Int32?

  /// The mutable state, behind a pointer: stored `var`s of a class pay a dynamic exclusivity
  /// check on every access, which is measurable in a per-byte loop.
  private struct Cursor {
    var line = 0
    var fieldCount = 0
    var bytesRead = 0
    var recordCount = 0
    var buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
    var capacity = 1 << 20
    var start = 0  // first unparsed byte
    var end = 0  // end of valid bytes
    var atEOF = false
    var nextLine = 1
    var checkedBOM = false
    // (start, end, escaped) per field of the current record; grown on demand.
    var spans = UnsafeMutablePointer<(Int, Int, Bool)>.allocate(capacity: 16)
    var spanCapacity = 16
    var lookingAhead = false
    var blankRecordStart = -1
  }
  private let cursor: UnsafeMutablePointer<Cursor> = {
    let pointer = UnsafeMutablePointer<Cursor>.allocate(capacity: 1)
    pointer.initialize(to: Cursor())
    return pointer
  }()
  private var buffer: UnsafeMutableRawPointer {
    get { cursor.pointee.buffer }
    set { cursor.pointee.buffer = newValue }
  }
  private var capacity: Int {
    get { cursor.pointee.capacity }
    set { cursor.pointee.capacity = newValue }
  }
  private var start: Int {
    get { cursor.pointee.start }
    set { cursor.pointee.start = newValue }
  }
  private var end: Int {
    get { cursor.pointee.end }
    set { cursor.pointee.end = newValue }
  }
  private var atEOF: Bool {
    get { cursor.pointee.atEOF }
    set { cursor.pointee.atEOF = newValue }
  }
  private var nextLine: Int {
    get { cursor.pointee.nextLine }
    set { cursor.pointee.nextLine = newValue }
  }
  private var checkedBOM: Bool {
    get { cursor.pointee.checkedBOM }
    set { cursor.pointee.checkedBOM = newValue }
  }
  private var spans: UnsafeMutablePointer<(Int, Int, Bool)> {
    get { cursor.pointee.spans }
    set { cursor.pointee.spans = newValue }
  }
  private var spanCapacity: Int {
    get { cursor.pointee.spanCapacity }
    set { cursor.pointee.spanCapacity = newValue }
  }
  private var lookingAhead: Bool {
    get { cursor.pointee.lookingAhead }
    set { cursor.pointee.lookingAhead = newValue }
  }
  private var blankRecordStart: Int {
    get { cursor.pointee.blankRecordStart }
    set { cursor.pointee.blankRecordStart = newValue }
  }
  private var scratch: [UInt8] = []
  private static let maximumRecordBytes = 64 << 20

  /// Opens `path` (`-` for standard input).
  /// - Parameter tee: a descriptor that receives a copy of every byte read (used to replay a
  ///   non-seekable input).
  /// - Throws: ``DataError/notReadable(path:reason:)``.
  public init(path: String, delimiter: Delimiter, tee: Int32? = nil) throws {
    self.delimiter = delimiter
    self.teeDescriptor = tee
    if path == "-" {
      descriptor = STDIN_FILENO
      ownsDescriptor = false
      displayName = "<stdin>"
    } else {
      let fd = open(path, O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else {
        throw DataError.notReadable(path: path, reason: String(cString: strerror(errno)))
      }
      var info = stat()
      if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
        close(fd)
        throw DataError.notReadable(path: path, reason: "is a folder")
      }
      descriptor = fd
      ownsDescriptor = true
      displayName = path
      if (info.st_mode & S_IFMT) == S_IFREG { identity = FileIdentity(info) }
    }
  }

  /// A regular file's size and modification time when it was opened (nil for pipes,
  /// standard input and memory).
  private var identity: FileIdentity?

  private struct FileIdentity: Equatable {
    var size: Int
    var seconds: Int
    var nanoseconds: Int

    init(_ info: stat) {
      size = Int(info.st_size)
      seconds = Int(info.st_mtim.tv_sec)
      nanoseconds = Int(info.st_mtim.tv_nsec)
    }
  }

  /// Throws when the opened file's size or modification time changed since it was opened: it
  /// was rewritten while being read, and what was read may mix old and new contents. (A file
  /// replaced by `mv` keeps being read through the open descriptor: its old contents, whole.)
  ///
  /// - Throws: ``DataError/invalidFile(file:reason:)``.
  public func checkUnchanged() throws {
    guard let identity else { return }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw DataError.notReadable(path: displayName, reason: String(cString: strerror(errno)))
    }
    let now = FileIdentity(info)
    guard now == identity else {
      throw DataError.invalidFile(
        file: displayName,
        reason: "changed while it was being read (size \(identity.size) → \(now.size) bytes, or "
          + "its modification time): read a copy that is not being written")
    }
  }

  /// A new reader of the same open file from its start (the same descriptor, duplicated: a
  /// file replaced by `mv` in the meantime is not read instead), after ``checkUnchanged()``.
  public func reopened() throws -> DelimitedRecordReader {
    try checkUnchanged()
    let copy = dup(descriptor)
    guard copy >= 0, lseek(copy, 0, SEEK_SET) == 0 else {
      if copy >= 0 { close(copy) }
      throw DataError.notReadable(
        path: displayName, reason: "cannot read it again: \(String(cString: strerror(errno)))")
    }
    let reader = DelimitedRecordReader(
      ownedDescriptor: copy, displayName: displayName, delimiter: delimiter)
    reader.identity = identity
    return reader
  }

  private init(ownedDescriptor: Int32, displayName: String, delimiter: Delimiter) {
    self.delimiter = delimiter
    self.descriptor = ownedDescriptor
    self.ownsDescriptor = true
    self.teeDescriptor = nil
    self.displayName = displayName
  }

  /// Reads from an already open descriptor (positioned at the start), which it does not close.
  public init(descriptor: Int32, displayName: String, delimiter: Delimiter) {
    self.delimiter = delimiter
    self.descriptor = descriptor
    self.ownsDescriptor = false
    self.teeDescriptor = nil
    self.displayName = displayName
  }

  /// Reads `bytes` held in memory (a small file read whole, a test, a fuzz input).
  public init(bytes: [UInt8], displayName: String, delimiter: Delimiter) {
    self.delimiter = delimiter
    self.descriptor = -1
    self.ownsDescriptor = false
    self.teeDescriptor = nil
    self.displayName = displayName
    self.memory = bytes
  }

  /// The input of ``init(bytes:displayName:delimiter:)`` and how much of it was read.
  private var memory: [UInt8]?
  private var memoryOffset = 0

  /// read(2) from the descriptor, or a copy from ``memory``.
  private func readInput(_ destination: UnsafeMutableRawPointer, _ count: Int) -> Int {
    guard let memory else { return read(descriptor, destination, count) }
    let n = Swift.min(count, memory.count - memoryOffset)
    if n > 0 {
      memory.withUnsafeBytes {
        destination.copyMemory(from: $0.baseAddress! + memoryOffset, byteCount: n)
      }
    }
    memoryOffset += n
    return n
  }

  deinit {
    spans.deallocate()
    buffer.deallocate()
    cursor.deallocate()
    if ownsDescriptor { close(descriptor) }
  }

  /// The size of the input in bytes when it is a regular file, else nil.
  public var fileSize: Int? {
    var info = stat()
    guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(info.st_size)
  }

  /// Reads more bytes after compacting; returns false at the end of the input.
  private func fill() throws -> Bool {
    if atEOF || lookingAhead { return false }
    if start > 0 {
      if end > start { memmove(buffer, buffer + start, end - start) }
      end -= start
      start = 0
    }
    if end == capacity {
      guard capacity < DelimitedRecordReader.maximumRecordBytes else {
        throw DataError.invalidRow(
          file: displayName, line: nextLine,
          reason: "record longer than \(DelimitedRecordReader.maximumRecordBytes >> 20) MiB "
            + "(an unterminated quote?)")
      }
      let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
      bigger.copyMemory(from: buffer, byteCount: end)
      buffer.deallocate()
      buffer = bigger
      capacity *= 2
    }
    let before = end
    while true {
      let n = readInput(buffer + end, capacity - end)
      if n < 0 {
        if errno == EINTR { continue }
        throw DataError.notReadable(path: displayName, reason: String(cString: strerror(errno)))
      }
      if n == 0 {
        atEOF = true
        if !checkedBOM {  // fewer than 3 bytes in all
          checkedBOM = true
          let b = buffer.assumingMemoryBound(to: UInt8.self)
          if end >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { start = 3 }
        }
        return end > before
      }
      if let nul = memchr(buffer + end, 0, n) {
        let offset = bytesRead + (nul - (buffer + end))
        throw DataError.invalidFile(
          file: displayName,
          reason: "binary data (NUL byte at byte offset \(offset)); expected delimited text")
      }
      if let teeDescriptor {
        var written = 0
        while written < n {
          let w = write(teeDescriptor, buffer + end + written, n - written)
          if w < 0 {
            if errno == EINTR { continue }
            throw DataError.notReadable(
              path: displayName, reason: "cannot buffer input: \(String(cString: strerror(errno)))")
          }
          written += w
        }
      }
      end += n
      cursor.pointee.bytesRead += n
      if !checkedBOM, end >= 3 || atEOF {
        checkedBOM = true
        let b = buffer.assumingMemoryBound(to: UInt8.self)
        if end >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { start = 3 }
      }
      if !checkedBOM { continue }
      return true
    }
  }

  private enum ParseResult {
    case record(next: Int, lines: Int)
    case needMore
    case unterminatedQuote
    case textAfterQuote(field: Int)
  }

  /// Advances to the next non-blank record. Returns false at the end of the input.
  /// - Throws: ``DataError/invalidRow(file:line:reason:)`` for an unterminated quote or text after
  ///   a closing quote (the reader can continue with the next line afterwards); read errors.
  public func next() throws -> Bool {
    while true {
      if start >= end {
        if try !fill() { return false }
        continue
      }
      let result = parse()
      switch result {
      case .needMore:
        if try !fill() {
          if lookingAhead { return false }
          // `parse` treats the end of input as a record end; only an open quote remains.
          if start < end { continue }
          return false
        }
      case .record(let next, let lines):
        start = next
        cursor.pointee.line = nextLine
        nextLine += lines
        if isBlankRecord { continue }
        cursor.pointee.recordCount += 1
        return true
      case .unterminatedQuote, .textAfterQuote:
        // Resynchronise at the next line end after the record's start.
        let recordLine = nextLine
        var i = start
        while true {
          let b = buffer.assumingMemoryBound(to: UInt8.self)  // again after each fill
          while i < end, b[i] != 10 { i += 1 }
          if i < end { break }
          if atEOF { break }
          let offset = i - start
          if try !fill() { i = end; break }
          i = start + offset
        }
        start = min(i + 1, end)
        cursor.pointee.line = recordLine
        nextLine += 1
        if case .textAfterQuote(let field) = result {
          throw DataError.invalidRow(
            file: displayName, line: recordLine,
            reason: "field \(field): unexpected text after a closing quote")
        }
        throw DataError.invalidRow(
          file: displayName, line: recordLine, reason: "unterminated quote")
      }
    }
  }

  /// Calls `body` for each of up to `limit` records that follow, as far as they are already in
  /// the read buffer (at least one read is made), then rewinds: the next ``next()`` returns the
  /// same record as before. Malformed records end the look-ahead.
  public func lookAhead(limit: Int, _ body: () throws -> Void) throws {
    if start >= end { _ = try fill() }
    let saved = (start, line, nextLine, recordCount)
    func restore() {
      start = saved.0
      cursor.pointee.line = saved.1
      nextLine = saved.2
      cursor.pointee.recordCount = saved.3
      cursor.pointee.fieldCount = 0
    }
    lookingAhead = true
    defer {
      lookingAhead = false
      restore()
    }
    var seen = 0
    while seen < limit {
      guard (try? next()) == true else { break }
      try body()
      seen += 1
    }
  }

  /// True when the record just parsed is an empty line.
  private var isBlankRecord: Bool { blankRecordStart >= 0 }

  /// Parses one record from `start`. Fields go to the span arrays.
  private func parse() -> ParseResult {
    let b = buffer.assumingMemoryBound(to: UInt8.self)
    let end = self.end
    let eof = atEOF
    let quote: UInt8 = 34
    let newline: UInt8 = 10
    let cr: UInt8 = 13
    var i = start
    var lines = 1
    var count = 0
    @inline(__always) func append(_ s: Int, _ e: Int, _ escaped: Bool) {
      if count == spanCapacity { growSpans() }
      spans[count] = (s, e, escaped)
      count += 1
    }
    defer { cursor.pointee.fieldCount = count }
    blankRecordStart = -1
    let whitespace: Bool
    let delim: UInt8
    switch delimiter {
    case .whitespace: (whitespace, delim) = (true, 0)  // NUL never occurs (checked)
    case .character(let c): (whitespace, delim) = (false, c)
    }
    // Blanks: spaces and tabs; in whitespace mode a carriage return too (CRLF ends the line).
    @inline(__always) func isBlank(_ c: UInt8) -> Bool {
      c == 32 || c == 9 || (whitespace && c == cr)
    }
    var sawQuotedField = false
    fields: while true {
      // Leading blanks.
      while i < end, isBlank(b[i]), b[i] != delim { i += 1 }
      if i >= end && !eof { return .needMore }
      if i < end, b[i] == quote {
        sawQuotedField = true
        i += 1
        let s = i
        var escaped = false
        while true {
          if i >= end { return eof ? .unterminatedQuote : .needMore }
          let c = b[i]
          if c == quote {
            if i + 1 >= end && !eof { return .needMore }
            if i + 1 < end, b[i + 1] == quote {
              escaped = true
              i += 2
              continue
            }
            break
          }
          if c == newline { lines += 1 }
          i += 1
        }
        append(s, i, escaped)
        i += 1
        // After the closing quote: blanks, then a delimiter or the line end.
        var skipped = false
        while i < end, isBlank(b[i]), b[i] != delim { i += 1; skipped = true }
        if i >= end {
          if eof { return .record(next: i, lines: lines) }
          return .needMore
        }
        let c = b[i]
        if c == newline { return .record(next: i + 1, lines: lines) }
        if c == cr {
          if i + 1 >= end && !eof { return .needMore }
          if i + 1 >= end || b[i + 1] == newline {
            return .record(next: min(i + 2, end), lines: lines)
          }
        }
        if !whitespace && c == delim {
          i += 1
          continue fields
        }
        if whitespace && skipped { continue fields }
        return .textAfterQuote(field: count)
      }
      // Unquoted field.
      let s = i
      if whitespace {
        while i < end {
          let c = b[i]
          if c == 32 || c == 9 || c == newline || c == cr { break }
          i += 1
        }
      } else {
        while i < end {
          let c = b[i]
          if c == delim || c == newline { break }
          i += 1
        }
      }
      if i >= end && !eof { return .needMore }
      var e = i
      while e > s, b[e - 1] == 32 || b[e - 1] == 9 || b[e - 1] == cr { e -= 1 }
      append(s, e, false)
      if i >= end { break fields }
      if whitespace {
        while i < end, b[i] == 32 || b[i] == 9 || b[i] == cr { i += 1 }
        if i >= end {
          if eof { break fields }
          return .needMore
        }
        if b[i] == newline {
          i += 1
          break fields
        }
        continue fields
      }
      if b[i] == newline {
        i += 1
        break fields
      }
      i += 1  // the delimiter
    }
    if count == 1, !sawQuotedField, spans[0].0 == spans[0].1 { blankRecordStart = start }
    return .record(next: i, lines: lines)
  }

  private func growSpans() {
    let bigger = UnsafeMutablePointer<(Int, Int, Bool)>.allocate(capacity: spanCapacity * 2)
    bigger.moveInitialize(from: spans, count: spanCapacity)
    spans.deallocate()
    spans = bigger
    spanCapacity *= 2
  }

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
