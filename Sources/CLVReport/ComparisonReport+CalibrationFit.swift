import CLVEvaluation

/// The calibration-fit section: customers by number of repeat purchases in the calibration
/// period, actual against each purchase model's expectation ([FHL2005a] Fig. 1).
extension ComparisonReport {
  func appendCalibrationFit(to document: inout Document) {
    let entries = self.entries.filter { $0.result.repeatPurchases?.isEmpty == false }
    guard !entries.isEmpty else { return }
    document.blocks.append(
      .heading(level: 2, text: "Repeat purchases in the calibration period", anchor: "calibration"))
    document.blocks.append(
      .paragraph(
        "How many customers made 0, 1, 2, … repeat purchases during calibration, against the "
          + "number each model expects given every customer's time since the first purchase. "
          + "A model that misses here does not describe the data it was fitted on."))
    for (groupIndex, _) in groups.enumerated() {
      let members = entries.filter { $0.group == groupIndex }
      guard let first = members.first?.result.repeatPurchases else { continue }
      let categories = first.map(\.frequency)
      func values(
        _ rows: [RunFile.RepeatPurchaseRow], _ key: (RunFile.RepeatPurchaseRow) -> Double
      )
        -> [Double?]
      {
        categories.map { category in rows.first { $0.frequency == category }.map(key) }
      }
      var series = [
        BarChart.Series(
          name: "Actual", values: values(first) { Double($0.actual) }, color: Self.actualBars)
      ]
      for entry in members {
        series.append(
          BarChart.Series(
            name: entry.label, values: values(entry.result.repeatPurchases!, \.expected),
            style: entry.style))
      }
      let suffix = groupSuffix(groupIndex)
      document.blocks.append(
        .figures([
          Figure(
            name: "repeat-purchases-\(groupIndex + 1)",
            chart: BarChart(
              title: "Customers by repeat purchases in the calibration period\(suffix)",
              description: "Actual and model-expected numbers of customers with 0, 1, …, 6 and "
                + "7 or more repeat purchases in the calibration period.",
              xLabel: "Repeat purchases in the calibration period", yLabel: "Customers",
              categories: categories, series: series),
            caption: "Calibration fit (Fader, Hardie & Lee 2005, Fig. 1): bars compare how many "
              + "customers made each number of repeat purchases with the number each model "
              + "expects, Σᵢ P(X(Tᵢ) = x) over the customers' ages Tᵢ.")
        ]))
      let rows = categories.map { category -> [Table.Cell] in
        let actual = first.first { $0.frequency == category }?.actual
        return [
          Table.Cell(category),
          Table.Cell(actual.map { NumberFormat.fixed(Double($0), fractionDigits: 0) } ?? "—"),
        ]
          + members.map { entry in
            Table.Cell(
              entry.result.repeatPurchases!.first { $0.frequency == category }
                .map { NumberFormat.fixed($0.expected, fractionDigits: 1) } ?? "—")
          }
      }
      document.blocks.append(
        .table(
          Table(
            caption: "Customers by repeat purchases in the calibration period\(suffix)",
            headers: ["Repeat purchases", "Actual"] + members.map(\.label),
            numeric: [false, true] + members.map { _ in true }, rows: rows)))
    }
  }
}
