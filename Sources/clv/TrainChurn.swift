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
      churn-logit: a fitted BTYD model file (\(ModelRegistry.list(ModelRegistry.ids(of: .purchase)))) whose p_alive and \
      expected_purchases over the label horizon become features; it is embedded in the model \
      file (default: none).
      """, valueName: "file"))
  var withModel: String?

  @Option(
    help: ArgumentHelp(
      """
      churn-logit, and the purchase and spend models with covariates \
      (\(ModelRegistry.list(ModelRegistry.all.filter(\.takesCovariates).map(\.id)))): customer \
      attributes CSV joined on customer_id: numeric columns as is, text columns one-hot with the \
      first level in sorted order as reference; an empty or NA value, or a customer without a \
      row, is an error unless --fill (default: none). See notebooks-md/guides/covariates.md.
      """, valueName: "file"))
  var attributes: String?

  @Flag(
    help: """
      churn-logit and covariates: fill missing attributes (numeric: the column mean; text: the \
      reference level) instead of failing (default: off).
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

  /// Whether an option only churn-logit takes was given (not --attributes, --fill).
  var isChurnOnlyUsed: Bool { features != nil || withModel != nil || l2 != 0 }

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

/// `clv train INPUT --model churn-logit`: reads the data, calls ``ChurnTraining/train``, writes
/// the model file and prints the coefficient report.
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
  let result = try ChurnTraining.train(
    summaries, input: input,
    given: (Day(iso: calibrationText)!, ingest.observationEnd.flatMap(Day.init(iso:))),
    options: ChurnTrainingOptions(
      features: options.featureList, withModel: options.withModel,
      attributesFile: options.attributes, fill: options.fill, l2: options.l2),
    toolVersion: clvVersion
  ) { note in
    var stderr = StandardError()
    print("clv: churn-logit: \(note)", to: &stderr)
  }
  try out.write(try result.file.jsonText())
  try out.commit()

  let report = result.model.report(churners: result.churners)
  if output == "-" {
    var stderr = StandardError()
    print(report, terminator: "", to: &stderr)
  } else {
    print(report, terminator: "")
  }
}
