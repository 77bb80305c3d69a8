import CLVData
import Foundation

extension CovariateGammaGamma: ModelFileConvertible {
  /// `extra.covariates`, as the purchase models with covariates write it
  /// (``StaticCovariateModel``): the design (with ``CovariateDesign/spendColumns``), the L2
  /// weight, plain Gamma-Gamma's log-likelihood, the coefficients' z- and p-values. δ and its
  /// standard errors are in `parameters` and `standardErrors` after p, q, gamma.
  public var modelFileExtra: JSONValue? {
    CovariateFileFields(model: self).extra
  }

  public init(modelFile: ModelFile, path: String) throws {
    let fields = try CovariateFileFields(modelFile: modelFile, path: path)
    let names = GammaGamma.parameterNames + Self.coefficientNames(fields.design)
    let values = try modelFile.parameterValues(named: names, path: path)
    self.init(
      base: GammaGamma(parameters: Array(values[0..<3]), fitReport: nil), design: fields.design,
      coefficients: Array(values[3...]), fitReport: modelFile.fitReport(parameterNames: names),
      nestedLogLikelihood: fields.nestedLogLikelihood, covariateL2: fields.covariateL2)
  }
}

/// A spend model that can be fitted with static covariates; the registry offers
/// `--attributes` for it by this conformance (``ModelDescriptor/fitsSpendCovariates``).
public protocol CovariateSpendFittable: SummaryFittable, SpendModel {
  /// The parameters that covariates scale, one coefficient vector each.
  static var covariateLinks: [CovariateLink] { get }
  /// The fit with covariates `covariates` (one vector per row) under `design`.
  static func fit(
    _ rows: [RFMSummary.Row], covariates: [[Double]], design: CovariateDesign,
    covariateL2: Double, options: FitOptions
  ) throws -> any CovariateSpendModel
  /// The model with covariates a model file holds (`extra.covariates`).
  static func covariateModel(modelFile: ModelFile, path: String) throws -> any CovariateSpendModel
}

extension GammaGamma: CovariateSpendFittable {
  public static var covariateLinks: [CovariateLink] { CovariateGammaGamma.covariateLinks }

  public static func fit(
    _ rows: [RFMSummary.Row], covariates: [[Double]], design: CovariateDesign,
    covariateL2: Double, options: FitOptions
  ) throws -> any CovariateSpendModel {
    try CovariateGammaGamma.fit(
      rows, covariates: covariates, design: design, covariateL2: covariateL2, options: options)
  }

  public static func covariateModel(
    modelFile: ModelFile, path: String
  ) throws -> any CovariateSpendModel {
    try CovariateGammaGamma(modelFile: modelFile, path: path)
  }
}
