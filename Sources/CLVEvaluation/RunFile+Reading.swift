import CLVData
import Foundation

extension RunFile {
  /// Reads and checks the run file at `path` (`-`: standard input, named `<stdin>` in errors).
  /// - Throws: `DataError.notReadable` (exit 66) for a missing, folder or unreadable path; the
  ///   errors of ``decode(_:file:)`` for a file that is not a valid run file.
  public static func read(path: String) throws -> RunFile {
    let name = path == "-" ? "<stdin>" : path
    return try decode(try bytes(of: path), file: name)
  }

  /// The bytes of a file, or of standard input for `-`.
  static func bytes(of path: String) throws -> Data {
    if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw DataError.notReadable(path: path, reason: "no such file")
    }
    guard !isFolder.boolValue else {
      throw DataError.notReadable(path: path, reason: "is a folder")
    }
    do {
      return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw DataError.notReadable(path: path, reason: "permission denied or not a regular file")
    }
  }
}
