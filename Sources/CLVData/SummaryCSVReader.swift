/// Reads per-customer summary CSV files, recognised from their header:
///
/// | layout | header |
/// |---|---|
/// | ``SummaryLayout/summary`` | `customer_id,frequency,recency,T[,monetary_value]` |
/// | ``SummaryLayout/calibrationHoldout`` | `customer_id,frequency_cal,recency_cal,T_cal[,monetary_value_cal],frequency_holdout[,monetary_value_holdout],duration_holdout[,cohort]` |
/// | ``SummaryLayout/lifetimes`` | an id column (any name, e.g. `ID`) plus `frequency,recency,T[,monetary_value]` |
/// | ``SummaryLayout/donations`` ([FHS2010]) | `frequency,recency,periods,weights` (no id column) |
///
/// Columns are found by name, in any order; other columns are ignored. Values are checked:
/// frequency a non-negative whole number, recency and T finite and non-negative with
/// recency ≤ T, recency 0 when frequency is 0, money finite, weights positive.
///
/// A weight column (`weightColumn`, e.g. the `weights` column that
/// ``DistinctSummaryRows`` writes) gives the number of customers with each row, in any layout;
/// the donations layout's `weights` column is always one.
public enum SummaryCSVReader {
  /// The layout named by `header`, or nil when it is not a summary header.
  public static func layout(ofHeader header: [String]) -> SummaryLayout? {
    let names = Set(header)
    if names.isSuperset(of: ["frequency_cal", "recency_cal", "T_cal"]) {
      return .calibrationHoldout
    }
    if names.isSuperset(of: ["frequency", "recency", "periods", "weights"]), !names.contains("T") {
      return .donations
    }
    if names.isSuperset(of: ["frequency", "recency", "T"]) {
      return names.contains("customer_id") ? .summary : .lifetimes
    }
    return nil
  }

  /// Reads the summary CSV at `path` (`-`: standard input).
  /// - Parameters:
  ///   - unit: the time unit the file's recency and T are in (files do not say).
  ///   - weightColumn: the column holding the number of customers with each row (positive);
  ///     nil: one customer per row (the donations layout: its `weights` column).
  /// - Throws: ``DataError``; `invalidFile` when the header is not a summary header or lacks
  ///   `weightColumn`.
  public static func read(
    path: String, delimiter: Delimiter = .comma, unit: TimeUnit, weightColumn: String? = nil
  ) throws
    -> CustomerSummaries
  {
    let records = try DelimitedRecordReader(path: path, delimiter: delimiter)
    guard try records.next() else {
      throw DataError.invalidFile(file: records.displayName, reason: "empty file")
    }
    let header = records.fields
    guard let layout = layout(ofHeader: header) else {
      throw DataError.invalidFile(
        file: records.displayName,
        reason: "not a summary file: the header (\(header.joined(separator: ","))) lacks "
          + "frequency, recency, T (or frequency_cal, recency_cal, T_cal)")
    }
    return try read(
      records: records, header: header, layout: layout, unit: unit, weightColumn: weightColumn)
  }

  /// Reads the rows after `header` from `records`.
  static func read(
    records: DelimitedRecordReader, header: [String], layout: SummaryLayout, unit: TimeUnit,
    weightColumn weightName: String? = nil
  ) throws -> CustomerSummaries {
    let file = records.displayName
    func column(_ name: String) -> Int? { header.firstIndex(of: name) }
    let known: Set<String> = [
      "frequency", "recency", "T", "monetary_value", "frequency_cal", "recency_cal", "T_cal",
      "monetary_value_cal", "frequency_holdout", "monetary_value_holdout", "duration_holdout",
      "cohort", "periods", "weights", "litt", "litt_cal",
    ]
    let weightName = weightName ?? (layout == .donations ? "weights" : nil)
    let idColumn: Int? =
      layout == .donations
      ? nil
      : column("customer_id")
        ?? header.firstIndex { !known.contains($0) && $0 != weightName }
    let suffix = layout == .calibrationHoldout ? "_cal" : ""
    let frequencyColumn = column("frequency" + suffix)!
    let recencyColumn = column("recency" + suffix)!
    let ageColumn = layout == .donations ? column("periods")! : column("T" + suffix)!
    let moneyColumn = column("monetary_value" + suffix)
    let littColumn = column("litt" + suffix)
    let weightColumn = weightName.flatMap(column)
    if let weightName, weightColumn == nil {
      throw DataError.invalidFile(
        file: file,
        reason: "no weight column '\(weightName)' in the header (\(header.joined(separator: ",")))")
    }
    let holdoutFrequencyColumn = column("frequency_holdout")
    let holdoutMoneyColumn = column("monetary_value_holdout")
    let durationColumn = column("duration_holdout")
    let cohortColumn = column("cohort")
    let hasHoldout =
      layout == .calibrationHoldout && holdoutFrequencyColumn != nil
      && durationColumn != nil
    if layout == .calibrationHoldout, (holdoutFrequencyColumn == nil) != (durationColumn == nil) {
      throw DataError.invalidFile(
        file: file, reason: "a holdout layout needs both frequency_holdout and duration_holdout")
    }

    var rows: [RFMSummary.Row] = []
    // Rows of a summary are rarely under 28 bytes (`c1,2,30.142857142857142,…` is about 40):
    // reserved once, the array is not copied as it grows (unused capacity is never touched).
    rows.reserveCapacity(min((records.fileSize ?? 0) / 28, 1 << 26))
    var holdout: [HoldoutStatistics] = []
    var cohorts: [String] = []
    var weights: [Double] = []
    var timeTexts = DecimalMemo()  // recency, T and duration: whole days / unit, repeated
    var litt: [Double] = []
    while try records.next() {
      let line = records.line
      guard records.fieldCount == header.count else {
        throw DataError.invalidRow(
          file: file, line: line,
          reason: "expected \(header.count) fields, found \(records.fieldCount)")
      }
      func number(
        _ index: Int, _ what: String = "a finite number", isTime: Bool = false
      ) throws -> Double {
        let parsed =
          isTime
          ? records.withField(index) { timeTexts.parse($0) }
          : records.withField(index, parseDecimal)
        guard case .value(let v) = parsed else {
          throw DataError.invalidField(
            file: file, line: line, column: header[index], value: records.field(index),
            expected: what)
        }
        return v
      }
      func count(_ index: Int) throws -> Int {
        let v = try number(index, "a non-negative whole number")
        guard v >= 0, v == v.rounded(), v < 1e15 else {
          throw DataError.invalidField(
            file: file, line: line, column: header[index], value: records.field(index),
            expected: "a non-negative whole number")
        }
        return Int(v)
      }
      func nonNegative(_ index: Int) throws -> Double {
        let v = try number(index, isTime: true)
        guard v >= 0 else {
          throw DataError.rejectedValue(
            file: file, line: line, column: header[index], value: records.field(index),
            reason: "is negative")
        }
        return v
      }
      let id = idColumn.map { records.field($0) } ?? String(rows.count + 1)
      if let idColumn, id.isEmpty {
        throw DataError.rejectedValue(
          file: file, line: line, column: header[idColumn], value: "",
          reason: "is empty (every row needs a customer id)")
      }
      let frequency = try count(frequencyColumn)
      let recency = try nonNegative(recencyColumn)
      let age = try nonNegative(ageColumn)
      if layout != .donations {
        guard recency <= age else {
          throw DataError.rejectedValue(
            file: file, line: line, column: header[recencyColumn],
            value: records.field(recencyColumn),
            reason: "is greater than \(header[ageColumn]) (\(records.field(ageColumn)))")
        }
      }
      guard frequency > 0 || recency == 0 else {
        throw DataError.rejectedValue(
          file: file, line: line, column: header[recencyColumn],
          value: records.field(recencyColumn),
          reason: "is not 0 although \(header[frequencyColumn]) is 0")
      }
      let money = try moneyColumn.map { try number($0) } ?? 0
      rows.append(
        RFMSummary.Row(
          customerID: id, frequency: frequency, recency: recency, age: age, monetaryValue: money))
      if hasHoldout {
        holdout.append(
          HoldoutStatistics(
            frequency: try count(holdoutFrequencyColumn!),
            monetaryValue: try holdoutMoneyColumn.map { try number($0) } ?? 0,
            duration: try nonNegative(durationColumn!)))
      }
      if let cohortColumn { cohorts.append(records.field(cohortColumn)) }
      if let littColumn { litt.append(try number(littColumn)) }
      if let weightColumn {
        let w = try number(weightColumn)
        guard w > 0 else {
          throw DataError.rejectedValue(
            file: file, line: line, column: header[weightColumn],
            value: records.field(weightColumn),
            reason: "is not a positive weight")
        }
        weights.append(w)
      }
    }
    guard !rows.isEmpty else {
      throw DataError.invalidFile(file: file, reason: "a header but no data rows")
    }
    var report = IngestReport(file: file)
    report.rows = rows.count
    report.bytes = records.bytesRead
    var summaries = CustomerSummaries(
      summary: RFMSummary(
        rows: rows, unit: unit, logInterPurchaseTimes: littColumn == nil ? nil : litt),
      holdout: hasHoldout ? holdout : nil,
      cohorts: cohortColumn == nil ? nil : cohorts, weights: weightColumn == nil ? nil : weights,
      hasMonetaryValue: moneyColumn != nil, layout: layout, report: report)
    summaries.unusedWeightColumn = weightColumn == nil && column("weights") != nil
    return summaries
  }
}
