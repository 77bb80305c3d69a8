import Foundation

/// Measures of a churn score against the label "no purchase in the holdout" (yᵢ = 1: churned).
///
/// `scores` rank customers (higher = more likely to churn); `probabilities` are the predicted
/// churn probabilities pᵢ. For most models the two are the same numbers.
public enum ChurnMetrics {
  /// Probabilities are clipped to [ε, 1 − ε] with ε = 1e-15 before taking logarithms in
  /// ``logLoss(probabilities:churned:)`` (as scikit-learn's `log_loss` did until 1.5), so that a
  /// confident wrong prediction costs about 34.5 instead of infinity.
  public static let logLossClip = 1e-15

  /// Area under the ROC curve, by the Mann–Whitney statistic with mid-ranks for ties:
  ///
  ///     AUC = (R₁ − n₁(n₁ + 1)/2) / (n₁ n₀)
  ///
  /// with R₁ the sum of the (mid-)ranks of the churners' scores among all scores, n₁ churners,
  /// n₀ non-churners. Equals P(score of a random churner > score of a random non-churner)
  /// + ½ P(tie).
  ///
  /// - Source: [MW1947] (the U statistic); [HM1982] eq. (1)–(2) (AUC = U / (n₁ n₀)).
  /// - Returns: nil when one class is empty (the AUC is undefined).
  public static func auc(scores: [Double], churned: [Bool]) -> Double? {
    precondition(scores.count == churned.count, "one label per score")
    let n1 = churned.reduce(0) { $0 + ($1 ? 1 : 0) }
    let n0 = churned.count - n1
    guard n1 > 0, n0 > 0 else { return nil }
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSum = 0.0
    var i = 0
    while i < order.count {
      var j = i
      while j + 1 < order.count, scores[order[j + 1]] == scores[order[i]] { j += 1 }
      let midRank = Double(i + j + 2) / 2  // ranks i+1 … j+1
      for k in i...j where churned[order[k]] { rankSum += midRank }
      i = j + 1
    }
    let u = rankSum - Double(n1) * Double(n1 + 1) / 2
    return u / (Double(n1) * Double(n0))
  }

  /// Mean negative log-likelihood (natural log), with pᵢ clipped to [1e-15, 1 − 1e-15]
  /// (``logLossClip``):
  ///
  ///     logLoss = −(1/n) Σ [yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ)]
  ///
  /// - Source: [GR2007] section 3 (the logarithmic score, here as a loss).
  public static func logLoss(probabilities: [Double], churned: [Bool]) -> Double {
    precondition(probabilities.count == churned.count, "one label per probability")
    guard !probabilities.isEmpty else { return 0 }
    var total = 0.0
    for (p, y) in zip(probabilities, churned) {
      let clipped = min(max(p, logLossClip), 1 - logLossClip)
      total -= y ? Foundation.log(clipped) : Foundation.log1p(-clipped)
    }
    return total / Double(probabilities.count)
  }

  /// Brier score, the mean squared difference between probability and outcome:
  ///
  ///     Brier = (1/n) Σ (pᵢ − yᵢ)²
  ///
  /// - Source: [B1950] eq. (1) (two classes, halved: Brier's score sums over both classes).
  public static func brier(probabilities: [Double], churned: [Bool]) -> Double {
    precondition(probabilities.count == churned.count, "one label per probability")
    guard !probabilities.isEmpty else { return 0 }
    var total = 0.0
    for (p, y) in zip(probabilities, churned) {
      let d = p - (y ? 1 : 0)
      total += d * d
    }
    return total / Double(probabilities.count)
  }

  /// The lift table: customers sorted by score, highest first (ties kept in input order), cut
  /// into `groups` groups of ⌊n/groups⌋ or ⌈n/groups⌉ customers (customer at sorted position
  /// k = 0, 1, … goes to group ⌊k · groups / n⌋ + 1). Per group: churn rate, lift = rate /
  /// overall churn rate, and the cumulative share of all churners captured by groups 1 … g.
  /// Empty groups (n < groups) are left out.
  ///
  /// - Source: [BL2004] chapter 4 (cumulative gains and lift charts).
  /// - Precondition: at least one churner.
  public static func lift(scores: [Double], churned: [Bool], groups: Int = 10) -> [RunFile.LiftRow]
  {
    precondition(scores.count == churned.count, "one label per score")
    let n = scores.count
    let churners = churned.reduce(0) { $0 + ($1 ? 1 : 0) }
    guard n > 0, churners > 0 else { return [] }
    let overall = Double(churners) / Double(n)
    let order = scores.indices.sorted {
      scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1
    }
    var counts = [Int](repeating: 0, count: groups)
    var positives = [Int](repeating: 0, count: groups)
    for (k, index) in order.enumerated() {
      let g = k * groups / n
      counts[g] += 1
      if churned[index] { positives[g] += 1 }
    }
    var rows: [RunFile.LiftRow] = []
    var captured = 0
    for g in 0..<groups where counts[g] > 0 {
      captured += positives[g]
      let rate = Double(positives[g]) / Double(counts[g])
      rows.append(
        RunFile.LiftRow(
          decile: g + 1, customers: counts[g], churnRate: rate, lift: rate / overall,
          cumulativeCapture: Double(captured) / Double(churners)))
    }
    return rows
  }

  /// The calibration (reliability) table: `bins` equal-width bins of pᵢ on [0, 1]
  /// (bin b = min(⌊pᵢ · bins⌋, bins − 1), so the last bin includes 1); per bin the mean
  /// predicted probability and the observed churn rate. Empty bins are left out.
  ///
  /// - Source: [NC2005] section 2 (reliability diagrams).
  public static func calibration(
    probabilities: [Double], churned: [Bool], bins: Int = 10
  ) -> [RunFile.CalibrationBin] {
    precondition(probabilities.count == churned.count, "one label per probability")
    var counts = [Int](repeating: 0, count: bins)
    var sums = [Double](repeating: 0, count: bins)
    var positives = [Int](repeating: 0, count: bins)
    for (p, y) in zip(probabilities, churned) {
      let b = min(max(Int((p * Double(bins)).rounded(.down)), 0), bins - 1)
      counts[b] += 1
      sums[b] += p
      if y { positives[b] += 1 }
    }
    return (0..<bins).compactMap { b in
      guard counts[b] > 0 else { return nil }
      return RunFile.CalibrationBin(
        lower: Double(b) / Double(bins), upper: Double(b + 1) / Double(bins),
        customers: counts[b], predicted: sums[b] / Double(counts[b]),
        actual: Double(positives[b]) / Double(counts[b]))
    }
  }

  /// The ROC curve: (false-positive rate, true-positive rate) at every distinct score threshold,
  /// from (0, 0) to (1, 1); tied scores move both rates at once (a diagonal step), so that the
  /// trapezoidal area under the points equals ``auc(scores:churned:)``. When there are more than
  /// `maxPoints` points, points are kept at evenly spaced indices (first and last always).
  ///
  /// - Source: [F2006] Algorithm 2 (ROC points with ties).
  public static func roc(
    scores: [Double], churned: [Bool], maxPoints: Int = 201
  )
    -> [RunFile.ROCPoint]
  {
    precondition(scores.count == churned.count, "one label per score")
    let n1 = churned.reduce(0) { $0 + ($1 ? 1 : 0) }
    let n0 = churned.count - n1
    guard n1 > 0, n0 > 0 else { return [] }
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    var points = [RunFile.ROCPoint(fpr: 0, tpr: 0)]
    var tp = 0
    var fp = 0
    var i = 0
    while i < order.count {
      var j = i
      while j < order.count, scores[order[j]] == scores[order[i]] {
        if churned[order[j]] { tp += 1 } else { fp += 1 }
        j += 1
      }
      points.append(RunFile.ROCPoint(fpr: Double(fp) / Double(n0), tpr: Double(tp) / Double(n1)))
      i = j
    }
    guard points.count > maxPoints, maxPoints >= 2 else { return points }
    let last = points.count - 1
    return (0..<maxPoints).map { k in points[(k * last) / (maxPoints - 1)] }
  }

  /// Every churn measure for one score: AUC, log loss, Brier score, lift, calibration, ROC.
  ///
  /// - Parameters:
  ///   - probabilities: predicted churn probabilities pᵢ ∈ [0, 1] (also the ranking score).
  ///   - churned: labels, true = no purchase in the holdout.
  ///   - what: the model, for error messages.
  ///   - score: a description of what pᵢ is, e.g. `"P(no purchase in holdout)"`.
  /// - Throws: ``EvaluationError/unusableSample(what:reason:)`` when the sample is empty or has
  ///   one class only; ``EvaluationError/nonFinite(what:quantity:)`` when a probability is NaN,
  ///   infinite or outside [0, 1].
  public static func evaluate(
    probabilities: [Double], churned: [Bool], what: String, score: String,
    validation: RunFile.Validation
  ) throws -> RunFile.Churn {
    precondition(probabilities.count == churned.count, "one label per probability")
    for (i, p) in probabilities.enumerated() where !(p.isFinite && p >= 0 && p <= 1) {
      throw EvaluationError.nonFinite(
        what: what, quantity: "the churn probability of customer \(i + 1) (\(p))")
    }
    guard let auc = auc(scores: probabilities, churned: churned) else {
      throw EvaluationError.unusableSample(
        what: what,
        reason: churned.isEmpty
          ? "no customers to score"
          : "every customer has the same label (all churned or none): AUC is undefined")
    }
    let churners = churned.reduce(0) { $0 + ($1 ? 1 : 0) }
    return RunFile.Churn(
      auc: auc, logLoss: logLoss(probabilities: probabilities, churned: churned),
      brier: brier(probabilities: probabilities, churned: churned), customers: churned.count,
      churnRate: Double(churners) / Double(churned.count), score: score,
      roc: roc(scores: probabilities, churned: churned),
      lift: lift(scores: probabilities, churned: churned),
      calibration: calibration(probabilities: probabilities, churned: churned),
      validation: validation)
  }
}
