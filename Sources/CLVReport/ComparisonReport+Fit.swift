import CLVEvaluation

/// The parameters-and-fit section: estimates with 95% intervals, log-likelihood, AIC, BIC.
extension ComparisonReport {
  func appendFit(to document: inout Document) {
    let entries = self.entries
    document.blocks.append(.heading(level: 2, text: "Parameters and fit", anchor: "fit"))
    var rows: [[Table.Cell]] = []
    for entry in entries {
      // Covariate coefficients are real numbers: their intervals are θ ± 1.96·SE.
      let coefficients = Set(entry.result.covariates?.coefficients.map(\.name) ?? [])
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
                value, standardError: $0,
                positive: entry.result.hasPositiveParameters && !coefficients.contains(name))
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
    // One fit table per comparable group: AIC and BIC compare models on the same data only,
    // so the lowest is marked within a group.
    for (members, _, suffix) in byGroup(entries) {
      let bestAIC = members.compactMap { $0.result.holdout?.aic }.min()
      let bestBIC = members.compactMap { $0.result.holdout?.bic }.min()
      let marks = members.count > 1
      let fitRows = members.map { entry -> [Table.Cell] in
        let r = entry.result
        let converged =
          r.error != nil
          ? "failed"
          : r.fit?.converged.map { $0 ? (r.fit?.degenerate == true ? "degenerate" : "yes") : "no" }
            ?? "—"
        let aic = r.holdout?.aic
        let bic = r.holdout?.bic
        return [
          Table.Cell(entry.label),
          Table.Cell(r.customers.map { NumberFormat.fixed(Double($0), fractionDigits: 0) } ?? "—"),
          Table.Cell(String(r.parameters.count)),
          Table.Cell(r.logLikelihood.map { NumberFormat.fixed($0, fractionDigits: 1) } ?? "—"),
          Table.Cell(
            aic.map { NumberFormat.fixed($0, fractionDigits: 1) } ?? "—",
            emphasized: marks && aic != nil && aic == bestAIC),
          Table.Cell(
            bic.map { NumberFormat.fixed($0, fractionDigits: 1) } ?? "—",
            emphasized: marks && bic != nil && bic == bestBIC),
          Table.Cell(converged),
          Table.Cell(r.fit?.iterations.map(String.init) ?? "—"),
        ]
      }
      document.blocks.append(
        .table(
          Table(
            caption: "Calibration fit: log-likelihood, AIC = 2k − 2 log L, BIC = k ln n − 2 log L "
              + "(lower is better, lowest in bold; compare only models fitted on the same data)"
              + suffix,
            headers: [
              "Model", "Customers", "k", "Log-likelihood", "AIC", "BIC", "Converged",
              "Iterations",
            ],
            numeric: [false, true, true, true, true, true, false, true], rows: fitRows)))
    }
  }
}
