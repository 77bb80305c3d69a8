import CLVEvaluation

/// The frequency–recency section: each purchase model's expected purchases and P(alive) over
/// a grid of calibration histories, as heat maps (lifetimes' `plot_frequency_recency_matrix`
/// and `plot_probability_alive_matrix`).
extension ComparisonReport {
  func appendFrequencyRecency(to document: inout Document) {
    let entries = self.entries.filter { $0.result.frequencyRecency != nil }
    guard !entries.isEmpty else { return }
    document.blocks.append(
      .heading(level: 2, text: "Frequency and recency", anchor: "frequency-recency"))
    document.blocks.append(
      .paragraph(
        "What each model makes of a customer's history: for every number of repeat purchases "
          + "(frequency) and time of the last one (recency), all at the longest customer age "
          + "in the data, the purchases it expects in the next period and the probability "
          + "that the customer is still active. Customers who bought often but long ago sit in "
          + "the top-left corner: a model with dropout gives them up."))
    for (index, entry) in entries.enumerated() {
      let matrix = entry.result.frequencyRecency!
      let unit = entry.result.unit?.rawValue ?? inputs[entry.runIndex].run.data.unit.rawValue
      let age = NumberFormat.significant(matrix.age, 3, trimmingZeros: true)
      let horizon = NumberFormat.significant(matrix.horizon, 3, trimmingZeros: true)
      let xs = matrix.recencies
      let ys = matrix.frequencies.map(Double.init)
      let x = "Recency (\(unit)s from the first to the last purchase)"
      let y = "Repeat purchases (frequency)"
      document.blocks.append(
        .figures([
          Figure(
            name: "frequency-recency-\(index + 1)",
            chart: HeatMap(
              title: "Expected purchases in the next \(horizon) \(unit) by frequency and recency: "
                + entry.label,
              description: "Conditional expected purchases by frequency and recency at age "
                + "\(age) \(unit)s.",
              xLabel: x, yLabel: y, xValues: xs, yValues: ys, values: matrix.expectedPurchases,
              valueLabel: "Purchases"),
            caption: "Expected purchases in the next \(horizon) \(unit) of a customer aged "
              + "\(age) \(unit)s, by frequency and recency (\(entry.label))."),
          Figure(
            name: "probability-alive-\(index + 1)",
            chart: HeatMap(
              title: "P(alive) by frequency and recency: \(entry.label)",
              description: "Probability of being active by frequency and recency at age "
                + "\(age) \(unit)s.",
              xLabel: x, yLabel: y, xValues: xs, yValues: ys, values: matrix.probabilityAlive,
              domain: 0...1, valueLabel: "P(alive)"),
            caption: "Probability that a customer aged \(age) \(unit)s is still active, by "
              + "frequency and recency (\(entry.label)); blank cells are histories that "
              + "cannot occur."),
        ]))
    }
  }
}
