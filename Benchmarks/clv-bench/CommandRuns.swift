import CLVData
import CLVModels
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One program run as a user runs it: a child process, measured by `wait4`.
struct CommandFigures: Codable {
  /// What ran, e.g. `train --model bgnbd`.
  var name: String
  var wallSeconds: Double
  /// User + system CPU time of the child (all its threads).
  var cpuSeconds: Double
  /// The child's peak resident memory (`ru_maxrss`), in MB.
  var peakMemoryMB: Double
}

/// The commands of one size, and lifetimes on the same file when a venv is available.
struct CommandRuns: Codable {
  var customers: Int
  /// 1-minute load average before and after the runs of this size (`/proc/loadavg`).
  var loadBefore: Double
  var loadAfter: Double
  /// summarize, train bgnbd, train gamma-gamma, score (the pipeline), then train pnbd and
  /// train mbgnbd.
  var commands: [CommandFigures]
  /// Σ wall time of the four pipeline commands.
  var pipelineWallSeconds: Double
  /// The largest peak memory of the four pipeline commands.
  var pipelinePeakMemoryMB: Double
  /// Reading the summary CSV `clv summarize` wrote (the first step of `train`), in process:
  /// wall and CPU seconds of `SummaryCSVReader.read`.
  var summaryReadSeconds: Double
  var summaryReadCPUSeconds: Double
  /// lifetimes 0.11.3 doing the same (read, summary, BG/NBD, Gamma-Gamma, CLV), if run.
  var lifetimes: CommandFigures?
  /// Its own stage times (seconds), as printed by `scripts/bench/lifetimes_pipeline.py`.
  var lifetimesStages: [String: Double]?
  /// The versions it ran with (lifetimes, numpy, scipy, pandas, python).
  var lifetimesVersions: [String: String]?
  /// lifetimes wall / pipeline wall.
  var ratio: Double?
}

enum Commands {
  /// Runs the pipeline's commands on `orders` in `folder` (outputs written there), then
  /// lifetimes if `python` is given.
  static func measure(
    orders: URL, customers: Int, clv: String, folder: URL, python: String?, script: String
  ) throws -> CommandRuns {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    let loadBefore = loadAverage()
    let pipeline: [(String, [String])] = [
      ("summarize", ["summarize", orders.path, "-o", path("summary.csv")]),
      (
        "train --model bgnbd",
        ["train", path("summary.csv"), "--model", "bgnbd", "-o", path("bg.json")]
      ),
      (
        "train --model gamma-gamma",
        ["train", path("summary.csv"), "--model", "gamma-gamma", "-o", path("gg.json")]
      ),
      (
        "score (BG/NBD + Gamma-Gamma, CLV)",
        [
          "score", orders.path, "--model", path("bg.json"), "--spend-model", path("gg.json"),
          "--horizon", "52", "--discount-rate", "0.01", "-o", path("scores.csv"),
        ]
      ),
    ]
    let others: [(String, [String])] = [
      (
        "train --model pnbd",
        ["train", path("summary.csv"), "--model", "pnbd", "-o", path("pnbd.json")]
      ),
      (
        "train --model mbgnbd",
        ["train", path("summary.csv"), "--model", "mbgnbd", "-o", path("mbg.json")]
      ),
    ]
    var commands: [CommandFigures] = []
    for (name, arguments) in pipeline + others {
      let (figures, _) = try run(name: name, clv, arguments)
      commands.append(figures)
    }
    let steps = commands.prefix(pipeline.count)
    let readStarted = now()
    let readStartedCPU = threadCPUSeconds()
    let read = try SummaryCSVReader.read(path: path("summary.csv"), unit: .week)
    let readSeconds = now() - readStarted
    let readCPUSeconds = threadCPUSeconds() - readStartedCPU
    guard read.summary.rows.count == customers else {
      throw BenchError.usage("summary.csv has \(read.summary.rows.count) rows")
    }
    var result = CommandRuns(
      customers: customers, loadBefore: loadBefore, loadAfter: 0, commands: commands,
      pipelineWallSeconds: steps.reduce(0) { $0 + $1.wallSeconds },
      pipelinePeakMemoryMB: steps.map(\.peakMemoryMB).max() ?? 0,
      summaryReadSeconds: readSeconds, summaryReadCPUSeconds: readCPUSeconds)
    if let python {
      let (figures, output) = try run(
        name: "lifetimes 0.11.3 (read, summary, BG/NBD, Gamma-Gamma, CLV)", python,
        [script, orders.path])
      result.lifetimes = figures
      if let report = try? JSONDecoder().decode(LifetimesReport.self, from: output) {
        result.lifetimesStages = report.seconds
        result.lifetimesVersions = report.versions
      }
      result.ratio = figures.wallSeconds / result.pipelineWallSeconds
    }
    result.loadAfter = loadAverage()
    return result
  }

  struct LifetimesReport: Codable {
    var seconds: [String: Double]
    var versions: [String: String]
  }

  /// Spawns `path` with `arguments` (stdout captured into a temporary file, stderr discarded),
  /// waits with `wait4` and returns its wall time, CPU time and peak memory, and its stdout.
  static func run(
    name: String, _ path: String, _ arguments: [String]
  ) throws -> (
    CommandFigures, Data
  ) {
    let outputPath = FileManager.default.temporaryDirectory
      .appendingPathComponent("clv-bench-\(getpid())-stdout").path
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    let started = now()
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
    guard spawned == 0 else {
      throw BenchError.childFailed(([path] + arguments).joined(separator: " "), spawned)
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
      guard errno == EINTR else {
        throw BenchError.childFailed(([path] + arguments).joined(separator: " "), errno)
      }
    }
    let wall = now() - started
    let output = (try? Data(contentsOf: URL(fileURLWithPath: outputPath))) ?? Data()
    unlink(outputPath)
    // Exited normally with status 0 (WIFEXITED && WEXITSTATUS == 0).
    guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
      throw BenchError.childFailed(([path] + arguments).joined(separator: " "), status)
    }
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
    let figures = CommandFigures(
      name: name, wallSeconds: wall, cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
      peakMemoryMB: Double(usage.ru_maxrss) / 1024)
    return (figures, output)
  }

  /// The 1-minute load average, or −1 where /proc/loadavg is missing.
  static func loadAverage() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
      let first = text.split(separator: " ").first, let value = Double(first)
    else { return -1 }
    return value
  }

  static func printTable(_ runs: [CommandRuns]) {
    print("Commands as users run them (each a child process; wall, CPU = user + sys, peak RSS):")
    for run in runs {
      print(
        "\(run.customers) customers (load average \(BenchDriver.fmt(run.loadBefore, 2)) before, "
          + "\(BenchDriver.fmt(run.loadAfter, 2)) after):")
      var lines = run.commands
      if let lifetimes = run.lifetimes { lines.append(lifetimes) }
      for c in lines {
        print(
          "  \(c.name.padding(toLength: 60, withPad: " ", startingAt: 0)) wall "
            + "\(BenchDriver.fmt(c.wallSeconds, 2)) s, CPU \(BenchDriver.fmt(c.cpuSeconds, 2)) s, "
            + "peak \(BenchDriver.fmt(c.peakMemoryMB, 0)) MB")
      }
      var summary =
        "  pipeline (summarize + train bgnbd + train gamma-gamma + score): wall "
        + "\(BenchDriver.fmt(run.pipelineWallSeconds, 2)) s, peak \(BenchDriver.fmt(run.pipelinePeakMemoryMB, 0)) MB"
      if let ratio = run.ratio { summary += "; lifetimes / clv = \(BenchDriver.fmt(ratio, 1))×" }
      print(summary)
      print(
        "  reading the summary CSV in process: \(BenchDriver.fmt(run.summaryReadSeconds, 3)) s "
          + "wall, \(BenchDriver.fmt(run.summaryReadCPUSeconds, 3)) s CPU")
    }
  }
}
