import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `clv-bench`: the release-mode benchmark of the whole pipeline (`make bench`).
///
/// For each size it makes (once, cached under `.build/bench-data/`) a seeded order log with
/// `clv simulate`, then runs the measured pipeline in a child process of its own, so that the
/// peak memory (getrusage `ru_maxrss`) belongs to that size alone. It prints a table and writes
/// the figures as JSON (`.build/bench-results.json`, or `--json PATH`).
@main
struct BenchDriver {
  static func main() throws {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "--child" {
      // Child: measure one order log and print one JSON object on stdout.
      guard arguments.count >= 2 else { throw BenchError.usage("--child needs an order log") }
      let figures = try Pipeline.measure(ordersPath: arguments[1])
      let data = try JSONEncoder().encode(figures)
      FileHandle.standardOutput.write(data)
      return
    }
    var sizes = [10_000, 100_000, 1_000_000]
    var jsonPath = ".build/bench-results.json"
    var python: String? =
      FileManager.default.isExecutableFile(atPath: ".venv-bench/bin/python")
      ? ".venv-bench/bin/python" : nil
    var index = 0
    while index < arguments.count {
      switch arguments[index] {
      case "--sizes":
        index += 1
        sizes = arguments[index].split(separator: ",").compactMap { Int($0) }
      case "--json":
        index += 1
        jsonPath = arguments[index]
      case "--python":
        index += 1
        python = arguments[index]
      case "--no-lifetimes":
        python = nil
      case "--markdown":
        // Print the guide's tables from a results file and stop (no measuring).
        let path = index + 1 < arguments.count ? arguments[index + 1] : jsonPath
        let report = try JSONDecoder().decode(
          BenchReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        print(Markdown.render(report), terminator: "")
        return
      case "-h", "--help":
        print(
          """
          usage: clv-bench [--sizes 10000,100000,1000000] [--json PATH] [--python PATH | --no-lifetimes]
                 clv-bench --markdown [PATH]
            --python:   a Python with lifetimes 0.11.3 (default .venv-bench/bin/python when present,
                        made by scripts/bench/make-venv.sh) to run lifetimes on the same files
            --markdown: print the tables of notebooks-md/guides/performance.md (commands per size:
                        wall, CPU, peak MB; the pipeline; lifetimes and the ratio; the machine and
                        the load) from a results file (default .build/bench-results.json), to paste
          """)
        return
      default:
        throw BenchError.usage(arguments[index])
      }
      index += 1
    }
    let binFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    let dataFolder = URL(fileURLWithPath: ".build/bench-data")
    try FileManager.default.createDirectory(at: dataFolder, withIntermediateDirectories: true)

    var results: [Figures] = []
    var commandRuns: [CommandRuns] = []
    for customers in sizes {
      let orders = try ensureData(customers: customers, in: dataFolder, binFolder: binFolder)
      let output = try runChild(
        binFolder.appendingPathComponent("clv-bench").path, ["--child", orders.path])
      results.append(try JSONDecoder().decode(Figures.self, from: output))
      printTable(results, partial: true)
      // The commands as users run them, and lifetimes on the same file.
      commandRuns.append(
        try Commands.measure(
          orders: orders, customers: customers,
          clv: binFolder.appendingPathComponent("clv").path,
          folder: dataFolder.appendingPathComponent("run-\(customers)"), python: python,
          script: "scripts/bench/lifetimes_pipeline.py"))
    }
    print("In-process stages (library calls, one process per size):")
    printTable(results, partial: false)
    Commands.printTable(commandRuns)
    let report = BenchReport(
      machine: Machine.current(), createdAt: ISO8601DateFormatter().string(from: Date()),
      results: results, commands: commandRuns)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(report).write(to: URL(fileURLWithPath: jsonPath))
    print("wrote \(jsonPath)")
  }

  /// The seeded demo-like order log for `customers`, made with `clv simulate` on first use.
  static func ensureData(customers: Int, in folder: URL, binFolder: URL) throws -> URL {
    let url = folder.appendingPathComponent("orders-\(customers).csv")
    if FileManager.default.fileExists(atPath: url.path) { return url }
    FileHandle.standardError.write(Data("simulating \(customers) customers → \(url.path)\n".utf8))
    _ = try runChild(
      binFolder.appendingPathComponent("clv").path,
      [
        "simulate", "--customers", String(customers), "--seed", "20261122",
        "--start", "2024-01-01", "--acquisition-days", "365", "--days", "730", "-o", url.path,
      ])
    return url
  }

  /// Runs a program to completion and returns its standard output; throws on a non-zero exit.
  static func runChild(_ path: String, _ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw BenchError.childFailed(
        ([path] + arguments).joined(separator: " "),
        process.terminationStatus)
    }
    return data
  }

  static func printTable(_ results: [Figures], partial: Bool) {
    if partial { return }
    let m = Machine.current()
    print("clvkit benchmark, release build, \(m.cores) cores, \(m.memoryGiB) GiB, \(m.os)")
    let header = [
      "customers", "orders", "MB", "ingest rows/s", "ingest MB/s", "summarize s",
      "BG/NBD s (iter)", "Gamma-Gamma s (iter)", "score s", "score cust/s", "segments s",
      "pipeline s", "peak MB", "+ segments: peak MB", "BG/CNBD-k s (k)",
    ]
    var rows: [[String]] = [header]
    for r in results {
      rows.append([
        String(r.customers), String(r.orders), fmt(r.megabytes, 1),
        fmt(Double(r.orders) / r.summarizeSeconds / 1e6, 2) + "M",
        fmt(r.megabytes / r.summarizeSeconds, 0), fmt(r.summarizeSeconds, 3),
        "\(fmt(r.bgnbdSeconds, 3)) (\(r.bgnbdIterations))",
        "\(fmt(r.gammaGammaSeconds, 3)) (\(r.gammaGammaIterations))",
        fmt(r.scoreSeconds, 3), fmt(Double(r.customers) / r.scoreSeconds / 1e6, 2) + "M",
        fmt(r.segmentSeconds, 3),
        fmt(r.pipelineSeconds, 3), fmt(r.peakMemoryMB, 0), fmt(r.peakMemoryWithSegmentsMB, 0),
        r.cnbdSeconds.map { "\(fmt($0, 3)) (\(r.cnbdK ?? 0))" } ?? "",
      ])
    }
    let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max()! }
    for (i, row) in rows.enumerated() {
      print(
        "| "
          + zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
          .joined(separator: " | ") + " |")
      if i == 0 {
        print(
          "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|")
      }
    }
  }

  static func fmt(_ value: Double, _ decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
  }
}

enum BenchError: Error, CustomStringConvertible {
  case usage(String)
  case childFailed(String, Int32)
  var description: String {
    switch self {
    case .usage(let a): return "clv-bench: unknown argument '\(a)' (see --help)"
    case .childFailed(let c, let s): return "clv-bench: '\(c)' exited with \(s)"
    }
  }
}

/// The figures of one size.
struct Figures: Codable {
  var customers: Int
  var orders: Int
  var megabytes: Double
  var summarizeSeconds: Double
  var bgnbdSeconds: Double
  var bgnbdIterations: Int
  var gammaGammaSeconds: Double
  var gammaGammaIterations: Int
  var scoreSeconds: Double
  var segmentSeconds: Double
  var pipelineSeconds: Double
  var peakMemoryMB: Double
  var peakMemoryWithSegmentsMB: Double
  /// BG/CNBD-k: the summary with litt, the fit over k = 1 … 12, the chosen k (nil in results
  /// files written before it was measured).
  var cnbdSummarizeSeconds: Double?
  var cnbdSeconds: Double?
  var cnbdK: Int?
}

struct BenchReport: Codable {
  var machine: Machine
  var createdAt: String
  /// In-process stages per size.
  var results: [Figures]
  /// The commands as child processes per size (and lifetimes, when run).
  var commands: [CommandRuns]
}

/// What the figures were measured on.
struct Machine: Codable {
  var cores: Int
  var memoryGiB: Int
  var os: String
  var cpu: String

  static func current() -> Machine {
    let info = ProcessInfo.processInfo
    let cpu =
      (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
      .split(separator: "\n").first { $0.hasPrefix("model name") }
      .map {
        String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(
          in: .whitespaces)
      } ?? "unknown"
    return Machine(
      cores: info.activeProcessorCount,
      memoryGiB: Int((Double(info.physicalMemory) / 1_073_741_824).rounded()),
      os: info.operatingSystemVersionString, cpu: cpu)
  }
}

/// Peak resident memory of this process so far, in MB (Linux reports `ru_maxrss` in KiB).
func peakMemoryMB() -> Double {
  var usage = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  return Double(usage.ru_maxrss) / 1024
}

/// Seconds on the monotonic clock.
func now() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
