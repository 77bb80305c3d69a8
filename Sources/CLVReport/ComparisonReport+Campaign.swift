import CLVEvaluation
import CLVNumerics

/// A campaign readout shown in the report (`clv report --campaign readout.json`).
public struct CampaignReportInput: Sendable {
  public var file: String
  public var readout: CampaignReadout
  public init(file: String, readout: CampaignReadout) {
    self.file = file
    self.readout = readout
  }
}

extension ComparisonReport {
  /// The "Campaigns" section: per readout of `clv measure`, a verdict in words, the groups'
  /// outcomes and the lifts with their 95% intervals, and a chart of the purchase rates (see
  /// ``CampaignReadout`` for the measures and their sources). Self-contained: it reads only
  /// ``campaigns``.
  func appendCampaigns(to document: inout Document) {
    guard !campaigns.isEmpty else { return }
    document.blocks.append(.heading(level: 2, text: "Campaigns", anchor: "campaigns"))
    document.blocks.append(
      .paragraph(
        "Readouts of clv measure: the customers sent an offer (treatment) against a random "
          + "control group held out of the same list, over the window after the send. An "
          + "interval that excludes 0 is a lift the data support at the 95% level."))
    for (index, input) in campaigns.enumerated() {
      let r = input.readout
      let name = campaigns.count > 1 ? "Campaign \(index + 1): \(input.file)" : input.file
      document.blocks.append(.heading(level: 3, text: name, anchor: "campaign-\(index + 1)"))
      document.blocks.append(.bullets(Self.campaignVerdict(r)))
      func cell(_ x: Double, _ digits: Int = 2) -> Table.Cell {
        Table.Cell(NumberFormat.fixed(x, fractionDigits: digits))
      }
      func pct(_ x: Double) -> String { NumberFormat.percent(x, fractionDigits: 2) }
      let groups = [("treatment", r.treatment), ("control", r.control)].map { name, g in
        [
          Table.Cell(name), cell(Double(g.customers), 0), cell(Double(g.purchasers), 0),
          Table.Cell(
            "\(pct(g.purchaseRate)) [\(pct(g.purchaseRateInterval.lower)), "
              + "\(pct(g.purchaseRateInterval.upper))]"),
          cell(g.ordersPerCustomer, 3), cell(g.revenuePerCustomer),
        ]
      }
      document.blocks.append(
        .table(
          Table(
            caption: "Outcomes per group (purchase rate with its Wilson 95% interval)",
            headers: [
              "Group", "Customers", "Bought", "Purchase rate", "Orders / customer",
              "Revenue / customer",
            ],
            numeric: [false, true, true, true, true, true], rows: groups)))
      func interval(_ i: ConfidenceInterval, scale: Double = 1, digits: Int = 2) -> String {
        "[\(NumberFormat.fixed(i.lower * scale, fractionDigits: digits)), "
          + "\(NumberFormat.fixed(i.upper * scale, fractionDigits: digits))]"
      }
      func relative(_ l: CampaignReadout.Lift) -> String {
        guard let x = l.relative else { return "—" }
        return pct(x) + (l.relativeInterval.map { " [\(pct($0.lower)), \(pct($0.upper))]" } ?? "")
      }
      func p(_ l: CampaignReadout.Lift) -> String {
        l.pValue.map { NumberFormat.fixed($0, fractionDigits: 4) } ?? "—"
      }
      let lifts: [[Table.Cell]] = [
        [
          Table.Cell("purchase rate (points)"),
          cell(r.purchaseRate.difference * 100),
          Table.Cell(interval(r.purchaseRate.interval, scale: 100)),
          Table.Cell(relative(r.purchaseRate)), Table.Cell(p(r.purchaseRate)),
          Table.Cell("Newcombe hybrid score; z-test"),
        ],
        [
          Table.Cell("orders per customer"), cell(r.ordersPerCustomer.difference, 4),
          Table.Cell(interval(r.ordersPerCustomer.interval, digits: 4)),
          Table.Cell(relative(r.ordersPerCustomer)), Table.Cell(p(r.ordersPerCustomer)),
          Table.Cell(r.meanIntervals.label),
        ],
        [
          Table.Cell("revenue per customer"), cell(r.revenuePerCustomer.difference),
          Table.Cell(interval(r.revenuePerCustomer.interval)),
          Table.Cell(relative(r.revenuePerCustomer)), Table.Cell(p(r.revenuePerCustomer)),
          Table.Cell(r.meanIntervals.label),
        ],
        [
          Table.Cell("incremental revenue"), cell(r.incrementalRevenue.value),
          Table.Cell(interval(r.incrementalRevenue.interval)), Table.Cell("—"), Table.Cell("—"),
          Table.Cell("treatment customers × revenue lift"),
        ],
        [
          Table.Cell("incremental profit", emphasized: true), cell(r.incrementalProfit.value),
          Table.Cell(interval(r.incrementalProfit.interval)), Table.Cell("—"), Table.Cell("—"),
          Table.Cell(
            "margin \(NumberFormat.fixed(r.margin, fractionDigits: 2)) × revenue − offer cost "
              + "\(NumberFormat.fixed(r.offerCost, fractionDigits: 2)) × \(r.treatment.customers)"),
        ],
      ]
      document.blocks.append(
        .table(
          Table(
            caption: "Treatment minus control, with 95% intervals",
            headers: ["Measure", "Lift", "95% interval", "Relative lift", "p-value", "Method"],
            numeric: [false, true, true, true, true, false], rows: lifts)))
      let chart = BarChart(
        title: "Purchase rate by group",
        description: "Share of each group who ordered in the window: treatment "
          + "\(pct(r.treatment.purchaseRate)), control \(pct(r.control.purchaseRate)).",
        yLabel: "purchase rate (%)", categories: ["treatment", "control"],
        series: [
          BarChart.Series(
            name: "purchase rate",
            values: [r.treatment.purchaseRate * 100, r.control.purchaseRate * 100],
            color: Palette.series[0])
        ], width: 480, height: 320)
      document.blocks.append(
        .figures([
          Figure(
            name: "campaign-\(index + 1)", chart: chart,
            caption: "Purchase rates of the treatment and control groups")
        ]))
    }
  }

  /// The readout in words: whether the offer lifted purchases and paid, from the intervals.
  static func campaignVerdict(_ r: CampaignReadout) -> [String] {
    func points(_ x: Double) -> String { NumberFormat.fixed(x * 100, fractionDigits: 2) }
    let rate = r.purchaseRate
    let rateText: String
    if rate.interval.lower > 0 {
      rateText =
        "The offer raised the purchase rate by \(points(rate.difference)) points "
        + "(95% interval \(points(rate.interval.lower)) to \(points(rate.interval.upper)))."
    } else if rate.interval.upper < 0 {
      rateText =
        "The treatment group bought less than the control group: "
        + "\(points(rate.difference)) points (95% interval \(points(rate.interval.lower)) to "
        + "\(points(rate.interval.upper)))."
    } else {
      rateText =
        "No lift in the purchase rate can be told from chance: "
        + "\(points(rate.difference)) points, 95% interval \(points(rate.interval.lower)) to "
        + "\(points(rate.interval.upper))."
    }
    let profit = r.incrementalProfit
    let money = { NumberFormat.fixed($0, fractionDigits: 2) }
    let profitText: String
    if profit.interval.lower > 0 {
      profitText =
        "It paid: incremental profit \(money(profit.value)) (95% interval "
        + "\(money(profit.interval.lower)) to \(money(profit.interval.upper)))."
    } else if profit.interval.upper < 0 {
      profitText =
        "It did not pay: incremental profit \(money(profit.value)) (95% interval "
        + "\(money(profit.interval.lower)) to \(money(profit.interval.upper)))."
    } else {
      profitText =
        "Whether it paid is not settled: incremental profit \(money(profit.value)), "
        + "95% interval \(money(profit.interval.lower)) to \(money(profit.interval.upper))."
    }
    return [rateText, profitText]
  }
}
