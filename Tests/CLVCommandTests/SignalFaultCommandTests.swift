import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Writing commands killed at several points (SIGTERM, SIGINT, SIGHUP, SIGKILL): every output
/// holds either its old bytes or the complete new ones, a catchable signal leaves no temporary
/// file, and after SIGKILL the next run removes the one left behind. Every command that writes
/// a file is here (`clv demo` runs these same commands in process).
@Suite struct SignalFaultCommandTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var arguments: [String]
    /// Files the command writes (all exist beforehand with old content).
    var outputs: [String]
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "summarize", arguments: ["summarize", "orders.csv", "-o", "summary.csv"],
      outputs: ["summary.csv"]),
    Case(
      name: "train", arguments: ["train", "orders.csv", "--model", "bgnbd", "-o", "trained.json"],
      outputs: ["trained.json"]),
    Case(
      name: "evaluate",
      arguments: [
        "evaluate", "orders.csv", "--models", "bgnbd", "--calibration-end", "2025-06-30", "-o",
        "evaluated.json",
      ],
      outputs: ["evaluated.json"]),
    Case(
      name: "target",
      // replenishment: the win-back list of main is not yet the same from run to run.
      arguments: ["target", "scores.csv", "--campaign", "replenishment", "-o", "list.csv"],
      outputs: ["list.csv"]),
    Case(
      name: "score",
      arguments: ["score", "orders.csv", "--model", "model.json", "-o", "scores.csv"],
      outputs: ["scores.csv"]),
    Case(
      name: "report",
      arguments: ["report", "run.json", "-o", "report.html", "--markdown", "report.md"],
      outputs: ["report.html", "report.md", "report-roc.svg", "report-tracking-1.svg"]),
    Case(
      name: "simulate",
      arguments: [
        "simulate", "--customers", "20000", "--seed", "9", "-o", "sim.csv", "--truth", "sim.json",
      ],
      outputs: ["sim.csv", "sim.json"]),
  ]

  /// A folder with orders, a model and a run file, shared by the cases (built once).
  static let inputs: Result<URL, Error> = Result {
    try Fixtures.folder(running: [
      ["simulate", "--customers", "20000", "--seed", "1", "-o", "orders.csv"],
      ["train", "orders.csv", "--model", "bgnbd", "-o", "model.json"],
      ["score", "orders.csv", "--model", "model.json", "-o", "scores.csv"],
      [
        "evaluate", "orders.csv", "--models", "bgnbd,gamma-gamma", "--calibration-end",
        "2025-06-30", "-o", "run.json",
      ],
    ])
  }

  private func temporaries(in dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
  }

  /// The outputs' bytes; in JSON outputs (model and run files) the lines that differ from run
  /// to run (`createdAt`, `run`, `seconds`, `cpuSeconds`) are left out, so that two complete
  /// runs compare equal and a cut-off file still does not.
  private func contents(_ names: [String], in dir: URL) -> [String: Data] {
    var result: [String: Data] = [:]
    for name in names {
      var data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path)
      if name.hasSuffix(".json"), let bytes = data {
        let volatile = [#""createdAt""#, #""run""#, #""seconds""#, #""cpuSeconds""#]
        let lines = String(decoding: bytes, as: UTF8.self).split(
          separator: "\n", omittingEmptySubsequences: false
        ).filter { line in
          !volatile.contains { line.trimmingPrefix(while: { $0 == " " }).hasPrefix($0) }
        }
        data = Data(lines.joined(separator: "\n").utf8)
      }
      result[name] = data
    }
    return result
  }

  @Test(arguments: cases) func killedRunsLeaveOldOrNewOutputsAndNoTemporaryFile(_ c: Case) throws {
    let dir = try Fixtures.copies(
      of: ["orders.csv", "model.json", "run.json", "scores.csv"], from: try Self.inputs.get())
    defer { try? FileManager.default.removeItem(at: dir) }
    // The complete new outputs, from an uninterrupted run; its duration sets the kill points.
    let started = Date()
    let reference = try Fixtures.runCLV(c.arguments, in: dir)
    let duration = Date().timeIntervalSince(started)
    #expect(reference.status == 0, "\(reference.standardError)")
    let new = contents(c.outputs, in: dir)
    var old: [String: Data] = [:]
    for name in c.outputs {
      old[name] = Data("old \(name)\n".utf8)
    }

    var caughtWriting = 0
    let points: [Fixtures.SignalPoint] = [
      .after(duration * 0.2), .after(duration * 0.7), .afterTemporaryFile(0),
      .afterTemporaryFile(0.002),
    ]
    for signal in [SIGTERM, SIGINT, SIGHUP, SIGKILL] {
      for point in points {
        for (name, bytes) in old {
          try bytes.write(to: dir.appendingPathComponent(name))
        }
        let run = try Fixtures.runCLV(c.arguments, in: dir, signal: signal, at: point)
        let label = "\(c.name), signal \(signal) \(point) (a full run takes \(duration) s)"
        if run.killedBySignal {
          #expect(run.status == signal, "\(label)")
          if run.temporaryExisted { caughtWriting += 1 }
        } else {
          #expect(run.status == 0, "\(label): finished with \(run.status)")
        }
        let now = contents(c.outputs, in: dir)
        for name in c.outputs {
          #expect(now[name] == old[name] || now[name] == new[name], "\(label): \(name) is partial")
        }
        if signal != SIGKILL {
          #expect(try temporaries(in: dir) == [], "\(label)")
        }
      }
    }
    // The test is meaningful only if some signals arrived while an output was being written.
    #expect(caughtWriting >= 2, "only \(caughtWriting) signals arrived during writing")
    // SIGKILL cannot be caught: the next run into the folder removes what it left.
    let next = try Fixtures.runCLV(c.arguments, in: dir)
    #expect(next.status == 0)
    #expect(try temporaries(in: dir) == [])
    #expect(contents(c.outputs, in: dir) == new)
  }
}
