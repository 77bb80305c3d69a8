import CLVEvaluation

/// The comparison of one or more evaluation runs: a headline summary, fit and holdout tables,
/// and charts, rendered as one self-contained HTML page or as Markdown with SVG files.
///
/// The report only presents what the run files contain; it computes no model quantities
/// except the 95% Wald intervals of the parameters (see ``interval95(_:standardError:positive:)``)
/// and differences between models.
public struct ComparisonReport: Sendable {
  /// A run and the name of the file it came from.
  public struct Input: Sendable {
    public var file: String
    public var run: RunFile
    public init(file: String, run: RunFile) {
      self.file = file
      self.run = run
    }
  }

  public let inputs: [Input]

  /// - Precondition: at least one run.
  public init(_ inputs: [Input]) {
    precondition(!inputs.isEmpty, "a report needs at least one run")
    self.inputs = inputs
  }

  /// One model of one run, with its label and colour in every chart.
  struct Entry {
    var runIndex: Int
    var result: RunFile.ModelResult
    var label: String
    var color: Color
    var dash: String?
    var group: Int
  }

  /// Runs on the same data and split (same file hash, dates and unit) are compared directly.
  struct DataGroup {
    var data: RunFile.DataInfo
    var runIndices: [Int]
    var label: String
  }

  var multipleRuns: Bool { inputs.count > 1 }

  func runLabel(_ index: Int) -> String { "run \(index + 1)" }

  var groups: [DataGroup] {
    var groups: [DataGroup] = []
    for (index, input) in inputs.enumerated() {
      let data = input.run.data
      if let existing = groups.firstIndex(where: { Self.sameData($0.data, data) }) {
        groups[existing].runIndices.append(index)
      } else {
        groups.append(DataGroup(data: data, runIndices: [index], label: ""))
      }
    }
    let many = groups.count > 1
    return groups.map { group in
      var group = group
      let runs = group.runIndices.map { runLabel($0) }.joined(separator: ", ")
      group.label =
        many ? "\(group.data.file), calibration to \(group.data.calibrationEnd) (\(runs))" : ""
      return group
    }
  }

  static func sameData(_ a: RunFile.DataInfo, _ b: RunFile.DataInfo) -> Bool {
    a.sha256 == b.sha256 && a.calibrationEnd == b.calibrationEnd
      && a.observationEnd == b.observationEnd && a.unit == b.unit
  }

  var entries: [Entry] {
    let groups = self.groups
    var result: [Entry] = []
    // Models that share charts (purchase and churn models) get distinct colours; spend-only
    // models (Gamma-Gamma) appear only in the spend chart and count colours separately.
    var shared = 0
    var spendOnly = 0
    for (runIndex, input) in inputs.enumerated() {
      let group = groups.firstIndex { $0.runIndices.contains(runIndex) } ?? 0
      for model in input.run.models {
        let index: Int
        if model.holdout == nil && model.churn == nil && model.spend != nil {
          index = spendOnly
          spendOnly += 1
        } else {
          index = shared
          shared += 1
        }
        let name = Self.displayName(model)
        result.append(
          Entry(
            runIndex: runIndex, result: model,
            label: multipleRuns ? "\(name) (\(runLabel(runIndex)))" : name,
            color: Palette.color(index), dash: Palette.dash(index), group: group))
      }
    }
    return result
  }

  /// The display name of a model: its `name`, or a known name for its key, or the key.
  static func displayName(_ model: RunFile.ModelResult) -> String {
    if let name = model.name, !name.isEmpty { return name }
    let known = [
      "bgnbd": "BG/NBD", "mbgnbd": "MBG/NBD", "pnbd": "Pareto/NBD", "bgbb": "BG/BB",
      "gamma-gamma": "Gamma-Gamma", "churn-logit": "Churn logit",
    ]
    return known[model.model] ?? model.model
  }

  /// Parameter names in display order: the file's own order, else the literature's letters
  /// (r, α, a, b, s, β, p, q, γ, δ), then the intercept, then the rest alphabetically.
  static func orderedParameters(_ model: RunFile.ModelResult) -> [String] {
    if let names = model.parameterNames, Set(names) == Set(model.parameters.keys) {
      return names
    }
    let canonical = [
      "r", "alpha", "a", "b", "s", "beta", "p", "q", "gamma", "delta", "intercept",
    ]
    let known = canonical.filter { model.parameters[$0] != nil }
    let rest = model.parameters.keys.filter { !canonical.contains($0) }.sorted()
    return known + rest
  }

  // MARK: Document

  func document() -> Document {
    var document = Document(
      title: "Model comparison",
      subtitle: subtitle())
    document.blocks.append(.heading(level: 2, text: "Summary", anchor: "summary"))
    let headlines = headlines()
    document.blocks.append(
      .bullets(
        headlines.isEmpty
          ? ["The run files contain no holdout measures to compare."]
          : headlines))
    document.blocks.append(.table(runsTable()))
    appendHoldout(to: &document)
    appendFit(to: &document)
    appendChurn(to: &document)
    appendPAlive(to: &document)
    appendSpend(to: &document)
    appendTargeting(to: &document)
    document.blocks.append(
      .note(
        "Conditional-expectation and tracking plots after Fader, Hardie & Lee (2005), "
          + "Figs. 2 and 3. 95% intervals are Wald intervals on the log scale for the models' "
          + "positive parameters, exp(log θ ± 1.96·SE/θ), and θ ± 1.96·SE for coefficients. "
          + "Axis ticks by Heckbert's nice numbers (Graphics Gems, 1990); colours from the "
          + "Okabe–Ito colour-blind-safe palette. Generated by clvkit from "
          + inputs.map(\.file).joined(separator: ", ") + "."))
    return document
  }

  func subtitle() -> String {
    groups.map { group in
      let data = group.data
      return "\(data.file): calibration to \(data.calibrationEnd), holdout to "
        + "\(data.observationEnd), in \(data.unit)s; "
        + "\(NumberFormat.fixed(Double(data.customers), fractionDigits: 0)) customers"
    }.joined(separator: " · ")
  }

  // MARK: Headlines

  /// Plain-language sentences: which model wins on which measure, and by how much.
  func headlines() -> [String] {
    var lines: [String] = []
    let entries = self.entries
    let groups = self.groups
    for (groupIndex, group) in groups.enumerated() {
      let prefix = group.label.isEmpty ? "" : "On \(group.label): "
      let members = entries.filter { $0.group == groupIndex }
      lines += members.flatMap { Self.problems(of: $0) }.map { prefix + $0 }
      // Holdout MAE.
      let holdout = members.compactMap { e in e.result.holdout.map { (e, $0) } }
        .sorted { $0.1.mae < $1.1.mae }
      if let best = holdout.first {
        var line =
          "\(best.0.label) predicts holdout purchases best: mean absolute error "
          + "\(NumberFormat.significant(best.1.mae, 3)) purchases per customer"
        if holdout.count > 1 {
          let second = holdout[1]
          let gain = (second.1.mae - best.1.mae) / second.1.mae
          if gain < 0.0005 {
            line += ", tied with \(second.0.label)"
          } else {
            line +=
              ", \(NumberFormat.percent(gain)) lower than \(second.0.label) "
              + "(\(NumberFormat.significant(second.1.mae, 3)))"
          }
        }
        lines.append(prefix + line + ".")
        let closest = holdout.min {
          abs($0.1.predictedTotal - $0.1.actualTotal) < abs($1.1.predictedTotal - $1.1.actualTotal)
        }!
        let (predicted, actual) = (closest.1.predictedTotal, closest.1.actualTotal)
        let relative = actual > 0 ? " (\(signedPercent((predicted - actual) / actual)))" : ""
        lines.append(
          prefix + "\(holdout.count > 1 ? "Closest total: " : "Total: ")\(closest.0.label) "
            + "expects \(NumberFormat.fixed(predicted, fractionDigits: 0)) holdout purchases "
            + "against \(NumberFormat.fixed(actual, fractionDigits: 0)) actual\(relative).")
      }
      // BIC on the calibration data.
      let bic = members.compactMap { e in e.result.holdout?.bic.map { (e, $0) } }
        .sorted { $0.1 < $1.1 }
      // The runner-up is the best model with a different BIC (the same model in two runs
      // ties with itself).
      if let best = bic.first, let second = bic.first(where: { $0.1 - best.1 >= 0.05 }) {
        lines.append(
          prefix + "\(best.0.label) fits the calibration data best by BIC "
            + "(\(NumberFormat.fixed(best.1, fractionDigits: 1)), "
            + "\(NumberFormat.fixed(second.1 - best.1, fractionDigits: 1)) below "
            + "\(second.0.label)).")
      }
      // AUC.
      let churn = members.compactMap { e in e.result.churn.map { (e, $0) } }
        .sorted { $0.1.auc > $1.1.auc }
      if let best = churn.first {
        var line =
          "\(best.0.label) separates churners from buyers best: AUC "
          + NumberFormat.fixed(best.1.auc, fractionDigits: 3)
        if churn.count > 1 {
          line +=
            ", \(NumberFormat.fixed(best.1.auc - churn[1].1.auc, fractionDigits: 3)) above "
            + "\(churn[1].0.label) (\(NumberFormat.fixed(churn[1].1.auc, fractionDigits: 3)))"
        }
        if let top = best.1.lift?.first(where: { $0.decile == 1 }) {
          line +=
            "; its top decile churns at \(NumberFormat.percent(top.churnRate, fractionDigits: 0)), "
            + "\(NumberFormat.fixed(top.lift, fractionDigits: 2))× the average"
        }
        lines.append(prefix + line + ".")
      }
      // Spend.
      for (entry, spend) in members.compactMap({ e in e.result.spend.map { (e, $0) } }) {
        let relative =
          spend.actualMean != 0
          ? " (\(signedPercent((spend.predictedMean - spend.actualMean) / spend.actualMean)))" : ""
        lines.append(
          prefix + "\(entry.label) expects a mean spend per purchase of "
            + "\(NumberFormat.fixed(spend.predictedMean, fractionDigits: 2)) against "
            + "\(NumberFormat.fixed(spend.actualMean, fractionDigits: 2)) actual\(relative), over "
            + "\(NumberFormat.fixed(Double(spend.customers), fractionDigits: 0)) holdout buyers.")
      }
    }
    return lines
  }

  func signedPercent(_ share: Double) -> String {
    (share > 0 ? "+" : "") + NumberFormat.percent(share)
  }

  // MARK: Tables

  func runsTable() -> Table {
    let headers = [""] + inputs.indices.map { multipleRuns ? runLabel($0) : "run" }
    func row(_ name: String, _ value: (RunFile) -> String) -> [Table.Cell] {
      [Table.Cell(name)] + inputs.map { Table.Cell(value($0.run)) }
    }
    func count(_ value: Int?) -> String {
      value.map { NumberFormat.fixed(Double($0), fractionDigits: 0) } ?? "—"
    }
    let rows: [[Table.Cell]] = [
      [Table.Cell("Run file")] + inputs.map { Table.Cell($0.file) },
      row("Run id") { $0.run },
      row("Created") { $0.createdAt },
      row("Tool") { "\($0.tool.name) \($0.tool.version)" },
      row("Data file") { $0.data.file },
      row("SHA-256") { String($0.data.sha256.prefix(16)) + "…" },
      row("Calibration end") { $0.data.calibrationEnd },
      row("Observation end") { $0.data.observationEnd },
      row("Holdout") { run in
        run.data.holdoutLength.map {
          NumberFormat.significant($0, 3, trimmingZeros: true) + " \(run.data.unit)s"
        }
          ?? run.data.unit + "s"
      },
      row("Customers") { count($0.data.customers) },
      row("Repeat customers") { count($0.data.repeatCustomers) },
      row("Bought in holdout") { count($0.data.holdoutPurchasers) },
      row("Models") { $0.models.map(Self.displayName).joined(separator: ", ") },
    ]
    return Table(
      caption: "The runs compared", headers: headers,
      numeric: [false] + inputs.map { _ in false }, rows: rows)
  }

  func appendHoldout(to document: inout Document) {
    let entries = self.entries.filter { $0.result.holdout != nil }
    guard !entries.isEmpty else { return }
    document.blocks.append(.heading(level: 2, text: "Holdout purchases", anchor: "holdout"))
    document.blocks.append(
      .paragraph(
        "Each model was fitted on the calibration period and predicts every customer's "
          + "purchases in the holdout; the errors compare these predictions with what the "
          + "customers actually bought."))
    let bestMAE = entries.map { $0.result.holdout!.mae }.min()
    let bestRMSE = entries.map { $0.result.holdout!.rmse }.min()
    let rows = entries.map { entry -> [Table.Cell] in
      let h = entry.result.holdout!
      let share =
        h.actualTotal != 0 ? signedPercent((h.predictedTotal - h.actualTotal) / h.actualTotal) : "—"
      return [
        Table.Cell(entry.label),
        Table.Cell(
          NumberFormat.fixed(h.mae, fractionDigits: 4),
          emphasized: h.mae == bestMAE && entries.count > 1),
        Table.Cell(
          NumberFormat.fixed(h.rmse, fractionDigits: 4),
          emphasized: h.rmse == bestRMSE && entries.count > 1),
        Table.Cell(NumberFormat.fixed(h.predictedTotal, fractionDigits: 1)),
        Table.Cell(NumberFormat.fixed(h.actualTotal, fractionDigits: 0)),
        Table.Cell(share),
        Table.Cell(NumberFormat.fixed(h.bias, fractionDigits: 4)),
      ]
    }
    document.blocks.append(
      .table(
        Table(
          caption: "Holdout accuracy per customer (best in bold)",
          headers: [
            "Model", "MAE", "RMSE", "Predicted total", "Actual total", "Total error",
            "Bias per customer",
          ],
          numeric: [false, true, true, true, true, true, true], rows: rows)))

    // Tracking plot, one per data group.
    for (groupIndex, group) in groups.enumerated() {
      let members = entries.filter { $0.group == groupIndex && $0.result.holdout?.tracking != nil }
      guard let first = members.first, let tracking = first.result.holdout?.tracking else {
        continue
      }
      var series = [
        LineChart.Series(
          name: "Actual",
          points: tracking.points.map { LineChart.Point($0.period, $0.actualCumulative) },
          color: Palette.actual)
      ]
      for entry in members {
        let points = entry.result.holdout!.tracking!.points
        series.append(
          LineChart.Series(
            name: entry.label,
            points: points.map { LineChart.Point($0.period, $0.expectedCumulative) },
            color: entry.color, dash: entry.dash ?? "7 4"))
      }
      let unit = group.data.unit
      let suffix = group.label.isEmpty ? "" : " — \(group.label)"
      document.blocks.append(
        .figures([
          Figure(
            name: "tracking-\(groupIndex + 1)",
            chart: LineChart(
              title: "Cumulative repeat purchases\(suffix)",
              description: "Actual and model-expected cumulative repeat purchases per \(unit).",
              xLabel: "\(unit.capitalized)s since the first purchase in the data",
              yLabel: "Cumulative repeat purchases", series: series,
              markers: [
                LineChart.VerticalMarker(x: tracking.calibrationEnd, label: "Calibration end")
              ]),
            caption: "Tracking plot: the solid black line is what customers actually bought, "
              + "the dashed lines what each model expects. Left of the marker the models saw "
              + "the data; right of it is the holdout, where a good model keeps following "
              + "the actual line.")
        ]))
      document.blocks.append(
        .figures([
          Figure(
            name: "tracking-incremental-\(groupIndex + 1)",
            chart: LineChart(
              title: "Repeat purchases per \(unit)\(suffix)",
              description: "Actual and model-expected repeat purchases in each \(unit): the "
                + "differences of the cumulative series.",
              xLabel: "\(unit.capitalized)s since the first purchase in the data",
              yLabel: "Repeat purchases per \(unit)",
              series: series.map { line in
                var line = line
                line.points = Self.increments(line.points)
                return line
              },
              markers: [
                LineChart.VerticalMarker(x: tracking.calibrationEnd, label: "Calibration end")
              ]),
            caption: "The same series per \(unit) instead of cumulated: the week-to-week "
              + "noise of the actual purchases around each model's smooth expectation, and "
              + "whether a model drifts above or below it in the holdout.")
        ]))
    }

    // Conditional expectation.
    for (groupIndex, group) in groups.enumerated() {
      let members = entries.filter {
        $0.group == groupIndex && $0.result.holdout?.conditionalExpectation != nil
      }
      guard let first = members.first?.result.holdout?.conditionalExpectation else { continue }
      let categories = first.map(\.frequency)
      func values(
        _ rows: [RunFile.ConditionalExpectationRow],
        _ key: (RunFile.ConditionalExpectationRow) -> Double
      ) -> [Double?] {
        categories.map { category in rows.first { $0.frequency == category }.map(key) }
      }
      var series = [
        BarChart.Series(name: "Actual", values: values(first, \.actual), color: Self.actualBars)
      ]
      for entry in members {
        series.append(
          BarChart.Series(
            name: entry.label,
            values: values(entry.result.holdout!.conditionalExpectation!, \.predicted),
            color: entry.color))
      }
      let suffix = group.label.isEmpty ? "" : " — \(group.label)"
      document.blocks.append(
        .figures([
          Figure(
            name: "conditional-expectation-\(groupIndex + 1)",
            chart: BarChart(
              title: "Holdout purchases by calibration frequency\(suffix)",
              description: "Mean actual and predicted holdout purchases per customer, grouped "
                + "by the number of repeat purchases in the calibration period.",
              xLabel: "Repeat purchases in the calibration period",
              yLabel: "Mean holdout purchases per customer", categories: categories,
              series: series),
            caption: "Conditional expectations: customers are grouped by how often they "
              + "bought again during calibration; bars compare the mean number of holdout "
              + "purchases each model expects with the actual mean.")
        ]))
      var rows: [[Table.Cell]] = []
      for category in categories {
        let actualRow = first.first { $0.frequency == category }
        var row = [
          Table.Cell(category),
          Table.Cell(
            actualRow.map { NumberFormat.fixed(Double($0.customers), fractionDigits: 0) } ?? "—"),
          Table.Cell(actualRow.map { NumberFormat.fixed($0.actual, fractionDigits: 3) } ?? "—"),
        ]
        for entry in members {
          let r = entry.result.holdout!.conditionalExpectation!.first { $0.frequency == category }
          row.append(
            Table.Cell(r.map { NumberFormat.fixed($0.predicted, fractionDigits: 3) } ?? "—"))
        }
        rows.append(row)
      }
      document.blocks.append(
        .table(
          Table(
            caption: "Mean holdout purchases by calibration frequency\(suffix)",
            headers: ["Frequency", "Customers", "Actual"] + members.map(\.label),
            numeric: [false, true, true] + members.map { _ in true }, rows: rows)))
    }

    // Cohorts.
    let withCohorts = entries.filter { $0.result.holdout?.cohorts != nil }
    if !withCohorts.isEmpty {
      var cohorts: [String] = []
      for entry in withCohorts {
        for row in entry.result.holdout!.cohorts! where !cohorts.contains(row.cohort) {
          cohorts.append(row.cohort)
        }
      }
      cohorts.sort()
      let rows = cohorts.map { cohort -> [Table.Cell] in
        let found = withCohorts.map { e in e.result.holdout!.cohorts!.first { $0.cohort == cohort }
        }
        let reference = found.compactMap { $0 }.first
        let bestMAE = found.compactMap { $0?.mae }.min()
        var row = [
          Table.Cell(cohort),
          Table.Cell(
            reference.map { NumberFormat.fixed(Double($0.customers), fractionDigits: 0) } ?? "—"),
          Table.Cell(
            reference.map { NumberFormat.fixed($0.actualTotal, fractionDigits: 0) } ?? "—"),
        ]
        for r in found {
          row.append(
            Table.Cell(
              r.map {
                NumberFormat.fixed($0.predictedTotal, fractionDigits: 1) + " ("
                  + NumberFormat.fixed($0.mae, fractionDigits: 3) + ")"
              } ?? "—",
              emphasized: withCohorts.count > 1 && r != nil && r!.mae == bestMAE))
        }
        return row
      }
      document.blocks.append(
        .table(
          Table(
            caption: "Holdout purchases by acquisition cohort (month of first purchase): "
              + "predicted total (MAE per customer); lowest MAE in bold",
            headers: ["Cohort", "Customers", "Actual total"] + withCohorts.map(\.label),
            numeric: [false, true, true] + withCohorts.map { _ in true }, rows: rows)))
    }
  }

  /// A failed model's error and a fit's findings (e.g. "nobody churns within this history"),
  /// as sentences.
  static func problems(of entry: Entry) -> [String] {
    var lines: [String] = []
    if let error = entry.result.error {
      lines.append("\(entry.label) failed and has no measures: \(error).")
    }
    for finding in entry.result.findings ?? [] {
      lines.append("\(entry.label): \(finding).")
    }
    return lines
  }

  func appendFit(to document: inout Document) {
    let entries = self.entries
    document.blocks.append(.heading(level: 2, text: "Parameters and fit", anchor: "fit"))
    var rows: [[Table.Cell]] = []
    for entry in entries {
      for (index, name) in Self.orderedParameters(entry.result).enumerated() {
        let value = entry.result.parameters[name]!
        let se = entry.result.standardErrors?[name]
        rows.append([
          Table.Cell(index == 0 ? entry.label : ""),
          Table.Cell(name),
          Table.Cell(NumberFormat.significant(value, 4, trimmingZeros: true)),
          Table.Cell(se.map { NumberFormat.significant($0, 3, trimmingZeros: true) } ?? "—"),
          Table.Cell(
            se.map {
              let (low, high) = Self.interval95(
                value, standardError: $0, positive: entry.result.model != "churn-logit")
              return "\(NumberFormat.significant(low, 4, trimmingZeros: true)) to "
                + NumberFormat.significant(high, 4, trimmingZeros: true)
            } ?? "—"),
        ])
      }
    }
    document.blocks.append(
      .table(
        Table(
          caption:
            "Parameter estimates with 95% intervals (Wald, on the log scale for positive parameters)",
          headers: ["Model", "Parameter", "Estimate", "Std. error", "95% interval"],
          numeric: [false, false, true, true, true], rows: rows)))
    let fitRows = entries.map { entry -> [Table.Cell] in
      let r = entry.result
      let converged =
        r.error != nil
        ? "failed"
        : r.fit?.converged.map { $0 ? (r.fit?.degenerate == true ? "degenerate" : "yes") : "no" }
          ?? "—"
      return [
        Table.Cell(entry.label),
        Table.Cell(r.customers.map { NumberFormat.fixed(Double($0), fractionDigits: 0) } ?? "—"),
        Table.Cell(String(r.parameters.count)),
        Table.Cell(r.logLikelihood.map { NumberFormat.fixed($0, fractionDigits: 1) } ?? "—"),
        Table.Cell(r.holdout?.aic.map { NumberFormat.fixed($0, fractionDigits: 1) } ?? "—"),
        Table.Cell(r.holdout?.bic.map { NumberFormat.fixed($0, fractionDigits: 1) } ?? "—"),
        Table.Cell(converged),
        Table.Cell(r.fit?.iterations.map(String.init) ?? "—"),
      ]
    }
    document.blocks.append(
      .table(
        Table(
          caption: "Calibration fit: log-likelihood, AIC = 2k − 2 log L, BIC = k ln n − 2 log L "
            + "(lower is better; compare only models fitted on the same data)",
          headers: [
            "Model", "Customers", "k", "Log-likelihood", "AIC", "BIC", "Converged",
            "Iterations",
          ],
          numeric: [false, true, true, true, true, true, false, true], rows: fitRows)))
  }

  func appendChurn(to document: inout Document) {
    let entries = self.entries.filter { $0.result.churn != nil }
    guard !entries.isEmpty else { return }
    document.blocks.append(.heading(level: 2, text: "Churn", anchor: "churn"))
    document.blocks.append(
      .paragraph(
        "A customer counts as churned when they bought nothing in the holdout. Each model's "
          + "churn score is compared with that label; higher AUC and lower log loss and Brier "
          + "score are better."))
    let bestAUC = entries.map { $0.result.churn!.auc }.max()
    let rows = entries.map { entry -> [Table.Cell] in
      let churn = entry.result.churn!
      return [
        Table.Cell(entry.label),
        Table.Cell(churn.score ?? "—"),
        Table.Cell(churn.validation.rawValue),
        Table.Cell(
          NumberFormat.fixed(churn.auc, fractionDigits: 3),
          emphasized: churn.auc == bestAUC && entries.count > 1),
        Table.Cell(NumberFormat.fixed(churn.logLoss, fractionDigits: 4)),
        Table.Cell(NumberFormat.fixed(churn.brier, fractionDigits: 4)),
        Table.Cell(churn.churnRate.map { NumberFormat.percent($0) } ?? "—"),
        Table.Cell(
          churn.lift?.first { $0.decile == 1 }.map {
            NumberFormat.fixed($0.lift, fractionDigits: 2)
          } ?? "—"),
      ]
    }
    document.blocks.append(
      .table(
        Table(
          caption: "Churn classification of \"no purchase in the holdout\" (best AUC in bold)",
          headers: [
            "Model", "Score", "Validation", "AUC", "Log loss", "Brier", "Churn rate",
            "Top-decile lift",
          ],
          numeric: [false, false, false, true, true, true, true, true], rows: rows)))

    var figures: [Figure] = []
    let withROC = entries.filter { $0.result.churn?.roc?.isEmpty == false }
    if !withROC.isEmpty {
      figures.append(
        Figure(
          name: "roc",
          chart: LineChart(
            title: "ROC curves",
            description: "True-positive rate against false-positive rate of each churn score.",
            xLabel: "False-positive rate", yLabel: "True-positive rate",
            series: withROC.map { entry in
              LineChart.Series(
                name: entry.label + ", AUC "
                  + NumberFormat.fixed(entry.result.churn!.auc, fractionDigits: 3),
                points: entry.result.churn!.roc!.map { LineChart.Point($0.fpr, $0.tpr) },
                color: entry.color, dash: entry.dash)
            },
            diagonal: "Chance", xDomain: 0...1, yDomain: 0...1, width: 540, height: 500),
          caption: "ROC curves: the further a curve bends towards the top-left corner, the "
            + "better the score ranks churners above buyers; the dashed diagonal is a coin toss."))
    }
    let withCalibration = entries.filter { $0.result.churn?.calibration?.isEmpty == false }
    if !withCalibration.isEmpty {
      figures.append(
        Figure(
          name: "churn-calibration",
          chart: LineChart(
            title: "Calibration of churn probabilities",
            description: "Observed churn rate against mean predicted probability, in ten bins.",
            xLabel: "Mean predicted churn probability", yLabel: "Observed churn rate",
            series: withCalibration.map { entry in
              LineChart.Series(
                name: entry.label,
                points: entry.result.churn!.calibration!.filter { $0.customers > 0 }
                  .map { LineChart.Point($0.predicted, $0.actual) },
                color: entry.color, dash: entry.dash, markers: true)
            },
            diagonal: "Perfect calibration", xDomain: 0...1, yDomain: 0...1, width: 540,
            height: 500),
          caption: "Calibration: points on the diagonal mean that predicted probabilities "
            + "match observed churn rates; points below it mean the model overstates churn."))
    }
    if !figures.isEmpty { document.blocks.append(.figures(figures)) }
    let withLift = entries.filter { $0.result.churn?.lift?.isEmpty == false }
    if !withLift.isEmpty {
      let categories = (1...10).map(String.init)
      document.blocks.append(
        .figures([
          Figure(
            name: "lift",
            chart: BarChart(
              title: "Lift by decile of churn score",
              description: "Churn rate in each decile of the score divided by the overall rate.",
              xLabel: "Decile of churn score (1 = highest risk)", yLabel: "Lift",
              categories: categories,
              series: withLift.map { entry in
                BarChart.Series(
                  name: entry.label,
                  values: categories.indices.map { index in
                    entry.result.churn!.lift!.first { $0.decile == index + 1 }?.lift
                  },
                  color: entry.color)
              },
              reference: BarChart.Reference(y: 1, label: "Average (lift 1)")),
            caption: "Lift: customers are sorted by churn score and cut into ten equal groups; "
              + "a lift of 2 in the first decile means that group churns at twice the "
              + "average rate.")
        ]))
    }
  }

  func appendPAlive(to document: inout Document) {
    let entries = self.entries.filter { $0.result.pAliveHistogram?.isEmpty == false }
    guard !entries.isEmpty else { return }
    document.blocks.append(.heading(level: 2, text: "P(alive)", anchor: "palive"))
    let figures = entries.enumerated().map { index, entry -> Figure in
      let bins = entry.result.pAliveHistogram!
      let split = bins.allSatisfy { $0.holdoutPurchasers != nil }
      let layers: [Histogram.Layer]
      if split {
        layers = [
          Histogram.Layer(
            name: "Bought in holdout",
            counts: bins.map { Double($0.holdoutPurchasers!) }, color: Self.boughtColor),
          Histogram.Layer(
            name: "No purchase in holdout",
            counts: bins.map { Double($0.customers - $0.holdoutPurchasers!) },
            color: Self.notBoughtColor),
        ]
      } else {
        layers = [
          Histogram.Layer(
            name: "Customers", counts: bins.map { Double($0.customers) }, color: entry.color)
        ]
      }
      return Figure(
        name: "palive-\(index + 1)",
        chart: Histogram(
          title: "P(alive): \(entry.label)",
          description: "Customers by probability of being alive at the calibration end.",
          xLabel: "P(alive) at the calibration end", yLabel: "Customers",
          bins: bins.map { $0.lower...$0.upper }, layers: layers, width: 540, height: 380),
        caption: "How many customers \(entry.label) considers alive at the calibration end"
          + (split
            ? ", split by whether they actually bought in the holdout: a useful "
              + "P(alive) puts the buyers to the right and the non-buyers to the left." : "."))
    }
    document.blocks.append(.figures(figures))
  }

  func appendSpend(to document: inout Document) {
    let entries = self.entries.filter { $0.result.spend != nil }
    guard !entries.isEmpty else { return }
    document.blocks.append(.heading(level: 2, text: "Spend", anchor: "spend"))
    let rows = entries.map { entry -> [Table.Cell] in
      let spend = entry.result.spend!
      return [
        Table.Cell(entry.label),
        Table.Cell(NumberFormat.fixed(Double(spend.customers), fractionDigits: 0)),
        Table.Cell(NumberFormat.fixed(spend.predictedMean, fractionDigits: 2)),
        Table.Cell(NumberFormat.fixed(spend.actualMean, fractionDigits: 2)),
        Table.Cell(
          spend.actualMean != 0
            ? signedPercent((spend.predictedMean - spend.actualMean) / spend.actualMean) : "—"),
        Table.Cell(spend.mae.map { NumberFormat.fixed($0, fractionDigits: 2) } ?? "—"),
      ]
    }
    document.blocks.append(
      .table(
        Table(
          caption: "Mean spend per purchase in the holdout, customers who bought in the holdout",
          headers: ["Model", "Customers", "Predicted mean", "Actual mean", "Difference", "MAE"],
          numeric: [false, true, true, true, true, true], rows: rows)))
    let withBins = entries.filter { $0.result.spend?.bins?.isEmpty == false }
    guard let first = withBins.first?.result.spend?.bins else { return }
    let categories = first.map(\.label)
    var series = [
      BarChart.Series(
        name: "Actual", values: categories.map { c in first.first { $0.label == c }?.actualMean },
        color: Self.actualBars)
    ]
    for entry in withBins {
      let bins = entry.result.spend!.bins!
      series.append(
        BarChart.Series(
          name: entry.label,
          values: categories.map { c in bins.first { $0.label == c }?.predictedMean },
          color: entry.color))
    }
    document.blocks.append(
      .figures([
        Figure(
          name: "spend",
          chart: BarChart(
            title: "Mean spend per purchase by predicted-spend group",
            description: "Actual and predicted mean spend per purchase in bins of predicted spend.",
            xLabel: "Customers grouped by predicted spend", yLabel: "Mean spend per purchase",
            categories: categories, series: series),
          caption: "Spend: customers are grouped by the spend the model predicts; bars compare "
            + "the predicted mean with what the group actually spent per purchase in the holdout.")
      ]))
  }

  /// The differences of a cumulative series: (x₁, y₁), (x₂, y₂ − y₁), …
  static func increments(_ points: [LineChart.Point]) -> [LineChart.Point] {
    var previous = 0.0
    return points.map { point in
      defer { previous = point.y }
      return LineChart.Point(point.x, point.y - previous)
    }
  }

  /// Bars of actual values: a dark neutral grey (Okabe–Ito black, lightened for large areas).
  static let actualBars = Color(0x4D, 0x4D, 0x4D)
  static let boughtColor = Color(0x00, 0x72, 0xB2)
  static let notBoughtColor = Color(0xE6, 0x9F, 0x00)
}

extension ComparisonReport {
  /// The 95% Wald interval of an estimate: on the log scale for a positive model parameter,
  /// exp(log θ ± 1.96·SE/θ) (delta method; it stays positive), else θ ± 1.96·SE (churn-logit
  /// coefficients). The same rule as `FitReport.confidenceIntervals(for:)` in CLVModels.
  /// - Source: [CB2002] section 10.1.
  static func interval95(
    _ value: Double, standardError se: Double, positive: Bool
  )
    -> (Double, Double)
  {
    let z = 1.959_963_984_540_054
    guard positive, value > 0 else { return (value - z * se, value + z * se) }
    let spread = Double.exp(z * se / value)
    return (value / spread, value * spread)
  }
}
