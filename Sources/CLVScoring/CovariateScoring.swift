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

/// Batch scoring with covariates: the customers are grouped by their covariate vector z and
/// each group is scored by ``BatchScoring`` with its own model θ(z), so the scorer's cache of
/// per-(x, T) values is per group: scores are computed once per distinct (x, tₓ, T, z), never
/// shared between customers with the same history and different attributes.
public enum CovariateScoring {
  /// The base scores of `rows` (times in the model's unit), in row order.
  /// - Throws: `ModelError.nonFinite` for a non-finite score (as ``BatchScoring``).
  public static func scores(
    _ rows: [RFMSummary.Row], covariates: CustomerCovariates, spend: (any SpendModel)?,
    horizon: Double, discountRate: Double, margin: Double, modelUnit: ModelUnit?
  ) throws -> BaseScores {
    precondition(covariates.vectors.count == rows.count, "one covariate vector per row")
    let (groups, members) = CovariateGroups.distinct(covariates.vectors)
    var base = BaseScores()
    let n = rows.count
    base.probabilityAlive = [Double](repeating: 0, count: n)
    base.expectedPurchases = [Double](repeating: 0, count: n)
    base.probabilityOfNoPurchase = [Double](repeating: 0, count: n)
    base.expectedSpend = [Double?](repeating: nil, count: n)
    base.clv = [Double?](repeating: nil, count: n)
    base.expectedWaitingDays = [Double?](repeating: nil, count: n)
    for (g, z) in groups.enumerated() {
      let scorer = Scorer(
        transactions: covariates.model.transactionModel(for: z), spend: spend, horizon: horizon,
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
