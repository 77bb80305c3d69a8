/// Writes per-customer summaries as CSV in the layouts ``SummaryCSVReader`` reads back.
///
/// Headers: `customer_id,frequency,recency,T[,monetary_value]`, or with holdout statistics
/// `customer_id,frequency_cal,recency_cal,T_cal[,monetary_value_cal],frequency_holdout[,monetary_value_holdout],duration_holdout[,cohort]`
/// (the monetary columns only when amounts were read; cohort only when known). Numbers are
/// written in Swift's shortest round-trip form (`Double.description`): reading them back gives
/// the same doubles. Ids containing a comma, quote or line break are quoted (RFC 4180).
public enum SummaryCSVWriter {
  /// The header fields for `summaries`.
  public static func header(for summaries: CustomerSummaries) -> [String] {
    let money = summaries.hasMonetaryValue
    if summaries.holdout != nil {
      var fields = ["customer_id", "frequency_cal", "recency_cal", "T_cal"]
      if money { fields.append("monetary_value_cal") }
      fields.append("frequency_holdout")
      if money { fields.append("monetary_value_holdout") }
      fields.append("duration_holdout")
      if summaries.cohort(at: 0) != nil { fields.append("cohort") }
      return fields
    }
    if summaries.layout == .donations {
      return ["frequency", "recency", "periods", "weights"]
    }
    return ["customer_id", "frequency", "recency", "T"] + (money ? ["monetary_value"] : [])
  }

  /// Writes `summaries` (header and one line per customer) to `output`; does not commit it.
  public static func write(_ summaries: CustomerSummaries, to output: AtomicOutput) throws {
    let header = header(for: summaries)
    try output.write(header.joined(separator: ",") + "\n")
    let money = summaries.hasMonetaryValue
    let withCohort = header.last == "cohort"
    var line: [UInt8] = []
    line.reserveCapacity(256)
    // recency and T are whole days / unit: cache their text per day count.
    var dayText: [Int: String] = [:]
    let unitDays = summaries.unit.days
    func appendTime(_ value: Double) {
      let days = (value * unitDays).rounded()
      if summaries.layout == .orders, days < 100_000, days / unitDays == value {
        let key = Int(days)
        if let cached = dayText[key] {
          line.append(contentsOf: cached.utf8)
        } else {
          let text = format(value)
          dayText[key] = text
          line.append(contentsOf: text.utf8)
        }
      } else {
        line.append(contentsOf: format(value).utf8)
      }
    }
    func appendField(_ text: String) {
      if text.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) {
        line.append(34)
        for b in text.utf8 {
          if b == 34 { line.append(34) }
          line.append(b)
        }
        line.append(34)
      } else {
        line.append(contentsOf: text.utf8)
      }
    }
    for (index, row) in summaries.summary.rows.enumerated() {
      line.removeAll(keepingCapacity: true)
      if summaries.layout == .donations {
        line.append(contentsOf: String(row.frequency).utf8)
        line.append(44)
        line.append(contentsOf: format(row.recency).utf8)
        line.append(44)
        line.append(contentsOf: format(row.age).utf8)
        line.append(44)
        line.append(contentsOf: format(summaries.weights?[index] ?? 1).utf8)
        line.append(10)
        try output.write(bytes: line)
        continue
      }
      appendField(row.customerID)
      line.append(44)
      line.append(contentsOf: String(row.frequency).utf8)
      line.append(44)
      appendTime(row.recency)
      line.append(44)
      appendTime(row.age)
      if money {
        line.append(44)
        line.append(contentsOf: format(row.monetaryValue).utf8)
      }
      if let holdout = summaries.holdout?[index] {
        line.append(44)
        line.append(contentsOf: String(holdout.frequency).utf8)
        if money {
          line.append(44)
          line.append(contentsOf: format(holdout.monetaryValue).utf8)
        }
        line.append(44)
        appendTime(holdout.duration)
        if withCohort, let cohort = summaries.cohort(at: index) {
          line.append(44)
          appendField(cohort)
        }
      }
      line.append(10)
      try output.write(bytes: line)
    }
  }

  /// A double in shortest round-trip form; whole numbers without a trailing `.0`.
  public static func format(_ value: Double) -> String {
    precondition(value.isFinite, "summaries are checked finite before writing")
    if value == value.rounded(), abs(value) < 1e15 {
      return String(Int64(value))
    }
    return value.description
  }
}
