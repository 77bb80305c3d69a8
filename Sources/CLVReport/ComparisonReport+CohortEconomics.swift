import CLVScoring

extension ComparisonReport {
  /// The most bars groups in the predicted-economics chart (the latest cohorts); the table
  /// lists them all. A product decision: more groups cannot be read.
  static let maximumEconomicsGroups = 24

  /// The predicted unit economics of the cohorts (`clv cohorts --scores`): a bar chart of the
  /// mean CAC, first-order profit and lifetime margin (margin to date + predicted CLV) per
  /// cohort — per segment, pooled over its cohorts, when the table is segmented —, a table per
  /// cohort (and segment) and, when segmented, a table per segment. Nothing without
  /// predictions. The definitions are ``AcquisitionEconomics/Summary``'s.
  func appendCohortEconomics(_ table: CohortTable, to document: inout Document) {
    guard table.hasPredictions else { return }
    let segmented = table.cohorts.contains { $0.segment != nil }
    let bySegment = table.predictedBySegment
    document.blocks.append(
      .heading(level: 3, text: "Predicted unit economics", anchor: "cohorts-economics"))
    document.blocks.append(
      .paragraph(
        "Per acquisition cohort, over its customers with a CAC in the scores (clv score --cac): "
          + "the mean acquisition cost, the first order's profit, and the lifetime margin — "
          + "margin to date plus the predicted CLV over the scoring horizon —; CLV:CAC is the "
          + "cohort's lifetime margin over its acquisition cost (sums, not a mean of ratios), "
          + "the payback the median days from the first purchase until the cumulative margin, "
          + "realised then expected, reaches the CAC (customers not paid back within the "
          + "horizon count as never). Gupta et al. 2006 on CLV net of acquisition cost."))
    let groups: [(name: String, summary: AcquisitionEconomics.Summary)] =
      segmented
      ? bySegment.map { ($0.segment ?? "", $0.summary) }
      : table.cohorts.compactMap { c in c.predicted.map { (c.name, $0) } }
    let shown = groups.suffix(Self.maximumEconomicsGroups)
    if !shown.isEmpty {
      let unit = segmented ? "segment (all cohorts)" : table.period.rawValue + " cohort"
      let chart = BarChart(
        title: "First-order profit, lifetime margin and CAC per customer",
        description: "Bars of the mean CAC, first-order profit and margin to date plus "
          + "predicted CLV per customer, for \(shown.count) groups by \(unit).",
        xLabel: unit, yLabel: "per customer",
        categories: shown.map(\.name),
        series: [
          .init(name: "CAC", values: shown.map { $0.summary.meanCAC }, color: Palette.series[1]),
          .init(
            name: "First-order profit", values: shown.map { $0.summary.meanFirstOrderProfit },
            color: Palette.series[2]),
          .init(
            name: "Margin to date + predicted CLV",
            values: shown.map { $0.summary.meanMarginToDate + $0.summary.meanCLV },
            color: Palette.series[0]),
        ],
        width: 720, height: 400)
      document.blocks.append(
        .figures([
          Figure(
            name: "cohorts-economics",
            chart: chart,
            caption: "Mean per customer with a CAC, by \(unit)"
              + (groups.count > shown.count ? " (the latest \(shown.count))" : ""))
        ]))
    }
    document.blocks.append(.table(Self.economicsTable(table)))
    if segmented {
      document.blocks.append(.table(Self.economicsBySegmentTable(bySegment)))
    }
  }

  static let economicsHeaders = [
    "Customers with CAC", "CAC", "First-order profit", "Margin to date", "Predicted CLV",
    "CLV:CAC", "Median payback (days)", "Paid back",
  ]

  static func economicsCells(_ p: AcquisitionEconomics.Summary?) -> [Table.Cell] {
    guard let p else {
      return [Table.Cell("0")] + Array(repeating: Table.Cell("—"), count: 7)
    }
    func money(_ x: Double) -> Table.Cell { Table.Cell(NumberFormat.fixed(x, fractionDigits: 2)) }
    return [
      Table.Cell(NumberFormat.fixed(Double(p.customers), fractionDigits: 0)),
      money(p.meanCAC), money(p.meanFirstOrderProfit), money(p.meanMarginToDate),
      money(p.meanCLV),
      Table.Cell(
        p.clvToCAC.map { NumberFormat.fixed($0, fractionDigits: 2) } ?? "—",
        emphasized: (p.clvToCAC ?? 0) >= 1),
      Table.Cell(
        p.medianPaybackDays.map { NumberFormat.fixed($0, fractionDigits: 0) } ?? "not within H"),
      Table.Cell(NumberFormat.percent(p.paidBackShare)),
    ]
  }

  /// One row per cohort (and segment): ``economicsHeaders``.
  static func economicsTable(_ table: CohortTable) -> Table {
    let segmented = table.cohorts.contains { $0.segment != nil }
    let headers = ["Cohort"] + (segmented ? ["Segment"] : []) + economicsHeaders
    let rows = table.cohorts.map { c in
      [Table.Cell(c.name)] + (segmented ? [Table.Cell(c.segment ?? "")] : [])
        + economicsCells(c.predicted)
    }
    return Table(
      caption: "Predicted unit economics per \(table.period.rawValue) cohort: means per customer "
        + "with a CAC; CLV:CAC of the cohort's sums; median payback from the first purchase "
        + "(not within H: half or more not paid back by the scoring horizon)",
      headers: headers, numeric: headers.indices.map { $0 >= (segmented ? 2 : 1) }, rows: rows)
  }

  /// One row per segment, pooled over its cohorts (no median: medians do not pool).
  static func economicsBySegmentTable(
    _ bySegment: [(segment: String?, summary: AcquisitionEconomics.Summary)]
  ) -> Table {
    let headers = ["Segment"] + economicsHeaders.filter { $0 != "Median payback (days)" }
    let rows = bySegment.map { entry in
      var cells = economicsCells(entry.summary)
      cells.remove(at: 6)
      return [Table.Cell(entry.segment ?? "")] + cells
    }
    return Table(
      caption: "Predicted unit economics per segment, all cohorts pooled (means weighted by "
        + "customers with a CAC; CLV:CAC of the sums)",
      headers: headers, numeric: headers.indices.map { $0 >= 1 }, rows: rows)
  }
}
