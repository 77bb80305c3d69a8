import CLVData

extension AcquisitionEconomics {
  /// Reads the CAC columns (``ScoreColumns/acquisition``) and the CLV of a score table that
  /// `clv score --cac FILE --spend-model …` wrote (`clv cohorts --scores FILE`): customer id →
  /// ``Scored``, for the customers with a CAC (rows with an empty `cac` — no cost known, or a
  /// prospect — are left out).
  ///
  /// Only `customer_id`, `clv` and the CAC columns are read (in any order; other columns are
  /// ignored). Fields: `cac`, `margin_to_date` and `clv` finite and ≥ 0, `first_order_profit`
  /// finite, `clv_to_cac` and `payback_days` finite and ≥ 0 or empty; ids unique.
  /// - Throws: ``DataError`` with file, line and column: a missing column (a score table
  ///   without `--cac`), a malformed field, a customer with a CAC but no CLV (scored without
  ///   a spend model), a repeated id, no customer with a CAC.
  public static func readScored(path: String) throws -> [String: Scored] {
    try parseScored(DelimitedRecordReader(path: path, delimiter: .comma))
  }

  /// Parses the text of a score table named `file` (for messages).
  public static func parseScored(csv text: String, file: String) throws -> [String: Scored] {
    try parseScored(
      DelimitedRecordReader(bytes: Array(text.utf8), displayName: file, delimiter: .comma))
  }

  static func parseScored(_ records: DelimitedRecordReader) throws -> [String: Scored] {
    let file = records.displayName
    let header = try records.header(expected: "a scores header")
    let needed = ["customer_id", "clv"] + ScoreColumns.acquisition
    let missing = needed.filter { !header.contains($0) }
    guard missing.isEmpty else {
      throw DataError.invalidRow(
        file: file, line: records.line,
        reason: "not a score table with CAC columns: missing column(s) "
          + missing.map { "'\($0)'" }.joined(separator: ", ")
          + " (write it with clv score --cac FILE --spend-model FILE)")
    }
    let column = Dictionary(uniqueKeysWithValues: needed.map { ($0, header.firstIndex(of: $0)!) })
    var scored: [String: Scored] = [:]
    var lines: [String: Int] = [:]
    while try records.next() {
      let line = records.line
      try records.requireFields(of: header)
      func number(_ name: String, nonNegative: Bool = true) throws -> Double? {
        let text = try records.text(column[name]!, column: name)
        if text.isEmpty { return nil }
        guard let x = Double(text), x.isFinite, !nonNegative || x >= 0 else {
          throw DataError.invalidField(
            file: file, line: line, column: name, value: text,
            expected: nonNegative ? "a number ≥ 0" : "a finite number")
        }
        return x
      }
      let id = try records.text(column["customer_id"]!, column: "customer_id")
      guard let cac = try number("cac") else { continue }
      guard let clv = try number("clv") else {
        throw DataError.invalidField(
          file: file, line: line, column: "clv", value: "",
          expected: "a CLV (score with a spend model)")
      }
      guard let first = try number("first_order_profit", nonNegative: false),
        let toDate = try number("margin_to_date")
      else {
        let name =
          try number("first_order_profit", nonNegative: false) == nil
          ? "first_order_profit" : "margin_to_date"
        throw DataError.invalidField(
          file: file, line: line, column: name, value: "", expected: "a number")
      }
      if let previous = lines[id] {
        throw DataError.invalidRow(
          file: file, line: line,
          reason: "customer '\(DataError.shown(id))' repeats line \(previous)")
      }
      lines[id] = line
      scored[id] = Scored(
        economics: AcquisitionEconomics(
          cac: cac, firstOrderProfit: first, marginToDate: toDate,
          clvToCAC: try number("clv_to_cac"), paybackDays: try number("payback_days")),
        clv: clv)
    }
    guard !scored.isEmpty else {
      throw DataError.invalidFile(file: file, reason: "no customer with a CAC")
    }
    return scored
  }
}
