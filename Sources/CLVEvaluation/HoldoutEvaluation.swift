import CLVData
import CLVModels
import Foundation

/// Holdout accuracy of predicted purchase counts (and spend) against what customers did.
public enum HoldoutEvaluation {
  /// Per-customer accuracy of predictions ŷᵢ against actual values yᵢ, i = 1 … n:
  ///
  ///     MAE  = (1/n) Σ |ŷᵢ − yᵢ|
  ///     RMSE = √((1/n) Σ (ŷᵢ − yᵢ)²)
  ///     bias = (1/n) Σ (ŷᵢ − yᵢ) = (Σ ŷᵢ − Σ yᵢ) / n
  ///
  /// - Source: [HK2006] section 2 (scale-dependent measures MAE and RMSE).
  public struct Accuracy: Sendable, Equatable {
    public var customers: Int
    public var mae: Double
    public var rmse: Double
    public var predictedTotal: Double
    public var actualTotal: Double
    public var bias: Double

    public init(predicted: [Double], actual: [Double]) {
      precondition(predicted.count == actual.count, "one actual value per prediction")
      var absolute = 0.0
      var squared = 0.0
      var predictedTotal = 0.0
      var actualTotal = 0.0
      for (p, y) in zip(predicted, actual) {
        absolute += abs(p - y)
        squared += (p - y) * (p - y)
        predictedTotal += p
        actualTotal += y
      }
      let n = Double(max(predicted.count, 1))
      customers = predicted.count
      mae = absolute / n
      rmse = (squared / n).squareRoot()
      self.predictedTotal = predictedTotal
      self.actualTotal = actualTotal
      bias = (predictedTotal - actualTotal) / n
    }
  }

  /// Mean predicted and actual holdout purchases by calibration frequency x = 0, 1, …, 6 and
  /// "7+" (rows with no customers are left out).
  ///
  /// - Source: [FHL2005a] Fig. 3 (conditional expectations of holdout purchases).
  public static func conditionalExpectation(
    frequencies: [Int], predicted: [Double], actual: [Double], top: Int = 7
  ) -> [RunFile.ConditionalExpectationRow] {
    var count = [Int](repeating: 0, count: top + 1)
    var predictedSum = [Double](repeating: 0, count: top + 1)
    var actualSum = [Double](repeating: 0, count: top + 1)
    for i in frequencies.indices {
      let bucket = min(max(frequencies[i], 0), top)
      count[bucket] += 1
      predictedSum[bucket] += predicted[i]
      actualSum[bucket] += actual[i]
    }
    return (0...top).compactMap { b in
      guard count[b] > 0 else { return nil }
      return RunFile.ConditionalExpectationRow(
        frequency: b == top ? "\(top)+" : "\(b)", customers: count[b],
        predicted: predictedSum[b] / Double(count[b]), actual: actualSum[b] / Double(count[b]))
    }
  }

  /// ``Accuracy`` per acquisition cohort (month of first purchase, `yyyy-MM`), in cohort order.
  public static func cohorts(
    _ cohorts: [String], predicted: [Double], actual: [Double]
  )
    -> [RunFile.CohortRow]
  {
    var members: [String: [Int]] = [:]
    for (i, cohort) in cohorts.enumerated() { members[cohort, default: []].append(i) }
    return members.keys.sorted().map { cohort in
      let indices = members[cohort]!
      let accuracy = Accuracy(
        predicted: indices.map { predicted[$0] }, actual: indices.map { actual[$0] })
      return RunFile.CohortRow(
        cohort: cohort, customers: accuracy.customers, mae: accuracy.mae, rmse: accuracy.rmse,
        predictedTotal: accuracy.predictedTotal, actualTotal: accuracy.actualTotal)
    }
  }

  /// Akaike and Bayesian information criteria of a fit with k parameters, log-likelihood log L,
  /// on n customers:
  ///
  ///     AIC = 2k − 2 log L,   BIC = k ln n − 2 log L
  ///
  /// - Source: [A1974] (AIC); [S1978] (BIC).
  public static func informationCriteria(
    parameters k: Int, logLikelihood: Double, customers n: Int
  )
    -> (aic: Double, bic: Double)
  {
    let k = Double(k)
    return (2 * k - 2 * logLikelihood, k * Foundation.log(Double(n)) - 2 * logLikelihood)
  }

  /// Histogram of P(alive) in `bins` equal-width bins of [0, 1] (the last includes 1), with the
  /// number of holdout purchasers per bin.
  public static func histogram(
    _ values: [Double], purchased: [Bool], bins: Int = 10
  )
    -> [RunFile.HistogramBin]
  {
    var counts = [Int](repeating: 0, count: bins)
    var buyers = [Int](repeating: 0, count: bins)
    for (value, bought) in zip(values, purchased) {
      let b = min(max(Int((value * Double(bins)).rounded(.down)), 0), bins - 1)
      counts[b] += 1
      if bought { buyers[b] += 1 }
    }
    return (0..<bins).map { b in
      RunFile.HistogramBin(
        lower: Double(b) / Double(bins), upper: Double(b + 1) / Double(bins), customers: counts[b],
        holdoutPurchasers: buyers[b])
    }
  }

  /// Predicted against actual mean spend per purchase, over the customers with a repeat purchase
  /// in the calibration period and at least one purchase in the holdout; also in five bins of
  /// predicted spend (quintiles by rank, lowest first).
  ///
  /// - Parameters:
  ///   - predicted: conditional expected average spend E(M | x, m̄) per compared customer
  ///     ([FH2013] eq. (5)).
  ///   - actual: the customer's mean spend per holdout purchase day.
  public static func spend(predicted: [Double], actual: [Double], bins: Int = 5) -> RunFile.Spend {
    let accuracy = Accuracy(predicted: predicted, actual: actual)
    let n = predicted.count
    let order = predicted.indices.sorted {
      predicted[$0] != predicted[$1] ? predicted[$0] < predicted[$1] : $0 < $1
    }
    var rows: [RunFile.SpendBin] = []
    if n >= bins {
      for b in 0..<bins {
        let members = order[(b * n / bins)..<((b + 1) * n / bins)]
        let p = members.reduce(0.0) { $0 + predicted[$1] } / Double(members.count)
        let a = members.reduce(0.0) { $0 + actual[$1] } / Double(members.count)
        rows.append(
          RunFile.SpendBin(
            label: "Q\(b + 1)", customers: members.count, predictedMean: p, actualMean: a))
      }
    }
    let count = Double(max(n, 1))
    return RunFile.Spend(
      predictedMean: accuracy.predictedTotal / count, actualMean: accuracy.actualTotal / count,
      customers: n, mae: accuracy.mae, bins: rows.isEmpty ? nil : rows)
  }
}
