#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered output that becomes visible only when committed.
///
/// For a regular file (or a new one), bytes go to a temporary file in the target's folder
/// (`.NAME.tmp-PID`), and ``commit()`` renames it into place atomically; if the run fails
/// before that, the temporary file is removed and an existing file at the path is left
/// untouched. A symbolic link to a file is followed, so the link stays and its target is
/// replaced. A path that is not a regular file — a device such as `/dev/null` or
/// `/dev/stdout`, a named pipe — cannot be replaced by a rename (that would put a plain file
/// in its place), so it is written in place. The path `-` writes to standard output.
public final class AtomicOutput {
  public let path: String
  private let descriptor: Int32
  /// The temporary file and the path it is renamed to; nil when writing in place.
  private let staging: (temporary: String, target: String)?
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
      ownsDescriptor = false
      return
    }
    var target = path
    var info = stat()
    if stat(path, &info) == 0 {  // follows symbolic links
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        throw DataError.notWritable(path: path, reason: "is a folder")
      case S_IFREG:
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
        ownsDescriptor = true
        return
      }
    }
    let slash = target.lastIndex(of: "/")
    let folder = slash.map { String(target[..<$0]) } ?? "."
    let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
    guard !name.isEmpty else { throw DataError.notWritable(path: path, reason: "is a folder") }
    let tmp = (folder.isEmpty ? "" : folder + "/") + ".\(name).tmp-\(getpid())"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw DataError.notWritable(path: path, reason: String(cString: strerror(errno)))
    }
    descriptor = fd
    staging = (tmp, target)
    ownsDescriptor = true
  }

  deinit {
    guard !finished else { return }
    if ownsDescriptor { close(descriptor) }
    if let staging { unlink(staging.temporary) }
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
    guard let staging else {
      if ownsDescriptor, close(descriptor) != 0 {
        throw DataError.notWritable(path: path, reason: String(cString: strerror(errno)))
      }
      return
    }
    if fsync(descriptor) != 0 || close(descriptor) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(staging.temporary)
      throw DataError.notWritable(path: path, reason: reason)
    }
    if rename(staging.temporary, staging.target) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(staging.temporary)
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
