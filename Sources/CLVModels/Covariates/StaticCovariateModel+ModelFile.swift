import CLVData
import CLVNumerics
import Foundation

/// A purchase model with covariates, as commands use it without knowing the model: its
/// attributes design, a customer's model, and its coefficient statistics.
public protocol CovariateTransactionModel: ModelFileConvertible {
  /// The attributes used and their encoding (rebuilds z from an attributes file).
  var design: CovariateDesign { get }
  /// The model of a customer with covariates `z` (every prediction at θ(z)).
  func transactionModel(for z: [Double]) -> any TransactionModel
  /// Names of the coefficients (`purchase.channel=web`), after the model's own parameters in
  /// ``FittedModel/parameterNames``.
  var coefficientNames: [String] { get }
  /// Wald z-values and two-sided p-values of the coefficients (nil without standard errors or
  /// with an L2 penalty).
  var zValues: [Double]? { get }
  var pValues: [Double]? { get }
  /// The log-likelihood of the nested model without covariates; nil when not recorded.
  var nestedLogLikelihood: Double? { get }
  /// λ of the L2 penalty on the coefficients (0: none).
  var covariateL2: Double { get }
  /// The generative process of a customer with covariates `z`; nil when the model has none.
  func process(for z: [Double]) -> (any SimulatedPurchaseProcess)?
  /// The nested model without covariates fitted on the same customers; nil for a model read
  /// from a file (only its log-likelihood is stored).
  var nestedTransactionModel: (any TransactionModel)? { get }
  /// The model at other parameters (the model's own, then the free coefficients, in
  /// ``FittedModel/parameterNames`` order), without a fit report: a parameter draw.
  func withDrawnParameters(_ values: [Double]) -> any CovariateTransactionModel
  /// The model refitted on `rows` with frequency weights `weights` (a bootstrap resample) and
  /// covariates `covariates` (one vector per row), with this fit's design, L2 weight and
  /// `options`.
  /// - Throws: the fit's ``ModelError``.
  func refitted(
    _ rows: [RFMSummary.Row], weights: [Double], covariates: [[Double]], options: FitOptions
  ) throws -> any CovariateTransactionModel
}

/// The likelihood-ratio test of a covariate model against the nested model without covariates
/// (as CLVTools' `lrtest`): LR = 2 (log L − log L₀), χ² with as many degrees of freedom as
/// coefficients under the hypothesis that every coefficient is 0.
///
/// - Source: [CB2002] section 10.3.1 (Wilks' theorem).
public struct LikelihoodRatioTest: Codable, Sendable, Equatable {
  /// LR = 2 (log L − log L₀), at least 0.
  public var statistic: Double
  /// The number of free coefficients (restrictions of the nested model).
  public var degreesOfFreedom: Int
  /// P(χ²(df) ≥ LR).
  public var pValue: Double

  public init(statistic: Double, degreesOfFreedom: Int, pValue: Double) {
    self.statistic = statistic
    self.degreesOfFreedom = degreesOfFreedom
    self.pValue = pValue
  }

  /// The test of a fit with log-likelihood `logLikelihood` against its nested model with
  /// `nestedLogLikelihood`, `degreesOfFreedom` restrictions apart. The nested model is the
  /// full one at γ = 0, so LR ≥ 0 up to the optimizers' tolerance: a slightly negative
  /// difference is taken as 0.
  public init(logLikelihood: Double, nestedLogLikelihood: Double, degreesOfFreedom: Int) {
    let statistic = Swift.max(0, 2 * (logLikelihood - nestedLogLikelihood))
    self.init(
      statistic: statistic, degreesOfFreedom: degreesOfFreedom,
      pValue: ChiSquared.survival(statistic, degreesOfFreedom: Double(degreesOfFreedom)))
  }
}

extension CovariateTransactionModel {
  /// The test against the nested model; nil without both log-likelihoods or with an L2
  /// penalty (a penalized fit is not a maximum-likelihood estimate).
  public var likelihoodRatioTest: LikelihoodRatioTest? {
    guard covariateL2 == 0, let full = fitReport?.logLikelihood, let nested = nestedLogLikelihood
    else { return nil }
    return LikelihoodRatioTest(
      logLikelihood: full, nestedLogLikelihood: nested,
      degreesOfFreedom: coefficientNames.count)
  }
}

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

/// The `extra.covariates` object of a covariate model's file.
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
}

extension StaticCovariateModel: ModelFileConvertible {
  /// `extra.covariates`: the design (encodings, columns of each process, fill), the L2 weight,
  /// the nested model's log-likelihood and the coefficients' z- and p-values. The coefficients
  /// and their standard errors are in `parameters` and `standardErrors` after the model's own.
  public var modelFileExtra: JSONValue? {
    let names = coefficientNames
    let fields = CovariateFileFields(
      design: design, covariateL2: covariateL2, nestedLogLikelihood: nestedLogLikelihood,
      zValues: zValues.map { NamedValues(names: names, values: $0) },
      pValues: pValues.map { NamedValues(names: names, values: $0) },
      coefficientCovarianceScale: fitReport?.logParameterCovariance == nil ? nil : "natural")
    return .object([("covariates", jsonValue(fields))])
  }

  public init(modelFile: ModelFile, path: String) throws {
    guard let extra = modelFile.extra?["covariates"] else {
      throw ModelError.invalidModelFile(path: path, reason: "no 'extra.covariates' field")
    }
    let fields: CovariateFileFields
    do {
      fields = try JSONDecoder().decode(CovariateFileFields.self, from: JSONEncoder().encode(extra))
    } catch let DecodingError.keyNotFound(key, _) {
      throw ModelError.invalidModelFile(
        path: path, reason: "no 'extra.covariates.\(key.stringValue)' field")
    } catch {
      throw ModelError.invalidModelFile(path: path, reason: "malformed 'extra.covariates'")
    }
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
