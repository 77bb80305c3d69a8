import ArgumentParser
import CLVData
import CLVEvaluation
import CLVReport
import CLVScoring
import Foundation

struct Report: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compare evaluation runs in a self-contained HTML report.",
    discussion: """
      Reads one or more run files written by 'clv evaluate' and writes one HTML file with \
      inline CSS and SVG charts (no scripts, no network access): a plain-language summary \
      with each model's warnings (a failed or non-converged fit, a degenerate fit, \
      Gamma-Gamma with q <= 1), the runs with the options they ran with, parameter \
      estimates with 95% intervals, log-likelihood, AIC and BIC, holdout accuracy, the \
      tracking and conditional-expectation plots, a per-cohort table, the calibration \
      repeat-purchase histogram, ROC curves, lift, P(alive) histograms, frequency-recency \
      heat maps of expected purchases and P(alive), and the spend comparison; with \
      --campaign, a section per campaign readout of 'clv measure --json'; with --cohorts, a \
      Cohorts section from the CSV of 'clv cohorts': the retention triangle as a heat map, \
      cumulative revenue per customer by period and a table per cohort (with its CAC, \
      margin over CAC and payback period when written with --cac), and for a table \
      written with --scores the predicted unit economics (CLV:CAC, payback, first-order \
      profit against predicted CLV) as a bar chart and tables. Runs are \
      compared directly only within a group of the same data and split (file hash, \
      calibration end, observation end, unit): the summary names the groups and what \
      differs between them, and "best" marks never cross groups. With --markdown, the same tables are also written as Markdown, with each \
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

  @Option(
    name: .customLong("campaign"),
    help: ArgumentHelp(
      "A campaign readout written by 'clv measure --json', shown in a Campaigns section "
        + "(repeat for several; default: none).",
      valueName: "readout.json"))
  var campaigns: [String] = []

  @Option(
    name: .customLong("cohorts"),
    help: ArgumentHelp(
      "An acquisition-cohort table written by 'clv cohorts', shown in a Cohorts section "
        + "(default: none).",
      valueName: "cohorts.csv"))
  var cohorts: String?

  func validate() throws {
    guard !runs.isEmpty else { throw ValidationError("Give at least one run file.") }
    guard (runs + campaigns + [cohorts].compactMap { $0 }).filter({ $0 == "-" }).count <= 1 else {
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
      let name = path == "-" ? "<stdin>" : path
      inputs.append(.init(file: name, run: try RunFile.read(path: path)))
    }
    var report = ComparisonReport(inputs)
    report.campaigns = try campaigns.map {
      CampaignReportInput(
        file: $0 == "-" ? "<stdin>" : $0, readout: try CampaignReadout.read(path: $0))
    }
    report.cohorts = try cohorts.map {
      CohortReportInput(file: $0 == "-" ? "<stdin>" : $0, table: try CohortTable.read(path: $0))
    }

    // Open every output first, commit only when all are written.
    var outputs: [AtomicOutput] = []
    for file in report.files(html: output, markdown: markdown) {
      let out = try AtomicOutput(path: file.path)
      try out.write(file.contents)
      outputs.append(out)
    }
    try AtomicOutput.commit(outputs)  // all of them or none
  }
}
