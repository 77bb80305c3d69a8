import CLVEvaluation

/// The covariates section: for purchase models fitted with customer attributes (`clv evaluate
/// --attributes`), the coefficient table, the likelihood-ratio test against the same model
/// without covariates (as CLVTools' `lrtest`) and whether the covariates lower the holdout
/// error. Absent when no run has a model with covariates.
extension ComparisonReport {
  func appendCovariates(to document: inout Document) {
    let entries = self.entries.filter { $0.result.covariates != nil }
    guard !entries.isEmpty else { return }
    document.blocks.append(.heading(level: 2, text: "Covariates", anchor: "covariates"))
    document.blocks.append(.bullets(entries.map(covariateVerdict)))
    document.blocks.append(.table(coefficientTable(entries)))
    for (members, name, suffix) in byGroup(entries) {
      appendCovariateTests(members, name: name, suffix: suffix, to: &document)
    }
  }

  /// One sentence per model: what the test and the holdout say.
  func covariateVerdict(_ entry: Entry) -> String {
    let covariates = entry.result.covariates!
    var parts: [String] = []
    if let test = covariates.likelihoodRatioTest {
      let significant = test.pValue < 0.05
      parts.append(
        (significant
          ? "the covariates improve the calibration fit"
          : "the covariates do not "
            + "improve the calibration fit significantly")
          + " (LR = \(NumberFormat.fixed(test.statistic, fractionDigits: 2)), "
          + "\(test.degreesOfFreedom) df, p \(Self.pValue(test.pValue, relation: true)))")
    } else {
      parts.append(
        "no likelihood-ratio test (L2 penalty \(NumberFormat.significant(covariates.covariateL2, 3, trimmingZeros: true)) on the coefficients)"
      )
    }
    if let holdout = entry.result.holdout, let nested = covariates.nestedHoldout {
      let change = holdout.rmse - nested.rmse
      let relative = nested.rmse > 0 ? " (\(signedPercent(change / nested.rmse)))" : ""
      parts.append(
        (change < 0 ? "lower" : change > 0 ? "raise" : "leave")
          + " the holdout RMSE from \(NumberFormat.fixed(nested.rmse, fractionDigits: 4)) to "
          + "\(NumberFormat.fixed(holdout.rmse, fractionDigits: 4))\(relative)")
    }
    return "\(entry.label), attributes \(Self.fileName(covariates.attributes)): "
      + parts.joined(separator: "; they ") + "."
  }

  /// The coefficients of every model with covariates: estimate, standard error, 95% Wald
  /// interval γ ± 1.96·SE, z and two-sided p-value.
  func coefficientTable(_ entries: [Entry]) -> Table {
    var rows: [[Table.Cell]] = []
    for entry in entries {
      for (index, c) in entry.result.covariates!.coefficients.enumerated() {
        let interval = c.standardError.map {
          let (low, high) = Self.interval95(c.estimate, standardError: $0, positive: false)
          return "\(NumberFormat.significant(low, 3, trimmingZeros: true)) to "
            + NumberFormat.significant(high, 3, trimmingZeros: true)
        }
        rows.append([
          Table.Cell(index == 0 ? entry.label : ""),
          Table.Cell(c.name),
          Table.Cell(NumberFormat.significant(c.estimate, 4, trimmingZeros: true)),
          Table.Cell(
            c.standardError.map { NumberFormat.significant($0, 3, trimmingZeros: true) } ?? "—"),
          Table.Cell(interval ?? "—"),
          Table.Cell(c.z.map { NumberFormat.fixed($0, fractionDigits: 2) } ?? "—"),
          Table.Cell(c.pValue.map { Self.pValue($0) } ?? "—", emphasized: (c.pValue ?? 1) < 0.05),
        ])
      }
    }
    return Table(
      caption: "Covariate coefficients (purchase: positive = more purchases; dropout: see the "
        + "model's sign convention in the covariates guide), 95% Wald intervals, z = γ/SE and "
        + "two-sided p-values (p < 0.05 in bold)",
      headers: ["Model", "Coefficient", "Estimate", "Std. error", "95% interval", "z", "p"],
      numeric: [false, false, true, true, true, true, true], rows: rows)
  }

  /// The likelihood-ratio tests and the holdout errors with and without covariates of one
  /// comparable group, and a bar chart of the holdout RMSE.
  func appendCovariateTests(
    _ entries: [Entry], name: String, suffix: String, to document: inout Document
  ) {
    func number(_ value: Double?, _ digits: Int) -> String {
      value.map { NumberFormat.fixed($0, fractionDigits: digits) } ?? "—"
    }
    let rows = entries.map { entry -> [Table.Cell] in
      let covariates = entry.result.covariates!
      let test = covariates.likelihoodRatioTest
      let holdout = entry.result.holdout
      let change = covariates.rmseChange(holdout: holdout)
      return [
        Table.Cell(entry.label),
        Table.Cell(number(covariates.logLikelihood, 1)),
        Table.Cell(number(covariates.nestedLogLikelihood, 1)),
        Table.Cell(number(test?.statistic, 2)),
        Table.Cell(test.map { String($0.degreesOfFreedom) } ?? "—"),
        Table.Cell(
          test.map { Self.pValue($0.pValue) } ?? "—", emphasized: (test?.pValue ?? 1) < 0.05),
        Table.Cell(number(holdout?.rmse, 4)),
        Table.Cell(number(covariates.nestedHoldout?.rmse, 4)),
        Table.Cell(
          change.map { NumberFormat.fixed($0, fractionDigits: 4) } ?? "—",
          emphasized: (change ?? 0) < 0),
        Table.Cell(number(holdout?.mae, 4)),
        Table.Cell(number(covariates.nestedHoldout?.mae, 4)),
      ]
    }
    document.blocks.append(
      .table(
        Table(
          caption: "Likelihood-ratio test against the same model without covariates, LR = "
            + "2 (log L − log L₀) against χ² with one degree of freedom per free coefficient, and "
            + "holdout error with and without covariates (a negative ΔRMSE, in bold: the "
            + "covariates improve the holdout predictions)" + suffix,
          headers: [
            "Model", "Log L", "Log L₀ (no covariates)", "LR", "df", "p", "RMSE",
            "RMSE (no covariates)", "ΔRMSE", "MAE", "MAE (no covariates)",
          ],
          numeric: [false, true, true, true, true, true, true, true, true, true, true],
          rows: rows)))
    let compared = entries.filter {
      $0.result.holdout != nil && $0.result.covariates?.nestedHoldout != nil
    }
    guard !compared.isEmpty else { return }
    document.blocks.append(
      .figures([
        Figure(
          name: "covariates\(name)",
          chart: BarChart(
            title: "Holdout RMSE with and without covariates\(suffix)",
            description: "Per model, the holdout RMSE of the model without covariates and of "
              + "the same model with the customers' attributes as covariates.",
            xLabel: "Model", yLabel: "Holdout RMSE (purchases per customer)",
            categories: compared.map(\.label),
            series: [
              BarChart.Series(
                name: "without covariates",
                values: compared.map { $0.result.covariates?.nestedHoldout?.rmse },
                color: Self.actualBars),
              BarChart.Series(
                name: "with covariates", values: compared.map { $0.result.holdout?.rmse },
                color: Palette.color(0)),
            ]),
          caption: "Covariates: lower bars are better; the grey bar is the nested model "
            + "without covariates, fitted on the same customers.")
      ]))
  }

  /// A p-value with 3 significant digits, "< 0.0001" below; with `relation`, "= 0.123" or
  /// "< 0.0001".
  static func pValue(_ p: Double, relation: Bool = false) -> String {
    if p < 1e-4 { return "< 0.0001" }
    return (relation ? "= " : "") + NumberFormat.significant(p, 3, trimmingZeros: true)
  }
}
