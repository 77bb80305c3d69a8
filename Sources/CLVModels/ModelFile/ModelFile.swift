import CLVData
import Foundation

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
public struct ModelFile: Codable, Sendable, Equatable {
  /// The schema this version writes. Loading accepts any `clvkit-model/1[.minor]`.
  public static let schemaVersion = "clvkit-model/1"

  /// Where the training data came from: the `data` object of a model file, and of each model
  /// entry of a run file (one type for both; the run's own ``RunFile/DataInfo`` is built from
  /// it). `file` is optional as the run-file format documents it; a model file must have it
  /// (checked by ``ModelFile/decode(_:path:)``).
  public struct DataSource: Codable, Sendable, Equatable {
    /// Input file name as given (`-` for standard input).
    public var file: String?
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
      file: String? = nil, sha256: String? = nil, observationEnd: String? = nil,
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
  /// Model id, one of ``ModelRegistry/ids``.
  public var model: String
  public var parameters: NamedValues
  public var standardErrors: NamedValues?
  public var logLikelihood: Double?
  public var customers: Int?
  /// The time unit of the parameters (`day`, `week`, `month`; `opportunity` for BG/BB); nil for
  /// a model without time in its parameters (Gamma-Gamma). See ``ModelUnit``.
  public var unit: ModelUnit?
  /// The covariance of the log-parameters at the estimate, by parameter name (row, then
  /// column): ``FitReport/logParameterCovariance``, what `clv score --intervals` draws from.
  /// Optional: files written before it (or fits without standard errors) have none.
  public var logParameterCovariance: [String: [String: Double]]?
  /// How the optimizer ran (``FitReport/Optimizer``); with `logLikelihood`, `standardErrors`
  /// and `customers` it is the file's ``FitReport`` (``fitReport(parameterNames:)``).
  public var fit: FitReport.Optimizer?
  public var data: DataSource?
  public var createdAt: String
  public var tool: Tool
  /// Model-specific fields (e.g. churn-logit's features and standardization).
  public var extra: JSONValue?
  /// How `clv train --model auto` chose the model (``Selection``); nil for a named model.
  public var selection: Selection?

  /// The file for `model`. `unit` is the time unit of the parameters.
  public init(
    model: some ModelFileConvertible, unit: ModelUnit?, data: DataSource?, toolVersion: String,
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
      fit = report.optimizer
      let names = model.parameterNames
      if let matrix = report.logParameterCovariance, matrix.count == names.count,
        matrix.allSatisfy({ $0.count == names.count })
      {
        logParameterCovariance = Dictionary(
          uniqueKeysWithValues: zip(names, matrix).map { name, row in
            (name, Dictionary(uniqueKeysWithValues: zip(names, row)))
          })
      }
    }
  }

  // MARK: Writing

  /// Encodes the documented layout (``jsonValue``: keys in order, absent values as null), so
  /// that a model file embedded in another (churn-logit's `transactionModel`) reads as the file
  /// itself.
  public func encode(to encoder: Encoder) throws {
    try jsonValue.encode(to: encoder)
  }

  /// The file as pretty-printed JSON (keys in a fixed order), ending with a newline.
  /// - Throws: ``ModelError/nonFinite(model:quantity:)`` if any number is NaN or infinite.
  public func jsonText() throws -> String {
    try checkFinite()
    return jsonValue.prettyPrinted() + "\n"
  }

  /// Throws ``ModelError/nonFinite(model:quantity:)`` if any number is NaN or infinite.
  public func checkFinite() throws {
    for (name, value) in zip(parameters.names, parameters.values) where !value.isFinite {
      throw ModelError.nonFinite(model: model, quantity: "parameter \(name)")
    }
    if let standardErrors {
      for (name, value) in zip(standardErrors.names, standardErrors.values) where !value.isFinite {
        throw ModelError.nonFinite(model: model, quantity: "standard error of \(name)")
      }
    }
    for (row, columns) in logParameterCovariance ?? [:] {
      for (column, value) in columns where !value.isFinite {
        throw ModelError.nonFinite(
          model: model, quantity: "log-parameter covariance of \(row) and \(column)")
      }
    }
    if let logLikelihood, !logLikelihood.isFinite {
      throw ModelError.nonFinite(model: model, quantity: "the log-likelihood")
    }
    if let selection, !selection.isFinite {
      throw ModelError.nonFinite(model: model, quantity: "a holdout error of the selection")
    }
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
      ("unit", optional(unit?.rawValue)),
    ]
    if let covariance = logParameterCovariance {
      // Rows and columns in the parameters' order, then any other names sorted.
      let order =
        parameters.names.filter { covariance[$0] != nil }
        + covariance.keys.filter { !parameters.names.contains($0) }.sorted()
      pairs.append(
        (
          "logParameterCovariance",
          .object(
            order.map { row in
              let columns = covariance[row]!
              let columnOrder =
                parameters.names.filter { columns[$0] != nil }
                + columns.keys.filter { !parameters.names.contains($0) }.sorted()
              return (row, .object(columnOrder.map { ($0, .number(columns[$0]!)) }))
            })
        ))
    }
    pairs.append(("fit", fit?.jsonValue ?? .null))
    if let data {
      pairs.append(
        (
          "data",
          .object([
            ("file", optional(data.file)),
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
    if let selection { pairs.append(("selection", selection.jsonValue)) }
    return .object(pairs)
  }
}
