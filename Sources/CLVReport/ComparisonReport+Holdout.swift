import CLVEvaluation

/// The holdout section: accuracy table, tracking and conditional-expectation charts, cohorts.
extension ComparisonReport {
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
      let unit = group.data.unit.rawValue
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
}
