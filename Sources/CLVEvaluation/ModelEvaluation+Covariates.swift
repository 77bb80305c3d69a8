import CLVData
import CLVModels

/// The covariate options of an evaluation: those of `clv train --model M --attributes FILE`.
public struct CovariateEvaluationOptions: Sendable {
  /// The customers' attributes, joined on `customer_id`.
  public var attributes: CustomerAttributes
  /// The attributes file as given on the command line (recorded in the run file).
  public var file: String
  /// The columns of each process, fill and the L2 weight.
  public var options: CovariateOptions

  public init(attributes: CustomerAttributes, file: String, options: CovariateOptions) {
    self.attributes = attributes
    self.file = file
    self.options = options
  }
}

/// A customer history, a horizon and a covariate group: the arguments of every per-customer
/// prediction of a covariate model.
struct GroupHistoryKey: Hashable {
  var history: HistoryKey
  var group: Int
}

extension ModelEvaluation {
  /// Each customer's conditional expected holdout purchases, P(no purchase in the holdout) and
  /// P(alive) at the calibration end, computed once per distinct (x, tₓ, T, holdout length,
  /// group) and clipped to [0, 1] for the probabilities.
  ///
  /// - Parameters:
  ///   - groups: each customer's covariate group (``CovariateGroups/distinct(_:)``); nil: one
  ///     group.
  ///   - model: the model of a group.
  /// - Throws: ``EvaluationError/nonFinite(what:quantity:)`` for a non-finite prediction.
  static func holdoutPredictions(
    sample: EvaluationSample, what key: String, groups: [Int]?,
    model: (Int) -> any TransactionModel
  ) throws -> (predicted: [Double], noPurchase: [Double], alive: [Double]) {
    let n = sample.rows.count
    var predicted = [Double](repeating: 0, count: n)
    var noPurchase = [Double](repeating: 0, count: n)
    var alive = [Double](repeating: 0, count: n)
    var models: [Int: any TransactionModel] = [:]
    var cache: [GroupHistoryKey: (Double, Double, Double)] = [:]
    for i in 0..<n {
      let row = sample.rows[i]
      let duration = sample.holdout[i].duration
      let group = groups?[i] ?? 0
      let k = GroupHistoryKey(
        history: HistoryKey(
          x: row.frequency, recency: row.recency, age: row.age, duration: duration),
        group: group)
      let values: (Double, Double, Double)
      if let cached = cache[k] {
        values = cached
      } else {
        let m: any TransactionModel
        if let known = models[group] {
          m = known
        } else {
          m = model(group)
          models[group] = m
        }
        values = (
          m.expectedPurchases(in: duration, for: row),
          m.probabilityOfNoPurchase(in: duration, for: row),
          m.probabilityAlive(for: row)
        )
        guard values.0.isFinite, values.1.isFinite, values.2.isFinite else {
          throw EvaluationError.nonFinite(
            what: key,
            quantity: "a prediction for customer '\(row.customerID)' (x = \(row.frequency), "
              + "recency = \(row.recency), T = \(row.age))")
        }
        cache[k] = values
      }
      predicted[i] = values.0
      noPurchase[i] = min(max(values.1, 0), 1)
      alive[i] = min(max(values.2, 0), 1)
    }
    return (predicted, noPurchase, alive)
  }

  /// A purchase model fitted with covariates (``CovariateTraining``) on the calibration period
  /// and measured on the holdout with each customer's own parameters θ(z): holdout accuracy,
  /// conditional expectations, cohorts, AIC/BIC (over the model's parameters and the
  /// coefficients), churn measures and the P(alive) histogram, as for a model without
  /// covariates; and ``RunFile/Covariates``: the coefficient table, the likelihood-ratio test
  /// against the nested model without covariates, and that model's holdout accuracy on the
  /// same customers.
  ///
  /// The measures that need the population's model without attributes (the tracking series,
  /// the frequency–recency grid, the repeat-purchase distribution and `--intervals`) are left
  /// out.
  ///
  /// - Throws: the fit's ``ModelError``; ``DataError`` for a customer without attributes
  ///   (without `fill`); ``EvaluationError`` for a non-finite prediction.
  static func covariateModel(
    _ descriptor: ModelDescriptor, covariates: CovariateEvaluationOptions,
    sample: EvaluationSample, options: EvaluationOptions, fitOptions: FitOptions
  ) throws -> RunFile.ModelResult {
    let key = descriptor.id
    let summary = sample.calibrationSummary
    let model = try CovariateTraining.fit(
      summary, descriptor: descriptor, attributes: covariates.attributes,
      ordersFile: options.modelData?.file ?? "the orders", options: covariates.options,
      fitOptions: fitOptions)
    var result = try result(of: model, options: options, unit: sample.unit)
    let z = try model.design.covariates(
      for: sample.rows.map(\.customerID), attributes: covariates.attributes,
      model: descriptor.displayName)
    let (vectors, members) = CovariateGroups.distinct(z)
    var groups = [Int](repeating: 0, count: z.count)
    for (g, indices) in members.enumerated() { for i in indices { groups[i] = g } }
    let (predicted, noPurchase, alive) = try holdoutPredictions(
      sample: sample, what: key, groups: groups
    ) { model.transactionModel(for: vectors[$0]) }
    result.holdout = holdoutMeasures(
      predicted, sample: sample, parameters: model.parameterValues.count, fitted: result)
    try addChurnMeasures(
      to: &result, noPurchase: noPurchase, alive: alive, sample: sample,
      fitReport: model.fitReport, what: key)
    var nestedHoldout: RunFile.NestedHoldout?
    if let nested = model.nestedTransactionModel {
      let nestedPredicted = try holdoutPredictions(
        sample: sample, what: key, groups: nil
      ) { _ in nested }.predicted
      let accuracy = HoldoutEvaluation.Accuracy(
        predicted: nestedPredicted, actual: sample.holdout.map { Double($0.frequency) })
      nestedHoldout = RunFile.NestedHoldout(
        mae: accuracy.mae, rmse: accuracy.rmse, predictedTotal: accuracy.predictedTotal)
    }
    result.covariates = RunFile.Covariates(
      model, attributes: covariates.file, nestedHoldout: nestedHoldout)
    return result
  }
}
