import CLVData
import Foundation

extension ModelFile {
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
    try checkSchema(schema, path: path)
    guard let model = dictionary["model"] as? String else {
      throw ModelError.invalidModelFile(path: path, reason: "no 'model' field")
    }
    _ = try descriptor(of: model, path: path)
    let file: ModelFile
    do {
      file = try JSONDecoder().decode(ModelFile.self, from: bytes)
    } catch let DecodingError.keyNotFound(key, _) {
      throw ModelError.invalidModelFile(path: path, reason: "no '\(key.stringValue)' field")
    } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
      let field = context.codingPath.map(\.stringValue).joined(separator: ".")
      throw ModelError.invalidModelFile(
        path: path, reason: "field '\(field)': \(context.debugDescription)")
    } catch let DecodingError.typeMismatch(_, context) {
      let field = context.codingPath.map(\.stringValue).joined(separator: ".")
      throw ModelError.invalidModelFile(path: path, reason: "field '\(field)' has the wrong type")
    } catch {
      throw ModelError.invalidModelFile(path: path, reason: "malformed model file")
    }
    return try file.checked(path: path)
  }

  /// Throws for a `fit` object without one of ``FitReport/Optimizer/requiredFields`` or a `data` object without
  /// `file`, with the message a missing field gives (`no 'iterations' field`).
  func checkRequiredFields(path: String) throws {
    func missing(_ key: String) -> ModelError {
      .invalidModelFile(path: path, reason: "no '\(key)' field")
    }
    if let key = fit?.missingField { throw missing(key) }
    if let data, data.file == nil { throw missing("file") }
  }

  static func checkSchema(_ schema: String, path: String) throws {
    guard schema == schemaVersion || schema.hasPrefix(schemaVersion + ".") else {
      throw ModelError.invalidModelFile(
        path: path, reason: "schema '\(schema)' is not supported (expected '\(schemaVersion)')")
    }
  }

  static func descriptor(of model: String, path: String) throws -> ModelDescriptor {
    guard let descriptor = ModelRegistry.descriptor(for: model) else {
      throw ModelError.invalidModelFile(
        path: path,
        reason: "unknown model '\(model)' (known: \(ModelRegistry.list(ModelRegistry.ids)))")
    }
    return descriptor
  }

  /// The file checked as ``decode(_:path:)`` checks one read from disk (a supported schema, a
  /// registered model, every field in its domain: ``checkDomains(_:path:)``), with the parameters in the literature's order; for a model file
  /// embedded in another (churn-logit's `transactionModel`). `path` is for messages.
  public func checked(path: String) throws -> ModelFile {
    try Self.checkSchema(schema, path: path)
    let descriptor = try Self.descriptor(of: model, path: path)
    try checkRequiredFields(path: path)
    var file = self
    // Back to the literature's parameter order (decoding sorts names; see NamedValues).
    let order = descriptor.parameterNames
    if !order.isEmpty {
      file.parameters = parameters.ordered(like: order)
      file.standardErrors = standardErrors?.ordered(like: order)
    }
    try file.checkDomains(descriptor, path: path)
    return file
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

  /// The fit report recorded in the file: its `fit` object joined with the estimate's
  /// log-likelihood, standard errors and customers; nil when it has none (or, in a run file's
  /// entry, an incomplete one).
  public func fitReport(parameterNames: [String]) -> FitReport? {
    guard let fit, let logLikelihood else { return nil }
    let se = standardErrors.flatMap { se in
      parameterNames.allSatisfy({ se[$0] != nil }) ? parameterNames.map { se[$0]! } : nil
    }
    var report = FitReport(
      logLikelihood: logLikelihood, standardErrors: se, customers: customers ?? 0, optimizer: fit)
    report?.logParameterCovariance = logParameterCovariance(parameterNames: parameterNames)
    return report
  }

  /// The recorded ``logParameterCovariance`` as a matrix in the order of `parameterNames`; nil
  /// when the file has none or it lacks an entry.
  public func logParameterCovariance(parameterNames: [String]) -> [[Double]]? {
    guard let covariance = logParameterCovariance, !parameterNames.isEmpty else { return nil }
    var matrix: [[Double]] = []
    for row in parameterNames {
      guard let columns = covariance[row] else { return nil }
      var values: [Double] = []
      for column in parameterNames {
        guard let value = columns[column] else { return nil }
        values.append(value)
      }
      matrix.append(values)
    }
    return matrix
  }

  // MARK: Models by registry

  /// The model this file holds, built by its ``ModelRegistry`` descriptor.
  ///
  /// - Throws: ``ModelError/invalidModelFile(path:reason:)`` also for a model with covariates
  ///   (``hasCovariates``): its predictions need each customer's attributes, so it is read
  ///   only by ``makeCovariateModel(path:)``, never as the model without them.
  public func makeModel(path: String) throws -> any ModelFileConvertible {
    guard let descriptor = ModelRegistry.descriptor(for: model) else {
      throw ModelError.invalidModelFile(path: path, reason: "unknown model '\(model)'")
    }
    if hasCovariates {
      throw ModelError.invalidModelFile(
        path: path,
        reason: "the \(descriptor.displayName) model has covariates "
          + "(\(covariateColumns.joined(separator: ", "))): its predictions need each customer's "
          + "attributes, which this command does not take (use clv score --attributes or clv "
          + "predict-new)")
    }
    return try descriptor.decode(self, path: path)
  }

  /// Whether the file holds a model with covariates (`extra.covariates`).
  public var hasCovariates: Bool { extra?["covariates"] != nil }

  /// The attribute columns of a covariate model, for messages (empty when unreadable).
  var covariateColumns: [String] {
    guard case .array(let encodings)? = extra?["covariates"]?["design"]?["encodings"] else {
      return []
    }
    return encodings.compactMap { $0["column"]?.stringValue }
  }

  /// The covariate model this file holds (``hasCovariates``), built by its descriptor.
  public func makeCovariateModel(path: String) throws -> any CovariateTransactionModel {
    guard let descriptor = ModelRegistry.descriptor(for: model) else {
      throw ModelError.invalidModelFile(path: path, reason: "unknown model '\(model)'")
    }
    return try descriptor.decodeCovariateModel(self, path: path)
  }

  /// The spend model with covariates this file holds (``hasCovariates``), built by its
  /// descriptor.
  public func makeCovariateSpendModel(path: String) throws -> any CovariateSpendModel {
    guard let descriptor = ModelRegistry.descriptor(for: model) else {
      throw ModelError.invalidModelFile(path: path, reason: "unknown model '\(model)'")
    }
    return try descriptor.decodeCovariateSpendModel(self, path: path)
  }

  /// Reads a file that must hold a spend model, with or without covariates: the model (for a
  /// covariate model, the reference customer's, w = 0, which names the model) and the
  /// covariate model when it has covariates.
  public static func readSpendModelWithCovariates(
    from path: String
  ) throws -> (file: ModelFile, model: any SpendModel, covariates: (any CovariateSpendModel)?) {
    let file = try read(from: path)
    guard file.hasCovariates else {
      let (file, model) = try readSpendModel(from: path)
      return (file, model, nil)
    }
    guard ModelRegistry.descriptor(for: file.model)?.kind == .spend else {
      throw ModelError.invalidModelFile(
        path: path,
        reason: "holds '\(file.model)', not a spend model "
          + "(\(ModelRegistry.list(ModelRegistry.ids(of: .spend))))")
    }
    let covariates = try file.makeCovariateSpendModel(path: path)
    let zeros = [Double](repeating: 0, count: covariates.design.featureNames.count)
    return (file, covariates.spendModel(for: zeros), covariates)
  }

  /// Reads a file that must hold a model of `kind`; `what` names the kind in messages.
  static func read<Model>(
    from path: String, kind: ModelKind, as _: Model.Type, what: String
  ) throws -> (file: ModelFile, model: Model) {
    let file = try read(from: path)
    guard let model = try file.makeModel(path: path) as? Model else {
      throw ModelError.invalidModelFile(
        path: path,
        reason: "holds '\(file.model)', not a \(what) model "
          + "(\(ModelRegistry.list(ModelRegistry.ids(of: kind))))")
    }
    return (file, model)
  }

  /// Reads a file that must hold a purchase-count model (``ModelKind/purchase``).
  public static func readTransactionModel(
    from path: String
  ) throws -> (
    file: ModelFile, model: any TransactionModel
  ) {
    try read(from: path, kind: .purchase, as: (any TransactionModel).self, what: "purchase")
  }

  /// Reads a model file and returns its contractual model (``ModelKind/contractual``: sBG,
  /// BdW), or nil when the file holds a model of another kind.
  public static func readContractualModel(
    ifContractual path: String
  ) throws -> (file: ModelFile, model: any ContractualModel)? {
    let file = try read(from: path)
    guard ModelRegistry.descriptor(for: file.model)?.kind == .contractual else { return nil }
    guard let model = try file.makeModel(path: path) as? any ContractualModel else {
      throw ModelError.invalidModelFile(path: path, reason: "'\(file.model)' is not contractual")
    }
    return (file, model)
  }

  /// Reads a file that must hold a spend model (``ModelKind/spend``).
  public static func readSpendModel(
    from path: String
  ) throws -> (
    file: ModelFile, model: any SpendModel
  ) {
    try read(from: path, kind: .spend, as: (any SpendModel).self, what: "spend")
  }
}
