import ArgumentParser
import CLVData
import CLVModels
import Foundation

/// The covariate options of `clv train` (an `@OptionGroup` of `Train`); `--attributes` and
/// `--fill` are shared with churn-logit (``ChurnTrainOptions``).
struct CovariateTrainOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      """
      With --attributes: comma-separated attribute columns acting on the purchase rate \
      (BG/NBD, MBG/NBD, Pareto/NBD: alpha_i = alpha exp(-g'z)); an empty list for none \
      (default: every column).
      """, valueName: "columns"))
  var purchaseCovariates: String?

  @Option(
    help: ArgumentHelp(
      """
      With --attributes: comma-separated attribute columns acting on dropout (BG/NBD, \
      MBG/NBD: a_i = a exp(g_a'z), b_i = b exp(g_b'z); Pareto/NBD: beta_i = beta exp(-g'z)); \
      an empty list for none (default: every column).
      """, valueName: "columns"))
  var dropoutCovariates: String?

  @Option(
    help: ArgumentHelp(
      """
      With --attributes: L2 penalty lambda >= 0 on the covariate coefficients: the fit \
      minimizes -log L / N + lambda sum g^2 (N customers); z- and p-values and the \
      likelihood-ratio test only when 0 (default: 0).
      """, valueName: "lambda"))
  var covariateL2: Double = 0

  @Option(
    help: ArgumentHelp(
      """
      With --attributes: comma-separated attribute columns whose coefficient is the same in \
      the purchase and the dropout process (an equality constraint, as CLVTools' \
      names.cov.constr): one coefficient 'shared.FEATURE' instead of one per process (BG/NBD, \
      MBG/NBD: alpha_i = alpha exp(-g'z), a_i = a exp(g'z), b_i = b exp(g'z); Pareto/NBD: \
      alpha_i = alpha exp(-g'z), beta_i = beta exp(-g'z)); each column must act on both \
      processes (default: none).
      """, valueName: "columns"))
  var sameCoefficient: String?

  @Option(
    help: ArgumentHelp(
      """
      With --attributes and --model \(Self.spendModels): comma-separated attribute columns \
      acting on spend per purchase: gamma_i = gamma exp(d'w), so the mean spend p gamma_i/(q-1) \
      is multiplied by exp(d'w) (d: log multiplicative effect; positive = higher spend) \
      (default: every column).
      """, valueName: "columns"))
  var spendCovariates: String?

  /// The spend models that take covariates, for help texts.
  static var spendModels: String {
    ModelRegistry.list(ModelRegistry.all.filter(\.fitsSpendCovariates).map(\.id))
  }

  /// Whether any covariate option was given.
  var isUsed: Bool {
    purchaseCovariates != nil || dropoutCovariates != nil || covariateL2 != 0
      || sameCoefficient != nil || spendCovariates != nil
  }

  /// Whether an option of the purchase models' processes was given.
  var purchaseProcessOptionsUsed: Bool {
    purchaseCovariates != nil || dropoutCovariates != nil || sameCoefficient != nil
  }

  /// Checks the options against `--attributes`, `--weight-column` and the model's processes.
  func validate(
    attributes: String?, weightColumn: String?, descriptor: ModelDescriptor? = nil
  ) throws {
    if let descriptor { try validate(processesOf: descriptor) }
    guard covariateL2.isFinite, covariateL2 >= 0 else {
      throw ValidationError("--covariate-l2 must be a finite number >= 0; got \(covariateL2)")
    }
    if attributes == nil, isUsed {
      throw ValidationError(
        "--purchase-covariates, --dropout-covariates, --spend-covariates, --same-coefficient and "
          + "--covariate-l2 need --attributes FILE")
    }
    if attributes != nil, weightColumn != nil {
      throw ValidationError(
        "--weight-column does not apply with --attributes (covariates are joined on each "
          + "customer's id, one row per customer)")
    }
  }

  private static func list(_ text: String?) -> [String]? {
    text.map {
      $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
        !$0.isEmpty
      }
    }
  }

  /// Checks the process options against the model: `--spend-covariates` for a spend model,
  /// the purchase and dropout options for a purchase model.
  func validate(processesOf descriptor: ModelDescriptor) throws {
    if descriptor.fitsSpendCovariates, purchaseProcessOptionsUsed {
      throw ValidationError(
        "--purchase-covariates, --dropout-covariates and --same-coefficient apply to the "
          + "purchase models (\(ModelRegistry.list(ModelRegistry.all.filter(\.fitsCovariates).map(\.id)))); "
          + "--model \(descriptor.id) takes --spend-covariates")
    }
    if descriptor.fitsCovariates, spendCovariates != nil {
      throw ValidationError(
        "--spend-covariates applies to --model \(Self.spendModels); --model \(descriptor.id) "
          + "takes --purchase-covariates and --dropout-covariates")
    }
  }

  /// Fits `descriptor`'s purchase or spend model with covariates (``fit`` or ``fitSpend``);
  /// for a spend model, notes on standard error whom it was fitted on.
  func fitAny(
    _ summary: RFMSummary, descriptor: ModelDescriptor, attributesPath: String, fill: Bool,
    ordersFile: String, options: FitOptions
  ) throws -> any CovariateFittedModel {
    guard descriptor.fitsSpendCovariates else {
      return try fit(
        summary, descriptor: descriptor, attributesPath: attributesPath, fill: fill,
        ordersFile: ordersFile, options: options)
    }
    let fitted = try fitSpend(
      summary, descriptor: descriptor, attributesPath: attributesPath, fill: fill,
      ordersFile: ordersFile, options: options)
    var stderr = StandardError()
    print(
      "clv: \(descriptor.id): fitted on \(fitted.fitReport?.customers ?? 0) repeat buyers with "
        + "positive monetary value; dropped \(fitted.fitReport?.dropped ?? 0) customers",
      to: &stderr)
    return fitted
  }

  /// The options as the library takes them.
  func covariateOptions(fill: Bool) -> CovariateOptions {
    CovariateOptions(
      purchase: Self.list(purchaseCovariates), dropout: Self.list(dropoutCovariates), fill: fill,
      covariateL2: covariateL2, sameCoefficient: Self.list(sameCoefficient) ?? [],
      spend: Self.list(spendCovariates))
  }

  /// Reads the attributes and fits `descriptor`'s model with covariates
  /// (``CovariateTraining/fit``); notes about filled customers go to standard error.
  func fit(
    _ summary: RFMSummary, descriptor: ModelDescriptor, attributesPath: String, fill: Bool,
    ordersFile: String, options: FitOptions
  ) throws -> any CovariateTransactionModel {
    let attributes = try CustomerAttributes(path: attributesPath)
    return try CovariateTraining.fit(
      summary, descriptor: descriptor, attributes: attributes, ordersFile: ordersFile,
      options: covariateOptions(fill: fill),
      fitOptions: options
    ) { note in
      var stderr = StandardError()
      print("clv: \(descriptor.id): \(note)", to: &stderr)
    }
  }

  /// Reads the attributes and fits `descriptor`'s spend model with covariates
  /// (``CovariateTraining/fitSpend``); notes about filled customers go to standard error.
  func fitSpend(
    _ summary: RFMSummary, descriptor: ModelDescriptor, attributesPath: String, fill: Bool,
    ordersFile: String, options: FitOptions
  ) throws -> any CovariateSpendModel {
    let attributes = try CustomerAttributes(path: attributesPath)
    return try CovariateTraining.fitSpend(
      summary, descriptor: descriptor, attributes: attributes, ordersFile: ordersFile,
      options: covariateOptions(fill: fill), fitOptions: options
    ) { note in
      var stderr = StandardError()
      print("clv: \(descriptor.id): \(note)", to: &stderr)
    }
  }
}

/// The parameter table of a covariate model, then the coefficients' z- and p-values and the
/// likelihood-ratio test against the model without covariates.
func covariateTable(_ model: any CovariateFittedModel) -> String {
  let names = model.coefficientNames
  let own = model.parameterNames.count - names.count
  var text = parameterTable(
    model, positive: model.parameterNames.indices.map { $0 < own })
  if let z = model.zValues, let p = model.pValues {
    let width = max(12, (names.map(\.count).max() ?? 0) + 1)
    text += "\n" + "coefficient".padding(toLength: width, withPad: " ", startingAt: 0)
    text += " z         p-value\n"
    for (i, name) in names.enumerated() {
      text += name.padding(toLength: width, withPad: " ", startingAt: 0)
      text += " " + String(format: "%-9.3f %.3g", z[i], p[i]) + "\n"
    }
  }
  if let test = model.likelihoodRatioTest, let nested = model.nestedLogLikelihood {
    let full = model.fitReport?.logLikelihood ?? .nan
    text +=
      "likelihood-ratio test against no covariates: log-likelihood "
      + String(format: "%.3f vs %.3f, LR = %.3f", full, nested, test.statistic)
      + ", df = \(test.degreesOfFreedom), p = " + String(format: "%.3g", test.pValue) + "\n"
  }
  return text
}
