import CLVData
import CLVEvaluation
import CLVModels
import Foundation
import TestSupport
import Testing

@testable import CLVReport

/// Three runs with two splits: the report groups them, marks "best" only within a group, names
/// every run by its id, styles every (run, model) pair apart, and renders in Chromium.
@Suite struct ReportGroupsConsistencyTests {
  /// Runs A and B share the 39-week split (B with a penalizer); run C ends calibration 13 weeks
  /// later (a 26-week holdout). C is given the best numbers so that a mark crossing groups
  /// would show.
  static func threeRuns() -> ComparisonReport {
    var a = SyntheticRun.make(run: "cdnow-39", seed: 1)
    var b = SyntheticRun.make(run: "cdnow-39-pen", seed: 2, skew: 0.02)
    b.options = RunFile.Options(penalizer: 0.01, seed: 1)
    b.models[3].parameters["q"] = 0.95  // Gamma-Gamma without a finite mean spend
    var c = SyntheticRun.make(run: "cdnow-26", seed: 3, skew: -0.01)
    c.data.calibrationEnd = "1997-12-31"
    c.data.holdoutLength = 26
    for index in c.models.indices {
      c.models[index].holdout?.mae *= 0.5
      c.models[index].holdout?.rmse *= 0.5
      if let auc = c.models[index].churn?.auc { c.models[index].churn?.auc = min(auc + 0.1, 1) }
    }
    // The calibration diagnostics of a real BG/NBD (CDNOW parameters, [FHL2005a]).
    let model = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    let rows = (0..<200).map { (i: Int) -> RFMSummary.Row in
      let x = i % 9
      let recency: Double = x == 0 ? 0 : Double(i % 30) + 1
      return RFMSummary.Row(customerID: String(i), frequency: x, recency: recency, age: 39)
    }
    for run in [0, 1, 2] {
      var file = [a, b, c][run]
      file.models[0].frequencyRecency = PurchaseDiagnostics.frequencyRecency(
        model, rows: rows, discrete: false)
      file.models[0].repeatPurchases = PurchaseDiagnostics.repeatPurchases(model, rows: rows)
      switch run {
      case 0: a = file
      case 1: b = file
      default: c = file
      }
    }
    return ComparisonReport([
      .init(file: "runs/a.json", run: a), .init(file: "runs/b.json", run: b),
      .init(file: "runs/c.json", run: c),
    ])
  }

  static let groupOfRun = ["cdnow-39": "A", "cdnow-39-pen": "A", "cdnow-26": "B"]

  /// The run ids a piece of text names.
  static func runs(in text: String) -> Set<String> {
    // Longest first, so that "cdnow-39-pen" is not also read as "cdnow-39".
    var rest = text
    var found = Set<String>()
    for id in groupOfRun.keys.sorted(by: { $0.count > $1.count }) where rest.contains(id) {
      found.insert(id)
      rest = rest.replacingOccurrences(of: id, with: "")
    }
    return found
  }

  /// Every table's and chart's best marks (bold cells) compare only runs of one group.
  static func checkBestMarks(_ root: XMLNode) {
    var marked = 0
    for table in root.elements("table") where !table.elements("strong").isEmpty {
      marked += 1
      let runs = runs(in: table.allText)
      let groups = Set(runs.compactMap { groupOfRun[$0] })
      let caption = table.elements("caption").first?.allText ?? ""
      #expect(
        groups.count == 1, "a table with best marks mixes groups \(groups.sorted()): \(caption)")
    }
    #expect(marked >= 4, "expected bold marks in the holdout, churn and cohort tables")
  }

  @Test func bestMarksStayWithinAGroupAndEveryRunIsNamed() throws {
    let report = Self.threeRuns()
    #expect(report.groups.map(\.runIndices) == [[0, 1], [2]])
    let root = try #require(XMLNode.parse(report.html()))
    Self.checkBestMarks(root)
    let text = root.allText
    for id in Self.groupOfRun.keys { #expect(text.contains(id), "run id \(id) missing") }
    #expect(!text.contains("run 1") && !text.contains("run 3"))
    // The summary says which runs are comparable and what differs.
    let summary = root.elements("ul").first?.allText ?? ""
    #expect(summary.contains("Group A: Runs cdnow-39 and cdnow-39-pen on cdnow_master.csv"))
    #expect(summary.contains("Group B: Run cdnow-26"))
    #expect(summary.contains("the calibration end"))
    #expect(summary.contains("the holdout length"))
    // The input path is named once per group, not in every bullet.
    #expect(
      root.elements("li").filter { $0.allText.contains("cdnow_master.csv") }.count == 2)
    // The penalized run's Gamma-Gamma is flagged.
    #expect(summary.contains("Warning: Gamma-Gamma (cdnow-39-pen): q = 0.95 ≤ 1"))
    // Its options are shown.
    let runsTable = try #require(root.elements("table").first)
    #expect(runsTable.allText.contains("Penalizer"))
    #expect(runsTable.allText.contains("0.01"))
    // Legends name runs by id.
    let tracking = try #require(root.all.first { $0.attributes["id"] == "chart-tracking-1" })
    let legend = tracking.elements(class: "legend-entry").map(\.allText)
    #expect(legend.contains("BG/NBD (cdnow-39-pen)"))
    #expect(!legend.contains { $0.contains("cdnow-26") }, "group B has its own tracking chart")
  }

  @Test func everyRunAndModelHasItsOwnStyle() {
    let entries = Self.threeRuns().entries
    let shared = entries.filter { !ComparisonReport.spendOnly($0.result) }
    #expect(Set(shared.map(\.style)).count == shared.count)
    // A model keeps its colour across runs; runs differ by variant.
    let bgnbd = shared.filter { $0.result.model == "bgnbd" }
    #expect(Set(bgnbd.map(\.style.color)).count == 1)
    #expect(Set(bgnbd.map(\.style.variant)).count == 3)
    // Twelve or more series without a repeat: 24 styles in turn.
    let styles = (0..<24).map { SeriesStyle(index: $0) }
    #expect(Set(styles).count == 24)
    #expect(Set(styles.map(\.dash)).count == SeriesStyle.variants)
  }

  @Test func newChartsAppearInHTMLAndMarkdown() throws {
    let report = Self.threeRuns()
    let root = try #require(XMLNode.parse(report.html()))
    let ids = Set(root.elements("svg").compactMap { $0.attributes["id"] })
    for id in [
      "chart-repeat-purchases-1", "chart-repeat-purchases-2", "chart-frequency-recency-1",
      "chart-probability-alive-1", "chart-frequency-recency-3", "chart-probability-alive-3",
    ] {
      #expect(ids.contains(id), "missing \(id)")
    }
    let heat = try #require(root.all.first { $0.attributes["id"] == "chart-probability-alive-1" })
    #expect(heat.elements(class: "cells").first?.elements("rect").isEmpty == false)
    let markdown = report.markdown(chartPrefix: "r-")
    #expect(Set(markdown.charts.map(\.name)) == Set(ids.map { "r-\($0.dropFirst(6)).svg" }))
    #expect(markdown.text.contains("Warning: Gamma-Gamma (cdnow-39-pen)"))
    #expect(markdown.text.contains("| Repeat purchases | Actual |"))
  }

  @Test(
    .enabled(
      if: ReportBrowserTests.chromium != nil,
      "no chromium binary on PATH: install Debian's chromium"),
    .timeLimit(.minutes(2)))
  func threeRunsRenderInChromium() throws {
    let html = Self.threeRuns().html()
    let png = try ReportBrowserTests.screenshot(of: html, name: "three-runs")
    var nonWhite = 0
    var sampled = 0
    for y in stride(from: 0, to: png.height, by: 4) {
      for x in stride(from: 0, to: png.width, by: 4) {
        let (r, g, b) = png.rgb(x, y)
        sampled += 1
        if r < 240 || g < 240 || b < 240 { nonWhite += 1 }
      }
    }
    #expect(Double(nonWhite) / Double(sampled) > 0.05)
    // The page that was rendered is the one checked: its best marks stay within groups.
    let root = try #require(XMLNode.parse(html))
    Self.checkBestMarks(root)
    for id in Self.groupOfRun.keys { #expect(root.allText.contains(id)) }
  }
}
