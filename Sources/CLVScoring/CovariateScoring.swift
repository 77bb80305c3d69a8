import CLVData
import CLVModels

/// The customers' covariates for scoring with a covariate model: the model and one vector z
/// per scored row.
public struct CustomerCovariates: Sendable {
  public var model: any CovariateTransactionModel
  /// One z per row, in the rows' order (``CovariateDesign/featureNames`` order).
  public var vectors: [[Double]]

  public init(model: any CovariateTransactionModel, vectors: [[Double]]) {
    self.model = model
    self.vectors = vectors
  }

  /// The covariates of the customers `customerIDs` from an attributes file, encoded as the
  /// model's design says.
  /// - Throws: ``DataError`` for a customer without a row or a missing value (unless the model
  ///   was fitted with `fill`) and for a text level not seen in training (always).
  public init(
    model: any CovariateTransactionModel, customerIDs: [String], attributes: CustomerAttributes?
  ) throws {
    self.model = model
    vectors = try model.design.covariates(
      for: customerIDs, attributes: attributes, model: type(of: model).modelName)
  }
}

/// The customers' spend covariates for scoring with a spend model with covariates
/// (``CovariateGammaGamma``): the model and one vector w per scored row.
public struct SpendCovariates: Sendable {
  public var model: any CovariateSpendModel
  /// One w per row, in the rows' order (``CovariateDesign/featureNames`` order).
  public var vectors: [[Double]]

  public init(model: any CovariateSpendModel, vectors: [[Double]]) {
    self.model = model
    self.vectors = vectors
  }

  /// The spend covariates of the customers `customerIDs` from an attributes file, encoded as
  /// the model's design says.
  /// - Throws: ``DataError`` as ``CustomerCovariates/init(model:customerIDs:attributes:)``.
  public init(
    model: any CovariateSpendModel, customerIDs: [String], attributes: CustomerAttributes?
  ) throws {
    self.model = model
    vectors = try model.design.covariates(
      for: customerIDs, attributes: attributes, model: type(of: model).modelName)
  }
}

/// Batch scoring with covariates: the customers are grouped by their covariate vectors (the
/// purchase model's z and the spend model's w) and each group is scored by ``BatchScoring``
/// with its own models θ(z) and γ(w), so the scorer's cache of per-(x, T) values is per group:
/// scores are computed once per distinct (x, tₓ, T, z, w), never shared between customers with
/// the same history and different attributes.
public enum CovariateScoring {
  /// The base scores of `rows` (times in the model's unit), in row order.
  /// - Throws: `ModelError.nonFinite` for a non-finite score (as ``BatchScoring``).
  public static func scores(
    _ rows: [RFMSummary.Row], covariates: CustomerCovariates, spend: (any SpendModel)?,
    horizon: Double, discountRate: Double, margin: Double, modelUnit: ModelUnit?
  ) throws -> BaseScores {
    let reference = [Double](repeating: 0, count: covariates.model.design.featureNames.count)
    return try scores(
      rows, model: covariates.model.transactionModel(for: reference), covariates: covariates,
      spend: spend, spendCovariates: nil, horizon: horizon, discountRate: discountRate,
      margin: margin, modelUnit: modelUnit)
  }

  /// The base scores of `rows` with covariates in the purchase model, the spend model or both.
  ///
  /// - Parameters:
  ///   - model: the purchase model without covariates (used when `covariates` is nil).
  ///   - spend: the spend model without covariates (used when `spendCovariates` is nil).
  /// - Throws: `ModelError.nonFinite` for a non-finite score (as ``BatchScoring``).
  public static func scores(
    _ rows: [RFMSummary.Row], model: any TransactionModel, covariates: CustomerCovariates?,
    spend: (any SpendModel)?, spendCovariates: SpendCovariates?, horizon: Double,
    discountRate: Double, margin: Double, modelUnit: ModelUnit?
  ) throws -> BaseScores {
    let width = covariates?.vectors.first?.count ?? 0
    precondition(covariates.map { $0.vectors.count == rows.count } ?? true, "one z per row")
    precondition(spendCovariates.map { $0.vectors.count == rows.count } ?? true, "one w per row")
    let keys = rows.indices.map { i in
      (covariates?.vectors[i] ?? []) + (spendCovariates?.vectors[i] ?? [])
    }
    let (groups, members) = CovariateGroups.distinct(keys)
    var base = BaseScores()
    let n = rows.count
    base.probabilityAlive = [Double](repeating: 0, count: n)
    base.expectedPurchases = [Double](repeating: 0, count: n)
    base.probabilityOfNoPurchase = [Double](repeating: 0, count: n)
    base.expectedSpend = [Double?](repeating: nil, count: n)
    base.clv = [Double?](repeating: nil, count: n)
    base.expectedWaitingDays = [Double?](repeating: nil, count: n)
    for (g, key) in groups.enumerated() {
      let transactions =
        covariates.map { $0.model.transactionModel(for: Array(key[0..<width])) } ?? model
      let groupSpend =
        spendCovariates.map { $0.model.spendModel(for: Array(key[width...])) } ?? spend
      let scorer = Scorer(
        transactions: transactions, spend: groupSpend, horizon: horizon,
        discountRate: discountRate, margin: margin)
      let part = try BatchScoring.scores(
        members[g].map { rows[$0] }, scorer: scorer, modelUnit: modelUnit)
      for (k, i) in members[g].enumerated() {
        base.probabilityAlive[i] = part.probabilityAlive[k]
        base.expectedPurchases[i] = part.expectedPurchases[k]
        base.probabilityOfNoPurchase[i] = part.probabilityOfNoPurchase[k]
        base.expectedSpend[i] = part.expectedSpend[k]
        base.clv[i] = part.clv[k]
        base.expectedWaitingDays[i] = part.expectedWaitingDays[k]
      }
    }
    return base
  }
}
