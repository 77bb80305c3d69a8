import CLVEvaluation

/// The P(alive) section: histograms of P(alive) by holdout purchase.
extension ComparisonReport {
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
}
