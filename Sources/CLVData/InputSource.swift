import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An input as a readable path, with the SHA-256 of its bytes: a file as it is, or standard
/// input (`-`) buffered once to a temporary file (removed when this is released), hashed while
/// it is copied, so that it can be read more than once.
public final class InputSource: Sendable {
  /// A path to read the input from.
  public let path: String
  /// The SHA-256 of the input's bytes, lowercase hex.
  public let sha256: String
  private let temporary: String?

  /// - Parameter input: a path, or `-` for standard input.
  /// - Throws: `DataError.notReadable` (exit 66) for a missing, unreadable or folder path.
  public init(_ input: String) throws {
    guard input == "-" else {
      path = input
      temporary = nil
      // Unreadable input is reported (exit 66) by the summary reader; hash what can be read.
      var info = stat()
      guard stat(input, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR,
        let hash = SHA256.hex(ofFile: input)
      else {
        throw DataError.notReadable(
          path: input,
          reason: access(input, F_OK) == 0 ? "not a readable file" : "no such file")
      }
      sha256 = hash
      return
    }
    let folder =
      ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array("\(folder)/clv-evaluate-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw DataError.notReadable(
        path: "-", reason: "cannot create a temporary copy of standard input")
    }
    defer { close(fd) }
    let name = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    temporary = name
    path = name
    var hasher = SHA256()
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        unlink(name)
        throw DataError.notReadable(path: "-", reason: String(cString: strerror(errno)))
      }
      if n == 0 { break }
      try buffer.withUnsafeBytes { bytes in
        let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<n])
        hasher.update(chunk)
        guard Glibc.write(fd, chunk.baseAddress, n) == n else {
          unlink(name)
          throw DataError.notReadable(path: "-", reason: "cannot buffer standard input")
        }
      }
    }
    sha256 = hasher.finalizeHex()
  }

  deinit {
    if let temporary { unlink(temporary) }
  }
}

extension DataError {
  /// The same error with the file name `old` replaced by `new` (the temporary copy of standard
  /// input, ``InputSource/path``, is reported as `<stdin>`).
  public func renaming(_ old: String, to new: String) -> DataError {
    func name(_ file: String) -> String { file == old ? new : file }
    switch self {
    case .invalidField(let file, let line, let column, let value, let expected):
      return .invalidField(
        file: name(file), line: line, column: column, value: value, expected: expected)
    case .rejectedValue(let file, let line, let column, let value, let reason):
      return .rejectedValue(
        file: name(file), line: line, column: column, value: value, reason: reason)
    case .invalidRow(let file, let line, let reason):
      return .invalidRow(file: name(file), line: line, reason: reason)
    case .invalidFile(let file, let reason): return .invalidFile(file: name(file), reason: reason)
    case .notReadable(let path, let reason): return .notReadable(path: name(path), reason: reason)
    case .notWritable(let path, let reason): return .notWritable(path: path, reason: reason)
    }
  }
}
