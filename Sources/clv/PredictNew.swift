import ArgumentParser
import CLVData
import CLVModels

/// `clv predict-new`: expected purchases, spend and value of customers acquired now
/// (``NewCustomerValue``), per attribute profile for a model with covariates.
struct PredictNew: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict-new",
    abstract: "Expected purchases, spend and CLV of a customer acquired now (per profile).",
    discussion: """
      As CLVTools' newcustomer(): for models without covariates one row (profile \
      new_customer); when the purchase or the spend model was trained with --attributes one \
      row per row of \
      --attributes PROFILES.csv (customer_id names the profile; the other columns are the \
      training's attribute columns, encoded as in training: an unseen text level is an error, \
      exit 65). Columns: profile, expected_purchases (E[X(H)], repeat purchases in the \
      horizon after the acquisition purchase), expected_spend (the spend model's mean spend \
      of a customer without history; for Gamma-Gamma with covariates the profile's own, \
      p gamma exp(d'w)/(q-1)), clv (margin x spend x discounted expected repeat \
      purchases; the acquisition purchase is not included). See \
      notebooks-md/guides/covariates.md.
      """)

  @Option(
    help:
      "Purchase model file from 'clv train' (\(ModelRegistry.list(ModelRegistry.ids(of: .purchase)))) (required)."
  )
  var model: String

  @Option(
    help:
      "Spend model file (\(ModelRegistry.list(ModelRegistry.ids(of: .spend)))) for expected_spend and clv (default: none)."
  )
  var spendModel: String?

  @Option(
    help: ArgumentHelp(
      """
      Profiles CSV: customer_id (the profile's name) and the models' attribute columns; \
      required when the purchase or the spend model has covariates, not allowed otherwise \
      (default: none).
      """, valueName: "file"))
  var attributes: String?

  @Option(
    help: ArgumentHelp(
      """
      Horizon: a number with a unit, 52w, 12m, 365d or 1y, converted to the model's unit; a \
      bare number is in the model's unit (default: 52w).
      """, valueName: "horizon"))
  var horizon: String?

  @Option(help: "Discount rate per model unit for clv (default: 0).")
  var discountRate: Double = 0

  @Option(help: "Fraction of spend that is margin, for clv (default: 1).")
  var margin: Double = 1

  @Option(name: .shortAndLong, help: "Output CSV file, or - for standard output (default: -).")
  var output: String = "-"

  func validate() throws {
    if let horizon, Horizon(horizon) == nil {
      throw ValidationError(
        "--horizon must be a number ≥ 0 with an optional unit (52w, 12m, 365d, 1y); got "
          + "'\(horizon)'")
    }
    guard discountRate.isFinite, discountRate > -1 else {
      throw ValidationError("--discount-rate must be a number > -1; got \(discountRate)")
    }
    guard margin.isFinite else { throw ValidationError("--margin must be a number; got \(margin)") }
  }

  func run() throws {
    let (file, transactions, covariates) = try readPurchaseModel(model)
    let spendRead = try spendModel.map { try ModelFile.readSpendModelWithCovariates(from: $0) }
    let spendCovariates = spendRead?.covariates
    for (path, hasCovariates) in [
      (model, covariates != nil), (spendModel ?? "", spendCovariates != nil),
    ] where hasCovariates && attributes == nil {
      throw ValidationError("\(path) has covariates: give --attributes PROFILES.csv")
    }
    if covariates == nil, spendCovariates == nil, attributes != nil {
      throw ValidationError(
        "--attributes applies to a model with covariates (\(model) has none"
          + (spendModel.map { ", nor has \($0)" } ?? "") + ")")
    }
    let spend = spendRead?.model
    let unit = file.unit?.timeUnit
    let length = try Score.horizonLength(horizon, modelUnit: unit, dataUnit: unit)
    let periods = CustomerValue.periods(horizon: length, discountRate: discountRate)
    guard periods <= Double(CustomerValue.maximumPeriods) else {
      throw ValidationError(
        "--horizon with --discount-rate \(discountRate) needs \(NumberText.string(periods)) "
          + "per-unit terms (at most \(CustomerValue.maximumPeriods))")
    }
    let out = try AtomicOutput(path: output)
    let predictions: [NewCustomerPrediction]
    if let attributes {
      predictions = try NewCustomerValue.predict(
        transactions, covariates: covariates, profiles: try CustomerAttributes(path: attributes),
        spend: spend, spendCovariates: spendCovariates, horizon: length,
        discountRate: discountRate, margin: margin)
    } else {
      predictions = [
        try NewCustomerValue.predict(
          transactions, profile: NewCustomerValue.defaultProfile, spend: spend, horizon: length,
          discountRate: discountRate, margin: margin)
      ]
    }
    try out.write(NewCustomerValue.csv(predictions))
    try out.commit()
  }
}
