import Foundation

/// The churn model in the shared model-file envelope (``ModelFile``): `parameters` and
/// `standardErrors` hold the intercept and the coefficients by name (original scale), and
/// `extra` holds `objective`, `features`, `coefficients`, `zValues`/`pValues` (unpenalized),
/// `scaling` (mean and standard deviation per feature), `l2`, `label` (calibration end,
/// observation end, horizon, unit) and `specification` (how to compute the features again:
/// built-in names, the embedded BTYD model, attribute encodings, fill).
extension LogisticChurn: ModelFileConvertible {
  public var modelFileExtra: JSONValue? {
    var pairs: [(String, JSONValue)] = [
      ("objective", .string(Self.objectiveDescription)),
      ("features", .array(featureNames.map { .string($0) })),
      ("coefficients", jsonValue(NamedValues(names: parameterNames, values: parameterValues))),
    ]
    if let zValues, let pValues {
      pairs.append(("zValues", jsonValue(NamedValues(names: parameterNames, values: zValues))))
      pairs.append(("pValues", jsonValue(NamedValues(names: parameterNames, values: pValues))))
    }
    pairs.append(
      (
        "scaling",
        .object(
          zip(featureNames, scaling).map { name, s in
            (
              name,
              .object([
                ("mean", .number(s.mean)), ("standardDeviation", .number(s.standardDeviation)),
              ])
            )
          })
      ))
    pairs.append(("l2", .number(l2)))
    if let label { pairs.append(("label", jsonValue(label))) }
    if let specification { pairs.append(("specification", jsonValue(specification))) }
    return .object(pairs)
  }

  public init(modelFile: ModelFile, path: String) throws {
    guard let extra = modelFile.extra else {
      throw ModelError.invalidModelFile(path: path, reason: "no 'extra' field (churn-logit)")
    }
    var decoded: LogisticChurn
    do {
      decoded = try JSONDecoder().decode(LogisticChurn.self, from: JSONEncoder().encode(extra))
    } catch let DecodingError.keyNotFound(key, _) {
      throw ModelError.invalidModelFile(path: path, reason: "no 'extra.\(key.stringValue)' field")
    } catch let DecodingError.dataCorrupted(context) {
      throw ModelError.invalidModelFile(path: path, reason: context.debugDescription)
    } catch {
      throw ModelError.invalidModelFile(path: path, reason: "malformed churn-logit fields")
    }
    // The envelope's parameters are authoritative.
    let values = try modelFile.parameterValues(named: decoded.parameterNames, path: path)
    decoded.intercept = values[0]
    decoded.coefficients = Array(values.dropFirst())
    decoded.fitReport = modelFile.fitReport(parameterNames: decoded.parameterNames)
    decoded.standardErrors = decoded.fitReport?.standardErrors
    self = decoded
  }
}

/// An encodable value as a ``JSONValue`` (our own values always encode).
func jsonValue(_ value: some Encodable) -> JSONValue {
  (try? JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))) ?? .null
}

// MARK: - Model file layout

extension LogisticChurn {
  enum CodingKeys: String, CodingKey {
    case objective, features, coefficients, standardErrors, zValues, pValues, scaling, l2, fit
    case specification, label
  }

  /// The objective, in words, recorded in the model file.
  public static let objectiveDescription =
    "sum_i logloss_i + (l2/2) * sum_j b_j^2 over standardized features z_j = (x_j - mean_j) / sd_j "
    + "(sd with divisor n), intercept unpenalized; equals scikit-learn "
    + "StandardScaler + LogisticRegression(C = 1/l2)"

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(Self.objectiveDescription, forKey: .objective)
    try container.encode(featureNames, forKey: .features)
    let names = parameterNames
    try container.encode(
      Dictionary(uniqueKeysWithValues: zip(names, parameterValues)), forKey: .coefficients)
    if let standardErrors {
      try container.encode(
        Dictionary(uniqueKeysWithValues: zip(names, standardErrors)), forKey: .standardErrors)
    }
    if let zValues, let pValues {
      try container.encode(Dictionary(uniqueKeysWithValues: zip(names, zValues)), forKey: .zValues)
      try container.encode(Dictionary(uniqueKeysWithValues: zip(names, pValues)), forKey: .pValues)
    }
    try container.encode(
      Dictionary(uniqueKeysWithValues: zip(featureNames, scaling)), forKey: .scaling)
    try container.encode(l2, forKey: .l2)
    try container.encodeIfPresent(fitReport, forKey: .fit)
    try container.encodeIfPresent(specification, forKey: .specification)
    try container.encodeIfPresent(label, forKey: .label)
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let features = try container.decode([String].self, forKey: .features)
    let byName = try container.decode([String: Double].self, forKey: .coefficients)
    func ordered<T>(_ values: [String: T], _ key: CodingKeys, _ names: [String]) throws -> [T] {
      try names.map { name in
        guard let value = values[name] else {
          throw DecodingError.dataCorruptedError(
            forKey: key, in: container,
            debugDescription: "'\(key.stringValue)' has no value for '\(name)'")
        }
        return value
      }
    }
    guard Set(features).count == features.count, !features.contains("intercept") else {
      throw DecodingError.dataCorruptedError(
        forKey: .features, in: container, debugDescription: "feature names must be distinct")
    }
    let parameters = try ordered(byName, .coefficients, ["intercept"] + features)
    guard parameters.allSatisfy(\.isFinite) else {
      throw DecodingError.dataCorruptedError(
        forKey: .coefficients, in: container, debugDescription: "coefficients must be finite")
    }
    var standardErrors: [Double]? = nil
    if let errors = try container.decodeIfPresent([String: Double].self, forKey: .standardErrors) {
      standardErrors = try ordered(errors, .standardErrors, ["intercept"] + features)
    }
    let scaling = try ordered(
      container.decode([String: FeatureScaling].self, forKey: .scaling), .scaling, features)
    self.init(
      featureNames: features, intercept: parameters[0], coefficients: Array(parameters.dropFirst()),
      scaling: scaling, l2: try container.decode(Double.self, forKey: .l2),
      standardErrors: standardErrors,
      fitReport: try container.decodeIfPresent(FitReport.self, forKey: .fit),
      specification: try container.decodeIfPresent(
        ChurnFeatureSpecification.self, forKey: .specification),
      label: try container.decodeIfPresent(ChurnLabel.self, forKey: .label))
  }
}
