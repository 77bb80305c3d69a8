import CLVData

/// Small CSV helpers shared by the scores reader and writers (RFC 4180 quoting).
enum CSVField {
  /// Appends `text`, quoted when it holds a comma, quote, CR or LF (quotes doubled).
  static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
    let needsQuotes = text.utf8.contains {
      $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13
    }
    guard needsQuotes else {
      bytes.append(contentsOf: text.utf8)
      return
    }
    bytes.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      if byte == UInt8(ascii: "\"") { bytes.append(byte) }
      bytes.append(byte)
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// `text` quoted as by ``appendQuoted(_:to:)``.
  static func quoted(_ text: String) -> String {
    var bytes: [UInt8] = []
    appendQuoted(text, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends `yyyy-MM-dd` without building a String (years 0…9999).
  static func appendISO(_ day: Day, to bytes: inout [UInt8]) {
    let (y, m, d) = day.components
    guard (0...9999).contains(y) else {
      bytes.append(contentsOf: day.description.utf8)
      return
    }
    let zero = UInt8(ascii: "0")
    bytes.append(zero + UInt8(y / 1000))
    bytes.append(zero + UInt8(y / 100 % 10))
    bytes.append(zero + UInt8(y / 10 % 10))
    bytes.append(zero + UInt8(y % 10))
    bytes.append(UInt8(ascii: "-"))
    bytes.append(zero + UInt8(m / 10))
    bytes.append(zero + UInt8(m % 10))
    bytes.append(UInt8(ascii: "-"))
    bytes.append(zero + UInt8(d / 10))
    bytes.append(zero + UInt8(d % 10))
  }

  /// Splits one CSV record into fields (RFC 4180: quoted fields, doubled quotes); nil when a
  /// quote is unterminated or text follows a closing quote.
  static func split(_ line: Substring) -> [Substring]? {
    var fields: [Substring] = []
    let utf8 = line.utf8
    var index = utf8.startIndex
    while true {
      if index != utf8.endIndex, utf8[index] == UInt8(ascii: "\"") {
        // Quoted field: find the closing quote (a doubled quote is a literal quote).
        var content = ""
        var segmentStart = utf8.index(after: index)
        var cursor = segmentStart
        var closed = false
        while cursor != utf8.endIndex {
          if utf8[cursor] == UInt8(ascii: "\"") {
            content += String(line[segmentStart..<cursor])
            let next = utf8.index(after: cursor)
            if next != utf8.endIndex, utf8[next] == UInt8(ascii: "\"") {
              content += "\""
              segmentStart = utf8.index(after: next)
              cursor = segmentStart
              continue
            }
            cursor = next
            closed = true
            break
          }
          cursor = utf8.index(after: cursor)
        }
        guard closed else { return nil }
        fields.append(Substring(content))
        if cursor == utf8.endIndex { return fields }
        guard utf8[cursor] == UInt8(ascii: ",") else { return nil }
        index = utf8.index(after: cursor)
      } else {
        let end = utf8[index...].firstIndex(of: UInt8(ascii: ",")) ?? utf8.endIndex
        fields.append(line[index..<end])
        if end == utf8.endIndex { return fields }
        index = utf8.index(after: end)
      }
    }
  }
}
