import CLVData

#if canImport(Glibc)
import Glibc
#endif

/// Reads the scores CSV that `clv score` writes, for `clv target`.
///
/// The header must hold every column of ``requiredColumns`` (in any order; other columns are
/// ignored). `clv score` writes them in the order of ``ScoreColumns/all``.
///
/// Fields: numbers finite (probabilities in [0, 1]); dates `yyyy-MM-dd`; `segment` one of
/// ``Segment``; `lifecycle_stage` one of ``LifecycleStage`` (empty for a prospect); empty
/// fields where `clv score` leaves them empty (a prospect's model outputs and dates, CLV
/// without a spend model, churn probability without a churn model). Every row has the same
/// `as_of`, and customer ids are unique. Lines end in LF or CRLF; quoted fields may hold
/// commas, quotes and line breaks (RFC 4180, as `clv score` writes ids).
public enum ScoresReader {
  /// The columns a scores file must have (``ScoreColumns/all``).
  public static var requiredColumns: [String] { ScoreColumns.all }

  /// Reads `path` (`-` for standard input) with the CSV reader every clvkit input goes
  /// through (``DelimitedRecordReader``: quoted fields may hold commas, quotes and line
  /// breaks, as `clv score` writes them).
  /// - Throws: ``DataError/notReadable(path:reason:)``; ``DataError`` with file and line for
  ///   a bad header or field.
  public static func read(path: String) throws -> ScoresTable {
    try parse(DelimitedRecordReader(path: path, delimiter: .comma))
  }

  /// Parses the bytes of a scores file named `file` (for messages).
  public static func parse(_ bytes: [UInt8], file: String) throws -> ScoresTable {
    try parse(DelimitedRecordReader(bytes: bytes, displayName: file, delimiter: .comma))
  }

  /// Parses the records of `records`, checking every field's domain: counts ≥ 0, numbers
  /// finite, probabilities in [0, 1], `expected_purchases` and `clv` ≥ 0, dates valid with
  /// first purchase ≤ last purchase ≤ as of, every text valid UTF-8, each column once.
  static func parse(_ records: DelimitedRecordReader) throws -> ScoresTable {
    let file = records.displayName
    let header = try records.header(expected: "a scores header")
    var position: [String: Int] = [:]
    for (index, name) in header.enumerated() { position[name] = index }
    let missing = requiredColumns.filter { position[$0] == nil }
    guard missing.isEmpty else {
      throw DataError.invalidRow(
        file: file, line: records.line,
        reason: "not a scores header: missing column(s) "
          + missing.map { "'\($0)'" }.joined(separator: ", ")
          + " (expected \(requiredColumns.joined(separator: ",")))")
    }
    let column = { (name: String) in position[name]! }
    let (idColumn, frequencyColumn, pAliveColumn, expectedColumn, clvColumn) = (
      column("customer_id"), column("frequency"), column("p_alive"),
      column("expected_purchases"), column("clv")
    )
    let (segmentColumn, stageColumn, asOfColumn, lastColumn, nextColumn, churnColumn) = (
      column("segment"), column("lifecycle_stage"), column("as_of"), column("last_purchase"),
      column("expected_next_purchase"), column("churn_probability")
    )
    let firstColumn = column("first_purchase")
    // Every column is checked, also those `clv target` does not use.
    let (recencyColumn, ageColumn, moneyColumn) = (
      column("recency"), column("T"), column("monetary_value")
    )
    let otherNumbers = [column("expected_spend")]
    let otherProbabilities = [column("prob_no_purchase")]

    var records_: [ScoreRecord] = []
    var seen = Set<String>()
    var asOf: Day?
    while try records.next() {
      let lineNumber = records.line
      try records.requireFields(of: header)
      let row = try FieldReader(file: file, line: lineNumber, header: header, records: records)
      let id = row.fields[idColumn]
      guard !id.isEmpty else {
        throw DataError.invalidField(
          file: file, line: lineNumber, column: "customer_id", value: "",
          expected: "a customer id")
      }
      guard seen.insert(id).inserted else {
        throw DataError.invalidRow(
          file: file, line: lineNumber, reason: "customer '\(DataError.shown(id))' appears twice")
      }
      let segmentText = row.fields[segmentColumn]
      if segmentText.isEmpty {
        throw DataError.invalidRow(
          file: file, line: lineNumber,
          reason: "no segment: the scores were made without dates (score an order log, or "
            + "give clv score --as-of with a summary CSV)")
      }
      guard let segment = Segment(rawValue: segmentText) else {
        throw DataError.invalidField(
          file: file, line: lineNumber, column: "segment", value: segmentText,
          expected: "one of " + Segment.allCases.map(\.rawValue).joined(separator: ", "))
      }
      let stageText = row.fields[stageColumn]
      var stage: LifecycleStage?
      if !stageText.isEmpty {
        guard let parsed = LifecycleStage(Substring(stageText)) else {
          throw DataError.invalidField(
            file: file, line: lineNumber, column: "lifecycle_stage", value: stageText,
            expected: "new, active, departing-N or returned")
        }
        stage = parsed
      } else if segment != .prospect {
        throw DataError.invalidField(
          file: file, line: lineNumber, column: "lifecycle_stage", value: "",
          expected: "a stage (only a prospect has none)")
      }
      guard let rowAsOf = try row.day(asOfColumn) else {
        throw DataError.invalidField(
          file: file, line: lineNumber, column: "as_of", value: "", expected: "yyyy-MM-dd")
      }
      if let asOf, asOf != rowAsOf {
        throw DataError.invalidField(
          file: file, line: lineNumber, column: "as_of", value: rowAsOf.description,
          expected: "the as-of date of the other rows, \(asOf)")
      }
      asOf = rowAsOf
      for index in otherNumbers { _ = try row.number(index) }
      for index in otherProbabilities { _ = try row.probability(index) }
      let first = try row.day(firstColumn)
      let last = try row.day(lastColumn)
      if let last, last > rowAsOf {
        throw DataError.rejectedValue(
          file: file, line: lineNumber, column: "last_purchase", value: last.description,
          reason: "is after as_of \(rowAsOf)")
      }
      if let first, let last, first > last {
        throw DataError.rejectedValue(
          file: file, line: lineNumber, column: "first_purchase", value: first.description,
          reason: "is after last_purchase \(last)")
      }
      let record = ScoreRecord(
        customerID: id, line: lineNumber, frequency: try row.count(frequencyColumn),
        probabilityAlive: try row.probability(pAliveColumn),
        expectedPurchases: try row.nonNegative(expectedColumn),
        clv: try row.nonNegative(clvColumn),
        churnProbability: try row.probability(churnColumn), segment: segment,
        lifecycleStage: stage, lastPurchase: last,
        expectedNextPurchase: try row.day(nextColumn), recency: try row.number(recencyColumn),
        age: try row.number(ageColumn), monetaryValue: try row.number(moneyColumn))
      if segment != .prospect, record.probabilityAlive == nil || record.lastPurchase == nil {
        let name = record.probabilityAlive == nil ? "p_alive" : "last_purchase"
        throw DataError.invalidField(
          file: file, line: lineNumber, column: name, value: "",
          expected: "a value (only a prospect has none)")
      }
      records_.append(record)
    }
    return ScoresTable(file: file, records: records_, asOf: asOf)
  }

  /// Parses the fields of one row, with file-and-line errors.
  private struct FieldReader {
    let file: String
    let line: Int
    let header: [String]
    /// The row's fields as text (each checked to be UTF-8).
    let fields: [String]

    init(file: String, line: Int, header: [String], records: DelimitedRecordReader) throws {
      self.file = file
      self.line = line
      self.header = header
      fields = try (0..<header.count).map { try records.text($0, column: header[$0]) }
    }

    func fail(_ column: Int, _ expected: String) -> DataError {
      .invalidField(
        file: file, line: line, column: header[column], value: fields[column],
        expected: expected)
    }

    func number(_ column: Int) throws -> Double? {
      let text = fields[column]
      if text.isEmpty { return nil }
      guard let value = Double(text), value.isFinite else { throw fail(column, "a finite number") }
      return value
    }

    func nonNegative(_ column: Int) throws -> Double? {
      guard let value = try number(column) else { return nil }
      guard value >= 0 else { throw fail(column, "a number ≥ 0") }
      return value
    }

    func probability(_ column: Int) throws -> Double? {
      guard let value = try number(column) else { return nil }
      guard value >= 0, value <= 1 else { throw fail(column, "a probability in [0, 1]") }
      return value
    }

    func count(_ column: Int) throws -> Int? {
      let text = fields[column]
      if text.isEmpty { return nil }
      guard let value = Int(text), value >= 0 else { throw fail(column, "a count ≥ 0") }
      return value
    }

    func day(_ column: Int) throws -> Day? {
      let text = fields[column]
      if text.isEmpty { return nil }
      guard let value = Day(iso: text) else { throw fail(column, "a date yyyy-MM-dd") }
      return value
    }
  }
}
