extension SubscriberData {
  /// The header of the per-subscriber layout.
  public static let subscriberColumns = ["customer_id", "start_period", "end_period"]
  /// The header of the cohort layout.
  public static let cohortColumns = ["period", "alive"]

  /// Reads subscriber data from `path` (`-`: standard input) with the CSV reader every clvkit
  /// input goes through (``DelimitedRecordReader``), choosing the layout by the header.
  ///
  /// - Throws: ``DataError/notReadable(path:reason:)`` (exit 66); ``DataError`` with file, line,
  ///   column and value (exit 65) for a header that is neither layout, a period that is not a
  ///   whole number, an end period not after the start, a repeated customer id, a cohort whose
  ///   periods do not run 0, 1, 2, … or whose counts increase or are negative.
  public static func read(path: String) throws -> SubscriberData {
    if path == "-" {
      return try parse(
        DelimitedRecordReader(descriptor: 0, displayName: "<stdin>", delimiter: .comma))
    }
    return try parse(DelimitedRecordReader(path: path, delimiter: .comma))
  }

  /// Parses the bytes of subscriber data named `file` (for messages).
  public static func parse(_ bytes: [UInt8], file: String) throws -> SubscriberData {
    try parse(DelimitedRecordReader(bytes: bytes, displayName: file, delimiter: .comma))
  }

  static func parse(_ records: DelimitedRecordReader) throws -> SubscriberData {
    let file = records.displayName
    let expected =
      "a header customer_id,start_period,end_period (one row per subscriber) or period,alive "
      + "(a cohort's survival counts)"
    let header = try records.header(expected: expected)
    let columns = { (names: [String]) in names.map { header.firstIndex(of: $0) } }
    let subscriber = columns(subscriberColumns)
    if subscriber.allSatisfy({ $0 != nil }) {
      return try readSubscribers(records, header: header, columns: subscriber.map { $0! })
    }
    let cohort = columns(cohortColumns)
    if cohort.allSatisfy({ $0 != nil }) {
      return try readCohort(records, header: header, columns: cohort.map { $0! })
    }
    throw DataError.invalidRow(
      file: file, line: records.line,
      reason: "the header '\(header.joined(separator: ","))' is not subscriber data (expected "
        + expected + ")")
  }

  /// A whole number in `column` of the current record; `empty` allows an empty field (nil).
  private static func period(
    _ records: DelimitedRecordReader, _ index: Int, column: String, empty: Bool = false
  ) throws -> Int? {
    let text = try records.text(index, column: column)
    if text.isEmpty, empty { return nil }
    guard let value = Int(text) else {
      throw DataError.invalidField(
        file: records.displayName, line: records.line, column: column, value: text,
        expected: empty
          ? "a whole number of periods, or empty (still subscribed)" : "a whole number")
    }
    return value
  }

  private static func readSubscribers(
    _ records: DelimitedRecordReader, header: [String], columns: [Int]
  ) throws -> SubscriberData {
    let file = records.displayName
    var subscribers: [Subscriber] = []
    var seen: [String: Int] = [:]
    while try records.next() {
      try records.requireFields(of: header)
      let id = try records.text(columns[0], column: "customer_id")
      guard !id.isEmpty else {
        throw DataError.invalidField(
          file: file, line: records.line, column: "customer_id", value: "",
          expected: "a customer id")
      }
      if let first = seen[id] {
        throw DataError.rejectedValue(
          file: file, line: records.line, column: "customer_id", value: id,
          reason: "appears twice (first on line \(first)); give one row per subscriber")
      }
      seen[id] = records.line
      let start = try period(records, columns[1], column: "start_period")!
      let end = try period(records, columns[2], column: "end_period", empty: true)
      if let end, end <= start {
        throw DataError.rejectedValue(
          file: file, line: records.line, column: "end_period", value: String(end),
          reason: "is not after start_period \(start) (the end is the first period no longer "
            + "subscribed)")
      }
      subscribers.append(Subscriber(customerID: id, start: start, end: end, line: records.line))
    }
    guard !subscribers.isEmpty else {
      throw DataError.invalidFile(file: file, reason: "has a header but no subscriber")
    }
    return SubscriberData(file: file, subscribers: subscribers)
  }

  private static func readCohort(
    _ records: DelimitedRecordReader, header: [String], columns: [Int]
  ) throws -> SubscriberData {
    let file = records.displayName
    var counts: [CohortCount] = []
    while try records.next() {
      try records.requireFields(of: header)
      let period = try period(records, columns[0], column: "period")!
      let alive = try Self.period(records, columns[1], column: "alive")!
      guard period == counts.count else {
        throw DataError.rejectedValue(
          file: file, line: records.line, column: "period", value: String(period),
          reason: "breaks the sequence 0, 1, 2, … (expected \(counts.count))")
      }
      guard alive >= 0 else {
        throw DataError.rejectedValue(
          file: file, line: records.line, column: "alive", value: String(alive),
          reason: "is negative")
      }
      if let previous = counts.last, alive > previous.alive {
        throw DataError.rejectedValue(
          file: file, line: records.line, column: "alive", value: String(alive),
          reason: "is more than period \(previous.period)'s \(previous.alive) (a cohort only "
            + "shrinks)")
      }
      if counts.isEmpty, alive == 0 {
        throw DataError.rejectedValue(
          file: file, line: records.line, column: "alive", value: "0",
          reason: "is the cohort's size at period 0 and must be positive")
      }
      counts.append(CohortCount(period: period, alive: alive))
    }
    guard counts.count >= 2 else {
      throw DataError.invalidFile(
        file: file, reason: "needs the counts of period 0 and at least one later period")
    }
    return SubscriberData(file: file, cohort: counts)
  }
}
