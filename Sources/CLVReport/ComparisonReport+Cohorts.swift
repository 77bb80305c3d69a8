import CLVEvaluation
import CLVScoring

/// An acquisition-cohort table shown in the report (`clv report --cohorts cohorts.csv`, the
/// output of `clv cohorts`).
public struct CohortReportInput: Sendable {
  public var file: String
  public var table: CohortTable
  public init(file: String, table: CohortTable) {
    self.file = file
    self.table = table
  }
}

extension ComparisonReport {
  /// The most cohorts drawn as revenue curves in one chart (evenly spaced through the cohorts,
  /// the first and the last included): more lines cannot be told apart. A product decision.
  static let maximumCohortCurves = 12
  /// The most segments drawn (the largest by customers); the table lists them all.
  static let maximumCohortSegments = 4

  /// The "Cohorts" section: per segment (one without `--segment-by`), the retention triangle
  /// as a heat map (repeat rate by cohort and period since acquisition) and the cumulative
  /// revenue per acquired customer by period, one line per cohort; then a table per cohort
  /// (customers, second-purchase rate, one-time buyers, median days to the second purchase,
  /// and with costs the CAC, the cumulative margin over it and the payback period); with
  /// scores, the predicted unit economics (``appendCohortEconomics(_:to:)``). Reads only
  /// ``cohorts``; the definitions are ``CohortTable``'s.
  func appendCohorts(to document: inout Document) {
    guard let input = cohorts else { return }
    let table = input.table
    let unit = table.period.rawValue
    document.blocks.append(.heading(level: 2, text: "Cohorts", anchor: "cohorts"))
    document.blocks.append(
      .paragraph(
        "Customers grouped by the \(unit) of their first purchase (\(input.file), from clv "
          + "cohorts). The triangle shows, per cohort and \(unit) since acquisition (0 = the "
          + "acquisition \(unit)), the share of the cohort with a repeat purchase in that "
          + "\(unit); the curves the revenue per acquired customer, cumulated. Only complete "
          + "\(unit)s are shown (Fader & Hardie 2009 on acquisition cohorts)."))
    var bySegment: [(segment: String?, cohorts: [CohortTable.Cohort])] = []
    for cohort in table.cohorts {
      if let index = bySegment.firstIndex(where: { $0.segment == cohort.segment }) {
        bySegment[index].cohorts.append(cohort)
      } else {
        bySegment.append((cohort.segment, [cohort]))
      }
    }
    let drawn = bySegment.sorted {
      $0.cohorts.map(\.customers).reduce(0, +) > $1.cohorts.map(\.customers).reduce(0, +)
    }.prefix(Self.maximumCohortSegments)
    if bySegment.count > drawn.count {
      document.blocks.append(
        .note(
          "Charts for the \(drawn.count) largest of \(bySegment.count) segments; the table "
            + "lists every cohort."))
    }
    for (index, group) in drawn.enumerated() {
      let suffix = group.segment.map { " — \($0)" } ?? ""
      document.blocks.append(
        .figures([
          Figure(
            name: "cohorts-retention-\(index + 1)",
            chart: Self.retentionTriangle(
              group.cohorts, unit: unit, title: "Retention triangle\(suffix)"),
            caption: "Share of each cohort with a repeat purchase, by \(unit) since acquisition"),
          Figure(
            name: "cohorts-revenue-\(index + 1)",
            chart: Self.revenueCurves(
              group.cohorts, unit: unit, title: "Cumulative revenue per customer\(suffix)"),
            caption: "Revenue per acquired customer, cumulated by \(unit) since acquisition"),
        ]))
    }
    document.blocks.append(.table(Self.cohortTable(table)))
    appendCohortEconomics(table, to: &document)
  }

  /// The retention triangle: rows are cohorts (the oldest on top), columns periods.
  static func retentionTriangle(
    _ cohorts: [CohortTable.Cohort], unit: String, title: String
  ) -> HeatMap {
    let width = cohorts.map(\.cells.count).max() ?? 0
    let rows = cohorts.reversed().map { cohort in
      (0..<width).map { k in k < cohort.cells.count ? cohort.cells[k].repeatRate * 100 : nil }
    }
    return HeatMap(
      title: title,
      description: "Heat map of the repeat rate (%) of \(cohorts.count) cohorts over up to "
        + "\(width) \(unit)s since acquisition.",
      xLabel: "\(unit)s since acquisition", yLabel: "cohort",
      xValues: (0..<max(width, 1)).map(Double.init),
      yValues: cohorts.indices.map(Double.init), values: rows,
      valueLabel: "repeat rate (%)", yCategories: cohorts.reversed().map(\.name),
      width: 640, height: max(240, min(720, 60 + 18 * Double(cohorts.count))))
  }

  /// Cumulative revenue per acquired customer by period, one line per cohort (at most
  /// ``maximumCohortCurves``), coloured from dark (oldest) to light (newest).
  static func revenueCurves(
    _ cohorts: [CohortTable.Cohort], unit: String, title: String
  ) -> LineChart {
    let shown: [CohortTable.Cohort]
    if cohorts.count <= maximumCohortCurves {
      shown = cohorts
    } else {
      let step = Double(cohorts.count - 1) / Double(maximumCohortCurves - 1)
      shown = (0..<maximumCohortCurves).map { cohorts[Int((Double($0) * step).rounded())] }
    }
    let series = shown.enumerated().map { index, cohort in
      LineChart.Series(
        name: cohort.name,
        points: cohort.cells.map {
          LineChart.Point(Double($0.period), $0.cumulativeRevenuePerCustomer)
        },
        color: HeatMap.viridis(
          shown.count > 1 ? 0.85 * Double(index) / Double(shown.count - 1) : 0),
        markers: cohort.cells.count < 3)
    }
    return LineChart(
      title: title,
      description: "Cumulative revenue per acquired customer of \(shown.count) cohorts by "
        + "\(unit) since acquisition.",
      xLabel: "\(unit)s since acquisition", yLabel: "revenue per customer", series: series,
      width: 640, height: 400)
  }

  /// One row per cohort (and segment): size, repeat measures and, with costs, unit economics.
  static func cohortTable(_ table: CohortTable) -> Table {
    let segmented = table.cohorts.contains { $0.segment != nil }
    let margin = table.margin
    var headers = ["Cohort"] + (segmented ? ["Segment"] : [])
    headers += [
      "Customers", "Second purchase", "One-time buyers", "Median days to 2nd",
      "Cum. revenue / customer",
    ]
    if margin != nil {
      headers += ["CAC", "Cum. margin / CAC", "Payback (\(table.period.rawValue)s)"]
    }
    let rows = table.cohorts.map { c -> [Table.Cell] in
      var row = [Table.Cell(c.name)] + (segmented ? [Table.Cell(c.segment ?? "")] : [])
      row += [
        Table.Cell(NumberFormat.fixed(Double(c.customers), fractionDigits: 0)),
        Table.Cell(NumberFormat.percent(c.secondPurchaseRate)),
        Table.Cell(NumberFormat.percent(c.oneTimeBuyerShare)),
        Table.Cell(
          c.medianDaysToSecondPurchase.map { NumberFormat.fixed($0, fractionDigits: 0) } ?? "—"),
        Table.Cell(
          c.cells.last.map {
            NumberFormat.fixed($0.cumulativeRevenuePerCustomer, fractionDigits: 2)
          }
            ?? "—"),
      ]
      if let margin {
        let ratio = c.marginToCAC(margin: margin)?.last
        row += [
          Table.Cell(c.cac.map { NumberFormat.fixed($0, fractionDigits: 2) } ?? "—"),
          Table.Cell(ratio.map { NumberFormat.fixed($0, fractionDigits: 2) } ?? "—"),
          Table.Cell(
            c.paybackPeriod(margin: margin).map { "\($0)" } ?? (c.cac == nil ? "—" : "not yet"),
            emphasized: c.paybackPeriod(margin: margin) != nil),
        ]
      }
      return row
    }
    var caption =
      "Acquisition cohorts: customers, repeat buying and revenue per customer to the last complete \(table.period.rawValue)"
    if let margin {
      caption +=
        "; CAC (mean of the cohort's customers), cumulative margin (margin \(NumberFormat.fixed(margin, fractionDigits: 2)) × revenue) per customer over CAC, and the first \(table.period.rawValue) it reached 1"
    }
    return Table(
      caption: caption, headers: headers,
      numeric: headers.indices.map { $0 >= (segmented ? 2 : 1) }, rows: rows)
  }
}
