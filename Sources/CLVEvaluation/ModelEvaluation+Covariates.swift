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
  /// With `--intervals` the predicted holdout total gets its interval from joint draws of the
  /// parameters and coefficients, each customer at the draw's θ(z). The tracking series and
  /// the repeat-purchase distribution sum each customer's expectation at their own θ(z)
  /// (``TrackingSeries/compute(daily:calibrationEnd:observationEnd:unit:acquisitions:what:expected:)``,
  /// ``PurchaseDiagnostics/repeatPurchases(_:groups:rows:)``); the frequency–recency grid
  /// averages each cell over the customers' covariate groups
  /// (``PurchaseDiagnostics/frequencyRecency(_:rows:discrete:)``). The tracking series is left
  /// out when the customers' first purchase days are not known.
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
    var holdout = holdoutMeasures(
      predicted, sample: sample, parameters: model.parameterValues.count, fitted: result)
    if let level = options.intervalLevel, model.fitReport?.logParameterCovariance != nil {
      holdout.predictedTotalInterval = try HoldoutEvaluation.predictedTotalInterval(
        model, covariates: z, rows: sample.rows, durations: sample.holdout.map(\.duration),
        level: level, draws: options.intervalDraws, seed: options.seed)
    }
    let groupModels = vectors.map { model.transactionModel(for: $0) }
    if descriptor.predictions.contains(.trackingSeries), let daily = sample.daily,
      let acquisitions = groupAcquisitions(sample: sample, groups: groups, count: vectors.count),
      acquisitions.reduce(into: [Day: Int](), { $0.merge($1, uniquingKeysWith: +) })
        == daily.acquisitions
    {
      holdout.tracking = try TrackingSeries.compute(
        daily: daily, calibrationEnd: sample.calibrationEnd, observationEnd: sample.observationEnd,
        unit: sample.unit, acquisitions: acquisitions, what: key
      ) { groupModels[$0].expectedPurchases(in: $1) }
    }
    result.holdout = holdout
    let discrete = descriptor.timeScale == .opportunity
    result.frequencyRecency = PurchaseDiagnostics.frequencyRecency(
      members.indices.map { (Double(members[$0].count), groupModels[$0]) }, rows: sample.rows,
      discrete: discrete)
    result.repeatPurchases = PurchaseDiagnostics.repeatPurchases(
      groupModels, groups: groups, rows: sample.rows)
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

  /// Per covariate group, first purchase day → customers of the sample, from each customer's
  /// first purchase; nil when the sample does not record them.
  static func groupAcquisitions(
    sample: EvaluationSample, groups: [Int], count: Int
  ) -> [[Day: Int]]? {
    guard let firsts = sample.firstPurchases, firsts.count == groups.count else { return nil }
    var acquisitions = [[Day: Int]](repeating: [:], count: count)
    for (first, group) in zip(firsts, groups) { acquisitions[group][first, default: 0] += 1 }
    return acquisitions
  }
}
