import Foundation
import TestSupport
import Testing

/// `Examples/QuickTour` (the library used through `import CLVKit` only) reproduces the numbers
/// of `clv demo`: the same models, holdout errors, AUCs and scores, from the same data. The
/// reference side runs the demo's own steps (`Demo.swift`: the same commands and arguments)
/// except Pareto/NBD, which the example leaves out too: its fit takes minutes in a debug build,
/// and every model is fitted and measured on its own, so the others' numbers do not change.
///
/// Tolerance: both sides run the same library code on the same file, but the fits and the
/// scores pass through BLAS/LAPACK and libm, so numbers are compared with a relative tolerance
/// of 1e-9 (the NumericText convention for decimals) rather than byte for byte; counts exactly.
@Suite struct QuickTourCommandTests {
  static let tolerance = 1e-9

  /// The QuickTour executable built beside `clv`.
  func quickTour() throws -> URL {
    let url = try Fixtures.clvBinary().deletingLastPathComponent()
      .appendingPathComponent("QuickTour")
    guard FileManager.default.isExecutableFile(atPath: url.path) else {
      throw FixtureError.missing(url.path)
    }
    return url
  }

  /// Runs QuickTour and returns its "name value" lines.
  func runQuickTour(datasets: String, output: URL) throws -> [String: String] {
    let process = Process()
    process.executableURL = try quickTour()
    process.arguments = [datasets, output.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    var values: [String: String] = [:]
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 1)
      if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
    }
    return values
  }

  func close(_ actual: String?, _ expected: Double, _ name: String) {
    guard let actual, let value = Double(actual) else {
      Issue.record("QuickTour printed no number for \(name)")
      return
    }
    #expect(
      abs(value - expected) <= Self.tolerance * max(1, abs(expected)),
      "\(name): QuickTour \(value), clv \(expected)")
  }

  func json(_ url: URL) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  /// The rows of a CSV file as dictionaries keyed by the header (no quoted fields expected).
  func csv(_ url: URL) throws -> [[String: String]] {
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    return lines.dropFirst().map { line in
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      return Dictionary(uniqueKeysWithValues: zip(header, fields))
    }
  }

  @Test func quickTourReproducesTheDemo() throws {
    let datasets = Fixtures.repositoryRoot.appendingPathComponent("datasets").path
    let demo = try Fixtures.temporaryDirectory()
    let orders = datasets + "/demo-orders.csv"
    let models = demo.path + "/models"
    try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
    for arguments in [
      ["summarize", orders, "-o", demo.path + "/summary.csv"],
      ["train", orders, "--model", "bgnbd", "-o", models + "/bgnbd.json"],
      ["train", orders, "--model", "gamma-gamma", "-o", models + "/gamma-gamma.json"],
      [
        "evaluate", orders, "--calibration-end", "2024-06-30", "--observation-end", "2024-12-30",
        "--models", "bgnbd,gamma-gamma,churn-logit", "-o", demo.path + "/run.json",
      ],
      [
        "score", orders, "--model", models + "/bgnbd.json", "--spend-model",
        models + "/gamma-gamma.json", "--as-of", "2024-12-30", "-o", demo.path + "/scores.csv",
      ],
    ] {
      let run = try Fixtures.runCLV(arguments)
      try #require(run.status == 0, "clv \(arguments[0]) failed: \(run.standardError)")
    }
    let tour = try Fixtures.temporaryDirectory()
    let values = try runQuickTour(datasets: datasets, output: tour)

    // Summarize: one summary row per customer.
    let summary = try csv(demo.appendingPathComponent("summary.csv"))
    #expect(values["customers"] == String(summary.count))

    // Fit: the demo's model files.
    for model in ["bgnbd", "gamma-gamma"] {
      let file = try json(demo.appendingPathComponent("models/\(model).json"))
      let parameters = try #require(file["parameters"] as? [String: Double])
      for (name, value) in parameters {
        close(values["\(model).\(name)"], value, "\(model).\(name)")
      }
    }

    // Evaluate: the demo's run file, model by model.
    let runFile = try json(demo.appendingPathComponent("run.json"))
    let entries = try #require(runFile["models"] as? [[String: Any]])
    #expect(entries.count == 3)
    for model in entries {
      let key = try #require(model["model"] as? String)
      if let holdout = model["holdout"] as? [String: Any], let mae = holdout["mae"] as? Double {
        close(values["holdout-mae.\(key)"], mae, "holdout MAE of \(key)")
      }
      if let churn = model["churn"] as? [String: Any], let auc = churn["auc"] as? Double {
        close(values["auc.\(key)"], auc, "AUC of \(key)")
      }
    }

    // Score and segment: the demo's scores file (without its churn model, which would
    // replace P(alive) on the activity axis of the segments; QuickTour has none).
    let scores = try csv(demo.appendingPathComponent("scores.csv"))
    let clv = scores.compactMap { Double($0["clv"] ?? "") }.reduce(0, +)
    let alive = scores.compactMap { Double($0["p_alive"] ?? "") }
    close(values["total-clv"], clv, "total CLV")
    close(values["mean-p-alive"], alive.reduce(0, +) / Double(alive.count), "mean P(alive)")
    var counts: [String: Int] = [:]
    for row in scores { counts[row["segment"] ?? "", default: 0] += 1 }
    for (segment, count) in counts { #expect(values["segment.\(segment)"] == String(count)) }

    // Report: an HTML page written.
    let report = try #require(values["report"])
    let html = try String(contentsOfFile: report, encoding: .utf8)
    #expect(html.contains("<html") && html.contains("Holdout purchases"))
  }

  /// The example uses the umbrella product only: its one import is CLVKit, and it stays under
  /// 40 lines of code (comments and blank lines aside).
  @Test func quickTourUsesOnlyCLVKit() throws {
    let source = try String(
      contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Examples/QuickTour/main.swift"),
      encoding: .utf8)
    let code = source.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty && !$0.hasPrefix("//") }
    #expect(code.filter { $0.hasPrefix("import ") } == ["import CLVKit"])
    #expect(code.count < 40, "\(code.count) lines of code")
  }
}
