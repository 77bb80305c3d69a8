import ArgumentParser
import CLVData
import CLVModels

/// The covariate options of `clv simulate` (an `@OptionGroup` of `Simulate`).
struct SimulateCovariateOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      """
      Simulate a two-level customer attribute of known effect: comma-separated NAME=VALUE \
      coefficients on the indicator of its second level, NAME one of the model's covariate \
      links (\(Self.linkList); omitted: 0); spend=VALUE scales the second level's Gamma-Gamma \
      gamma, and so its mean spend, by exp(VALUE); writes the attributes beside the orders \
      (default: no attribute).
      """, valueName: "list"))
  var attributeEffects: String?

  @Option(help: "With --attribute-effects: the attribute's column name (default: channel).")
  var attributeColumn: String = "channel"

  @Option(
    help: ArgumentHelp(
      """
      With --attribute-effects: its two levels; the first in sorted order is the reference \
      (default: store,web).
      """, valueName: "a,b"))
  var attributeLevels: String = "store,web"

  @Option(
    help: "With --attribute-effects: share of customers with the second level (default: 0.5).")
  var attributeShare: Double = 0.5

  @Option(
    help: ArgumentHelp(
      """
      With --attribute-effects: the attributes file, customer_id,COLUMN (default: \
      OUTPUT.attributes.csv; required for -o -).
      """, valueName: "file"))
  var attributesOutput: String?

  var isUsed: Bool { attributeEffects != nil }

  /// "model: link, link; …" from the registry, for the help text.
  static var linkList: String {
    ModelRegistry.all.filter { !$0.covariateLinks.isEmpty }.map {
      "\($0.id): \($0.covariateLinks.map(\.name).joined(separator: ", "))"
    }.joined(separator: "; ")
  }

  func validate(output: String) throws {
    guard isUsed else {
      if attributesOutput != nil {
        throw ValidationError("--attributes-output applies with --attribute-effects only")
      }
      return
    }
    guard attributeShare > 0, attributeShare < 1 else {
      throw ValidationError("--attribute-share must be in (0, 1); got \(attributeShare)")
    }
    if output == "-", attributesOutput == nil {
      throw ValidationError("--attribute-effects with -o - needs --attributes-output FILE")
    }
  }

  /// The simulated attribute for `descriptor`'s model at `parameters`.
  /// - Throws: `ValidationError` for an unknown link name or a bad value or level list.
  func covariates(
    descriptor: ModelDescriptor, parameters: [Double], customers: Int, seed: UInt64
  ) throws -> SimulatedCovariates? {
    guard let attributeEffects else { return nil }
    let links = descriptor.covariateLinks.map(\.name)
    guard !links.isEmpty else {
      throw ValidationError("--attribute-effects: \(descriptor.id) takes no covariates")
    }
    let spendLinks = ModelRegistry.all.filter(\.fitsSpendCovariates).flatMap(\.covariateLinks)
      .map(\.name)
    var effects = [Double](repeating: 0, count: links.count)
    var spendEffect = 0.0
    for item in attributeEffects.split(separator: ",") {
      let parts = item.split(separator: "=", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard parts.count == 2, links.contains(parts[0]) || spendLinks.contains(parts[0]),
        let value = Double(parts[1]), value.isFinite
      else {
        throw ValidationError(
          "--attribute-effects '\(item)': expected NAME=NUMBER, NAME one of "
            + (links + spendLinks).joined(separator: ", "))
      }
      if let index = links.firstIndex(of: parts[0]) {
        effects[index] = value
      } else {
        spendEffect = value
      }
    }
    let levels = attributeLevels.split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    do {
      return try SimulatedCovariates(
        descriptor: descriptor, parameters: parameters, column: attributeColumn, levels: levels,
        share: attributeShare, coefficients: effects, spendCoefficient: spendEffect,
        customers: customers, seed: seed)
    } catch let error as ModelError {
      throw ValidationError("--attribute-levels: \(error.description)")
    }
  }

  /// The truth file's `covariates` object.
  static func truth(_ covariates: SimulatedCovariates, share: Double) -> JSONValue {
    let model = covariates.model
    let k = model.parameterNames.count - model.coefficientNames.count
    var coefficients = zip(model.coefficientNames, model.parameterValues[k...]).map {
      ($0, JSONValue.number($1))
    }
    if covariates.spendCoefficient != 0 {
      let feature = model.design.featureNames[0]
      coefficients.append(("spend.\(feature)", .number(covariates.spendCoefficient)))
    }
    return .object([
      ("column", .string(covariates.column)),
      ("levels", .array(covariates.model.design.encodings[0].levels.map { .string($0) })),
      ("share", .number(share)),
      ("coefficients", .object(coefficients)),
    ])
  }
}
