import ArgumentParser
import CLVData
import CLVEvaluation
import CLVModels
import CLVNumerics
import CLVScoring

#if canImport(Glibc)
import Glibc
#endif

/// The version printed by `clv --version` and recorded in every file clvkit writes.
let clvVersion = "0.1.0"

@main
struct CLV: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "clv",
    abstract: "Customer lifetime value and churn modeling from an order log.",
    discussion: """
      Typical flow: summarize an order log, train purchase and spend models, evaluate them on a \
      holdout period, score customers and build win-back or replenishment lists, and compare \
      runs in a report. Exit codes: 0 ok, 64 usage error, 65 bad input data, 66 input not \
      readable, 70 internal or fit failure, 73 output not writable; stopped by SIGHUP, SIGINT \
      or SIGTERM: 129, 130, 143 (its temporary files removed). Outputs are replaced \
      atomically and keep their permissions.
      """,
    version: clvVersion,
    subcommands: [
      Summarize.self, Train.self, Evaluate.self, Score.self, PredictNew.self, Target.self,
      Measure.self, Cohorts.self,
      Report.self,
      Simulate.self, Demo.self,
    ]
  )

  /// Runs the command and maps clvkit's errors to sysexits(3) codes with a one-line message.
  static func main() {
    // clvkit runs its own parallel work (ingest, scoring, CSV writing); OpenBLAS's own threads
    // would compete with it for the cores.
    BLASThreads.set(1)
    // SIGTERM, SIGINT, SIGHUP remove the outputs' temporary files before ending the process.
    TemporaryFiles.removeOnSignals()
    let command: ParsableCommand
    do {
      command = try parseAsRoot()
    } catch {
      exit(withError: error)  // help, version, usage errors (64)
    }
    do {
      var command = command
      try command.run()
    } catch {
      guard let (code, message) = describe(error) else {
        exit(withError: error)  // ArgumentParser's own: help requested, validation (64), ExitCode
      }
      var stderr = StandardError()
      print("clv: error: \(message)", to: &stderr)
      Glibc.exit(code)
    }
  }
}

/// The sysexits(3) code and the one-line message for an error of clvkit's own, or nil for
/// ArgumentParser's errors (which it reports itself).
func describe(_ error: Error) -> (Int32, String)? {
  switch error {
  case let e as DataError: return (e.exitCode, e.description)
  case let e as ModelError: return (e.exitCode, e.description)
  case let e as ScoringError: return (e.exitCode, e.description)
  case let e as CommandError: return (e.exitCode, e.description)
  case let e as EvaluationError: return (e.exitCode, e.description)
  case let e as LinearAlgebraError: return (70, e.description)
  case let e as OptimizationError: return (70, e.description)
  default: return nil
  }
}

/// Errors raised by the command layer itself.
enum CommandError: Error, CustomStringConvertible {
  case notImplemented(String)

  var description: String {
    switch self {
    case .notImplemented(let command): return "'clv \(command)' is not implemented yet"
    }
  }

  var exitCode: Int32 { 70 }
}

/// `print(…, to: &stderr)` target for diagnostics.
struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    var string = string
    string.withUTF8 { bytes in _ = Glibc.write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
  }
}
