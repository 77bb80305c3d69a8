import Foundation
import TestSupport
import Testing

/// The crash and hang reproducers of issue 20: each ends, within a bounded time, with a
/// documented exit code and one clear line on standard error, leaves no temporary file and
/// does not change an existing output.
@Suite struct CrashFaultCommandTests {
  /// A folder with a small order log, a BG/NBD and a Gamma-Gamma model and a run file (built
  /// once).
  static let inputs: Result<URL, Error> = Result {
    try Fixtures.folder(running: [
      ["simulate", "--customers", "300", "--seed", "3", "-o", "orders.csv"],
      ["train", "orders.csv", "--model", "bgnbd", "-o", "model.json"],
      ["train", "orders.csv", "--model", "gamma-gamma", "-o", "spend.json"],
      [
        "evaluate", "orders.csv", "--models", "bgnbd", "--calibration-end", "2025-06-30", "-o",
        "run.json",
      ],
    ])
  }

  /// A fresh copy of the inputs with an existing output `out` holding "old".
  private func workspace() throws -> URL {
    let dir = try Fixtures.copies(
      of: ["orders.csv", "model.json", "spend.json", "run.json"], from: try Self.inputs.get())
    try Data("old\n".utf8).write(to: dir.appendingPathComponent("out"))
    return dir
  }

  /// Runs `arguments` (writing to `out`) and checks: exit `status`, one `clv: error:` or
  /// `Error:` line containing `message`, `out` unchanged, no temporary file.
  private func expectFailure(
    _ arguments: [String], in dir: URL, status: Int32, message: String, timeout: Double = 120,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let run = try Fixtures.runCLV(arguments, in: dir, timeout: timeout)
    let label = arguments.joined(separator: " ")
    #expect(
      !run.timedOut, "\(label): still running after \(timeout) s", sourceLocation: sourceLocation)
    #expect(run.status == status, "\(label): \(run.standardError)", sourceLocation: sourceLocation)
    let errors = run.standardError.split(separator: "\n").filter {
      $0.hasPrefix("clv: error:") || $0.hasPrefix("Error:")
    }
    #expect(errors.count == 1, "\(label): \(run.standardError)", sourceLocation: sourceLocation)
    #expect(
      errors.first?.contains(message) == true, "\(label): \(run.standardError)",
      sourceLocation: sourceLocation)
    let out = FileManager.default.contents(atPath: dir.appendingPathComponent("out").path)
    #expect(out == Data("old\n".utf8), "\(label): output changed", sourceLocation: sourceLocation)
    let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
      $0.contains(".tmp-")
    }
    #expect(left == [], "\(label): temporary files left", sourceLocation: sourceLocation)
  }

  @Test(arguments: [["--q", "0.1"], ["--p", "1e308"], ["--gamma", "1e308"]])
  func simulateWithUnwritableAmountsFails(_ options: [String]) throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    try expectFailure(
      ["simulate", "--customers", "1000", "-o", "out", "--truth", "out.truth"] + options, in: dir,
      status: 64, message: "largest amount written to the cent")
  }

  @Test func simulateBeyondYear9999IsRejected() throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    try expectFailure(
      ["simulate", "--customers", "10", "--start", "9999-12-31", "-o", "out"], in: dir,
      status: 64, message: "ends after 9999-12-31")
  }

  @Test func scoreWithAHorizonNeedingTooManyTermsIsRejected() throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    try expectFailure(
      [
        "score", "orders.csv", "--model", "model.json", "--spend-model", "spend.json",
        "--horizon", "10000000000000000000", "--discount-rate", "0.0001", "-o", "out",
      ], in: dir, status: 64, message: "per-unit terms of the CLV sum")
  }

  /// `--horizon` 10⁷ and 10¹⁹ finish in seconds: with the default rate 0 by the closed form
  /// E[Y(H)], with a positive rate because the sum stops where its tail is below rounding: the
  /// CLV over 10⁷ units with d = 0.1 equals the one over 1 000 units (K = 411 terms suffice).
  @Test(arguments: ["10000000", "10000000000000000000"])
  func scoreWithAHugeHorizonFinishes(_ horizon: String) throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    var clvs: [[String]] = []
    for (h, rate) in [(horizon, "0.1"), ("1000", "0.1"), (horizon, "0")] {
      let run = try Fixtures.runCLV(
        [
          "score", "orders.csv", "--model", "model.json", "--spend-model", "spend.json",
          "--horizon", h, "--discount-rate", rate, "-o", "scores.csv",
        ], in: dir, timeout: 120)
      #expect(!run.timedOut && run.status == 0, "\(run.standardError)")
      let text = try String(contentsOf: dir.appendingPathComponent("scores.csv"), encoding: .utf8)
      let lines = text.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
      let column = try #require(lines.first?.firstIndex(of: "clv"))
      clvs.append(lines.dropFirst().map { $0[column] })
    }
    #expect(clvs[0] == clvs[1])
    #expect(clvs[2].allSatisfy { Double($0)?.isFinite == true })
  }

  /// A run file whose tracking series holds 1e308 (finite, but beyond any chart scale) is
  /// rejected as bad data, naming the file and field.
  @Test func reportOfAHugeExpectedCumulativeFails() throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("run.json")
    var text = try String(contentsOf: path, encoding: .utf8)
    let range = try #require(
      text.range(of: #""expectedCumulative" : [0-9.e+-]+"#, options: .regularExpression))
    text.replaceSubrange(range, with: #""expectedCumulative" : 1e308"#)
    try text.write(to: path, atomically: true, encoding: .utf8)
    try expectFailure(
      ["report", "run.json", "-o", "out"], in: dir, status: 65, message: "run.json")
  }

  /// Pareto/NBD on data whose purchase rates hardly vary (r, α → ∞ together): the fit stops at
  /// its time budget with exit 70 and its best point, saying how far it is on the way.
  @Test func paretoNBDOnDegenerateDataStopsAtItsBudget() throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    let simulated = try Fixtures.runCLV(
      [
        "simulate", "--customers", "300", "--seed", "4", "--r", "50", "--alpha", "0.5", "--a",
        "0.01", "--b", "100", "-o", "h.csv",
      ], in: dir)
    #expect(simulated.status == 0)
    let started = Date()
    try expectFailure(
      ["train", "h.csv", "--model", "pnbd", "--fit-time-limit", "3", "-o", "out"], in: dir,
      status: 70, message: "Pareto/NBD: the fit stopped at its budget", timeout: 120)
    // The budget bounds the run: 3 s plus reading, and one ₂F₁ pair past the deadline.
    #expect(Date().timeIntervalSince(started) < 60)
    // With CLV_PROGRESS=1 (or on a terminal) the fit says how far it is after 2 s.
    let run = try Fixtures.runCLV(
      ["train", "h.csv", "--model", "pnbd", "--fit-time-limit", "4", "-o", "out"], in: dir,
      timeout: 120, environment: ["CLV_PROGRESS": "1"])
    #expect(run.status == 70)
    #expect(
      run.standardError.contains("clv: train: Pareto/NBD: fitting for"), "\(run.standardError)")
  }
}
