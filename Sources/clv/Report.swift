import ArgumentParser
import CLVData
import CLVEvaluation
import CLVReport
import Foundation

struct Report: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compare evaluation runs in a self-contained HTML report.",
    discussion: """
      Reads one or more run files written by 'clv evaluate' and writes one HTML file with \
      inline CSS and SVG charts (no scripts, no network access): a plain-language summary, \
      parameter estimates with 95% intervals, log-likelihood, AIC and BIC, holdout accuracy, \
      the tracking and conditional-expectation plots, a per-cohort table, ROC curves, lift, \
      P(alive) histograms and the spend comparison. Runs on the same data are compared \
      directly. With --markdown, the same tables are also written as Markdown, with each \
      chart as an SVG file beside it named after it (for report.md: report-tracking-1.svg, \
      report-roc.svg, …). Outputs are written atomically: nothing is written when any input \
      is invalid, and an error leaves existing files as they were.
      """
  )

  @Argument(
    help: ArgumentHelp(
      "Run files written by 'clv evaluate' ('-' reads one from standard input).",
      valueName: "run.json"))
  var runs: [String]

  @Option(
    name: [.customShort("o"), .customLong("output")],
    help: ArgumentHelp(
      "The HTML report to write ('-' for standard output). Required; no default.",
      valueName: "report.html"))
  var output: String

  @Option(
    help: ArgumentHelp(
      "Also write the report as Markdown to this file, with the charts as SVG files beside it "
        + "named after it (default: no Markdown).",
      valueName: "report.md"))
  var markdown: String?

  func validate() throws {
    guard !runs.isEmpty else { throw ValidationError("Give at least one run file.") }
    guard runs.filter({ $0 == "-" }).count <= 1 else {
      throw ValidationError("Standard input ('-') can be read only once.")
    }
    if markdown == "-" {
      throw ValidationError("--markdown needs a file name (its charts are written beside it).")
    }
    if let markdown, markdown == output {
      throw ValidationError("--markdown and --output must be different files.")
    }
  }

  func run() throws {
    var inputs: [ComparisonReport.Input] = []
    for path in runs {
      let data = try Self.read(path)
      let name = path == "-" ? "<stdin>" : path
      inputs.append(.init(file: name, run: try RunFile.decode(data, file: name)))
    }
    let report = ComparisonReport(inputs)

    // Open every output first, commit only when all are written.
    var outputs: [AtomicOutput] = []
    if let markdown {
      let (folder, stem) = Self.folderAndStem(markdown)
      let rendered = report.markdown(chartPrefix: stem + "-")
      for chart in rendered.charts {
        let file = try AtomicOutput(path: folder + chart.name)
        try file.write(chart.svg)
        outputs.append(file)
      }
      let file = try AtomicOutput(path: markdown)
      try file.write(rendered.text)
      outputs.append(file)
    }
    let html = try AtomicOutput(path: output)
    try html.write(report.html())
    outputs.append(html)
    try AtomicOutput.commit(outputs)  // all of them or none
  }

  /// The bytes of a file, or of standard input for `-`.
  static func read(_ path: String) throws -> Data {
    if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw DataError.notReadable(path: path, reason: "no such file")
    }
    guard !isFolder.boolValue else {
      throw DataError.notReadable(path: path, reason: "is a folder")
    }
    do {
      return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw DataError.notReadable(path: path, reason: "permission denied or not a regular file")
    }
  }

  /// `"out/report.md"` → (`"out/"`, `"report"`).
  static func folderAndStem(_ path: String) -> (String, String) {
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[...$0]) } ?? ""
    var name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    if let dot = name.lastIndex(of: "."), dot != name.startIndex {
      name = String(name[..<dot])
    }
    return (folder, name)
  }
}
