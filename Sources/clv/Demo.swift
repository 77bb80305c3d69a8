import ArgumentParser
import CLVData
import CLVModels
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `clv demo`: the whole pipeline on the bundled demo data, one line per step.
struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the whole pipeline on the bundled demo data.",
    discussion: """
      Runs, on datasets/demo-orders.csv (5,000 simulated customers, 2023-2024): summarize; \
      train the purchase model with --model auto (the candidate with the smallest holdout \
      error on these orders, written to models/purchase.json), \(GammaGamma.modelID) and \
      \(LogisticChurn.modelID); evaluate \(Self.models.joined(separator: ", ")) with a calibration \
      period to 2024-06-30 and a holdout to 2024-12-30; score every customer as of 2024-12-30 \
      with the chosen purchase model; build \
      the win-back list and the replenishment list (ranked by the chosen purchase model's \
      P(purchase within 30 days), clv target --model); and write the comparison report. Prints one line per \
      step with its time and ends with the path of report.html. The steps' own output and diagnostics \
      go to demo.log in the output folder. Each step is the clv command of the same name; the \
      README and notebooks-md/01-quickstart.md show them one by one.
      """
  )

  @Option(help: "Folder for the demo's outputs.")
  var out: String = "clv-demo"

  @Option(
    help: """
      Folder holding demo-orders.csv and demo-attributes.csv (default: datasets/ in the \
      current folder, else the checkout this clv was built in).
      """)
  var data: String?

  static let calibrationEnd = "2024-06-30"
  /// The models the demo evaluates (a product choice: one of each kind, with the two most used
  /// purchase models); it trains the purchase model with `--model auto`.
  static let models = [
    BGNBD.modelID, ParetoNBD.modelID, GammaGamma.modelID, LogisticChurn.modelID,
  ]
  static let observationEnd = "2024-12-30"

  func run() throws {
    let dataFolder = try locateData()
    let orders = dataFolder + "/demo-orders.csv"
    let attributes = dataFolder + "/demo-attributes.csv"
    let models = out + "/models"
    do {
      try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
    } catch {
      throw DataError.notWritable(path: out, reason: error.localizedDescription)
    }
    let end = Self.observationEnd
    /// `clv train --model id`, written to models/id.json.
    func train(_ id: String, _ options: [String] = []) -> (String, [String]) {
      ("train \(id)", ["train", orders, "--model", id] + options + ["-o", "\(models)/\(id).json"])
    }
    let steps: [(String, [String])] = [
      ("summarize", ["summarize", orders, "-o", out + "/summary.csv"]),
      (
        "train auto",
        ["train", orders, "--model", "auto", "-o", "\(models)/purchase.json"]
      ),
      train(GammaGamma.modelID),
      train(
        LogisticChurn.modelID,
        ["--calibration-end", "2024-09-30", "--observation-end", end, "--attributes", attributes]),
      (
        "evaluate",
        [
          "evaluate", orders, "--calibration-end", Self.calibrationEnd, "--observation-end", end,
          "--models", Self.models.joined(separator: ","), "-o", out + "/run.json",
        ]
      ),
      (
        "score",
        [
          "score", orders, "--model", models + "/purchase.json", "--spend-model",
          models + "/gamma-gamma.json", "--churn-model", models + "/churn-logit.json",
          "--attributes", attributes, "--as-of", end, "-o", out + "/scores.csv",
        ]
      ),
      (
        "target win-back",
        [
          "target", out + "/scores.csv", "--campaign", "win-back", "--orders", orders,
          "--as-of", end, "--budget", "500", "-o", out + "/win-back.csv",
        ]
      ),
      (
        "target replenishment",
        [
          "target", out + "/scores.csv", "--campaign", "replenishment", "--orders", orders,
          "--model", models + "/purchase.json", "--as-of", end, "-o", out + "/replenishment.csv",
        ]
      ),
      (
        "report",
        ["report", out + "/run.json", "-o", out + "/report.html", "--markdown", out + "/report.md"]
      ),
    ]
    let log = try DiagnosticsLog(path: out + "/demo.log")
    let total = Clock.now
    for (name, arguments) in steps {
      let started = Clock.now
      try log.capturing {
        var command = try CLV.parseAsRoot(arguments)
        try command.run()
      }
      let seconds = Clock.seconds(since: started)
      print("\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(format(seconds)) s")
    }
    print("total                  \(format(Clock.seconds(since: total))) s")
    let report = URL(fileURLWithPath: out + "/report.html").standardizedFileURL.path
    print("report: \(report)")
  }

  private func format(_ seconds: Double) -> String { String(format: "%6.2f", seconds) }

  /// `--data`, else `./datasets`, else the `datasets/` of the checkout this binary was built in
  /// (`.build/<config>/clv` → `../../datasets`).
  private func locateData() throws -> String {
    var candidates: [String] = []
    if let data {
      candidates = [data]
    } else {
      candidates.append("datasets")
      let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
      var folder = executable.deletingLastPathComponent()
      for _ in 0..<4 {
        folder.deleteLastPathComponent()
        candidates.append(folder.appendingPathComponent("datasets").path)
      }
    }
    for folder in candidates
    where FileManager.default.fileExists(atPath: folder + "/demo-orders.csv") {
      return folder
    }
    throw DataError.notReadable(
      path: candidates[0] + "/demo-orders.csv",
      reason: "no demo data (run from the clvkit checkout, or pass --data FOLDER)")
  }
}

/// Sends a step's standard output and standard error to a log file, so that the demo prints one
/// line per step; an error escaping the step is reported after both are restored.
private final class DiagnosticsLog {
  private let descriptor: Int32

  init(path: String) throws {
    descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw DataError.notWritable(path: path, reason: String(cString: strerror(errno)))
    }
  }

  deinit { close(descriptor) }

  func capturing(_ body: () throws -> Void) throws {
    fflush(nil)
    let savedOut = dup(STDOUT_FILENO)
    let savedErr = dup(STDERR_FILENO)
    dup2(descriptor, STDOUT_FILENO)
    dup2(descriptor, STDERR_FILENO)
    defer {
      fflush(nil)
      dup2(savedOut, STDOUT_FILENO)
      dup2(savedErr, STDERR_FILENO)
      close(savedOut)
      close(savedErr)
    }
    try body()
  }
}

/// Monotonic time for step timings.
enum Clock {
  static var now: Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }

  static func seconds(since start: Double) -> Double { now - start }
}
