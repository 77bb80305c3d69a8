#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered output that becomes visible only when committed.
///
/// For a regular file (or a new one), bytes go to a temporary file in the target's folder
/// (`.NAME.tmp-PID-RANDOM`, created exclusively and never through a link; see
/// ``TemporaryFiles``), and ``commit()`` renames it into place atomically; if the run fails
/// before that, the temporary file is removed and an existing file at the path is left
/// untouched. A replaced file keeps its permissions (a new one gets 0666 less the umask).
/// Several outputs that belong together are committed with ``commit(_:)``. A symbolic link to a file is followed, so the link stays and its target is
/// replaced. A path that is not a regular file — a device such as `/dev/null` or
/// `/dev/stdout`, a named pipe — cannot be replaced by a rename (that would put a plain file
/// in its place), so it is written in place. The path `-` writes to standard output.
public final class AtomicOutput {
  public let path: String
  private let descriptor: Int32
  /// The temporary file and the path it is renamed to; nil when writing in place.
  private let staging: (temporary: String, target: String)?
  /// The slot of the temporary file in the signal handler's list.
  private var registration: Int?
  private let ownsDescriptor: Bool
  private var buffer: [UInt8] = []
  private var finished = false
  private static let flushThreshold = 1 << 20

  /// Opens `path` for writing (`-` for standard output).
  /// - Throws: ``DataError/notWritable(path:reason:)`` when the folder cannot be written or the
  ///   path is a folder.
  public init(path: String) throws {
    self.path = path
    buffer.reserveCapacity(AtomicOutput.flushThreshold + 4096)
    if path == "-" {
      descriptor = STDOUT_FILENO
      staging = nil
      registration = nil
      ownsDescriptor = false
      return
    }
    var target = path
    var info = stat()
    var keptMode: mode_t?
    if stat(path, &info) == 0 {  // follows symbolic links
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        throw DataError.notWritable(path: path, reason: "is a folder")
      case S_IFREG:
        keptMode = info.st_mode & 0o7777
        if let resolved = realpath(path, nil) {
          target = String(cString: resolved)
          free(resolved)
        }
      default:  // device, FIFO, socket: write in place
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else {
          throw DataError.notWritable(path: path, reason: String(cString: strerror(errno)))
        }
        descriptor = fd
        staging = nil
        registration = nil
        ownsDescriptor = true
        return
      }
    }
    let slash = target.lastIndex(of: "/")
    let folder = slash.map { String(target[..<$0]) } ?? "."
    let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
    guard !name.isEmpty else { throw DataError.notWritable(path: path, reason: "is a folder") }
    TemporaryFiles.removeStale(in: folder)
    // A replaced file's mode is set before any byte is written (0600 until then); a new file
    // gets 0666 less the umask, as any file the user creates.
    let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
    var tmp = ""
    var fd: Int32 = -1
    // The name is registered before the file exists, so that a signal arriving right after
    // `open` still finds it (unlinking a name not yet created is harmless).
    for _ in 0..<8 {  // a name collision (16 random hex digits) is only retried
      tmp = TemporaryFiles.temporaryPath(folder: folder, name: name)
      registration = TemporaryFiles.register(tmp)
      fd = open(tmp, flags, keptMode == nil ? 0o666 : 0o600)
      if fd >= 0 { break }
      let openError = errno
      TemporaryFiles.release(registration)
      registration = nil
      errno = openError
      if openError != EEXIST { break }
    }
    guard fd >= 0 else {
      throw DataError.notWritable(path: path, reason: String(cString: strerror(errno)))
    }
    if let keptMode, fchmod(fd, keptMode) != 0 {
      let reason = String(cString: strerror(errno))
      close(fd)
      unlink(tmp)
      TemporaryFiles.release(registration)
      throw DataError.notWritable(path: path, reason: reason)
    }
    descriptor = fd
    staging = (tmp, target)
    ownsDescriptor = true
  }

  deinit {
    guard !finished else { return }
    if ownsDescriptor, !closed { close(descriptor) }
    abandon()
  }

  /// Removes the temporary file (if any) and forgets it.
  private func abandon() {
    if let staging { unlink(staging.temporary) }
    TemporaryFiles.release(registration)
  }

  private var closed = false

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

  /// Appends bytes; a block of at least the buffer's size is written straight out, not
  /// copied into the buffer first.
  public func write(bytes: [UInt8]) throws {
    guard bytes.count >= AtomicOutput.flushThreshold else {
      buffer.append(contentsOf: bytes)
      if buffer.count >= AtomicOutput.flushThreshold { try flush() }
      return
    }
    try flush()
    try bytes.withUnsafeBytes { try writeAll($0) }
  }

  /// Appends the bytes of `writer`; a block of at least the buffer's size is written straight
  /// out, not copied into the buffer first.
  public func write(_ writer: borrowing ByteWriter) throws {
    try writer.withBytes { bytes in
      guard bytes.count >= AtomicOutput.flushThreshold else {
        buffer.append(contentsOf: bytes)
        if buffer.count >= AtomicOutput.flushThreshold { try flush() }
        return
      }
      try flush()
      try writeAll(bytes)
    }
  }

  private func flush() throws {
    try buffer.withUnsafeBytes { try writeAll($0) }
    buffer.removeAll(keepingCapacity: true)
  }

  /// write(2) of all of `bytes`.
  private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
    var offset = 0
    while offset < bytes.count {
      let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
      if n < 0 {
        if errno == EINTR { continue }
        throw DataError.notWritable(path: path, reason: String(cString: strerror(errno)))
      }
      offset += n
    }
  }

  /// Flushes, then moves the temporary file into place. Call once, after all writes succeeded.
  public func commit() throws {
    try AtomicOutput.commit([self])
  }

  /// Commits outputs that belong together (a report and its charts) so that a failure leaves
  /// none of them: every file is written out and synced first (where a full disk or an I/O
  /// error shows), and only then are they renamed into place, in order. On an error in the
  /// first phase every temporary file is removed and no target changes.
  public static func commit(_ outputs: [AtomicOutput]) throws {
    for output in outputs { precondition(!output.finished, "commit() called twice") }
    do {
      for output in outputs { try output.prepare() }
    } catch {
      for output in outputs {
        output.finished = true
        if output.ownsDescriptor, !output.closed { close(output.descriptor) }
        output.abandon()
      }
      throw error
    }
    var failure: Error?
    for output in outputs {
      output.finished = true
      guard let staging = output.staging else { continue }
      if failure == nil, rename(staging.temporary, staging.target) == 0 {
        TemporaryFiles.release(output.registration)
        continue
      }
      if failure == nil {
        failure = DataError.notWritable(
          path: output.path, reason: String(cString: strerror(errno)))
      }
      output.abandon()
    }
    if let failure { throw failure }
  }

  /// Flushes the buffer, syncs and closes the temporary file.
  private func prepare() throws {
    try flush()
    guard ownsDescriptor else { return }
    if staging != nil, fsync(descriptor) != 0 {
      throw DataError.notWritable(path: path, reason: String(cString: strerror(errno)))
    }
    closed = true
    if close(descriptor) != 0 {
      throw DataError.notWritable(path: path, reason: String(cString: strerror(errno)))
    }
  }

  /// Writes `text` to `path` atomically in one call.
  public static func write(_ text: String, to path: String) throws {
    let output = try AtomicOutput(path: path)
    try output.write(text)
    try output.commit()
  }
}
