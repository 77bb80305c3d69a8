import CLVData

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

  /// The table as CSV lines (header first, no line ends). A cohort without a complete period
  /// has one row with empty period columns. With costs (``margin`` set), ``costColumns``
  /// follow (empty where undefined).
  public var csvLines: [String] {
    let withCosts = margin != nil
    var lines = [Self.csvHeader + (withCosts ? "," + Self.costColumns.joined(separator: ",") : "")]
    for c in cohorts {
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
      if c.cells.isEmpty { lines.append(head + ",,,,," + costs(nil)) }
      for (k, cell) in c.cells.enumerated() {
        lines.append(
          head + ",\(cell.period),\(cell.repeatCustomers),"
            + [cell.repeatRate, cell.revenuePerCustomer, cell.cumulativeRevenuePerCustomer]
            .map(NumberText.string).joined(separator: ",") + costs(k))
      }
    }
    return lines
  }
}
