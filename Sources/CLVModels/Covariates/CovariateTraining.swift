import CLVData

/// What `clv train --attributes` fits: which columns act on which process, missing values, and
/// the L2 weight on the coefficients.
public struct CovariateOptions: Sendable, Equatable {
  /// Attribute columns for the purchase process; nil = every column of the file.
  public var purchase: [String]?
  /// Attribute columns for the dropout process; nil = every column of the file.
  public var dropout: [String]?
  /// Attribute columns for spend per purchase (a spend model); nil = every column of the file.
  public var spend: [String]?
  /// Fill missing values (numeric: the column mean; text: the reference level) and customers
  /// without a row (at most ``CustomerAttributes/maximumFilledShare`` of them).
  public var fill: Bool
  /// λ of the penalty λ Σ γ² (per customer, beside −log L/N); 0 = none.
  public var covariateL2: Double
  /// Columns whose coefficient is the same in the purchase and the dropout process (an
  /// equality constraint, CLVTools' `names.cov.constr`); each must act on both.
  public var sameCoefficient: [String]

  public init(
    purchase: [String]? = nil, dropout: [String]? = nil, fill: Bool = false,
    covariateL2: Double = 0, sameCoefficient: [String] = [], spend: [String]? = nil
  ) {
    self.purchase = purchase
    self.dropout = dropout
    self.spend = spend
    self.fill = fill
    self.covariateL2 = covariateL2
    self.sameCoefficient = sameCoefficient
  }
}

/// The covariate fit pipeline of `clv train --model M --attributes FILE`: learn the encodings,
/// join the attributes on customer_id, fit (``StaticCovariateModel``).
public enum CovariateTraining {
  /// Fits `descriptor`'s model with the customers' attributes as covariates.
  ///
  /// - Parameters:
  ///   - summary: one row per customer (times in the summary's unit); its ids are joined with
  ///     `attributes`' customer_id.
  ///   - ordersFile: the name of the customers' file, for messages.
  ///   - notes: called with what `fill` did.
  /// - Throws: ``ModelError/unusableData(model:reason:)`` for a model without covariates or a
  ///   bad column list; ``DataError`` for a customer without a row or a missing value (without
  ///   `fill`), or too many customers without a row (with `fill`); the fit's ``ModelError``.
  public static func fit(
    _ summary: RFMSummary, descriptor: ModelDescriptor, attributes: CustomerAttributes,
    ordersFile: String, options: CovariateOptions, fitOptions: FitOptions = FitOptions(),
    notes: (String) -> Void = { _ in }
  ) throws -> any CovariateTransactionModel {
    guard descriptor.fitsCovariates else {
      throw ModelError.unusableData(
        model: descriptor.displayName,
        reason: "it takes no covariates (models with covariates: "
          + "\(ModelRegistry.list(ModelRegistry.all.filter(\.takesCovariates).map(\.id))))")
    }
    let (design, covariates) = try designAndCovariates(
      summary, descriptor: descriptor, attributes: attributes, ordersFile: ordersFile,
      options: options, notes: notes)
    return try descriptor.fit(
      summary.rows, covariates: covariates, design: design, covariateL2: options.covariateL2,
      options: fitOptions)
  }

  /// Fits `descriptor`'s spend model (Gamma-Gamma) with the customers' attributes as
  /// covariates on spend (``CovariateGammaGamma``), as ``fit(_:descriptor:attributes:ordersFile:options:fitOptions:notes:)``
  /// fits a purchase model.
  /// - Throws: as that function; ``ModelError/unusableData(model:reason:)`` for a model
  ///   without spend covariates.
  public static func fitSpend(
    _ summary: RFMSummary, descriptor: ModelDescriptor, attributes: CustomerAttributes,
    ordersFile: String, options: CovariateOptions, fitOptions: FitOptions = FitOptions(),
    notes: (String) -> Void = { _ in }
  ) throws -> any CovariateSpendModel {
    guard descriptor.fitsSpendCovariates else {
      throw ModelError.unusableData(
        model: descriptor.displayName, reason: "it is not a spend model with covariates")
    }
    let (design, covariates) = try designAndCovariates(
      summary, descriptor: descriptor, attributes: attributes, ordersFile: ordersFile,
      options: options, notes: notes)
    return try descriptor.fitSpend(
      summary.rows, covariates: covariates, design: design, covariateL2: options.covariateL2,
      options: fitOptions)
  }

  /// The design learned from `attributes` for the model's processes and each customer's z.
  static func designAndCovariates(
    _ summary: RFMSummary, descriptor: ModelDescriptor, attributes: CustomerAttributes,
    ordersFile: String, options: CovariateOptions, notes: (String) -> Void
  ) throws -> (CovariateDesign, [[Double]]) {
    let design = try CovariateDesign.learn(
      from: attributes, purchase: options.purchase, dropout: options.dropout,
      spend: options.spend, fill: options.fill, sameCoefficient: options.sameCoefficient,
      processes: descriptor.covariateProcesses, model: descriptor.displayName)
    let ids = summary.rows.map(\.customerID)
    if options.fill {
      let coverage = try attributes.checkedCoverage(of: ids, ordersFile: ordersFile)
      if coverage.missing > 0 { notes(attributes.fillNote(coverage)) }
    }
    let covariates = try design.covariates(
      for: ids, attributes: attributes, model: descriptor.displayName)
    return (design, covariates)
  }
}
