import CLVEvaluation

/// The spend section: predicted and actual mean spend by predicted-spend group.
extension ComparisonReport {
  func appendSpend(to document: inout Document) {
    let entries = self.entries.filter { $0.result.spend != nil }
    guard !entries.isEmpty else { return }
    document.blocks.append(.heading(level: 2, text: "Spend", anchor: "spend"))
    for (members, name, suffix) in byGroup(entries) {
      appendSpend(members, name: name, suffix: suffix, to: &document)
    }
  }

  /// The spend table and chart of `entries` (one comparable group).
  func appendSpend(_ entries: [Entry], name: String, suffix: String, to document: inout Document) {
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
          caption: "Mean spend per purchase in the holdout, customers who bought in the holdout"
            + suffix,
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
          style: entry.style))
    }
    document.blocks.append(
      .figures([
        Figure(
          name: "spend\(name)",
          chart: BarChart(
            title: "Mean spend per purchase by predicted-spend group\(suffix)",
            description: "Actual and predicted mean spend per purchase in bins of predicted spend.",
            xLabel: "Customers grouped by predicted spend", yLabel: "Mean spend per purchase",
            categories: categories, series: series),
          caption: "Spend: customers are grouped by the spend the model predicts; bars compare "
            + "the predicted mean with what the group actually spent per purchase in the holdout.")
      ]))
  }
}
