import CLVData
import CLVModels

extension CohortTable.Cohort {
  /// The cumulative margin per acquired customer over the CAC, per period:
  /// `margin · cumulative_revenue_per_customer(k) / cac`; nil without a CAC or with a CAC of 0.
  public func marginToCAC(margin: Double) -> [Double]? {
    guard let cac, cac > 0 else { return nil }
    return cells.map { margin * $0.cumulativeRevenuePerCustomer / cac }
  }

  /// The cohort's payback period: the first period k since acquisition whose cumulative
  /// margin per acquired customer reaches the CAC, `margin · cumulative(k) ≥ cac`; nil without
  /// a CAC or when no complete period has reached it yet. Realised margin only (no model): the
  /// undiscounted "months to recover CAC", a product decision.
  public func paybackPeriod(margin: Double) -> Int? {
    guard let cac else { return nil }
    return cells.first { margin * $0.cumulativeRevenuePerCustomer >= cac }?.period
  }
}

extension CohortTable {
  /// The CSV header: one row per cohort (and segment) and period.
  public static let csvHeader =
    "cohort,segment,customers,second_purchase_rate,one_time_buyer_share,"
    + "median_days_to_second_purchase,period,repeat_customers,repeat_rate,revenue_per_customer,"
    + "cumulative_revenue_per_customer"

  /// The columns appended with acquisition costs (`clv cohorts --cac`): the margin used, the
  /// cohort's mean CAC, the period's cumulative margin per customer over it, and the cohort's
  /// payback period.
  public static let costColumns = ["margin", "cac", "cumulative_margin_to_cac", "payback_period"]

  /// The columns appended with scores (`clv cohorts --scores`), the cohort's
  /// ``AcquisitionEconomics/Summary`` (the same on each of its rows): `scored_customers` (n, 0
  /// when no customer of the cohort has a CAC in the scores; the other fields are then empty),
  /// then its means, ratio, median payback and paid-back share.
  public static let predictedColumns = [
    "scored_customers", "mean_cac", "mean_first_order_profit", "mean_margin_to_date", "mean_clv",
    "clv_to_cac", "median_payback_days", "paid_back_share",
  ]

  /// The fields of ``predictedColumns`` for `summary`, each with a leading comma.
  static func predictedFields(_ summary: AcquisitionEconomics.Summary?) -> String {
    guard let p = summary else {
      return ",0" + String(repeating: ",", count: predictedColumns.count - 1)
    }
    let values: [Double?] = [
      p.meanCAC, p.meanFirstOrderProfit, p.meanMarginToDate, p.meanCLV, p.clvToCAC,
      p.medianPaybackDays, p.paidBackShare,
    ]
    return ",\(p.customers)" + values.map { "," + ($0.map(NumberText.string) ?? "") }.joined()
  }

  /// The table as CSV lines (header first, no line ends). A cohort without a complete period
  /// has one row with empty period columns. With costs (``margin`` set), ``costColumns``
  /// follow (empty where undefined); with scores (``hasPredictions``), ``predictedColumns``.
  public var csvLines: [String] {
    let withCosts = margin != nil
    var lines = [
      Self.csvHeader + (withCosts ? "," + Self.costColumns.joined(separator: ",") : "")
        + (hasPredictions ? "," + Self.predictedColumns.joined(separator: ",") : "")
    ]
    for c in cohorts {
      let predicted = hasPredictions ? Self.predictedFields(c.predicted) : ""
      let head = [
        c.name, CSVField.quoted(c.segment ?? ""), "\(c.customers)",
        NumberText.string(c.secondPurchaseRate), NumberText.string(c.oneTimeBuyerShare),
        c.medianDaysToSecondPurchase.map(NumberText.string) ?? "",
      ].joined(separator: ",")
      let ratios = margin.flatMap { c.marginToCAC(margin: $0) }
      let payback = margin.flatMap { c.paybackPeriod(margin: $0) }.map(String.init) ?? ""
      func costs(_ k: Int?) -> String {
        guard withCosts else { return "" }
        let ratio = k.flatMap { k in ratios.map { NumberText.string($0[k]) } } ?? ""
        return ",\(NumberText.string(margin ?? 1))," + (c.cac.map(NumberText.string) ?? "")
          + ",\(ratio),\(payback)"
      }
      if c.cells.isEmpty { lines.append(head + ",,,,," + costs(nil) + predicted) }
      for (k, cell) in c.cells.enumerated() {
        lines.append(
          head + ",\(cell.period),\(cell.repeatCustomers),"
            + [cell.repeatRate, cell.revenuePerCustomer, cell.cumulativeRevenuePerCustomer]
            .map(NumberText.string).joined(separator: ",") + costs(k) + predicted)
      }
    }
    return lines
  }
}

extension CohortTable {
  /// The predicted unit economics of each segment over all its cohorts
  /// (``AcquisitionEconomics/Summary/pooled(_:)``), in order of first appearance; one entry
  /// (segment nil) without segmentation. Empty without predictions.
  public var predictedBySegment: [(segment: String?, summary: AcquisitionEconomics.Summary)] {
    var order: [String?] = []
    var parts: [String?: [AcquisitionEconomics.Summary]] = [:]
    for cohort in cohorts {
      guard let predicted = cohort.predicted else { continue }
      if parts[cohort.segment] == nil { order.append(cohort.segment) }
      parts[cohort.segment, default: []].append(predicted)
    }
    return order.compactMap { segment in
      AcquisitionEconomics.Summary.pooled(parts[segment]!).map { (segment, $0) }
    }
  }

  /// The table as JSON (`clv cohorts --json`): period, last day, margin, and per cohort its
  /// measures, cells and, with costs and scores, its CAC and predicted economics; then the
  /// predictions pooled by segment. Keys in a fixed order; null where undefined.
  public var json: JSONValue {
    func n(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
    func summary(_ p: AcquisitionEconomics.Summary?) -> JSONValue {
      guard let p else { return .null }
      return .object([
        ("customers", .number(Double(p.customers))), ("meanCAC", .number(p.meanCAC)),
        ("meanFirstOrderProfit", .number(p.meanFirstOrderProfit)),
        ("meanMarginToDate", .number(p.meanMarginToDate)), ("meanCLV", .number(p.meanCLV)),
        ("clvToCAC", n(p.clvToCAC)), ("medianPaybackDays", n(p.medianPaybackDays)),
        ("paidBackShare", .number(p.paidBackShare)),
      ])
    }
    let rows: [JSONValue] = cohorts.map { c in
      var pairs: [(String, JSONValue)] = [
        ("cohort", .string(c.name)), ("segment", c.segment.map { .string($0) } ?? .null),
        ("customers", .number(Double(c.customers))),
        ("secondPurchaseRate", .number(c.secondPurchaseRate)),
        ("oneTimeBuyerShare", .number(c.oneTimeBuyerShare)),
        ("medianDaysToSecondPurchase", n(c.medianDaysToSecondPurchase)),
        (
          "periods",
          .array(
            c.cells.map { cell in
              .object([
                ("period", .number(Double(cell.period))),
                ("repeatCustomers", .number(Double(cell.repeatCustomers))),
                ("repeatRate", .number(cell.repeatRate)),
                ("revenuePerCustomer", .number(cell.revenuePerCustomer)),
                ("cumulativeRevenuePerCustomer", .number(cell.cumulativeRevenuePerCustomer)),
              ])
            })
        ),
      ]
      if let margin {
        pairs += [
          ("cac", n(c.cac)),
          (
            "cumulativeMarginToCAC",
            c.marginToCAC(margin: margin).map { .array($0.map { .number($0) }) } ?? .null
          ),
          ("paybackPeriod", n(c.paybackPeriod(margin: margin).map(Double.init))),
        ]
      }
      if hasPredictions { pairs.append(("predicted", summary(c.predicted))) }
      return .object(pairs)
    }
    var top: [(String, JSONValue)] = [
      ("period", .string(period.rawValue)), ("lastDay", .string(lastDay.description)),
      ("margin", n(margin)), ("cohorts", .array(rows)),
    ]
    if hasPredictions {
      top.append(
        (
          "predictedBySegment",
          .array(
            predictedBySegment.map {
              .object([
                ("segment", $0.segment.map { .string($0) } ?? .null),
                ("predicted", summary($0.summary)),
              ])
            })
        ))
    }
    return .object(top)
  }
}
