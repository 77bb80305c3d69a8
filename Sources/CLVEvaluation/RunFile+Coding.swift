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

  /// Checks what the decoder cannot: the schema, at least one model, and value ranges.
  func check(file: String) throws {
    func fail(_ reason: String) -> DataError { .invalidFile(file: file, reason: reason) }
    guard schema == RunFile.currentSchema else {
      throw fail("schema '\(schema)' is not supported (expected '\(RunFile.currentSchema)')")
    }
    guard !models.isEmpty else { throw fail("'models' is empty") }
    for (index, model) in models.enumerated() {
      let at = "models[\(index)] (\(model.model))"
      for (name, value) in model.parameters where !value.isFinite {
        throw fail("\(at): parameter '\(name)' is not finite")
      }
      if let holdout = model.holdout {
        guard holdout.mae >= 0, holdout.rmse >= 0 else {
          throw fail("\(at): holdout mae and rmse must not be negative")
        }
      }
      if let churn = model.churn {
        for (name, value) in [("auc", churn.auc), ("brier", churn.brier)]
        where !(0...1).contains(value) {
          throw fail("\(at): churn.\(name) = \(value) is outside [0, 1]")
        }
        guard churn.logLoss >= 0 else { throw fail("\(at): churn.logLoss is negative") }
        for point in churn.roc ?? []
        where !(0...1).contains(point.fpr) || !(0...1).contains(point.tpr) {
          throw fail("\(at): churn.roc has a point outside the unit square")
        }
      }
      for bin in model.pAliveHistogram ?? [] where bin.customers < 0 || bin.upper < bin.lower {
        throw fail("\(at): pAliveHistogram has a bin with negative count or reversed bounds")
      }
    }
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
