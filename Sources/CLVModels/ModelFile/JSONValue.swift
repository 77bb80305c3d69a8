/// A JSON value, for model-specific fields of a model file.
public enum JSONValue: Codable, Sendable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  /// Keys in order.
  case object([(String, JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// The value at `key` of an object, or nil.
  public subscript(key: String) -> JSONValue? {
    if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
    return nil
  }

  /// JSON text with two-space indentation; numbers in Swift's shortest round-trip form
  /// (integers without a fraction). Non-finite numbers are written as null (callers check
  /// finiteness first).
  public func prettyPrinted(indent: Int = 0) -> String {
    let pad = String(repeating: "  ", count: indent + 1)
    let close = String(repeating: "  ", count: indent)
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let x):
      guard x.isFinite else { return "null" }
      if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
      return "\(x)"
    case .string(let text): return Self.quoted(text)
    case .array(let values):
      if values.isEmpty { return "[]" }
      return "[\n"
        + values.map { pad + $0.prettyPrinted(indent: indent + 1) }
        .joined(separator: ",\n") + "\n" + close + "]"
    case .object(let pairs):
      if pairs.isEmpty { return "{}" }
      return "{\n"
        + pairs.map { pad + Self.quoted($0.0) + ": " + $0.1.prettyPrinted(indent: indent + 1) }
        .joined(separator: ",\n") + "\n" + close + "}"
    }
  }

  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  public var doubleValue: Double? { if case .number(let x) = self { return x } else { return nil } }
  public var stringValue: String? { if case .string(let x) = self { return x } else { return nil } }
  public var arrayValue: [JSONValue]? {
    if case .array(let x) = self { return x } else { return nil }
  }

  public init(from decoder: Decoder) throws {
    if let container = try? decoder.container(keyedBy: DynamicKey.self) {
      // Keys sorted: a decoder's key order is unspecified, and files must be reproducible.
      var pairs: [(String, JSONValue)] = []
      for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
        pairs.append((key.stringValue, try container.decode(JSONValue.self, forKey: key)))
      }
      self = .object(pairs)
    } else if var container = try? decoder.unkeyedContainer() {
      var values: [JSONValue] = []
      while !container.isAtEnd { values.append(try container.decode(JSONValue.self)) }
      self = .array(values)
    } else {
      let container = try decoder.singleValueContainer()
      if container.decodeNil() {
        self = .null
      } else if let b = try? container.decode(Bool.self) {
        self = .bool(b)
      } else if let x = try? container.decode(Double.self) {
        self = .number(x)
      } else {
        self = .string(try container.decode(String.self))
      }
    }
  }

  public func encode(to encoder: Encoder) throws {
    switch self {
    case .null:
      var c = encoder.singleValueContainer()
      try c.encodeNil()
    case .bool(let b):
      var c = encoder.singleValueContainer()
      try c.encode(b)
    case .number(let x):
      var c = encoder.singleValueContainer()
      try c.encode(x)
    case .string(let s):
      var c = encoder.singleValueContainer()
      try c.encode(s)
    case .array(let values):
      var c = encoder.unkeyedContainer()
      for v in values { try c.encode(v) }
    case .object(let pairs):
      var c = encoder.container(keyedBy: DynamicKey.self)
      for (k, v) in pairs { try c.encode(v, forKey: DynamicKey(k)) }
    }
  }
}

struct DynamicKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(_ string: String) { stringValue = string }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

extension JSONValue {
  /// The value as reading its JSON text gives it back: every object's keys sorted (see
  /// ``init(from:)``) and non-finite numbers null (see ``prettyPrinted(indent:)``).
  public var normalized: JSONValue {
    switch self {
    case .number(let x) where !x.isFinite: return .null
    case .array(let values): return .array(values.map(\.normalized))
    case .object(let pairs):
      return .object(pairs.sorted { $0.0 < $1.0 }.map { ($0.0, $0.1.normalized) })
    default: return self
    }
  }
}
