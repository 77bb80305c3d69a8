import CLVData
import Foundation

/// A model that can be written to and read from a model file.
///
/// To add a model: conform it, and add its id to ``ModelFile/modelType(for:)``.
public protocol ModelFileConvertible: FittedModel {
  /// Rebuilds the model from a loaded file (parameters by name, fit report, extra fields).
  /// - Throws: ``ModelError/invalidModelFile(path:reason:)`` when a field is missing or invalid.
  init(modelFile: ModelFile, path: String) throws
  /// Model-specific fields beyond the envelope (e.g. churn-logit's features and scaling).
  var modelFileExtra: JSONValue? { get }
}

extension ModelFileConvertible {
  public var modelFileExtra: JSONValue? { nil }
}

extension ModelFileConvertible where Self: ParametricModel {
  public init(modelFile: ModelFile, path: String) throws {
    let values = try modelFile.parameterValues(named: Self.parameterNames, path: path)
    self.init(
      parameters: values, fitReport: modelFile.fitReport(parameterNames: Self.parameterNames))
  }
}

/// A model whose parameters are a fixed list of positive numbers (the BTYD models).
public protocol ParametricModel: FittedModel {
  static var parameterNames: [String] { get }
  init(parameters: [Double], fitReport: FitReport?)
}

extension BGNBD: ParametricModel {}

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

/// The JSON model file written by `clv train` and read by `clv score` and `clv evaluate`.
///
/// ```json
/// { "schema": "clvkit-model/1", "model": "bgnbd",
///   "parameters": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
///   "standardErrors": {…}, "logLikelihood": -9582.43, "customers": 2357, "unit": "week",
///   "fit": {"iterations": …, "converged": true, "seconds": …, "gradientNorm": …, …},
///   "data": {"file": "cdnow.csv", "sha256": "…", "observationEnd": "1997-09-30", …},
///   "createdAt": "2026-11-22T20:00:00Z", "tool": {"name": "clv", "version": "0.1.0"} }
/// ```
///
/// `parameters` and `standardErrors` use the literature's names; `logLikelihood` is the
/// total, unpenalized, in the file's unit. `extra` carries model-specific fields.
public struct ModelFile: Codable, Sendable {
  /// The schema this version writes. Loading accepts any `clvkit-model/1[.minor]`.
  public static let schemaVersion = "clvkit-model/1"

  public struct Fit: Codable, Sendable, Equatable {
    public var iterations: Int
    public var functionEvaluations: Int
    public var converged: Bool
    public var degenerate: Bool
    public var seconds: Double
    /// CPU seconds of the estimation (absent in older files).
    public var cpuSeconds: Double?
    public var gradientNorm: Double
    public var distinctRows: Int
    public var penalizer: Double
    public var reason: String?
    /// Customers left out of the fit (Gamma-Gamma: no repeat purchase or no positive spend).
    public var dropped: Int
  }

  /// Where the training data came from.
  public struct DataSource: Codable, Sendable, Equatable {
    /// Input file name as given (`-` for standard input).
    public var file: String
    /// SHA-256 of the input bytes, lowercase hex.
    public var sha256: String?
    /// End of observation (the summary's "as of" date), `yyyy-MM-dd`.
    public var observationEnd: String?
    /// End of the calibration period, when the data were split.
    public var calibrationEnd: String?
    /// First and last order dates seen, when the input was an order log.
    public var firstDate: String?
    public var lastDate: String?

    public init(
      file: String, sha256: String? = nil, observationEnd: String? = nil,
      calibrationEnd: String? = nil, firstDate: String? = nil, lastDate: String? = nil
    ) {
      self.file = file
      self.sha256 = sha256
      self.observationEnd = observationEnd
      self.calibrationEnd = calibrationEnd
      self.firstDate = firstDate
      self.lastDate = lastDate
    }
  }

  /// The program that wrote a file (model files and run files share it).
  public struct Tool: Codable, Sendable, Equatable {
    public var name: String
    public var version: String

    public init(name: String, version: String) {
      self.name = name
      self.version = version
    }
  }

  public var schema: String
  /// Model id: `bgnbd`, `mbgnbd`, `pnbd`, `bgbb`, `gamma-gamma` (`churn-logit`).
  public var model: String
  public var parameters: NamedValues
  public var standardErrors: NamedValues?
  public var logLikelihood: Double?
  public var customers: Int?
  /// `day`, `week`, `month`; `opportunity` for BG/BB; nil for unitless models (Gamma-Gamma).
  public var unit: String?
  public var fit: Fit?
  public var data: DataSource?
  public var createdAt: String
  public var tool: Tool
  /// Model-specific fields (e.g. churn-logit's features and standardization).
  public var extra: JSONValue?

  /// The file for `model`. `unit` is the time unit of the parameters.
  public init(
    model: some ModelFileConvertible, unit: String?, data: DataSource?, toolVersion: String,
    createdAt: Date = Date()
  ) {
    schema = Self.schemaVersion
    self.model = type(of: model).modelID
    parameters = NamedValues(names: model.parameterNames, values: model.parameterValues)
    self.unit = unit
    self.data = data
    tool = Tool(name: "clv", version: toolVersion)
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    self.createdAt = formatter.string(from: createdAt)
    extra = model.modelFileExtra
    if let report = model.fitReport {
      if let se = report.standardErrors, se.count == model.parameterNames.count {
        standardErrors = NamedValues(names: model.parameterNames, values: se)
      }
      logLikelihood = report.logLikelihood
      customers = report.customers
      fit = Fit(
        iterations: report.iterations, functionEvaluations: report.functionEvaluations,
        converged: report.converged, degenerate: report.degenerate, seconds: report.seconds,
        cpuSeconds: report.cpuSeconds, gradientNorm: report.gradientNorm,
        distinctRows: report.distinctRows,
        penalizer: report.penalizer, reason: report.reason, dropped: report.dropped)
    }
  }

  // MARK: Writing

  /// The file as pretty-printed JSON (keys in a fixed order), ending with a newline.
  /// - Throws: ``ModelError/nonFinite(model:quantity:)`` if any number is NaN or infinite.
  public func jsonText() throws -> String {
    for (name, value) in zip(parameters.names, parameters.values) where !value.isFinite {
      throw ModelError.nonFinite(model: model, quantity: "parameter \(name)")
    }
    if let standardErrors {
      for (name, value) in zip(standardErrors.names, standardErrors.values) where !value.isFinite {
        throw ModelError.nonFinite(model: model, quantity: "standard error of \(name)")
      }
    }
    if let logLikelihood, !logLikelihood.isFinite {
      throw ModelError.nonFinite(model: model, quantity: "the log-likelihood")
    }
    return jsonValue.prettyPrinted() + "\n"
  }

  /// The file as a JSON value, keys in the documented order.
  public var jsonValue: JSONValue {
    func named(_ values: NamedValues) -> JSONValue {
      .object(zip(values.names, values.values).map { ($0, .number($1)) })
    }
    func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
    var pairs: [(String, JSONValue)] = [
      ("schema", .string(schema)),
      ("model", .string(model)),
      ("parameters", named(parameters)),
      ("standardErrors", standardErrors.map(named) ?? .null),
      ("logLikelihood", logLikelihood.map { .number($0) } ?? .null),
      ("customers", customers.map { .number(Double($0)) } ?? .null),
      ("unit", optional(unit)),
    ]
    if let fit {
      pairs.append(
        (
          "fit",
          .object([
            ("iterations", .number(Double(fit.iterations))),
            ("functionEvaluations", .number(Double(fit.functionEvaluations))),
            ("converged", .bool(fit.converged)),
            ("degenerate", .bool(fit.degenerate)),
            ("seconds", .number(fit.seconds)),
            ("cpuSeconds", fit.cpuSeconds.map { .number($0) } ?? .null),
            ("gradientNorm", .number(fit.gradientNorm)),
            ("distinctRows", .number(Double(fit.distinctRows))),
            ("penalizer", .number(fit.penalizer)),
            ("reason", optional(fit.reason)),
            ("dropped", .number(Double(fit.dropped))),
          ])
        ))
    } else {
      pairs.append(("fit", .null))
    }
    if let data {
      pairs.append(
        (
          "data",
          .object([
            ("file", .string(data.file)),
            ("sha256", optional(data.sha256)),
            ("observationEnd", optional(data.observationEnd)),
            ("calibrationEnd", optional(data.calibrationEnd)),
            ("firstDate", optional(data.firstDate)),
            ("lastDate", optional(data.lastDate)),
          ])
        ))
    } else {
      pairs.append(("data", .null))
    }
    pairs.append(("createdAt", .string(createdAt)))
    pairs.append(
      ("tool", .object([("name", .string(tool.name)), ("version", .string(tool.version))])))
    if let extra { pairs.append(("extra", extra)) }
    return .object(pairs)
  }

  // MARK: Reading

  /// Reads and checks a model file (schema and model id).
  /// - Throws: ``ModelError/invalidModelFile(path:reason:)``; `DataError.notReadable` when the
  ///   file cannot be read.
  public static func read(from path: String) throws -> ModelFile {
    let bytes: Data
    do {
      bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw DataError.notReadable(path: path, reason: "no such file or not readable")
    }
    return try decode(bytes, path: path)
  }

  /// Decodes and checks a model file's bytes; `path` is for messages.
  public static func decode(_ bytes: Data, path: String) throws -> ModelFile {
    // Check the envelope first so that the message says what is wrong.
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: bytes)
    } catch {
      throw ModelError.invalidModelFile(path: path, reason: "not JSON")
    }
    guard let dictionary = object as? [String: Any] else {
      throw ModelError.invalidModelFile(path: path, reason: "not a JSON object")
    }
    guard let schema = dictionary["schema"] as? String else {
      throw ModelError.invalidModelFile(path: path, reason: "no 'schema' field")
    }
    guard schema == schemaVersion || schema.hasPrefix(schemaVersion + ".") else {
      throw ModelError.invalidModelFile(
        path: path, reason: "schema '\(schema)' is not supported (expected '\(schemaVersion)')")
    }
    guard let model = dictionary["model"] as? String else {
      throw ModelError.invalidModelFile(path: path, reason: "no 'model' field")
    }
    guard modelType(for: model) != nil else {
      throw ModelError.invalidModelFile(
        path: path,
        reason: "unknown model '\(model)' (known: \(knownModelIDs.joined(separator: ", ")))")
    }
    do {
      var file = try JSONDecoder().decode(ModelFile.self, from: bytes)
      // Back to the literature's parameter order (decoding sorts names; see NamedValues).
      if let type = modelType(for: model) as? any ParametricModel.Type {
        file.parameters = file.parameters.ordered(like: type.parameterNames)
        file.standardErrors = file.standardErrors?.ordered(like: type.parameterNames)
      }
      try file.check(path: path)
      return file
    } catch let error as ModelError {
      throw error
    } catch let DecodingError.keyNotFound(key, _) {
      throw ModelError.invalidModelFile(path: path, reason: "no '\(key.stringValue)' field")
    } catch let DecodingError.typeMismatch(_, context) {
      let field = context.codingPath.map(\.stringValue).joined(separator: ".")
      throw ModelError.invalidModelFile(path: path, reason: "field '\(field)' has the wrong type")
    } catch {
      throw ModelError.invalidModelFile(path: path, reason: "malformed model file")
    }
  }

  /// Checks each field's domain, so that a file that decodes but cannot describe a model
  /// (`r = -1`, a subnormal `5e-324`, `unit: "fortnight"`) fails on reading, naming the field
  /// and value, instead of giving negative expectations or probabilities above 1:
  ///
  /// - the parameters of bgnbd, mbgnbd, pnbd, bgbb and gamma-gamma: every one present, finite,
  ///   positive and normal (≥ 2.2e-308: a subnormal one has lost its precision); churn-logit's
  ///   coefficients: finite;
  /// - `unit`: day, week or month for bgnbd, mbgnbd and pnbd (the scale of α and β);
  ///   `opportunity` or null for bgbb; null or a time unit for gamma-gamma and churn-logit
  ///   (whose label carries its own unit);
  /// - standard errors and the log-likelihood finite, standard errors ≥ 0, `customers` ≥ 0;
  /// - `fit`: counts ≥ 0, seconds and gradient norm finite and ≥ 0, penalizer finite ≥ 0;
  /// - `data`: dates yyyy-MM-dd, the calibration end not after the observation end.
  ///
  /// A file without `fit` (parameters only, e.g. published values) is a valid model file.
  func check(path: String) throws {
    func fail(_ field: String, _ value: String, _ expected: String) -> ModelError {
      let shown = value.count <= 80 ? value : String(value.prefix(80)) + "…"
      return .invalidModelFile(path: path, reason: "\(field) = \(shown): \(expected)")
    }
    let type = Self.modelType(for: model)
    if let parametric = type as? any ParametricModel.Type, model != LogisticChurn.modelID {
      for name in parametric.parameterNames {
        guard let value = parameters[name] else {
          throw ModelError.invalidModelFile(path: path, reason: "parameter '\(name)' is missing")
        }
        guard value.isFinite, value > 0, value.isNormal else {
          throw fail("parameters.\(name)", "\(value)", "must be a positive normal number")
        }
      }
    } else {
      for (name, value) in zip(parameters.names, parameters.values) where !value.isFinite {
        throw fail("parameters.\(name)", "\(value)", "must be finite")
      }
    }
    let timeUnits = TimeUnit.allCases.map(\.rawValue)
    switch model {
    case BGBB.modelID:
      if let unit, unit != "opportunity" {
        throw fail("unit", "'\(unit)'", "bgbb counts opportunities (expected \"opportunity\")")
      }
    case GammaGamma.modelID, LogisticChurn.modelID:
      if let unit, !timeUnits.contains(unit) {
        throw fail("unit", "'\(unit)'", "not a time unit (day, week, month) or null")
      }
    default:
      guard let unit, timeUnits.contains(unit) else {
        throw fail(
          "unit", unit.map { "'\($0)'" } ?? "null",
          "not a time unit (day, week, month): the parameters' time scale is needed")
      }
    }
    if let standardErrors {
      for (name, value) in zip(standardErrors.names, standardErrors.values)
      where !(value.isFinite && value >= 0) {
        throw fail("standardErrors.\(name)", "\(value)", "must be a finite number ≥ 0")
      }
    }
    if let logLikelihood, !logLikelihood.isFinite {
      throw fail("logLikelihood", "\(logLikelihood)", "must be finite")
    }
    if let customers, customers < 0 { throw fail("customers", "\(customers)", "must be ≥ 0") }
    if let fit {
      for (name, value) in [
        ("iterations", fit.iterations), ("functionEvaluations", fit.functionEvaluations),
        ("distinctRows", fit.distinctRows), ("dropped", fit.dropped),
      ] where value < 0 {
        throw fail("fit.\(name)", "\(value)", "must be ≥ 0")
      }
      for (name, value) in [
        ("seconds", fit.seconds), ("gradientNorm", fit.gradientNorm),
        ("penalizer", fit.penalizer),
      ] where !(value.isFinite && value >= 0) {
        throw fail("fit.\(name)", "\(value)", "must be a finite number ≥ 0")
      }
    }
    if let data {
      var days: [String: Day] = [:]
      for (name, value) in [
        ("observationEnd", data.observationEnd), ("calibrationEnd", data.calibrationEnd),
        ("firstDate", data.firstDate), ("lastDate", data.lastDate),
      ] {
        guard let value else { continue }
        guard let day = Day(iso: value) else {
          throw fail("data.\(name)", "'\(value)'", "not a date yyyy-MM-dd")
        }
        days[name] = day
      }
      if let calibration = days["calibrationEnd"], let observation = days["observationEnd"],
        calibration > observation
      {
        throw fail(
          "data.calibrationEnd", data.calibrationEnd ?? "",
          "after data.observationEnd \(data.observationEnd ?? "")")
      }
    }
  }

  /// The parameters `names`, in that order; each must be present and finite.
  public func parameterValues(named names: [String], path: String) throws -> [Double] {
    try names.map { name in
      guard let value = parameters[name] else {
        throw ModelError.invalidModelFile(path: path, reason: "parameter '\(name)' is missing")
      }
      guard value.isFinite else {
        throw ModelError.invalidModelFile(path: path, reason: "parameter '\(name)' is not finite")
      }
      return value
    }
  }

  /// The fit report recorded in the file, or nil when it has none.
  public func fitReport(parameterNames: [String]) -> FitReport? {
    guard let fit, let logLikelihood else { return nil }
    let se = standardErrors.flatMap { se in
      parameterNames.allSatisfy({ se[$0] != nil }) ? parameterNames.map { se[$0]! } : nil
    }
    return FitReport(
      logLikelihood: logLikelihood, standardErrors: se, iterations: fit.iterations,
      functionEvaluations: fit.functionEvaluations, gradientNorm: fit.gradientNorm,
      converged: fit.converged, degenerate: fit.degenerate, seconds: fit.seconds,
      customers: customers ?? 0, distinctRows: fit.distinctRows, penalizer: fit.penalizer,
      reason: fit.reason, dropped: fit.dropped, cpuSeconds: fit.cpuSeconds)
  }

  // MARK: The registry of models

  /// Every model id a file may hold.
  public static let knownModelIDs = [
    "bgnbd", "mbgnbd", "pnbd", "bgbb", "gamma-gamma", "churn-logit",
  ]

  /// The Swift type of a model id, or nil.
  public static func modelType(for id: String) -> (any ModelFileConvertible.Type)? {
    switch id {
    case BGNBD.modelID: return BGNBD.self
    case MBGNBD.modelID: return MBGNBD.self
    case BGBB.modelID: return BGBB.self
    case GammaGamma.modelID: return GammaGamma.self
    case ParetoNBD.modelID: return ParetoNBD.self
    case LogisticChurn.modelID: return LogisticChurn.self
    default: return nil
    }
  }

  /// The model this file holds.
  public func makeModel(path: String) throws -> any ModelFileConvertible {
    guard let type = Self.modelType(for: model) else {
      throw ModelError.invalidModelFile(path: path, reason: "unknown model '\(model)'")
    }
    let built = try type.init(modelFile: self, path: path)
    return built
  }

  /// Reads a file that must hold a purchase-count model (bgnbd, mbgnbd, pnbd, bgbb).
  public static func readTransactionModel(
    from path: String
  ) throws -> (
    file: ModelFile, model: any TransactionModel
  ) {
    let file = try read(from: path)
    guard let model = try file.makeModel(path: path) as? any TransactionModel else {
      throw ModelError.invalidModelFile(
        path: path,
        reason: "holds '\(file.model)', not a purchase model (bgnbd, mbgnbd, pnbd, bgbb)")
    }
    return (file, model)
  }

  /// Reads a file that must hold a spend model (gamma-gamma).
  public static func readSpendModel(
    from path: String
  ) throws -> (
    file: ModelFile, model: any SpendModel
  ) {
    let file = try read(from: path)
    guard let model = try file.makeModel(path: path) as? any SpendModel else {
      throw ModelError.invalidModelFile(
        path: path, reason: "holds '\(file.model)', not a spend model (gamma-gamma)")
    }
    return (file, model)
  }
}
