import CLVData
import CLVModels
import CLVNumerics

/// Out-of-sample scoring of churn-logit against the label "no purchase in (D, E]".
///
/// The label of the evaluation lies in the future of D, so the model cannot be trained on it.
/// Two designs:
///
/// - **shifted window** (preferred): with D' = D − (E − D), train on features summarized at D'
///   with the label "no purchase in (D', D]" (same horizon E − D), then score the features at D
///   and compare with the real holdout. Used when at least
///   ``EvaluationOptions/minimumShiftedShare`` (default 50%) of the customers acquired by D were
///   already acquired by D' (otherwise the training sample would be a small, early-acquired,
///   unrepresentative part of the customers).
/// - **cross-validation** (fallback): features at D and the real label; customers are split at
///   random (seeded) into k folds (default 5); each fold is scored by a model trained on the
///   other folds. This is out of sample in customers but not in time.
///
/// Features: ``ChurnEvaluationOptions/features``, by default the churn-logit features
/// (`frequency`, `recency`, `T`, `monetary_value`, `log_frequency`, `mean_interpurchase`),
/// without `monetary_value` when the orders have no amounts; attributes and a purchase model's
/// `p_alive`/`expected_purchases` as ``ChurnEvaluationOptions`` says; the L2 penalty λ is
/// ``ChurnEvaluationOptions/l2`` (not the purchase models' penalizer).
///
/// - Source: [HTF2009] section 7.10 (K-fold cross-validation); the shifted window is the
///   calibration/holdout design of [FHL2005a] section 4 moved back by one holdout length.
public enum ChurnLogitValidation {
  public static func features(hasMonetaryValue: Bool) -> [String] {
    ChurnFeatureSpecification.defaultFeatures.filter { hasMonetaryValue || $0 != "monetary_value" }
  }

  public static func evaluate(
    sample: EvaluationSample, options: EvaluationOptions
  ) throws
    -> RunFile.ModelResult
  {
    let churn = options.churn
    var specification = ChurnFeatureSpecification(
      features: churn.features ?? features(hasMonetaryValue: sample.hasMonetaryValue),
      transactionModel: churn.transactionModelFile,
      expectedPurchasesHorizon: sample.holdoutLength, fill: churn.fill)
    if let attributes = churn.attributes {
      specification.attributes = ChurnFeatureSpecification.encodings(of: attributes)
    }
    func design(_ rows: [RFMSummary.Row]) throws -> Matrix {
      try specification.design(
        for: rows, transactionModel: churn.transactionModel, attributes: churn.attributes)
    }
    let churned = sample.churned
    let scoring = try design(sample.rows)
    let l2 = LogisticChurn.Options(l2: churn.l2)
    let model: LogisticChurn
    let probabilities: [Double]
    let validation: RunFile.Validation
    if let shifted = sample.shifted,
      (sample.shareAcquiredByShiftedEnd ?? 0) >= options.minimumShiftedShare
    {
      let training = try design(shifted.calibration.rows)
      model = try LogisticChurn.fit(
        features: training, churned: shifted.holdout.map { $0.frequency == 0 },
        featureNames: specification.featureNames, options: l2)
      probabilities = try model.churnProbabilities(scoring)
      validation = .shiftedWindow
    } else {
      // The reported coefficients are those of the model fitted on all customers.
      model = try LogisticChurn.fit(
        features: scoring, churned: churned, featureNames: specification.featureNames, options: l2)
      probabilities = try crossValidated(
        features: scoring, churned: churned, names: specification.featureNames, options: l2,
        folds: options.folds, seed: options.seed)
      validation = .crossValidation
    }
    var fitted = model
    fitted.specification = specification
    fitted.label =
      validation == .shiftedWindow
      ? ChurnLabel(
        calibrationEnd: sample.shiftedCalibrationEnd, observationEnd: sample.calibrationEnd,
        unit: sample.unit)
      : ChurnLabel(
        calibrationEnd: sample.calibrationEnd, observationEnd: sample.observationEnd,
        unit: sample.unit)
    var result = try ModelEvaluation.result(of: fitted, options: options, unit: sample.unit)
    result.churn = try ChurnMetrics.evaluate(
      probabilities: probabilities, churned: churned, what: LogisticChurn.modelID,
      score: "P(churn) from logistic regression", validation: validation)
    return result
  }

  /// Fold of each row: a seeded random permutation of the rows, dealt round-robin into `folds`
  /// folds (sizes differ by at most one).
  public static func foldAssignment(count: Int, folds: Int, seed: UInt64) -> [Int] {
    var generator = SeededGenerator(seed: seed)
    var order = Array(0..<count)
    // Fisher–Yates shuffle [K1997, section 3.4.2, Algorithm P].
    if count > 1 {
      for i in stride(from: count - 1, to: 0, by: -1) {
        let j = Int(generator.next() % UInt64(i + 1))
        order.swapAt(i, j)
      }
    }
    var fold = [Int](repeating: 0, count: count)
    for (position, row) in order.enumerated() { fold[row] = position % folds }
    return fold
  }

  /// Out-of-fold churn probabilities by k-fold cross-validation.
  static func crossValidated(
    features: Matrix, churned: [Bool], names: [String], options: LogisticChurn.Options,
    folds: Int, seed: UInt64
  ) throws -> [Double] {
    let n = features.rows
    let fold = foldAssignment(count: n, folds: folds, seed: seed)
    var probabilities = [Double](repeating: 0, count: n)
    for k in 0..<folds {
      let train = (0..<n).filter { fold[$0] != k }
      let test = (0..<n).filter { fold[$0] == k }
      guard !test.isEmpty else { continue }
      let model = try LogisticChurn.fit(
        features: rows(train, of: features), churned: train.map { churned[$0] },
        featureNames: names, options: options)
      let p = try model.churnProbabilities(rows(test, of: features))
      for (i, row) in test.enumerated() { probabilities[row] = p[i] }
    }
    return probabilities
  }

  /// The rows `indices` of a column-major matrix.
  static func rows(_ indices: [Int], of matrix: Matrix) -> Matrix {
    var result = Matrix(rows: indices.count, columns: matrix.columns)
    for j in 0..<matrix.columns {
      for (i, row) in indices.enumerated() {
        result.elements[j * indices.count + i] = matrix.elements[j * matrix.rows + row]
      }
    }
    return result
  }
}
