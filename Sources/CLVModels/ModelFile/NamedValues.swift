/// Named numbers written as a JSON object in a fixed order (the literature's parameter order).
public struct NamedValues: Codable, Sendable, Equatable {
  public var names: [String]
  public var values: [Double]

  public init(names: [String], values: [Double]) {
    precondition(names.count == values.count, "one value per name")
    self.names = names
    self.values = values
  }

  /// The same values with the names in `order` first (in that order), then any others.
  public func ordered(like order: [String]) -> NamedValues {
    let known = order.filter { names.contains($0) }
    let rest = names.filter { !order.contains($0) }
    let all = known + rest
    return NamedValues(names: all, values: all.map { self[$0]! })
  }

  public subscript(name: String) -> Double? {
    names.firstIndex(of: name).map { values[$0] }
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: DynamicKey.self)
    names = []
    values = []
    // Sorted: a decoder's key order is unspecified (see `ordered(like:)`).
    for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
      names.append(key.stringValue)
      values.append(try container.decode(Double.self, forKey: key))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: DynamicKey.self)
    for (name, value) in zip(names, values) {
      try container.encode(value, forKey: DynamicKey(name))
    }
  }
}
