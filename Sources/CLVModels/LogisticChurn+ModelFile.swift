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
private func jsonValue(_ value: some Encodable) -> JSONValue {
  (try? JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))) ?? .null
}
