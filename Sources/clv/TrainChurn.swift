import ArgumentParser
import CLVData
import CLVModels
import Foundation

/// The options of `clv train --model churn-logit` (an `@OptionGroup` of `Train`).
struct ChurnTrainOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      """
      churn-logit: comma-separated features: frequency, recency, T, monetary_value, gap \
      (T - recency), log_frequency (log1p frequency), mean_interpurchase (recency / frequency, 0 \
      when frequency is 0), p_alive, expected_purchases (these two need --with-model) \
      (default: \(ChurnFeatureSpecification.defaultFeatures.joined(separator: ","))).
      """, valueName: "list"))
  var features: String?

  @Option(
    help: ArgumentHelp(
      """
      churn-logit: a fitted BTYD model file (bgnbd, mbgnbd, pnbd, bgbb) whose p_alive and \
      expected_purchases over the label horizon become features; it is embedded in the model \
      file (default: none).
      """, valueName: "file"))
  var withModel: String?

  @Option(
    help: ArgumentHelp(
      """
      churn-logit: customer attributes CSV joined on customer_id: numeric columns as is, text \
      columns one-hot with the first level in sorted order as reference; an empty or NA value \
      is an error unless --fill (default: none).
      """, valueName: "file"))
  var attributes: String?

  @Flag(
    help: """
      churn-logit: fill missing attributes (numeric: the column mean; text: the reference \
      level) instead of failing (default: off).
      """)
  var fill = false

  @Option(
    help: ArgumentHelp(
      """
      churn-logit: L2 penalty lambda >= 0. Minimizes sum_i logloss_i + (lambda/2) sum_j b_j^2 \
      over the coefficients b_j of the standardized features (z = (x - mean) / sd, sd with \
      divisor n), intercept unpenalized; equals scikit-learn StandardScaler + \
      LogisticRegression(C = 1/lambda). Coefficients are reported on the original scale; \
      standard errors and p-values only when lambda = 0.
      """, valueName: "lambda"))
  var l2: Double = 0

  /// Whether any churn-only option was given (for `Train.validate()` with other models).
  var isUsed: Bool { features != nil || withModel != nil || attributes != nil || fill || l2 != 0 }

  /// The built-in feature list, with p_alive and expected_purchases appended for --with-model
  /// when not listed.
  var featureList: [String] {
    var list =
      features.map {
        $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      } ?? ChurnFeatureSpecification.defaultFeatures
    if withModel != nil {
      for name in ChurnFeatureSpecification.modelFeatures where !list.contains(name) {
        list.append(name)
      }
    }
    return list
  }

  func validate() throws {
    guard l2 >= 0, l2.isFinite else {
      throw ValidationError("--l2 must be a finite number >= 0; got \(l2)")
    }
    do {
      try ChurnFeatureSpecification.validate(features: featureList)
    } catch let error as ModelError {
      throw ValidationError("--features: \(error.description)")
    }
    if withModel == nil,
      let name = featureList.first(where: { ChurnFeatureSpecification.modelFeatures.contains($0) })
    {
      throw ValidationError("--features: '\(name)' needs --with-model FILE")
    }
    if fill, attributes == nil {
      throw ValidationError("--fill needs --attributes FILE")
    }
  }
}

/// `clv train INPUT --model churn-logit`: labels, features, fit, model file, report.
///
/// - Parameters:
///   - input: the order log (or a `_cal/_holdout` summary CSV), path or `-`.
///   - ingest: the shared reading options; `--calibration-end` is required (the label needs
///     it), `--observation-end` defaults to the last date in the file.
///   - options: the churn options.
///   - output: the model file path, or `-`.
func trainChurn(
  input: String, ingest: IngestOptions, options: ChurnTrainOptions, output: String
) throws {
  guard let calibrationText = ingest.calibrationEnd else {
    throw ValidationError(
      "--model churn-logit needs --calibration-end (the label: no purchase in (calibration end, "
        + "observation end]; the observation end defaults to the last date in the file)")
  }
  // Open the output first: an unwritable path fails before the fit, and nothing is written
  // unless the fit succeeds.
  let out = try AtomicOutput(path: output)
  let summaries = try ingest.summaries(from: input)
  guard let holdout = summaries.holdout else {
    throw DataError.invalidFile(
      file: input,
      reason: "no holdout period: churn-logit needs an order log with --calibration-end, or a "
        + "summary CSV with _cal/_holdout columns")
  }
  let calibrationEnd = summaries.calibrationEnd ?? Day(iso: calibrationText)!
  // A summary CSV has no dates: without --observation-end, the holdout duration places it.
  let placed = holdout.first.map {
    calibrationEnd + Int(($0.duration * summaries.unit.days).rounded())
  }
  guard
    let observationEnd = summaries.observationEnd ?? ingest.observationEnd.flatMap(Day.init(iso:))
      ?? placed
  else {
    throw DataError.invalidFile(file: input, reason: "no customers in the calibration period")
  }
  let label = ChurnLabel(
    calibrationEnd: calibrationEnd, observationEnd: observationEnd, unit: summaries.unit)
  let rows = summaries.summary.rows
  let churned = holdout.map { ChurnLabel.churned(holdoutFrequency: $0.frequency) }

  var transactionModel: (any TransactionModel)? = nil
  var embedded: JSONValue? = nil
  if let path = options.withModel {
    let (file, model) = try ModelFile.readTransactionModel(from: path)
    if let unit = file.unit, unit != summaries.unit.rawValue {
      throw ModelError.invalidModelFile(
        path: path,
        reason:
          "its unit is '\(unit)' but the orders are summarized in \(summaries.unit.rawValue)s "
          + "(--unit)")
    }
    transactionModel = model
    embedded = try embeddedJSON(path: path)
  }
  var attributes: CustomerAttributes? = nil
  if let path = options.attributes { attributes = try readAttributes(path) }
  if let attributes, options.fill {
    try checkFill(
      attributes, customers: rows.map(\.customerID), ordersFile: input, command: "churn-logit")
  }

  var specification = ChurnFeatureSpecification(
    features: options.featureList, transactionModel: embedded,
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
    model: model, unit: summaries.unit.rawValue,
    data: ModelFile.DataSource(
      file: input, sha256: input == "-" ? nil : SHA256.hex(ofFile: input),
      observationEnd: observationEnd.description,
      calibrationEnd: calibrationEnd.description,
      firstDate: summaries.report.firstDate?.description,
      lastDate: summaries.report.lastDate?.description),
    toolVersion: clvVersion)
  try out.write(try file.jsonText())
  try out.commit()

  var report = ""
  print(churnReport(model, churners: churned.filter { $0 }.count), terminator: "", to: &report)
  if output == "-" {
    var stderr = StandardError()
    print(report, terminator: "", to: &stderr)
  } else {
    print(report, terminator: "")
  }
}

/// The coefficient table and the convergence report of a fitted churn model.
func churnReport(_ model: LogisticChurn, churners: Int) -> String {
  var lines: [String] = []
  let fit = model.fitReport
  let customers = fit?.customers ?? 0
  if let label = model.label {
    lines.append(
      "churn-logit: \(customers) customers present at \(label.calibrationEnd), \(churners) "
        + "churned (no purchase in (\(label.calibrationEnd), \(label.observationEnd)], "
        + "horizon \(format(label.horizon)) \(label.unit.rawValue)s)")
  }
  if let fit {
    lines.append(
      "Newton/IRLS: \(fit.converged ? "converged" : "did not converge") in \(fit.iterations) "
        + "iterations, max |gradient| \(String(format: "%.2e", fit.gradientNorm)), "
        + "log-likelihood \(format(fit.logLikelihood)), \(String(format: "%.3f", fit.seconds)) s")
  }
  lines.append(
    model.l2 == 0
      ? "unpenalized (maximum likelihood); Wald z and two-sided p-values"
      : "L2 penalty lambda = \(format(model.l2)) on standardized coefficients "
        + "(scikit-learn C = \(format(1 / model.l2))); no standard errors")
  let width = max(9, model.parameterNames.map(\.count).max() ?? 0)
  func pad(_ s: String, _ n: Int) -> String {
    s + String(repeating: " ", count: max(0, n - s.count))
  }
  func left(_ s: String, _ n: Int) -> String {
    String(repeating: " ", count: max(0, n - s.count)) + s
  }
  var header = pad("feature", width) + left("coefficient", 16)
  if model.standardErrors != nil { header += left("std.error", 14) + left("z", 10) + left("p", 12) }
  lines.append(header)
  for (j, name) in model.parameterNames.enumerated() {
    var line = pad(name, width) + left(String(format: "%.6g", model.parameterValues[j]), 16)
    if let se = model.standardErrors, let z = model.zValues, let p = model.pValues {
      line +=
        left(String(format: "%.4g", se[j]), 14) + left(String(format: "%.3f", z[j]), 10)
        + left(String(format: "%.3g", p[j]), 12)
    }
    lines.append(line)
  }
  return lines.joined(separator: "\n") + "\n"
}

private func format(_ x: Double) -> String { String(format: "%.6g", x) }

/// Reads a customer attributes CSV.
/// - Throws: `DataError.notReadable` (exit 66) or the parser's `DataError` (exit 65).
func readAttributes(_ path: String) throws -> CustomerAttributes {
  try CustomerAttributes(path: path)
}

/// With `--fill`: checks that the attributes file covers the customers (more than 20% without
/// a row is an error, exit 65) and says on stderr how many were filled.
/// - Throws: the `DataError` of ``CustomerAttributes/checkedCoverage(of:ordersFile:)``.
func checkFill(
  _ attributes: CustomerAttributes, customers: [String], ordersFile: String, command: String
) throws {
  let coverage = try attributes.checkedCoverage(of: customers, ordersFile: ordersFile)
  var stderr = StandardError()
  print(
    "clv: \(command): --fill: filled the attributes of \(coverage.missing) of "
      + "\(coverage.customers) customers (no row in \(attributes.file))", to: &stderr)
}

/// A model file's JSON, to embed it in the churn model file.
func embeddedJSON(path: String) throws -> JSONValue {
  do {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    return try JSONDecoder().decode(JSONValue.self, from: bytes)
  } catch {
    throw ModelError.invalidModelFile(path: path, reason: "not JSON")
  }
}
