import ArgumentParser
import CLVData
import CLVModels
import CLVScoring

struct Score: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Score customers: P(alive), expected purchases, spend, CLV, segment and lifecycle stage.",
    discussion: """
      Writes one CSV row per customer: customer_id,frequency,recency,T,monetary_value,p_alive,\
      expected_purchases,prob_no_purchase,expected_spend,clv. frequency, recency and T are in \
      the purchase model's unit (the input's times are converted when --unit differs); \
      expected_purchases and prob_no_purchase cover the next --horizon units; expected_spend \
      (Gamma-Gamma conditional mean) and clv are empty without --spend-model. clv is the \
      discounted expected margin over the horizon, summed per unit like lifetimes' \
      customer_lifetime_value: Σᵢ margin · spend · (E[Y(i)] − E[Y(i−1)]) / (1 + rate)^i. \
      Then segment, lifecycle_stage, as_of, first_purchase, last_purchase, \
      expected_next_purchase (dates yyyy-MM-dd), churn_probability (with --churn-model) and the \
      model ids (model, spend_model, churn_model); the rules are in \
      notebooks-md/guides/segments-and-targeting.md. With --cac FILE five columns follow: cac, \
      first_order_profit (margin times the first purchase day's amount), margin_to_date, \
      clv_to_cac ((margin_to_date + clv) / cac) and payback_days (days from the first \
      purchase until the margin to date plus margin * expected spend * expected purchases \
      after as-of reaches the CAC; empty if not within the horizon); see \
      notebooks-md/guides/campaigns.md. A summary CSV has no dates: give --as-of to place them, or the segment and \
      stage columns stay empty. clv target reads this file. With a model of subscriber data \
      (\(ModelRegistry.list(ModelRegistry.ids(of: .contractual)))) INPUT is \
      customer_id,start_period,end_period and the columns are \
      \(ScoreColumns.subscriber.joined(separator: ",")) as of --as-of-period, over --horizon \
      whole periods (default 12), derl at --discount-rate per period (empty at 0); see \
      notebooks-md/guides/subscribers.md; with --intervals LEVEL the projections get \
      \(ScoreColumns.subscriberIntervals.joined(separator: ",")) at the end of the row. \
      With --intervals LEVEL every prediction gets two more columns at the end of the row, \
      \(ScoreColumns.intervals.joined(separator: ",")): the equal-tailed interval of the \
      prediction over --draws parameter draws (or --bootstrap refits), for the uncertainty of \
      the estimated parameters (not of the customer's future purchases); see \
      notebooks-md/guides/intervals.md.
      """
  )

  @Argument(help: "Order log or summary CSV, or - for standard input.")
  var input: String

  @Option(
    help:
      "Purchase model file from 'clv train' (\(ModelRegistry.list(ModelRegistry.ids(of: .purchase)))) (required)."
  )
  var model: String

  @Option(
    help:
      "Spend model file (\(ModelRegistry.list(ModelRegistry.ids(of: .spend))), with or without covariates) for expected_spend and clv (default: none)."
  )
  var spendModel: String?

  @Option(
    help: ArgumentHelp(
      """
      Horizon of expected_purchases, prob_no_purchase and clv: a number with a unit, 52w, 12m, \
      365d or 1y (a month is 365.25/12 days, a year 365.25), converted to the model's unit; a \
      bare number is in the model's unit and allowed only when the data (--unit) are in that \
      unit too (bgbb: a bare number of opportunities) (default: 52w; bgbb: 52).
      """, valueName: "horizon"))
  var horizon: String?

  @Option(
    help: """
      Discount rate per model unit for clv. With 0 the horizon may be any length (the sum is \
      E[Y(H)]); with a rate > 0 terms beyond the rounding of the sum are left out; a horizon \
      and rate needing more than 100000 per-unit terms are rejected (exit 64).
      """)
  var discountRate: Double = 0

  @Option(help: "Fraction of spend that is margin, for clv.")
  var margin: Double = 1

  @Option(
    help:
      "Score as of this day, yyyy-MM-dd: later orders are ignored (default: the last date in the file)."
  )
  var asOf: String?

  @Option(
    name: .customLong("cac"),
    help: ArgumentHelp(
      "Acquisition costs CSV KEY,cac (KEY: cohort yyyy-MM or yyyy-Qn, customer_id, or a "
        + "column of --attributes such as channel): adds cac, first_order_profit, "
        + "margin_to_date, clv_to_cac and payback_days (needs an order log and --spend-model; "
        + "default: none).", valueName: "costs.csv"))
  var cac: String?

  @Option(name: .shortAndLong, help: "Output CSV file, or - for standard output.")
  var output: String = "-"

  @OptionGroup var ingest: IngestOptions

  @OptionGroup(title: "Segments and lifecycle stages") var segmentOptions: SegmentOptions

  @OptionGroup(title: "Subscriber options") var subscriber: SubscriberOptions

  @OptionGroup(title: "Intervals") var intervals: IntervalOptions

  @Option(
    help: "--intervals: the seed of the parameter draws or of the bootstrap resamples (default 1).")
  var seed: UInt64?

  func validate() throws {
    try intervals.check(seedGiven: seed != nil)
    if input == "-", segmentOptions.customers == "-" {
      throw ValidationError("INPUT and --customers cannot both be standard input ('-')")
    }
    if let horizon, Horizon(horizon) == nil {
      throw ValidationError(
        "--horizon must be a number ≥ 0 with an optional unit (52w, 12m, 365d, 1y); got "
          + "'\(horizon)'")
    }
    if ingest.calibrationEnd != nil {
      throw ValidationError(
        "score does not take --calibration-end: to score as of a past day D (orders up to D, "
          + "as_of D), give --as-of D")
    }
    guard discountRate.isFinite, discountRate > -1 else {
      throw ValidationError("--discount-rate must be a number > -1; got \(discountRate)")
    }
    guard margin.isFinite else { throw ValidationError("--margin must be a number; got \(margin)") }
    if cac != nil, spendModel == nil {
      throw ValidationError(
        "--cac needs --spend-model: clv_to_cac and payback_days come from the expected spend")
    }
    if let cac,
      [input, cac, segmentOptions.attributes, segmentOptions.customers].filter({
        $0 == "-"
      }).count > 1
    {
      throw ValidationError("standard input ('-') can be read only once")
    }
    if let asOf {
      guard Day(iso: asOf) != nil else {
        throw ValidationError("--as-of must be a date yyyy-MM-dd; got '\(asOf)'")
      }
      if ingest.observationEnd != nil {
        throw ValidationError("give --as-of or --observation-end, not both")
      }
    }
  }

  func run() throws {
    if let contractual = try ModelFile.readContractualModel(ifContractual: model) {
      if intervals.bootstrap != nil {
        throw ValidationError(
          "--bootstrap does not apply to \(type(of: contractual.model).modelID) (subscriber "
            + "data): its intervals come from parameter draws (--draws)")
      }
      try scoreSubscribers(contractual.model, file: contractual.file)
      return
    }
    if subscriber.asOfPeriod != nil {
      throw ValidationError(
        "--as-of-period applies to models of subscriber data ("
          + "\(ModelRegistry.list(ModelRegistry.ids(of: .contractual))))")
    }
    let (modelFile, transactions, covariateModel) = try readPurchaseModel(model)
    let spendRead = try spendModel.map { try ModelFile.readSpendModelWithCovariates(from: $0) }
    let spendCovariateModel = spendRead?.covariates
    if covariateModel == nil, spendCovariateModel == nil, segmentOptions.attributes != nil,
      segmentOptions.churnModel == nil, cac == nil
    {
      throw ValidationError(
        "--attributes needs --churn-model, --cac or a model with covariates (\(model) has none)")
    }
    for (path, hasCovariates) in [
      (model, covariateModel != nil), (spendModel ?? "", spendCovariateModel != nil),
    ] where hasCovariates && segmentOptions.attributes == nil {
      throw ValidationError(
        "\(path) has covariates: give --attributes FILE (each customer is scored with their "
          + "own parameters)")
    }
    var spendFile: (file: ModelFile, path: String, model: any SpendModel)? = nil
    if let spendModel, let spendRead {
      spendFile = (file: spendRead.file, path: spendModel, model: spendRead.model)
    }
    let spend = spendFile?.model
    var ingest = self.ingest
    if let asOf { ingest.observationEnd = asOf }
    let out = try AtomicOutput(path: output)
    // With --cac the orders are kept: first orders and the margin to date come from them.
    var orders: RecordedOrders? = nil
    let summaries: CustomerSummaries
    if cac == nil {
      summaries = try ingest.summaries(from: input)
    } else {
      let read = try ingest.summariesKeepingOrders(from: input)
      summaries = read.summaries
      orders = read.orders
    }
    let modelUnit = modelFile.unit
    if let (from, to) = ScoreTable.conversion(of: summaries, to: modelUnit) {
      var stderr = StandardError()
      print(
        "clv: score: input in \(from.rawValue)s, model in \(to.rawValue)s: "
          + "times converted to \(to.rawValue)s", to: &stderr)
    }
    let formulaLike = summaries.summary.rows.lazy.map(\.customerID).filter(
      CSVFormula.isFormulaLike)
    if let warning = CSVFormula.warning(
      file: output == "-" ? "<stdout>" : output, count: formulaLike.count,
      example: formulaLike.first)
    {
      var stderr = StandardError()
      print(
        "clv: warning: \(warning); clv target --neutralize-formulas prefixes them with ' in the "
          + "lists", to: &stderr)
    }
    let horizon = try Self.horizonLength(
      horizon, modelUnit: modelUnit?.timeUnit,
      dataUnit: summaries.layout == .donations ? nil : summaries.unit)
    let periods = CustomerValue.periods(horizon: horizon, discountRate: discountRate)
    guard periods <= Double(CustomerValue.maximumPeriods) else {
      throw ValidationError(
        "--horizon \(self.horizon ?? "52w") with --discount-rate \(discountRate) needs "
          + "\(NumberText.string(periods)) per-unit terms of the CLV sum (at most "
          + "\(CustomerValue.maximumPeriods)): shorten the horizon or use a discount rate "
          + "≥ 0.0005 (0: closed form, any horizon)")
    }
    let churn = try segmentOptions.churnModel.map {
      try ChurnScorer(path: $0, attributesPath: segmentOptions.attributes)
    }
    let options = ScoringOptions(
      horizon: horizon, discountRate: discountRate, margin: margin,
      asOf: asOf.flatMap { Day(iso: $0) }, customersFile: segmentOptions.customers)
    let covariates = try covariateModel.map { covariateModel in
      try CustomerCovariates(
        model: covariateModel, customerIDs: summaries.summary.rows.map(\.customerID),
        attributes: try segmentOptions.attributes.map { try CustomerAttributes(path: $0) })
    }
    let spendCovariates = try spendCovariateModel.map { spendCovariateModel in
      try SpendCovariates(
        model: spendCovariateModel, customerIDs: summaries.summary.rows.map(\.customerID),
        attributes: try segmentOptions.attributes.map { try CustomerAttributes(path: $0) })
    }
    let request = try intervals.request(
      seed: seed ?? 1, model: (modelFile, model, transactions), spend: spendFile,
      covariates: covariates,
      summary: RFMSummary(
        rows: modelUnit.map { $0.rows(summaries.summary.rows, from: summaries.unit) }
          ?? summaries.summary.rows, unit: modelUnit?.timeUnit ?? summaries.unit))
    var table = try ScoreTable(
      summaries: summaries, model: transactions, modelUnit: modelUnit, spend: spend, churn: churn,
      covariates: covariates, spendCovariates: spendCovariates, options: options,
      rules: segmentOptions.rules(asOf:),
      intervals: request
    ) { note in
      var stderr = StandardError()
      print("clv: score: \(note)", to: &stderr)
    }
    var stderr = StandardError()
    if table.segments == nil, summaries.layout != .donations {
      print(
        "clv: score: segment and lifecycle columns left empty: the input has no dates "
          + "(give --as-of with a summary CSV)", to: &stderr)
    }
    if let cac {
      try addAcquisitionColumns(
        costsPath: cac, to: &table, orders: orders, model: transactions, options: options)
    }
    try table.write(to: out)
    try out.commit()
  }

  /// `--cac FILE`: the CAC columns from the costs, the orders and the models.
  func addAcquisitionColumns(
    costsPath: String, to table: inout ScoreTable, orders: RecordedOrders?,
    model: any TransactionModel, options: ScoringOptions
  ) throws {
    guard let orders, let asOf = table.segments?.rules.asOf else {
      throw ValidationError(
        "--cac needs an order log as INPUT (first orders and the margin to date come from its "
          + "orders), not a summary CSV")
    }
    let costs = try AcquisitionCosts.read(path: costsPath)
    let attributes = try segmentOptions.attributes.map { try CustomerAttributes(path: $0) }
    try table.addAcquisitionEconomics(
      costs: costs, log: PurchaseLog(orders: orders, through: asOf),
      attributes: try costs.keyValues(in: attributes), model: model, options: options)
    if let columns = table.acquisition, columns.withoutCost > 0 {
      var stderr = StandardError()
      print(
        "clv: score: \(columns.withoutCost) of \(columns.customers.count) customers have no "
          + "CAC in \(costs.file) (by \(costs.key.column)): their cac, clv_to_cac and "
          + "payback_days are empty", to: &stderr)
    }
  }
}

/// A purchase model file: its model (for a covariate model, the reference customer's, z = 0,
/// which names the model) and the covariate model when it has covariates.
func readPurchaseModel(
  _ path: String
) throws -> (
  file: ModelFile, model: any TransactionModel, covariates: (any CovariateTransactionModel)?
) {
  let file = try ModelFile.read(from: path)
  guard file.hasCovariates else {
    let (file, model) = try ModelFile.readTransactionModel(from: path)
    return (file, model, nil)
  }
  let covariates = try file.makeCovariateModel(path: path)
  let zeros = [Double](repeating: 0, count: covariates.design.featureNames.count)
  return (file, covariates.transactionModel(for: zeros), covariates)
}

extension Score {
  /// `clv score SUBSCRIBERS --model sbg.json`: one row per subscriber
  /// (``SubscriberScoreTable``); the horizon is a whole number of contract periods.
  func scoreSubscribers(_ model: any ContractualModel, file: ModelFile) throws {
    let periods: Int
    if let text = horizon {
      guard let parsed = Horizon(text), parsed.suffix == nil,
        parsed.amount.rounded() == parsed.amount,
        parsed.amount <= 100_000
      else {
        throw ValidationError(
          "--horizon for \(type(of: model).modelID) is a whole number of contract periods "
            + "(≤ 100000), without a unit; got '\(text)'")
      }
      periods = Int(parsed.amount)
    } else {
      periods = 12
    }
    if asOf != nil || spendModel != nil || segmentOptions.churnModel != nil {
      throw ValidationError(
        "--as-of, --spend-model and --churn-model do not apply to \(type(of: model).modelID) "
          + "(give --as-of-period for subscriber data)")
    }
    let out = try AtomicOutput(path: output)
    let data = try SubscriberData.read(path: input)
    let request = try intervals.level.map { level in
      try IntervalOptions.requireCovariance(file, path: self.model)
      return try SubscriberScoreTable.IntervalRequest.asymptotic(
        level: level, count: intervals.draws ?? IntervalOptions.defaultDraws, seed: seed ?? 1,
        model: model)
    }
    let table = try SubscriberScoreTable(
      data: data, model: model, asOf: subscriber.asOfPeriod, horizon: periods,
      discountRate: discountRate, intervals: request)
    var stderr = StandardError()
    if table.notStarted > 0 {
      print(
        "clv: score: \(table.notStarted) subscribers start after the as-of period "
          + "\(table.asOf) and are left out", to: &stderr)
    }
    if discountRate == 0 {
      print("clv: score: derl left empty: give --discount-rate > 0 per period", to: &stderr)
    }
    try table.write(to: out)
    try out.commit()
  }

  /// The length of `--horizon` (`text`, or the default: 52 weeks, 52 opportunities for BG/BB)
  /// in the model's unit.
  /// - Throws: `ValidationError` (exit 64) for a bare number when the units differ, or a suffix
  ///   for a model without a time unit.
  static func horizonLength(
    _ text: String?, modelUnit: TimeUnit?, dataUnit: TimeUnit?
  ) throws
    -> Double
  {
    let horizon =
      text.flatMap(Horizon.init) ?? Horizon(amount: 52, suffix: modelUnit == nil ? nil : .week)
    do {
      return try horizon.length(in: modelUnit, dataUnit: dataUnit)
    } catch let error as HorizonError {
      throw ValidationError(error.description)
    }
  }
}
