import CLVEvaluation

/// The churn section: AUC, log loss, Brier score, ROC curves, lift and calibration.
extension ComparisonReport {
  func appendChurn(to document: inout Document) {
    let entries = self.entries.filter { $0.result.churn != nil }
    guard !entries.isEmpty else { return }
    document.blocks.append(.heading(level: 2, text: "Churn", anchor: "churn"))
    document.blocks.append(
      .paragraph(
        "A customer counts as churned when they bought nothing in the holdout. Each model's "
          + "churn score is compared with that label; higher AUC and lower log loss and Brier "
          + "score are better."))
    // One table per comparable group: AUC depends on the customers and the holdout length.
    for (groupIndex, _) in groups.enumerated() {
      let members = entries.filter { $0.group == groupIndex }
      guard !members.isEmpty else { continue }
      let bestAUC = members.map { $0.result.churn!.auc }.max()
      let rows = members.map { entry -> [Table.Cell] in
        let churn = entry.result.churn!
        return [
          Table.Cell(entry.label),
          Table.Cell(churn.score ?? "—"),
          Table.Cell(churn.validation.rawValue),
          Table.Cell(
            NumberFormat.fixed(churn.auc, fractionDigits: 3),
            emphasized: churn.auc == bestAUC && members.count > 1),
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
            caption: "Churn classification of \"no purchase in the holdout\" (best AUC in bold)"
              + groupSuffix(groupIndex),
            headers: [
              "Model", "Score", "Validation", "AUC", "Log loss", "Brier", "Churn rate",
              "Top-decile lift",
            ],
            numeric: [false, false, false, true, true, true, true, true], rows: rows)))
    }

    // Charts per comparable group: curves of runs with different holdouts are not comparable.
    for (members, name, suffix) in byGroup(entries) {
      appendChurnCharts(members, name: name, suffix: suffix, to: &document)
    }
  }

  /// ROC, calibration and lift charts of `entries` (one group); `name` is appended to the
  /// figure names and `suffix` to the titles.
  func appendChurnCharts(
    _ entries: [Entry], name: String, suffix: String, to document: inout Document
  ) {
    var figures: [Figure] = []
    let withROC = entries.filter { $0.result.churn?.roc?.isEmpty == false }
    if !withROC.isEmpty {
      figures.append(
        Figure(
          name: "roc\(name)",
          chart: LineChart(
            title: "ROC curves\(suffix)",
            description: "True-positive rate against false-positive rate of each churn score.",
            xLabel: "False-positive rate", yLabel: "True-positive rate",
            series: withROC.map { entry in
              LineChart.Series(
                name: entry.label + ", AUC "
                  + NumberFormat.fixed(entry.result.churn!.auc, fractionDigits: 3),
                points: entry.result.churn!.roc!.map { LineChart.Point($0.fpr, $0.tpr) },
                style: entry.style)
            },
            diagonal: "Chance", xDomain: 0...1, yDomain: 0...1, width: 540, height: 500),
          caption: "ROC curves: the further a curve bends towards the top-left corner, the "
            + "better the score ranks churners above buyers; the dashed diagonal is a coin toss."))
    }
    let withCalibration = entries.filter { $0.result.churn?.calibration?.isEmpty == false }
    if !withCalibration.isEmpty {
      figures.append(
        Figure(
          name: "churn-calibration\(name)",
          chart: LineChart(
            title: "Calibration of churn probabilities\(suffix)",
            description: "Observed churn rate against mean predicted probability, in ten bins.",
            xLabel: "Mean predicted churn probability", yLabel: "Observed churn rate",
            series: withCalibration.map { entry in
              LineChart.Series(
                name: entry.label,
                points: entry.result.churn!.calibration!.filter { $0.customers > 0 }
                  .map { LineChart.Point($0.predicted, $0.actual) },
                style: entry.style, markers: true)
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
            name: "lift\(name)",
            chart: BarChart(
              title: "Lift by decile of churn score\(suffix)",
              description: "Churn rate in each decile of the score divided by the overall rate.",
              xLabel: "Decile of churn score (1 = highest risk)", yLabel: "Lift",
              categories: categories,
              series: withLift.map { entry in
                BarChart.Series(
                  name: entry.label,
                  values: categories.indices.map { index in
                    entry.result.churn!.lift!.first { $0.decile == index + 1 }?.lift
                  },
                  style: entry.style)
              },
              reference: BarChart.Reference(y: 1, label: "Average (lift 1)")),
            caption: "Lift: customers are sorted by churn score and cut into ten equal groups; "
              + "a lift of 2 in the first decile means that group churns at twice the "
              + "average rate.")
        ]))
    }
  }
}
