import TestSupport
import Testing

@testable import CLVData

/// The order reader parses each distinct date text once (`FieldMemo`): the remembered days
/// are the ones the date parser gives.
struct FieldMemoConsistencyTests {
  @Test func theDateMemoGivesWhatTheParserGives() {
    // 12,000 distinct days (more than the memo's 4,096 slots: evictions), each written in
    // every fixed-width format, revisited in a shuffled order (hits and misses), with texts
    // that are not dates (never remembered) and dates that differ from a valid one in a byte.
    var rng = SeededGenerator(seed: 43)
    let days = (0..<12_000).map { Day(daysSinceEpoch: 10_000 + $0) }
    var texts: [(String, DateFormat)] = []
    for day in days {
      let (y, m, d) = day.components
      let yyyy = String(y)
      let mm = m < 10 ? "0\(m)" : "\(m)"
      let dd = d < 10 ? "0\(d)" : "\(d)"
      texts.append(("\(yyyy)-\(mm)-\(dd)", .isoDate))
      texts.append(("\(yyyy)\(mm)\(dd)", .compact))
      texts.append(("\(dd)/\(mm)/\(yyyy)", .dayMonthYear))
      texts.append(("\(yyyy)-\(mm)-\(dd) 12:30:00", .isoDateTime))
    }
    texts += [
      ("2024-02-30", .isoDate), ("2024-13-01", .isoDate), ("", .isoDate), ("x", .isoDate),
      ("2024-02-3", .isoDate), ("2024-02-29", .isoDate), ("2023-02-29", .isoDate),
    ]
    var order = Array(texts.indices)
    for i in order.indices.reversed() {
      order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
    }
    var memos = [String: FieldMemo<Day>]()
    var remembered = 0
    for index in Array(texts.indices) + order + order {
      let (text, format) = texts[index]
      var bytes = Array(text.utf8)
      let (memoized, direct) = bytes.withUnsafeMutableBytes { raw in
        let bytes = UnsafeRawBufferPointer(raw)
        var memo = memos[format.rawValue, default: FieldMemo(placeholder: Day(daysSinceEpoch: 0))]
        defer { memos[format.rawValue] = memo }
        return (memo.value(of: bytes) { format.parse($0) }, format.parse(bytes))
      }
      #expect(memoized == direct, "\(text) as \(format)")
      if memoized != nil { remembered += 1 }
    }
    // Every valid text was read three times.
    #expect(remembered == 3 * (texts.count - 6))
  }
}
