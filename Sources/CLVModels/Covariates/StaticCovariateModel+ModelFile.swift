import CLVData
import CLVNumerics
import Foundation

extension StaticCovariateModel: CovariateTransactionModel {
  public func transactionModel(for z: [Double]) -> any TransactionModel { model(for: z) }
  public func process(for z: [Double]) -> (any SimulatedPurchaseProcess)? {
    model(for: z) as? any SimulatedPurchaseProcess
  }
  public var nestedTransactionModel: (any TransactionModel)? { nested }
  public func withDrawnParameters(_ values: [Double]) -> any CovariateTransactionModel {
    withParameters(values)
  }
  public func refitted(
    _ rows: [RFMSummary.Row], weights: [Double], covariates: [[Double]], options: FitOptions
  ) throws -> any CovariateTransactionModel {
    try Self.fit(
      rows, weights: weights, covariates: covariates, design: design, covariateL2: covariateL2,
      options: options)
  }
}

/// The `extra.covariates` object of a covariate model's file (purchase and spend models).
struct CovariateFileFields: Codable, Equatable {
  var design: CovariateDesign
  var covariateL2: Double
  var nestedLogLikelihood: Double?
  var zValues: NamedValues?
  var pValues: NamedValues?
  /// "natural" when the file's `logParameterCovariance` keeps the coefficients on their own
  /// scale (``MaximumLikelihood/logScale(_:at:positive:)``); absent in files written before,
  /// whose covariance divided the coefficients' entries by the coefficients too (not usable
  /// for parameter draws: dropped when read).
  var coefficientCovarianceScale: String?

  /// The fields of `model`.
  init(model: some CovariateFittedModel) {
    let names = model.coefficientNames
    design = model.design
    covariateL2 = model.covariateL2
    nestedLogLikelihood = model.nestedLogLikelihood
    zValues = model.zValues.map { NamedValues(names: names, values: $0) }
    pValues = model.pValues.map { NamedValues(names: names, values: $0) }
    coefficientCovarianceScale = model.fitReport?.logParameterCovariance == nil ? nil : "natural"
  }

  /// The fields as the file's `extra`: `{"covariates": …}`.
  var extra: JSONValue { .object([("covariates", jsonValue(self))]) }

  /// The fields of a model file's `extra.covariates`.
  /// - Throws: ``ModelError/invalidModelFile(path:reason:)`` when absent or malformed.
  init(modelFile: ModelFile, path: String) throws {
    guard let extra = modelFile.extra?["covariates"] else {
      throw ModelError.invalidModelFile(path: path, reason: "no 'extra.covariates' field")
    }
    do {
      self = try JSONDecoder().decode(Self.self, from: JSONEncoder().encode(extra))
    } catch let DecodingError.keyNotFound(key, _) {
      throw ModelError.invalidModelFile(
        path: path, reason: "no 'extra.covariates.\(key.stringValue)' field")
    } catch {
      throw ModelError.invalidModelFile(path: path, reason: "malformed 'extra.covariates'")
    }
  }
}

extension StaticCovariateModel: ModelFileConvertible {
  /// `extra.covariates`: the design (encodings, columns of each process, fill), the L2 weight,
  /// the nested model's log-likelihood and the coefficients' z- and p-values. The coefficients
  /// and their standard errors are in `parameters` and `standardErrors` after the model's own.
  public var modelFileExtra: JSONValue? {
    CovariateFileFields(model: self).extra
  }

  public init(modelFile: ModelFile, path: String) throws {
    let fields = try CovariateFileFields(modelFile: modelFile, path: path)
    let names = Base.parameterNames + Self.coefficientNames(fields.design)
    let values = try modelFile.parameterValues(named: names, path: path)
    let k = Base.parameterNames.count
    let coefficients = Self.coefficients(fromFree: Array(values[k...]), design: fields.design)
    var report = modelFile.fitReport(parameterNames: names)
    if fields.coefficientCovarianceScale != "natural" {
      report?.logParameterCovariance = nil
    }
    self.init(
      base: Base(parameters: Array(values[0..<k]), fitReport: nil), design: fields.design,
      coefficients: coefficients, fitReport: report,
      nestedLogLikelihood: fields.nestedLogLikelihood, covariateL2: fields.covariateL2)
  }
}
