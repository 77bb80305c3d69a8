import CLVEvaluation
import CLVModels
import Foundation
import TestSupport
import Testing

@testable import CLVReport

@Suite struct ReportHTMLTests {
  static func twoRuns() -> ComparisonReport {
    ComparisonReport([
      .init(file: "runs/first.json", run: SyntheticRun.make(run: "first-run", seed: 1)),
      .init(
        file: "runs/second.json", run: SyntheticRun.make(run: "second-run", seed: 2, skew: 0.02)),
    ])
  }

  static let chartIDs = [
    "chart-tracking-1", "chart-tracking-incremental-1", "chart-conditional-expectation-1",
    "chart-roc", "chart-churn-calibration",
    "chart-lift", "chart-palive-1", "chart-palive-4", "chart-spend",
  ]

  @Test func htmlIsSelfContainedAndWellFormed() throws {
    let html = Self.twoRuns().html()
    #expect(!html.lowercased().contains("<script"))
    #expect(!html.contains("http://") && !html.contains("https://"))
    #expect(!html.contains("url(") && !html.contains("@import") && !html.contains("<link"))
    #expect(!html.contains(" src=") && !html.contains(" href="))
    #expect(!html.contains("@font-face"))
    #expect(!html.contains("NaN"))
    let root = try #require(XMLNode.parse(html))
    #expect(root.name == "html")
    #expect(root.elements("style").count == 1)
  }

  @Test func everyChartIsPresentWithAxes() throws {
    let root = try #require(XMLNode.parse(Self.twoRuns().html()))
    let svgs = root.elements("svg")
    #expect(svgs.count >= 5)
    let ids = Set(svgs.compactMap { $0.attributes["id"] })
    for id in Self.chartIDs { #expect(ids.contains(id), "missing \(id)") }
    for svg in svgs {
      #expect(!svg.elements(class: "axis-x").isEmpty && !svg.elements(class: "axis-y").isEmpty)
      #expect(svg.elements("title").first?.text.isEmpty == false)
      #expect(svg.elements("figcaption").isEmpty)  // captions live outside the SVG
    }
    #expect(root.elements("figcaption").count == svgs.count)
    // Unique element ids across the page.
    let allIDs = root.all.compactMap { $0.attributes["id"] }
    #expect(Set(allIDs).count == allIDs.count)
  }

  @Test func bothRunsAreCompared() throws {
    let root = try #require(XMLNode.parse(Self.twoRuns().html()))
    let text = root.allText
    for expected in [
      "first-run", "second-run", "runs/first.json", "runs/second.json",
      "BG/NBD (first-run)", "BG/NBD (second-run)", "Pareto/NBD (second-run)",
    ] {
      #expect(text.contains(expected), "missing \(expected)")
    }
    // Both runs have the same data, so one tracking plot holds all four purchase models.
    let tracking = try #require(root.all.first { $0.attributes["id"] == "chart-tracking-1" })
    #expect(tracking.elements(class: "legend-entry").count == 5)
    let lift = try #require(root.all.first { $0.attributes["id"] == "chart-lift" })
    #expect(lift.elements(class: "legend-entry").count == 6)
  }

  @Test func headlineNamesTheWinnerAndTheMargin() throws {
    let report = ComparisonReport([.init(file: "r.json", run: SyntheticRun.make())])
    let lines = report.headlines()
    // Synthetic RMSE (the headline measure, as in `train --model auto`): BG/NBD 1.37,
    // Pareto/NBD 1.37·1.03 = 1.4111: 2.9% lower.
    #expect(
      lines.contains {
        $0.hasPrefix("BG/NBD predicts holdout purchases best") && $0.contains("1.37 purchases")
          && $0.contains("root mean squared error")
          && $0.contains("2.9% lower than Pareto/NBD (1.41)")
      }, "\(lines)")
    // AUC: churn logit 0.792 against BG/NBD and Pareto/NBD 0.760.
    #expect(
      lines.contains {
        $0.hasPrefix("Churn logit separates churners") && $0.contains("AUC 0.792")
          && $0.contains("0.032 above")
      }, "\(lines)")
    // BIC = k ln n − 2 log L with k = 4, n = 2,357: BG/NBD 19,195.9, Pareto/NBD 19,221.1.
    #expect(
      lines.contains {
        $0.contains("BG/NBD fits the calibration data best by BIC")
          && $0.contains("25.2 below Pareto/NBD")
      }, "\(lines)")
    #expect(
      lines.contains { $0.hasPrefix("Gamma-Gamma expects a mean spend") && $0.contains("+4.1%") })
  }

  @Test func parameterIntervalsAreWaldOnTheLogScale() throws {
    let root = try #require(
      XMLNode.parse(ComparisonReport([.init(file: "r.json", run: SyntheticRun.make())]).html()))
    let table = try #require(
      root.elements("table").first {
        $0.elements("caption").first?.text.hasPrefix("Parameter estimates") == true
      })
    let rows = table.elements("tr").map { $0.children.map(\.allText) }
    // BG/NBD r = 0.243, SE 0.013 on the log scale: 0.243 · exp(∓1.959964 · 0.013 / 0.243)
    // = 0.218811 to 0.269863 (python: math.exp), shown to 4 significant digits.
    #expect(
      rows.contains(["BG/NBD", "r", "0.243", "0.013", "0.2188 to 0.2699"]), "\(rows.prefix(30))")
    // Parameters keep the model's order.
    let names = rows.dropFirst().map { $0[1] }
    #expect(Array(names.prefix(4)) == ["r", "alpha", "a", "b"])
  }

  @Test func escapedNamesRoundTrip() throws {
    var run = SyntheticRun.make()
    run.models[0].name = "<BG/NBD> & \"friends\""
    run.run = "x</td><script>alert(1)</script>"
    let html = ComparisonReport([.init(file: "a&b.json", run: run)]).html()
    #expect(!html.contains("<script"))
    let root = try #require(XMLNode.parse(html))
    #expect(root.allText.contains("<BG/NBD> & \"friends\""))
    #expect(root.allText.contains("x</td><script>alert(1)</script>"))
  }

  @Test func reportWithOnlyAChurnModelStillRenders() throws {
    var run = SyntheticRun.make()
    run.models = [run.models[2]]
    let root = try #require(
      XMLNode.parse(ComparisonReport([.init(file: "c.json", run: run)]).html()))
    let ids = Set(root.elements("svg").compactMap { $0.attributes["id"] })
    #expect(ids == ["chart-roc", "chart-churn-calibration", "chart-lift"])
  }

  @Test func outputIsDeterministic() {
    #expect(Self.twoRuns().html() == Self.twoRuns().html())
  }

  @Test func markdownHasTheSameTablesAndWritesEveryChart() throws {
    let report = Self.twoRuns()
    let (text, charts) = report.markdown(chartPrefix: "report-")
    let root = try #require(XMLNode.parse(report.html()))
    for caption in root.elements("caption").map(\.text) {
      #expect(text.contains("**\(ComparisonReport.markdownEscape(caption))**"), "\(caption)")
    }
    #expect(charts.count == root.elements("svg").count)
    for chart in charts {
      #expect(chart.name.hasPrefix("report-") && chart.name.hasSuffix(".svg"))
      #expect(text.contains("](\(chart.name))"))
      let svg = try #require(XMLNode.parse(chart.svg))
      #expect(svg.attributes["xmlns"] == "http://www.w3.org/2000/svg")
    }
    // A table row with right-aligned numeric columns.
    #expect(text.contains("| Model | MAE | RMSE |"))
    #expect(text.contains("|---|---:|---:|"))
  }
}

@Suite struct RunFileInputTests {
  @Test func roundTripsThroughJSON() throws {
    let run = SyntheticRun.make()
    let decoded = try RunFile.decode(Data(try run.encoded().utf8), file: "x.json")
    #expect(decoded == run)
  }

  @Test func committedExampleDecodes() throws {
    let url = Fixtures.repositoryRoot.appendingPathComponent(
      "Tests/CLVReportTests/Fixtures/example-run.json")
    // The fixture is `SyntheticRun.make().encoded()`. After changing the builder or the
    // schema, regenerate it with
    //   CLVKIT_REGENERATE_FIXTURES=1 swift test --filter committedExampleDecodes
    if ProcessInfo.processInfo.environment["CLVKIT_REGENERATE_FIXTURES"] != nil {
      try SyntheticRun.make().encoded().write(to: url, atomically: true, encoding: .utf8)
    }
    let run = try RunFile.decode(try Data(contentsOf: url), file: url.path)
    #expect(run.models.map(\.model) == ["bgnbd", "pnbd", "churn-logit", "gamma-gamma"])
    #expect(run == SyntheticRun.make())
  }

  /// A model file as `clv train` writes it (CLVModels' `ModelFile`), plus a `holdout` object,
  /// is a valid `models[]` entry: the run file carries the model file's content unchanged.
  @Test func modelFileContentIsAModelEntry() throws {
    let report = FitReport(
      logLikelihood: -9582.4, standardErrors: [0.013, 0.3, 0.186, 0.7], iterations: 31,
      functionEvaluations: 40, gradientNorm: 1e-7, converged: true, seconds: 0.1,
      customers: 2357, distinctRows: 1141, penalizer: 0.001, reason: "gradientTolerance")
    let model = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, fitReport: report)
    let file = ModelFile(
      model: model, unit: .time(.week),
      data: .init(file: "cdnow.csv", sha256: "ab", calibrationEnd: "1997-09-30"),
      toolVersion: "0.1.0")
    var object =
      try JSONSerialization.jsonObject(with: Data(try file.jsonText().utf8)) as! [String: Any]
    object["holdout"] = [
      "mae": 0.6, "rmse": 1.4, "predictedTotal": 1500.0, "actualTotal": 1600.0, "bias": -0.04,
    ]
    let entry = try JSONDecoder().decode(
      RunFile.ModelResult.self, from: try JSONSerialization.data(withJSONObject: object))
    #expect(entry.schema == ModelFile.schemaVersion)
    #expect(entry.model == "bgnbd")
    #expect(entry.parameters == ["r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426])
    #expect(entry.standardErrors?["alpha"] == 0.3)
    #expect(entry.logLikelihood == -9582.4 && entry.customers == 2357 && entry.unit == .time(.week))
    #expect(entry.fit?.iterations == 31 && entry.fit?.penalizer == 0.001)
    #expect(entry.data?.calibrationEnd == "1997-09-30")
    #expect(entry.tool == RunFile.Tool(name: "clv", version: "0.1.0"))
    #expect(entry.createdAt == file.createdAt)
    #expect(entry.holdout?.mae == 0.6)
  }

  static func error(_ json: String) -> String {
    do {
      _ = try RunFile.decode(Data(json.utf8), file: "bad.json")
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  @Test func notJSONNamesTheFile() {
    #expect(Self.error("hello").hasPrefix("bad.json: not a run file"))
  }

  @Test func missingFieldIsNamed() throws {
    var object =
      try JSONSerialization.jsonObject(with: Data(try SyntheticRun.make().encoded().utf8))
      as! [String: Any]
    var data = object["data"] as! [String: Any]
    data.removeValue(forKey: "sha256")
    object["data"] = data
    let json = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    let message = Self.error(json)
    #expect(
      message.hasPrefix("bad.json: ") && message.contains("'sha256'") && message.contains("data"),
      "\(message)")
  }

  @Test func wrongSchemaIsRejected() throws {
    var run = SyntheticRun.make()
    run.schema = "clvkit.run/99"
    let message = Self.error(try run.encoded())
    #expect(
      message == "bad.json: schema 'clvkit.run/99' is not supported (expected 'clvkit.run/1')")
  }

  @Test func outOfRangeValuesAreRejected() throws {
    var run = SyntheticRun.make()
    run.models[2].churn!.auc = 1.2
    #expect(
      Self.error(try run.encoded()).contains(
        "models[2] (churn-logit): churn.auc = 1.2 is outside [0, 1]"))
    run = SyntheticRun.make()
    run.models = []
    #expect(Self.error(try run.encoded()) == "bad.json: 'models' is empty")
  }

  @Test func unknownValidationIsRejected() throws {
    let json = try SyntheticRun.make().encoded().replacingOccurrences(
      of: "\"shifted-window\"", with: "\"magic\"")
    #expect(Self.error(json).hasPrefix("bad.json: not a run file: models[2].churn.validation"))
  }
}
