import CLVEvaluation

extension ComparisonReport {
  /// The "Targeting" section: each run's win-back and replenishment lists built at the
  /// calibration end, with the share of their customers who bought in the holdout next to the
  /// groups they are compared with (``TargetingBacktest``).
  func appendTargeting(to document: inout Document) {
    let runs = inputs.enumerated().compactMap { index, input in
      input.run.targeting.map { (runLabel(index), $0) }
    }
    guard !runs.isEmpty else { return }
    document.blocks.append(.heading(level: 2, text: "Targeting", anchor: "targeting"))
    document.blocks.append(
      .paragraph(
        "The campaign lists of clv target rebuilt at the calibration end from the orders up to "
          + "it, and the share of their customers who bought in the holdout window. A list "
          + "earns its cost when it beats a random list of the same size; lists of different "
          + "sizes are also compared at one size, each cut to the smaller by its own ranking."))
    func cells(_ run: String, _ name: String, _ group: TargetingBacktest.Group) -> [Table.Cell] {
      [
        Table.Cell(run), Table.Cell(name),
        Table.Cell(NumberFormat.fixed(Double(group.customers), fractionDigits: 0)),
        Table.Cell(NumberFormat.fixed(Double(group.purchasers), fractionDigits: 0)),
        Table.Cell(group.rate.map { NumberFormat.percent($0) } ?? "—"),
      ]
    }
    var rows: [[Table.Cell]] = []
    for (label, t) in runs {
      let w = t.winBack
      let r = t.replenishment
      rows.append(cells(label, "win-back list (top \(w.budget))", w.list))
      rows.append(cells(label, "other lapsed customers", w.otherLapsed))
      rows.append(cells(label, "random list (all lapsed)", w.allLapsed))
      rows.append(cells(label, "replenishment list (due and likely to buy)", r.list))
      if let timingOnly = r.timingOnly {
        rows.append(cells(label, "due date alone (shrunk cycle)", timingOnly))
      }
      rows.append(cells(label, "naive mean-gap rule", r.naive))
      rows.append(cells(label, "random list (all active)", r.allActive))
      if let e = r.equalSize {
        let n = e.customers
        rows.append(cells(label, "at equal size: replenishment list's top \(n)", e.list))
        rows.append(cells(label, "at equal size: naive rule's top \(n)", e.naive))
        rows.append(
          cells(label, "at equal size: top \(n) by purchase rate, due or not", e.rateAlone))
        if let model = e.modelProbability {
          let name = e.model.map { " (\($0))" } ?? ""
          rows.append(
            cells(
              label,
              "at equal size: top \(n) by the purchase model's P(purchase)\(name), due or not",
              model))
        }
        let random = r.allActive.rate.map { rate in
          NumberFormat.percent(rate)
            + (e.randomMargin.map { " ± " + NumberFormat.fixed($0 * 100, fractionDigits: 1) } ?? "")
        }
        rows.append([
          Table.Cell(label), Table.Cell("at equal size: random list of \(n) (expected, 95%)"),
          Table.Cell(NumberFormat.fixed(Double(n), fractionDigits: 0)), Table.Cell("—"),
          Table.Cell(random ?? "—"),
        ])
      }
    }
    let first = runs[0].1
    document.blocks.append(
      .table(
        Table(
          caption: "Lists built at \(first.asOf); win-back judged on a purchase within "
            + "\(first.winBack.windowDays) days, replenishment within "
            + "\(first.replenishment.windowDays) days",
          headers: ["Run", "List", "Customers", "Bought", "Rate"],
          numeric: [false, false, true, true, true], rows: rows)))
    appendSegmentOutcomes(runs, to: &document)
  }

  /// Each segment's holdout purchase rate, purchase days and spend per customer: do the
  /// segments sort the customers by what they do next (`loyal` above `at-risk`)?
  private func appendSegmentOutcomes(
    _ runs: [(String, TargetingBacktest)], to document: inout Document
  ) {
    let labelled = runs.compactMap { label, t in t.segments.map { (label, t, $0) } }
    guard !labelled.isEmpty else { return }
    var rows: [[Table.Cell]] = []
    for (label, _, segments) in labelled {
      for outcome in segments {
        rows.append([
          Table.Cell(label), Table.Cell(outcome.segment),
          Table.Cell(NumberFormat.fixed(Double(outcome.customers), fractionDigits: 0)),
          Table.Cell(outcome.rate.map { NumberFormat.percent($0) } ?? "—"),
          Table.Cell(outcome.purchaseDays.map { NumberFormat.fixed($0, fractionDigits: 2) } ?? "—"),
          Table.Cell(outcome.spend.map { NumberFormat.fixed($0, fractionDigits: 2) } ?? "—"),
        ])
      }
    }
    let first = labelled[0]
    document.blocks.append(
      .paragraph(
        "The segments of clv score labelled at the calibration end by "
          + "\(first.1.segmentModel ?? "the run's models"), and what their customers did in the "
          + "holdout: if the labels mean what they say, loyal customers buy more than at-risk "
          + "ones and the active segments more than the inactive ones."))
    document.blocks.append(
      .table(
        Table(
          caption: "Holdout purchases per segment labelled at \(first.1.asOf) (per customer)",
          headers: ["Run", "Segment", "Customers", "Bought (share)", "Purchase days", "Spend"],
          numeric: [false, false, true, true, true, true], rows: rows)))
  }
}
