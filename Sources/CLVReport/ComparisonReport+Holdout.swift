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
    // One table per comparable group: "best" never crosses groups.
    for (groupIndex, _) in groups.enumerated() {
      let members = entries.filter { $0.group == groupIndex }
      guard !members.isEmpty else { continue }
      let bestMAE = members.map { $0.result.holdout!.mae }.min()
      let bestRMSE = members.map { $0.result.holdout!.rmse }.min()
      let rows = members.map { entry -> [Table.Cell] in
        let h = entry.result.holdout!
        let share =
          h.actualTotal != 0
          ? signedPercent((h.predictedTotal - h.actualTotal) / h.actualTotal) : "—"
        return [
          Table.Cell(entry.label),
          Table.Cell(
            NumberFormat.fixed(h.mae, fractionDigits: 4),
            emphasized: h.mae == bestMAE && members.count > 1),
          Table.Cell(
            NumberFormat.fixed(h.rmse, fractionDigits: 4),
            emphasized: h.rmse == bestRMSE && members.count > 1),
          Table.Cell(
            NumberFormat.fixed(h.predictedTotal, fractionDigits: 1)
              + (h.predictedTotalInterval.map { interval in
                " [" + NumberFormat.fixed(interval.low, fractionDigits: 1) + ", "
                  + NumberFormat.fixed(interval.high, fractionDigits: 1) + "]"
              } ?? "")),
          Table.Cell(NumberFormat.fixed(h.actualTotal, fractionDigits: 0)),
          Table.Cell(share),
          Table.Cell(NumberFormat.fixed(h.bias, fractionDigits: 4)),
        ]
      }
      document.blocks.append(
        .table(
          Table(
            caption: "Holdout accuracy per customer (best in bold)\(groupSuffix(groupIndex))"
              + (members.compactMap { $0.result.holdout?.predictedTotalInterval }.first.map {
                "; predicted total [its \(NumberFormat.fixed($0.level * 100, fractionDigits: 0))% "
                  + "interval over draws of the fitted parameters: their uncertainty, not the "
                  + "purchases' randomness]"
              } ?? ""),
            headers: [
              "Model", "MAE", "RMSE", "Predicted total", "Actual total", "Total error",
              "Bias per customer",
            ],
            numeric: [false, true, true, true, true, true, true], rows: rows)))
    }

    // Tracking plot, one per data group.
    for (groupIndex, group) in groups.enumerated() {
      let members = entries.filter { $0.group == groupIndex && $0.result.holdout?.tracking != nil }
      guard let first = members.first, let tracking = first.result.holdout?.tracking else {
        continue
      }
      // Both series start at (0, 0): nobody has bought again at the first purchase.
      let origin = [LineChart.Point(0, 0)]
      var series = [
        LineChart.Series(
          name: "Actual",
          points: origin
            + tracking.points.map { LineChart.Point($0.period, $0.actualCumulative) },
          color: Palette.actual)
      ]
      for entry in members {
        let points = entry.result.holdout!.tracking!.points
        series.append(
          LineChart.Series(
            name: entry.label,
            points: origin + points.map { LineChart.Point($0.period, $0.expectedCumulative) },
            style: entry.style))
      }
      let unit = group.data.unit.rawValue
      let suffix = groupSuffix(groupIndex)
      // The last period ends at the observation end, possibly part-way: its purchases cover
      // fewer days than the others, so the per-period chart leaves it out (and says so).
      let periods = tracking.points.map(\.period)
      let partial =
        periods.count >= 2 && periods[periods.count - 1] - periods[periods.count - 2] < 0.999
      let partialShare = partial ? periods[periods.count - 1] - periods[periods.count - 2] : 1
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
              + "the coloured lines what each model expects. Left of the marker the models saw "
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
                line.points = Array(Self.increments(line.points).dropFirst())
                if partial { line.points.removeLast() }
                return line
              },
              markers: [
                LineChart.VerticalMarker(x: tracking.calibrationEnd, label: "Calibration end")
              ]),
            caption: "The same series per \(unit) instead of cumulated: the \(unit)-to-\(unit) "
              + "noise of the actual purchases around each model's smooth expectation, and "
              + "whether a model drifts above or below it in the holdout."
              + (partial
                ? " The last \(unit) ends part-way through (the data cover "
                  + NumberFormat.percent(partialShare, fractionDigits: 0)
                  + " of it) and is left out." : ""))
        ]))
    }

    // Conditional expectation.
    for (groupIndex, _) in groups.enumerated() {
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
            style: entry.style))
      }
      let suffix = groupSuffix(groupIndex)
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

    // Cohorts, one table per comparable group.
    for (groupIndex, _) in groups.enumerated() {
      let members = entries.filter { $0.group == groupIndex && $0.result.holdout?.cohorts != nil }
      if !members.isEmpty { appendCohorts(members, group: groupIndex, to: &document) }
    }
  }

  /// The per-cohort table of one group: predicted total (MAE) per model, lowest MAE in bold.
  /// With more models than cohorts the table is transposed (one row per model), so that it
  /// stays narrow.
  func appendCohorts(_ members: [Entry], group groupIndex: Int, to document: inout Document) {
    var cohorts: [String] = []
    for entry in members {
      for row in entry.result.holdout!.cohorts! where !cohorts.contains(row.cohort) {
        cohorts.append(row.cohort)
      }
    }
    cohorts.sort()
    // found[c][m]: cohort c of model m.
    let found = cohorts.map { cohort in
      members.map { e in e.result.holdout!.cohorts!.first { $0.cohort == cohort } }
    }
    func cell(_ c: Int, _ m: Int) -> Table.Cell {
      let bestMAE = found[c].compactMap { $0?.mae }.min()
      guard let r = found[c][m] else { return Table.Cell("—") }
      return Table.Cell(
        NumberFormat.fixed(r.predictedTotal, fractionDigits: 1) + " ("
          + NumberFormat.fixed(r.mae, fractionDigits: 3) + ")",
        emphasized: members.count > 1 && r.mae == bestMAE)
    }
    func reference(_ c: Int) -> RunFile.CohortRow? { found[c].compactMap { $0 }.first }
    let caption =
      "Holdout purchases by acquisition cohort (month of first purchase): predicted total "
      + "(MAE per customer); lowest MAE in bold\(groupSuffix(groupIndex))"
    let table: Table
    if members.count > cohorts.count {
      var rows: [[Table.Cell]] = [
        [Table.Cell("Customers")]
          + cohorts.indices.map { c in
            Table.Cell(
              reference(c).map { NumberFormat.fixed(Double($0.customers), fractionDigits: 0) }
                ?? "—")
          },
        [Table.Cell("Actual total")]
          + cohorts.indices.map { c in
            Table.Cell(
              reference(c).map { NumberFormat.fixed($0.actualTotal, fractionDigits: 0) } ?? "—")
          },
      ]
      for (m, entry) in members.enumerated() {
        rows.append([Table.Cell(entry.label)] + cohorts.indices.map { cell($0, m) })
      }
      table = Table(
        caption: caption, headers: ["Cohort"] + cohorts,
        numeric: [false] + cohorts.map { _ in true }, rows: rows)
    } else {
      let rows = cohorts.indices.map { c -> [Table.Cell] in
        [
          Table.Cell(cohorts[c]),
          Table.Cell(
            reference(c).map { NumberFormat.fixed(Double($0.customers), fractionDigits: 0) }
              ?? "—"),
          Table.Cell(
            reference(c).map { NumberFormat.fixed($0.actualTotal, fractionDigits: 0) } ?? "—"),
        ] + members.indices.map { cell(c, $0) }
      }
      table = Table(
        caption: caption, headers: ["Cohort", "Customers", "Actual total"] + members.map(\.label),
        numeric: [false, true, true] + members.map { _ in true }, rows: rows)
    }
    document.blocks.append(.table(table))
  }
}
