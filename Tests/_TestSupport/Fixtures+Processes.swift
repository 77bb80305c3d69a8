import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Fixtures {
  /// The result of a run that may have been stopped: `timedOut` when it was killed for running
  /// past its time limit.
  public struct BoundedRunResult: Sendable {
    public var status: Int32
    public var killedBySignal: Bool
    public var timedOut: Bool
    public var seconds: Double
    public var standardOutput: String
    public var standardError: String
  }

  /// Runs the built `clv` and kills it (SIGKILL) when it runs longer than `timeout` seconds.
  /// Output goes to files in a fresh folder (a killed child cannot block on a full pipe).
  public static func runCLV(
    _ arguments: [String], in directory: URL? = nil, timeout: Double,
    environment: [String: String]? = nil
  ) throws -> BoundedRunResult {
    let logs = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: logs) }
    let outURL = logs.appendingPathComponent("stdout")
    let errURL = logs.appendingPathComponent("stderr")
    // Opening them for writing below throws if they could not be created.
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let process = Process()
    process.executableURL = try clvBinary()
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    let started = Date()
    try process.run()
    var timedOut = false
    while process.isRunning {
      if Date().timeIntervalSince(started) > timeout {
        timedOut = true
        kill(process.processIdentifier, SIGKILL)
        break
      }
      usleep(5_000)
    }
    process.waitUntilExit()
    return BoundedRunResult(
      status: process.terminationStatus,
      killedBySignal: process.terminationReason == .uncaughtSignal,
      timedOut: timedOut,
      seconds: Date().timeIntervalSince(started),
      standardOutput: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
      standardError: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
  }

  /// When a test sends a signal to a running `clv`.
  public enum SignalPoint: Sendable, CustomStringConvertible {
    /// This many seconds after the start.
    case after(Double)
    /// As soon as a temporary output file (`….tmp-…`) appears in the run's folder, plus this
    /// many seconds.
    case afterTemporaryFile(Double)

    public var description: String {
      switch self {
      case .after(let seconds): return "\(seconds) s after the start"
      case .afterTemporaryFile(let seconds): return "\(seconds) s after a temporary file appeared"
      }
    }
  }

  /// Starts the built `clv` in `directory` with its output discarded, sends `signal` at
  /// `point` (if it still runs) and waits for it to end.
  /// - Returns: The status, whether the signal ended it, and whether a temporary output file
  ///   existed when the signal was sent.
  public static func runCLV(
    _ arguments: [String], in directory: URL, signal: Int32, at point: SignalPoint
  ) throws -> (status: Int32, killedBySignal: Bool, temporaryExisted: Bool) {
    func temporaryExists() -> Bool {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
      return names.contains { $0.contains(".tmp-") }
    }
    let process = Process()
    process.executableURL = try clvBinary()
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    switch point {
    case .after(let delay):
      usleep(useconds_t(delay * 1e6))
    case .afterTemporaryFile(let delay):
      while process.isRunning, !temporaryExists() { usleep(200) }
      usleep(useconds_t(delay * 1e6))
    }
    var existed = false
    if process.isRunning {
      existed = temporaryExists()
      kill(process.processIdentifier, signal)
    }
    process.waitUntilExit()
    return (
      process.terminationStatus, process.terminationReason == .uncaughtSignal, existed
    )
  }
}
