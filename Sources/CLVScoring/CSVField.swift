import CLVData

/// Small CSV helpers shared by the writers (RFC 4180 quoting through CLVData's one writer).
enum CSVField {
  /// Appends `text` as one CSV field with the one quoting writer, ``NumberText/appendField``
  /// (quoted when it holds a comma, quote or line break, or starts or ends with a blank).
  static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
    NumberText.appendField(text, to: &bytes)
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

}
