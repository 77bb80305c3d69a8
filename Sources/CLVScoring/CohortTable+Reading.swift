import CLVData

extension CohortTable {
  /// Reads the CSV that `clv cohorts` writes (``csvLines``), for the report
  /// (`clv report --cohorts FILE`): the columns of ``csvHeader`` by name, in any order, and
  /// ``costColumns`` and ``predictedColumns`` when present.
  ///
  /// Rows of one cohort (and segment) are consecutive, periods 0, 1, 2, … in order; every
  /// cohort name is of one period (yyyy-MM or yyyy-Qn). ``lastDay`` becomes the last day of the
  /// latest period in the file (the file does not record the log's last day).
  /// - Throws: ``DataError`` with file, line and column for a missing column, a malformed
  ///   number or cohort, periods out of order, or no rows.
  public static func read(path: String) throws -> CohortTable {
    try parse(DelimitedRecordReader(path: path, delimiter: .comma))
  }

  /// Parses the text of a cohort CSV named `file` (for messages).
  public static func parse(csv text: String, file: String) throws -> CohortTable {
    try parse(DelimitedRecordReader(bytes: Array(text.utf8), displayName: file, delimiter: .comma))
  }

  static func parse(_ records: DelimitedRecordReader) throws -> CohortTable {
    let file = records.displayName
    let header = try records.header(expected: "the header of clv cohorts")
    let required = csvHeader.split(separator: ",").map(String.init)
    let missing = required.filter { !header.contains($0) }
    guard missing.isEmpty else {
      throw DataError.invalidRow(
        file: file, line: records.line,
        reason: "not a clv cohorts table: missing column(s) "
          + missing.map { "'\($0)'" }.joined(separator: ", "))
    }
    let withCosts = costColumns.allSatisfy(header.contains)
    let withPredictions = predictedColumns.allSatisfy(header.contains)
    func column(_ name: String) -> Int { header.firstIndex(of: name)! }
    var period: Period? = nil
    var cohorts: [Cohort] = []
    var margin: Double? = nil
    var latest: Int? = nil
    while try records.next() {
      let line = records.line
      try records.requireFields(of: header)
      func text(_ name: String) throws -> String { try records.text(column(name), column: name) }
      func number(_ name: String, optional: Bool = false) throws -> Double? {
        let value = try text(name)
        if optional, value.isEmpty { return nil }
        guard let x = Double(value), x.isFinite else {
          throw DataError.invalidField(
            file: file, line: line, column: name, value: value, expected: "a number")
        }
        return x
      }
      func integer(_ name: String, optional: Bool = false) throws -> Int? {
        let value = try text(name)
        if optional, value.isEmpty { return nil }
        guard let k = Int(value), k >= 0 else {
          throw DataError.invalidField(
            file: file, line: line, column: name, value: value, expected: "an integer ≥ 0")
        }
        return k
      }
      let name = try text("cohort")
      guard let parsed = Period.parse(name), period == nil || period == parsed.period else {
        throw DataError.invalidField(
          file: file, line: line, column: "cohort", value: name,
          expected: period.map { $0 == .month ? "a month yyyy-MM" : "a quarter yyyy-Qn" }
            ?? "a month yyyy-MM or a quarter yyyy-Qn")
      }
      period = parsed.period
      let segmentText = try text("segment")
      let segment = segmentText.isEmpty ? nil : segmentText
      if cohorts.last?.name != name || cohorts.last?.segment != segment {
        var cohort = Cohort(
          name: name, segment: segment, customers: try integer("customers")!,
          secondPurchaseRate: try number("second_purchase_rate")!,
          medianDaysToSecondPurchase: try number("median_days_to_second_purchase", optional: true),
          cells: [])
        if withCosts {
          margin = try number("margin")
          cohort.cac = try number("cac", optional: true)
        }
        if withPredictions, let n = try integer("scored_customers"), n > 0 {
          func required(_ name: String) throws -> Double {
            guard let x = try number(name, optional: true) else {
              throw DataError.invalidField(
                file: file, line: line, column: name, value: "",
                expected: "a number (scored_customers is \(n))")
            }
            return x
          }
          cohort.predicted = AcquisitionEconomics.Summary(
            customers: n, meanCAC: try required("mean_cac"),
            meanFirstOrderProfit: try required("mean_first_order_profit"),
            meanMarginToDate: try required("mean_margin_to_date"),
            meanCLV: try required("mean_clv"), clvToCAC: try number("clv_to_cac", optional: true),
            medianPaybackDays: try number("median_payback_days", optional: true),
            paidBackShare: try required("paid_back_share"))
        }
        cohorts.append(cohort)
      }
      guard let k = try integer("period", optional: true) else { continue }
      guard k == cohorts[cohorts.count - 1].cells.count else {
        throw DataError.invalidField(
          file: file, line: line, column: "period", value: "\(k)",
          expected: "period \(cohorts[cohorts.count - 1].cells.count) of cohort \(name)")
      }
      cohorts[cohorts.count - 1].cells.append(
        Cell(
          period: k, repeatCustomers: try integer("repeat_customers")!,
          repeatRate: try number("repeat_rate")!,
          revenuePerCustomer: try number("revenue_per_customer")!,
          cumulativeRevenuePerCustomer: try number("cumulative_revenue_per_customer")!))
      latest = max(latest ?? Int.min, parsed.index + k)
    }
    guard let period else {
      throw DataError.invalidFile(file: file, reason: "no rows after the header")
    }
    let lastIndex = latest ?? cohorts.compactMap { Period.parse($0.name)?.index }.max()! - 1
    var table = CohortTable(
      period: period, lastDay: period.lastDay(of: lastIndex), cohorts: cohorts)
    table.margin = margin
    table.hasPredictions = withPredictions
    return table
  }

  /// A table of given cohorts (for reading and tests).
  public init(period: Period, lastDay: Day, cohorts: [Cohort], margin: Double? = nil) {
    self.period = period
    self.lastDay = lastDay
    self.cohorts = cohorts
    self.margin = margin
  }
}
