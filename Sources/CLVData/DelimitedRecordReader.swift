#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

  let delimiter: Delimiter
  private let descriptor: Int32
  private let ownsDescriptor: Bool
  private let teeDescriptor: Int32?

  /// The mutable state, behind a pointer: stored `var`s of a class pay a dynamic exclusivity
  /// check on every access, which is measurable in a per-byte loop.
  struct Cursor {
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
  let cursor: UnsafeMutablePointer<Cursor> = {
    let pointer = UnsafeMutablePointer<Cursor>.allocate(capacity: 1)
    pointer.initialize(to: Cursor())
    return pointer
  }()
  var buffer: UnsafeMutableRawPointer {
    get { cursor.pointee.buffer }
    set { cursor.pointee.buffer = newValue }
  }
  var capacity: Int {
    get { cursor.pointee.capacity }
    set { cursor.pointee.capacity = newValue }
  }
  var start: Int {
    get { cursor.pointee.start }
    set { cursor.pointee.start = newValue }
  }
  var end: Int {
    get { cursor.pointee.end }
    set { cursor.pointee.end = newValue }
  }
  var atEOF: Bool {
    get { cursor.pointee.atEOF }
    set { cursor.pointee.atEOF = newValue }
  }
  var nextLine: Int {
    get { cursor.pointee.nextLine }
    set { cursor.pointee.nextLine = newValue }
  }
  private var checkedBOM: Bool {
    get { cursor.pointee.checkedBOM }
    set { cursor.pointee.checkedBOM = newValue }
  }
  var spans: UnsafeMutablePointer<(Int, Int, Bool)> {
    get { cursor.pointee.spans }
    set { cursor.pointee.spans = newValue }
  }
  var spanCapacity: Int {
    get { cursor.pointee.spanCapacity }
    set { cursor.pointee.spanCapacity = newValue }
  }
  var lookingAhead: Bool {
    get { cursor.pointee.lookingAhead }
    set { cursor.pointee.lookingAhead = newValue }
  }
  var blankRecordStart: Int {
    get { cursor.pointee.blankRecordStart }
    set { cursor.pointee.blankRecordStart = newValue }
  }
  var scratch: [UInt8] = []
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

  enum ParseResult {
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
}
