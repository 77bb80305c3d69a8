import CLVData
import CLVModels
import CLVNumerics
import CLVScoring

extension HoldoutEvaluation {
  /// The interval of the predicted holdout total Σᵢ E[Y(dᵢ) | xᵢ, tₓᵢ, Tᵢ] over `draws`
  /// parameter draws from the fit's asymptotic normal (``ParameterDraws``): the total at each
  /// draw, then its equal-tailed ``PercentileInterval``. It expresses the uncertainty of the
  /// estimated parameters (a confidence interval for the model's expected total), not the
  /// randomness of the purchases: the actual total also varies around its expectation.
  ///
  /// Each draw evaluates every distinct (x, tₓ, T, d) once, weighted by its customers.
  ///
  /// - Parameters:
  ///   - rows: the calibration histories, times in the model's unit.
  ///   - durations: each customer's holdout length dᵢ in the model's unit.
  /// - Throws: ``ModelError/unusableData(model:reason:)`` without a recorded covariance;
  ///   ``EvaluationError/nonFinite(what:quantity:)`` for a non-finite total at a draw.
  /// - Source: [KTW2000] (simulating a quantity of interest from the asymptotic normal of the
  ///   estimates); [HF1996] definition 7 (the percentiles).
  public static func predictedTotalInterval(
    _ model: any TransactionModel, rows: [RFMSummary.Row], durations: [Double], level: Double,
    draws: Int, seed: UInt64
  ) throws -> RunFile.Interval {
    let drawn = try ParameterDraws(model: model, count: draws, seed: seed)
      .models(like: model, as: (any TransactionModel).self)
    return try predictedTotalInterval(
      rows: rows, durations: durations, groups: nil, level: level, draws: draws,
      what: type(of: model).modelID
    ) { _, d in drawn[d] }
  }

  /// The interval of the predicted holdout total of a model with covariates: as
  /// ``predictedTotalInterval(_:rows:durations:level:draws:seed:)``, the draws of the model's
  /// parameters and coefficients together (``ParameterDraws``), each customer evaluated at
  /// the draw's θ(zᵢ), once per distinct (x, tₓ, T, d, z).
  ///
  /// - Parameter covariates: each customer's covariate vector z, in the order of `rows`.
  public static func predictedTotalInterval(
    _ model: any CovariateTransactionModel, covariates: [[Double]], rows: [RFMSummary.Row],
    durations: [Double], level: Double, draws: Int, seed: UInt64
  ) throws -> RunFile.Interval {
    precondition(rows.count == covariates.count, "one covariate vector per row")
    let drawn = try ParameterDraws(model: model, count: draws, seed: seed)
      .covariateModels(like: model)
    let (vectors, members) = CovariateGroups.distinct(covariates)
    var groups = [Int](repeating: 0, count: rows.count)
    for (g, indices) in members.enumerated() { for i in indices { groups[i] = g } }
    let perGroup = vectors.map { z in drawn.map { $0.transactionModel(for: z) } }
    return try predictedTotalInterval(
      rows: rows, durations: durations, groups: groups, level: level, draws: draws,
      what: type(of: model).modelID
    ) { g, d in perGroup[g][d] }
  }

  /// The interval of Σᵢ E[Y(dᵢ) | xᵢ, tₓᵢ, Tᵢ] at `model(group, draw)` over the draws.
  static func predictedTotalInterval(
    rows: [RFMSummary.Row], durations: [Double], groups: [Int]?, level: Double, draws: Int,
    what: String, model: (_ group: Int, _ draw: Int) -> any TransactionModel
  ) throws -> RunFile.Interval {
    precondition(rows.count == durations.count, "one duration per row")
    var index: [GroupHistoryKey: Int] = [:]
    var distinct: [(row: RFMSummary.Row, duration: Double, group: Int)] = []
    var weight: [Double] = []
    for (i, (row, duration)) in zip(rows, durations).enumerated() {
      let group = groups?[i] ?? 0
      let key = GroupHistoryKey(
        history: HistoryKey(
          x: row.frequency, recency: row.recency, age: row.age, duration: duration),
        group: group)
      if let k = index[key] {
        weight[k] += 1
      } else {
        index[key] = distinct.count
        distinct.append((row, duration, group))
        weight.append(1)
      }
    }
    var totals = [Double](repeating: 0, count: draws)
    let chunks = Parallel.chunks(count: draws, minimumChunk: 1)
    totals.withUnsafeMutableBufferPointer { buffer in
      let pointer = Parallel.SendablePointer(buffer.baseAddress)
      Parallel.forEach(chunks) { _, range in
        for d in range {
          var total = 0.0
          for (k, entry) in distinct.enumerated() {
            total +=
              weight[k]
              * model(entry.group, d).expectedPurchases(in: entry.duration, for: entry.row)
          }
          pointer.pointer![d] = total
        }
      }
    }
    guard totals.allSatisfy({ $0.isFinite }) else {
      throw EvaluationError.nonFinite(
        what: what, quantity: "the predicted holdout total at a parameter draw")
    }
    let (low, high) = PercentileInterval.of(totals, level: level)
    return RunFile.Interval(level: level, low: low, high: high, draws: draws)
  }
}
