import CLVEvaluation

/// The summary section: which model wins on which measure, and by how much.
extension ComparisonReport {
  // MARK: Headlines

  /// Plain-language sentences: which model wins on which measure, and by how much.
  func headlines() -> [String] {
    var lines: [String] = []
    let entries = self.entries
    let groups = self.groups
    for (groupIndex, group) in groups.enumerated() {
      let prefix = group.label.isEmpty ? "" : "In \(group.label): "
      let members = entries.filter { $0.group == groupIndex }
      // Holdout RMSE: the measure `clv train --model auto` chooses by (``ModelSelection``).
      let holdout = members.compactMap { e in e.result.holdout.map { (e, $0) } }
        .sorted { $0.1.rmse < $1.1.rmse }
      if let best = holdout.first {
        var line =
          "\(best.0.label) predicts holdout purchases best: root mean squared error "
          + "\(NumberFormat.significant(best.1.rmse, 3)) purchases per customer"
        if holdout.count > 1 {
          let second = holdout[1]
          let gain = (second.1.rmse - best.1.rmse) / second.1.rmse
          if gain < 0.0005 {
            line += ", tied with \(second.0.label)"
          } else {
            line +=
              ", \(NumberFormat.percent(gain)) lower than \(second.0.label) "
              + "(\(NumberFormat.significant(second.1.rmse, 3)))"
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

  /// Which runs can be compared, and why the others cannot: one sentence per group of runs
  /// on the same data and split, naming what differs from the first group.
  func comparability() -> [String] {
    let groups = self.groups
    func runs(_ group: DataGroup) -> String {
      let ids = group.runIndices.map(runLabel)
      return ids.count == 1 ? "Run \(ids[0])" : "Runs " + Self.series(ids)
    }
    func split(_ data: RunFile.DataInfo) -> String {
      let holdout =
        data.holdoutLength.map {
          " (" + NumberFormat.significant($0, 3, trimmingZeros: true) + " \(data.unit)s)"
        } ?? ""
      return "\(Self.fileName(data.file)), calibration to \(data.calibrationEnd), holdout to "
        + "\(data.observationEnd)\(holdout), in \(data.unit)s"
    }
    guard groups.count > 1 else {
      guard multipleRuns else { return [] }
      return [
        "All \(inputs.count) runs use the same data and split (\(split(groups[0].data))): "
          + "their measures are compared directly."
      ]
    }
    var lines = [
      "The runs fall into \(groups.count) groups that cannot be compared with each other: "
        + "holdout errors, AUC and cohort figures depend on the customers and the holdout "
        + "length, so the best value is marked (bold) only within a group."
    ]
    let first = groups[0].data
    for (index, group) in groups.enumerated() {
      var line =
        "\(group.label.prefix(1).uppercased() + group.label.dropFirst()): "
        + "\(runs(group)) on \(split(group.data))"
      if index > 0 {
        let differences = Self.differences(first, group.data)
        line += "; differs from \(groups[0].label) in " + Self.series(differences)
      }
      lines.append(line + ".")
    }
    return lines
  }

  /// What makes two data/split records incomparable, in words.
  static func differences(_ a: RunFile.DataInfo, _ b: RunFile.DataInfo) -> [String] {
    var result: [String] = []
    if a.sha256 != b.sha256 { result.append("the data (another file or content)") }
    if a.calibrationEnd != b.calibrationEnd { result.append("the calibration end") }
    if a.observationEnd != b.observationEnd { result.append("the holdout end") }
    if a.holdoutLength != b.holdoutLength { result.append("the holdout length") }
    if a.unit != b.unit { result.append("the time unit") }
    return result
  }

  /// The warnings of every model (``RunFile/ModelResult/warnings``), one sentence each.
  func warningLines() -> [String] {
    entries.flatMap { entry -> [String] in
      if let error = entry.result.error {
        return ["Warning: \(entry.label) failed and has no measures: \(error)."]
      }
      return entry.result.warnings.map { "Warning: \(entry.label): \($0)." }
    }
  }

  /// "a", "a and b", "a, b and c".
  static func series(_ items: [String]) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + items.last!
  }

  /// The last component of a path (`../shared/datasets/x.txt` → `x.txt`).
  static func fileName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }

  func signedPercent(_ share: Double) -> String {
    (share > 0 ? "+" : "") + NumberFormat.percent(share)
  }
}
