/// Escaping and element writing for SVG and HTML text.
public enum Markup {
  /// `text` with `& < > " '` replaced by entities, safe in element content and in attribute
  /// values (double- or single-quoted). Control characters other than tab and newline, which
  /// XML forbids, are replaced by U+FFFD.
  public static func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      case "\t", "\n": result.unicodeScalars.append(scalar)
      case _
      where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
        || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
        result += "\u{FFFD}"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}

/// Appends SVG elements to a string. Attribute values and text are escaped here, so callers
/// pass raw strings. Attributes keep their given order (deterministic output).
struct SVGWriter {
  private(set) var output = ""
  private var depth = 0

  mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) {
    line("<\(name)\(render(attributes))>")
    depth += 1
  }

  mutating func close(_ name: String) {
    depth -= 1
    line("</\(name)>")
  }

  /// An empty element, or one with text content.
  mutating func element(
    _ name: String, _ attributes: KeyValuePairs<String, String?> = [:], text: String? = nil
  ) {
    if let text {
      line("<\(name)\(render(attributes))>\(Markup.escape(text))</\(name)>")
    } else {
      line("<\(name)\(render(attributes))/>")
    }
  }

  private mutating func line(_ text: String) {
    output += String(repeating: " ", count: depth) + text + "\n"
  }

  private func render(_ attributes: KeyValuePairs<String, String?>) -> String {
    var result = ""
    for (key, value) in attributes {
      guard let value else { continue }
      result += " \(key)=\"\(Markup.escape(value))\""
    }
    return result
  }
}

/// A number as an SVG coordinate (≤ 2 decimals, deterministic).
func c(_ value: Double) -> String { NumberFormat.coordinate(value) }
