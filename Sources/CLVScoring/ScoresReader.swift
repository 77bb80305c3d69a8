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
/// `as_of`, and customer ids are unique. Lines end in LF or CRLF.
public enum ScoresReader {
  /// The columns a scores file must have (``ScoreColumns/all``).
  public static var requiredColumns: [String] { ScoreColumns.all }

  /// Reads `path` (`-` for standard input).
  /// - Throws: ``DataError/notReadable(path:reason:)``; ``DataError`` with file and line for
  ///   a bad header or field.
  public static func read(path: String) throws -> ScoresTable {
    let name = path == "-" ? "<stdin>" : path
    return try parse(readAll(path: path), file: name)
  }

  /// Parses the bytes of a scores file named `file` (for messages).
  public static func parse(_ bytes: [UInt8], file: String) throws -> ScoresTable {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw DataError.invalidFile(file: file, reason: "is not UTF-8 text")
    }
    // Split on LF bytes: as Characters, CR LF is one grapheme and would not split on "\n".
    var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      .map { Substring($0) }
    if lines.last?.isEmpty == true { lines.removeLast() }
    guard let headerLine = lines.first else {
      throw DataError.invalidFile(file: file, reason: "is empty (expected a scores header)")
    }
    guard let header = CSVField.split(stripCR(headerLine)) else {
      throw DataError.invalidRow(file: file, line: 1, reason: "unterminated quote in the header")
    }
    var position: [String: Int] = [:]
    for (index, name) in header.enumerated() where position[String(name)] == nil {
      position[String(name)] = index
    }
    let missing = requiredColumns.filter { position[$0] == nil }
    guard missing.isEmpty else {
      throw DataError.invalidRow(
        file: file, line: 1,
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

    var records: [ScoreRecord] = []
    records.reserveCapacity(lines.count - 1)
    var seen = Set<String>()
    var asOf: Day?
    for lineIndex in 1..<lines.count {
      let lineNumber = lineIndex + 1
      let raw = stripCR(lines[lineIndex])
      if raw.isEmpty { continue }
      guard let fields = CSVField.split(raw) else {
        throw DataError.invalidRow(file: file, line: lineNumber, reason: "unterminated quote")
      }
      guard fields.count == header.count else {
        throw DataError.invalidRow(
          file: file, line: lineNumber,
          reason: "\(fields.count) fields, expected \(header.count) as in the header")
      }
      let row = FieldReader(file: file, line: lineNumber, header: header, fields: fields)
      let id = String(fields[idColumn])
      guard !id.isEmpty else {
        throw DataError.invalidField(
          file: file, line: lineNumber, column: "customer_id", value: "",
          expected: "a customer id")
      }
      guard seen.insert(id).inserted else {
        throw DataError.invalidRow(
          file: file, line: lineNumber, reason: "customer '\(id)' appears twice")
      }
      let segmentText = fields[segmentColumn]
      if segmentText.isEmpty {
        throw DataError.invalidRow(
          file: file, line: lineNumber,
          reason: "no segment: the scores were made without dates (score an order log, or "
            + "give clv score --as-of with a summary CSV)")
      }
      guard let segment = Segment(rawValue: String(segmentText)) else {
        throw DataError.invalidField(
          file: file, line: lineNumber, column: "segment", value: String(segmentText),
          expected: "one of " + Segment.allCases.map(\.rawValue).joined(separator: ", "))
      }
      let stageText = fields[stageColumn]
      var stage: LifecycleStage?
      if !stageText.isEmpty {
        guard let parsed = LifecycleStage(stageText) else {
          throw DataError.invalidField(
            file: file, line: lineNumber, column: "lifecycle_stage", value: String(stageText),
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
      let record = ScoreRecord(
        customerID: id, line: lineNumber, frequency: try row.count(frequencyColumn),
        probabilityAlive: try row.probability(pAliveColumn),
        expectedPurchases: try row.number(expectedColumn), clv: try row.number(clvColumn),
        churnProbability: try row.probability(churnColumn), segment: segment,
        lifecycleStage: stage, lastPurchase: try row.day(lastColumn),
        expectedNextPurchase: try row.day(nextColumn))
      if segment != .prospect, record.probabilityAlive == nil || record.lastPurchase == nil {
        let name = record.probabilityAlive == nil ? "p_alive" : "last_purchase"
        throw DataError.invalidField(
          file: file, line: lineNumber, column: name, value: "",
          expected: "a value (only a prospect has none)")
      }
      records.append(record)
    }
    return ScoresTable(file: file, records: records, asOf: asOf)
  }

  private static func stripCR(_ line: Substring) -> Substring {
    line.utf8.last == 13 ? Substring(line.utf8.dropLast()) : line
  }

  /// Parses the optional fields of one row, with file-and-line errors.
  private struct FieldReader {
    let file: String
    let line: Int
    let header: [Substring]
    let fields: [Substring]

    func fail(_ column: Int, _ expected: String) -> DataError {
      .invalidField(
        file: file, line: line, column: String(header[column]), value: String(fields[column]),
        expected: expected)
    }

    func number(_ column: Int) throws -> Double? {
      let text = fields[column]
      if text.isEmpty { return nil }
      guard let value = Double(text), value.isFinite else { throw fail(column, "a finite number") }
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

/// Reads a whole file (`-`: standard input).
/// - Throws: ``DataError/notReadable(path:reason:)``.
func readAll(path: String) throws -> [UInt8] {
  let descriptor: Int32 = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
  guard descriptor >= 0 else {
    throw DataError.notReadable(path: path, reason: String(cString: strerror(errno)))
  }
  defer { if path != "-" { close(descriptor) } }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 20)
  while true {
    let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    if n < 0 {
      if errno == EINTR { continue }
      throw DataError.notReadable(path: path, reason: String(cString: strerror(errno)))
    }
    if n == 0 { break }
    bytes.append(contentsOf: chunk[0..<n])
  }
  return bytes
}
