import Foundation

/// `clv-bench --markdown [PATH]`: the tables of `notebooks-md/guides/performance.md` (and the
/// README's ratio line) from a results file that `make bench` wrote, ready to paste: per size
/// the commands as users run them (wall, CPU, peak MB), the pipeline, lifetimes and the ratio,
/// the in-process summary-CSV read, then the in-process stages, with the machine, the date and
/// the load average of the run.
enum Markdown {
  static func render(_ report: BenchReport) -> String {
    var lines: [String] = []
    let m = report.machine
    lines.append(
      "Figures from `make bench` of \(report.createdAt): \(m.cores) cores (\(m.cpu)), "
        + "\(m.memoryGiB) GiB, \(m.os).")
    for run in report.commands {
      let stages = report.results.first { $0.customers == run.customers }
      lines.append("")
      var title = "Commands on \(grouped(run.customers)) customers"
      if let stages {
        title +=
          " (\(grouped(stages.orders)) orders, \(BenchDriver.fmt(stages.megabytes, 1)) MB)"
      }
      lines.append(
        title + "; load average \(BenchDriver.fmt(run.loadBefore, 2)) before, "
          + "\(BenchDriver.fmt(run.loadAfter, 2)) after:")
      lines.append("")
      lines.append("| command | wall | CPU | peak MB |")
      lines.append("|---|---:|---:|---:|")
      func row(_ name: String, _ c: CommandFigures, bold: Bool = false) {
        let name = bold ? "**\(name)**" : name
        let wall = "\(BenchDriver.fmt(c.wallSeconds, 2)) s"
        lines.append(
          "| \(name) | \(bold ? "**\(wall)**" : wall) | \(BenchDriver.fmt(c.cpuSeconds, 2)) s | "
            + "\(BenchDriver.fmt(c.peakMemoryMB, 0)) |")
      }
      let pipelineCount = 4
      for c in run.commands.prefix(pipelineCount) { row("`clv \(c.name)`", c) }
      let steps = run.commands.prefix(pipelineCount)
      row(
        "pipeline (the four above)",
        CommandFigures(
          name: "pipeline", wallSeconds: run.pipelineWallSeconds,
          cpuSeconds: steps.reduce(0) { $0 + $1.cpuSeconds },
          peakMemoryMB: run.pipelinePeakMemoryMB), bold: true)
      for c in run.commands.dropFirst(pipelineCount) { row("`clv \(c.name)`", c) }
      if let lifetimes = run.lifetimes { row(lifetimes.name, lifetimes) }
      lines.append("")
      if let ratio = run.ratio {
        var versions = ""
        if let v = run.lifetimesVersions {
          versions =
            " (" + v.keys.sorted().map { "\($0) \(v[$0]!)" }.joined(separator: ", ") + ")"
        }
        lines.append(
          "**lifetimes / clv = \(BenchDriver.fmt(ratio, 1))×** for the pipeline at "
            + "\(grouped(run.customers)) customers\(versions).")
      } else {
        lines.append("lifetimes was not run (no `.venv-bench`: `scripts/bench/make-venv.sh`).")
      }
      lines.append(
        "Reading the summary CSV in process (`SummaryCSVReader.read`): "
          + "\(BenchDriver.fmt(run.summaryReadSeconds, 3)) s wall, "
          + "\(BenchDriver.fmt(run.summaryReadCPUSeconds, 3)) s CPU.")
    }
    lines.append("")
    lines.append("In-process stages (library calls, one process per size):")
    lines.append("")
    lines.append(
      "| customers | orders | MB | summarize | BG/NBD (iterations) | Gamma-Gamma | scoring "
        + "| segments | pipeline | peak MB | peak MB with segments |")
    lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in report.results {
      func s(_ value: Double) -> String { "\(BenchDriver.fmt(value, 3)) s" }
      lines.append(
        "| \(grouped(r.customers)) | \(grouped(r.orders)) | \(BenchDriver.fmt(r.megabytes, 1)) "
          + "| \(s(r.summarizeSeconds)) | \(s(r.bgnbdSeconds)) (\(r.bgnbdIterations)) "
          + "| \(s(r.gammaGammaSeconds)) | \(s(r.scoreSeconds)) | \(s(r.segmentSeconds)) "
          + "| \(s(r.pipelineSeconds)) | \(BenchDriver.fmt(r.peakMemoryMB, 0)) "
          + "| \(BenchDriver.fmt(r.peakMemoryWithSegmentsMB, 0)) |")
    }
    let cnbd = report.results.compactMap { r in
      r.cnbdSeconds.map { (r, $0) }
    }
    if !cnbd.isEmpty {
      lines.append("")
      lines.append(
        "BG/CNBD-k (`clv train --model bgcnbd-k`: the summary with litt, then twelve fits, "
          + "k = 1 … 12), in process:")
      lines.append("")
      lines.append("| customers | summarize with litt | fit with the k search | k |")
      lines.append("|---:|---:|---:|---:|")
      for (r, seconds) in cnbd {
        let k = r.cnbdK.map(String.init) ?? ""
        lines.append(
          "| \(grouped(r.customers)) | \(BenchDriver.fmt(r.cnbdSummarizeSeconds ?? 0, 3)) s "
            + "| \(BenchDriver.fmt(seconds, 3)) s | \(k) |")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// 1,000,000.
  static func grouped(_ value: Int) -> String {
    let digits = Array(String(value.magnitude))
    var out = ""
    for (i, d) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(d)
    }
    return value < 0 ? "-" + out : out
  }
}
