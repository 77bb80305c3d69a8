/// Writes per-customer summaries as CSV in the layouts ``SummaryCSVReader`` reads back.
///
/// Headers: `customer_id,frequency,recency,T[,monetary_value]`, or with holdout statistics
/// `customer_id,frequency_cal,recency_cal,T_cal[,monetary_value_cal],frequency_holdout[,monetary_value_holdout],duration_holdout[,cohort]`
/// (the monetary columns only when amounts were read; cohort only when known), and `litt`
/// (`litt_cal`) after the monetary value when the summary carries it
/// (``RFMSummary/logInterPurchaseTimes``). Numbers are
/// written in ``NumberText``'s one format (shortest round-trip, whole numbers without `.0`):
/// reading them back gives the same doubles. Ids containing a comma, quote or line break are quoted (RFC 4180).
public enum SummaryCSVWriter {
  /// The header fields for `summaries`.
  public static func header(for summaries: CustomerSummaries) -> [String] {
    let money = summaries.hasMonetaryValue
    let litt = summaries.summary.logInterPurchaseTimes != nil
    if summaries.holdout != nil {
      var fields = ["customer_id", "frequency_cal", "recency_cal", "T_cal"]
      if money { fields.append("monetary_value_cal") }
      if litt { fields.append("litt_cal") }
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
      + (litt ? ["litt"] : [])
  }

  /// Writes `summaries` (header and one line per customer) to `output`; does not commit it.
  ///
  /// Large summaries are formatted in two halves at once (the second on another thread).
  public static func write(_ summaries: CustomerSummaries, to output: AtomicOutput) throws {
    let header = header(for: summaries)
    try output.write(header.joined(separator: ",") + "\n")
    let count = summaries.count
    let half = count >= 200_000 ? count / 2 : count
    final class Bytes: @unchecked Sendable {
      var bytes: ByteWriter
      init(capacity: Int) { bytes = ByteWriter(capacity: capacity) }
    }
    let second = Bytes(capacity: half < count ? (count - half) * 40 : 0)
    let background =
      half < count
      ? BackgroundThread {
        format(summaries, header: header, rows: half..<count, into: &second.bytes) { _ in }
      } : nil
    var out = ByteWriter(capacity: (1 << 20) + 4096)
    var failure: Error?
    format(summaries, header: header, rows: 0..<half, into: &out) { out in
      guard failure == nil, out.count >= 1 << 20 else { return }
      do { try output.write(out) } catch { failure = error }
      out.removeAll()
    }
    background?.join()
    if let failure { throw failure }
    try output.write(out)
    try output.write(second.bytes)
  }

  /// Formats the lines of `rows` into `out`, calling `drain` after each line.
  private static func format(
    _ summaries: CustomerSummaries, header: [String], rows range: Range<Int>,
    into out: inout ByteWriter,
    drain: (inout ByteWriter) -> Void
  ) {
    let money = summaries.hasMonetaryValue
    let withCohort = header.last == "cohort"
    let donations = summaries.layout == .donations
    // recency and T of order-log summaries are whole days / unit: their text is cached per day
    // count in one arena (offset, length), to spare a float-to-text conversion per field.
    var cache = NumberText.TimeTextCache(
      unitDays: summaries.unit.days, enabled: summaries.layout == .orders)
    let rows = summaries.summary.rows
    let litt = summaries.summary.logInterPurchaseTimes
    for index in range {
      let row = rows[index]
      if donations {
        NumberText.appendInteger(row.frequency, to: &out)
        out.append(44)
        NumberText.appendCompact(row.recency, to: &out)
        out.append(44)
        NumberText.appendCompact(row.age, to: &out)
        out.append(44)
        NumberText.appendCompact(summaries.weights?[index] ?? 1, to: &out)
      } else {
        NumberText.appendField(row.customerID, to: &out)
        out.append(44)
        NumberText.appendInteger(row.frequency, to: &out)
        out.append(44)
        cache.append(row.recency, to: &out)
        out.append(44)
        cache.append(row.age, to: &out)
        if money {
          out.append(44)
          NumberText.appendCompact(row.monetaryValue, to: &out)
        }
        if let litt {
          out.append(44)
          NumberText.appendCompact(litt[index], to: &out)
        }
        if let holdout = summaries.holdout?[index] {
          out.append(44)
          NumberText.appendInteger(holdout.frequency, to: &out)
          if money {
            out.append(44)
            NumberText.appendCompact(holdout.monetaryValue, to: &out)
          }
          out.append(44)
          cache.append(holdout.duration, to: &out)
          if withCohort, let cohort = summaries.cohort(at: index) {
            out.append(44)
            NumberText.appendField(cohort, to: &out)
          }
        }
      }
      out.append(10)
      drain(&out)
    }
  }

  /// The header of a distinct-rows file: `frequency,recency,T[,monetary_value],weights`
  /// (``SummaryCSVReader`` reads it back in the lifetimes layout, with `weights` as the weight
  /// column when asked).
  public static func header(for distinct: DistinctSummaryRows) -> [String] {
    ["frequency", "recency", "T"] + (distinct.hasMonetaryValue ? ["monetary_value"] : [])
      + ["weights"]
  }

  /// Writes the distinct rows and their weights (header and one line per row) to `output`;
  /// does not commit it.
  public static func write(_ distinct: DistinctSummaryRows, to output: AtomicOutput) throws {
    try output.write(header(for: distinct).joined(separator: ",") + "\n")
    var out = ByteWriter(capacity: (1 << 20) + 4096)
    for (row, weight) in zip(distinct.rows, distinct.weights) {
      NumberText.appendInteger(row.frequency, to: &out)
      out.append(44)
      NumberText.appendCompact(row.recency, to: &out)
      out.append(44)
      NumberText.appendCompact(row.age, to: &out)
      if distinct.hasMonetaryValue {
        out.append(44)
        NumberText.appendCompact(row.monetaryValue, to: &out)
      }
      out.append(44)
      NumberText.appendCompact(weight, to: &out)
      out.append(10)
      if out.count >= 1 << 20 {
        try output.write(out)
        out.removeAll()
      }
    }
    try output.write(out)
  }

  /// A double in shortest round-trip form; whole numbers without a trailing `.0`.
  public static func format(_ value: Double) -> String {
    precondition(value.isFinite, "summaries are checked finite before writing")
    return NumberText.string(value)
  }
}
