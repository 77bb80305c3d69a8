import CLVData
import Foundation

/// The options of a churn-logit fit (`clv train --model churn-logit`).
public struct ChurnTrainingOptions: Sendable, Equatable {
  /// The features, in order (``ChurnFeatureSpecification/defaultFeatures``, with p_alive and
  /// expected_purchases when `withModel` is given).
  public var features: [String]
  /// A fitted BTYD model file whose p_alive and expected_purchases become features; it is
  /// embedded in the churn model file.
  public var withModel: String?
  /// Customer attributes CSV joined on customer_id.
  public var attributesFile: String?
  /// Fill missing attributes instead of failing.
  public var fill: Bool
  /// L2 penalty λ ≥ 0 on the standardized coefficients.
  public var l2: Double

  public init(
    features: [String] = ChurnFeatureSpecification.defaultFeatures, withModel: String? = nil,
    attributesFile: String? = nil, fill: Bool = false, l2: Double = 0
  ) {
    self.features = features
    self.withModel = withModel
    self.attributesFile = attributesFile
    self.fill = fill
    self.l2 = l2
  }
}

/// The churn-logit pipeline: labels, features, fit and model file.
public enum ChurnTraining {
  /// A fitted churn model with its model file and the number of churners it was fitted on.
  public struct Result: Sendable {
    public var model: LogisticChurn
    public var file: ModelFile
    public var churners: Int
  }

  /// Fits churn-logit on `summaries` (with a holdout: the label is no purchase in
  /// (calibration end, observation end]).
  ///
  /// - Parameters:
  ///   - input: the data's path as named by the user (`-`: standard input), recorded with its
  ///     SHA-256 in the model file.
  ///   - given: the calibration end, and the observation end (nil: the last date in the file),
  ///     for a summary CSV that has no dates; without either, the holdout duration places
  ///     the observation end.
  ///   - notes: called with what `fill` did (how many customers' attributes were filled).
  /// - Throws: `DataError` for data without a holdout period or an unreadable attributes file;
  ///   `ModelError` for a `withModel` file in another unit, a bad feature, or a failed fit.
  public static func train(
    _ summaries: CustomerSummaries, input: String,
    given: (calibrationEnd: Day, observationEnd: Day?), options: ChurnTrainingOptions,
    toolVersion: String, notes: (String) -> Void = { _ in }
  ) throws -> Result {
    guard let holdout = summaries.holdout else {
      throw DataError.invalidFile(
        file: input,
        reason: "no holdout period: churn-logit needs an order log with --calibration-end, or a "
          + "summary CSV with _cal/_holdout columns")
    }
    let calibrationEnd = summaries.calibrationEnd ?? given.calibrationEnd
    // A summary CSV has no dates: without an observation end, the holdout duration places it.
    let placed = holdout.first.map {
      calibrationEnd + Int(($0.duration * summaries.unit.days).rounded())
    }
    guard let observationEnd = summaries.observationEnd ?? given.observationEnd ?? placed else {
      throw DataError.invalidFile(file: input, reason: "no customers in the calibration period")
    }
    let label = ChurnLabel(
      calibrationEnd: calibrationEnd, observationEnd: observationEnd, unit: summaries.unit)
    let rows = summaries.summary.rows
    let churned = holdout.map { ChurnLabel.churned(holdoutFrequency: $0.frequency) }

    var transactionModel: (any TransactionModel)? = nil
    var embedded: ModelFile? = nil
    if let path = options.withModel {
      let (file, model) = try ModelFile.readTransactionModel(from: path)
      if let unit = file.unit, unit != .time(summaries.unit) {
        throw ModelError.invalidModelFile(
          path: path,
          reason:
            "its unit is '\(unit)' but the orders are summarized in \(summaries.unit.rawValue)s "
            + "(--unit)")
      }
      transactionModel = model
      embedded = file
    }
    var attributes: CustomerAttributes? = nil
    if let path = options.attributesFile { attributes = try CustomerAttributes.read(path: path) }
    if let attributes, options.fill {
      notes(
        attributes.fillNote(
          try attributes.checkedCoverage(of: rows.map(\.customerID), ordersFile: input)))
    }

    var specification = ChurnFeatureSpecification(
      features: options.features, transactionModel: embedded,
      expectedPurchasesHorizon: label.horizon, fill: options.fill)
    if let attributes {
      specification.attributes = ChurnFeatureSpecification.encodings(of: attributes)
    }
    let x = try specification.design(
      for: rows, transactionModel: transactionModel, attributes: attributes)
    var model = try LogisticChurn.fit(
      features: x, churned: churned, featureNames: specification.featureNames,
      options: LogisticChurn.Options(l2: options.l2))
    model.specification = specification
    model.label = label

    let file = ModelFile(
      model: model, unit: .time(summaries.unit),
      data: ModelFile.DataSource(
        file: input, sha256: input == "-" ? nil : SHA256.hex(ofFile: input),
        summaries: summaries, observationEnd: observationEnd, calibrationEnd: calibrationEnd),
      toolVersion: toolVersion)
    return Result(model: model, file: file, churners: churned.filter { $0 }.count)
  }
}

extension LogisticChurn {
  /// The coefficient table and the convergence report of a fitted churn model, as
  /// `clv train --model churn-logit` prints it.
  public func report(churners: Int) -> String {
    let model = self
    var lines: [String] = []
    let fit = model.fitReport
    let customers = fit?.customers ?? 0
    if let label = model.label {
      lines.append(
        "churn-logit: \(customers) customers present at \(label.calibrationEnd), \(churners) "
          + "churned (no purchase in (\(label.calibrationEnd), \(label.observationEnd)], "
          + "horizon \(NumberText.significant(label.horizon)) \(label.unit.rawValue)s)")
    }
    if let fit {
      lines.append(
        "Newton/IRLS: \(fit.converged ? "converged" : "did not converge") in \(fit.iterations) "
          + "iterations, max |gradient| \(String(format: "%.2e", fit.gradientNorm)), "
          + "log-likelihood \(NumberText.significant(fit.logLikelihood)), \(String(format: "%.3f", fit.seconds)) s"
      )
    }
    lines.append(
      model.l2 == 0
        ? "unpenalized (maximum likelihood); Wald z and two-sided p-values"
        : "L2 penalty lambda = \(NumberText.significant(model.l2)) on standardized coefficients "
          + "(scikit-learn C = \(NumberText.significant(1 / model.l2))); no standard errors")
    let width = max(9, model.parameterNames.map(\.count).max() ?? 0)
    func pad(_ s: String, _ n: Int) -> String {
      s + String(repeating: " ", count: max(0, n - s.count))
    }
    func left(_ s: String, _ n: Int) -> String {
      String(repeating: " ", count: max(0, n - s.count)) + s
    }
    var header = pad("feature", width) + left("coefficient", 16)
    if model.standardErrors != nil {
      header += left("std.error", 14) + left("z", 10) + left("p", 12)
    }
    lines.append(header)
    for (j, name) in model.parameterNames.enumerated() {
      var line = pad(name, width) + left(NumberText.significant(model.parameterValues[j]), 16)
      if let se = model.standardErrors, let z = model.zValues, let p = model.pValues {
        line +=
          left(String(format: "%.4g", se[j]), 14) + left(String(format: "%.3f", z[j]), 10)
          + left(String(format: "%.3g", p[j]), 12)
      }
      lines.append(line)
    }
    return lines.joined(separator: "\n") + "\n"
  }

}
