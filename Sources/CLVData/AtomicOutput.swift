#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A buffered output that becomes visible only when committed.
///
/// For a path, bytes go to a temporary file in the target's folder (`.NAME.tmp-PID`), and
/// ``commit()`` renames it into place atomically; if the run fails before that, the temporary
/// file is removed and an existing file at the path is left untouched. The path `-` writes to
/// standard output (unbuffered by the rename, so nothing to undo).
public final class AtomicOutput {
  public let path: String
  private let descriptor: Int32
  private let temporaryPath: String?
  private var buffer: [UInt8] = []
  private var finished = false
  private static let flushThreshold = 1 << 20

  /// Opens `path` for writing (`-` for standard output).
  /// - Throws: ``DataError/notWritable(path:reason:)`` when the folder cannot be written.
  public init(path: String) throws {
    self.path = path
    buffer.reserveCapacity(AtomicOutput.flushThreshold + 4096)
    if path == "-" {
      descriptor = STDOUT_FILENO
      temporaryPath = nil
      return
    }
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    guard !name.isEmpty else { throw DataError.notWritable(path: path, reason: "is a folder") }
    let tmp = (folder.isEmpty ? "" : folder + "/") + ".\(name).tmp-\(getpid())"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw DataError.notWritable(path: path, reason: String(cString: strerror(errno)))
    }
    descriptor = fd
    temporaryPath = tmp
  }

  deinit {
    if !finished, let temporaryPath {
      close(descriptor)
      unlink(temporaryPath)
    }
  }

  /// Appends text (UTF-8).
  public func write(_ text: String) throws {
    var text = text
    text.withUTF8 { buffer.append(contentsOf: $0) }
    if buffer.count >= AtomicOutput.flushThreshold { try flush() }
  }

  /// Appends bytes.
  public func write(bytes: some Sequence<UInt8>) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= AtomicOutput.flushThreshold { try flush() }
  }

  private func flush() throws {
    var offset = 0
    while offset < buffer.count {
      let n = buffer.withUnsafeBytes { raw in
        Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw DataError.notWritable(path: path, reason: String(cString: strerror(errno)))
      }
      offset += n
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Flushes, then moves the temporary file into place. Call once, after all writes succeeded.
  public func commit() throws {
    precondition(!finished, "commit() called twice")
    try flush()
    finished = true
    guard let temporaryPath else { return }
    if fsync(descriptor) != 0 || close(descriptor) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(temporaryPath)
      throw DataError.notWritable(path: path, reason: reason)
    }
    if rename(temporaryPath, path) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(temporaryPath)
      throw DataError.notWritable(path: path, reason: reason)
    }
  }

  /// Writes `text` to `path` atomically in one call.
  public static func write(_ text: String, to path: String) throws {
    let output = try AtomicOutput(path: path)
    try output.write(text)
    try output.commit()
  }
}
