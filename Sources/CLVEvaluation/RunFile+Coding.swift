import CLVData
import CLVModels
import Foundation

// MARK: - Reading and writing

extension RunFile {
  /// Decodes and checks a run file.
  ///
  /// - Parameters:
  ///   - data: the JSON bytes.
  ///   - file: the file name used in error messages.
  /// - Throws: ``DataError/invalidFile(file:reason:)`` when the bytes are not JSON, a field is
  ///   missing or has the wrong type, the schema is not ``currentSchema``, there are no models,
  ///   or a value is out of its range (a probability outside [0, 1], a negative count or error).
  public static func decode(_ data: Data, file: String) throws -> RunFile {
    let run: RunFile
    do {
      run = try JSONDecoder().decode(RunFile.self, from: data)
    } catch let error as DecodingError {
      throw DataError.invalidFile(file: file, reason: "not a run file: \(describe(error))")
    } catch {
      throw DataError.invalidFile(file: file, reason: "not a run file: \(error)")
    }
    try run.check(file: file)
    return run
  }

  /// The file as pretty-printed JSON with sorted keys (deterministic), ending in a newline.
  public func encoded() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
  }

  private static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { key in
        key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)"
      }.joined()
      return keys.isEmpty ? "top level" : String(keys.dropFirst(keys.hasPrefix(".") ? 1 : 0))
    }
    switch error {
    case .keyNotFound(let key, let context):
      let parent = path(context)
      return "missing field '\(key.stringValue)' at \(parent)"
    case .typeMismatch(let type, let context):
      return "\(path(context)): expected \(type)"
    case .valueNotFound(let type, let context):
      return "\(path(context)): expected \(type), found null"
    case .dataCorrupted(let context):
      let underlying = context.underlyingError.map { ": \($0.localizedDescription)" } ?? ""
      return "\(path(context)): \(context.debugDescription)\(underlying)"
    @unknown default:
      return "\(error)"
    }
  }
}
