import CLVData
import CLVModels

/// What the score table is computed over: the horizon and money of the CLV, the as-of date of
/// a summary CSV and the customer list of prospects.
public struct ScoringOptions: Sendable, Equatable {
  /// Horizon of expected_purchases, prob_no_purchase and clv, in model units.
  public var horizon: Double
  /// Discount rate per model unit, for clv.
  public var discountRate: Double
  /// Fraction of spend that is margin, for clv.
  public var margin: Double
  /// Dates a summary CSV for the segments (an order log's as-of date is its observation end).
  public var asOf: Day?
  /// A CSV with a customer_id column: listed customers without orders get a prospect row. Read
  /// only when the table has segments.
  public var customersFile: String?

  public init(
    horizon: Double = 52, discountRate: Double = 0, margin: Double = 1, asOf: Day? = nil,
    customersFile: String? = nil
  ) {
    self.horizon = horizon
    self.discountRate = discountRate
    self.margin = margin
    self.asOf = asOf
    self.customersFile = customersFile
  }
}

/// The score table of `clv score`: one row per customer with the history in the model's unit,
/// the model outputs (``BaseScores``), and the segment columns (``ScoreSegments``) when the
/// data has dates; prospects of a customer list last. Columns: ``ScoreColumns``.
///
///     let table = try ScoreTable(summaries: summaries, model: bgnbd, modelUnit: .week,
///                                spend: gammaGamma)
///     try table.write(to: AtomicOutput(path: "scores.csv"))   // then commit()
public struct ScoreTable: Sendable {
  /// The customers with orders, times in the model's unit.
  public let rows: [RFMSummary.Row]
  public let hasMonetaryValue: Bool
  public let scores: BaseScores
  /// Nil when the data has no dates to segment by (see ``ScoreSegments/asOf(of:given:)``).
  public let segments: ScoreSegments?
  public let models: ModelIDs
  /// Per-customer intervals of the predictions (``ScoreColumns/intervals``); nil unless
  /// requested.
  public let intervals: PredictionIntervals?
  /// The unit the input's times were converted from and to, when they differed.
  public let conversion: (from: TimeUnit, to: TimeUnit)?
  /// The length of the model unit in days (recency and T are mostly whole days / unit).
  let unitDays: Double
  /// The CAC columns, appended after ``ScoreColumns/all`` when set
  /// (``addAcquisitionEconomics(costs:log:attributes:model:options:)``).
  public internal(set) var acquisition: AcquisitionColumns? = nil

  /// Scores every customer of `summaries`.
  ///
  /// - Parameters:
  ///   - model: the purchase model; `modelUnit` its time unit, as its model file records it
  ///     (`.opportunity` for BG/BB, whose times are taken as given). The summaries' times are
  ///     converted to a calendar unit when they differ (``ModelUnit/rows(_:from:)``).
  ///   - spend: a spend model, for expected_spend and clv (nil: those columns stay empty).
  ///   - churn: a churn model for churn_probability, which replaces P(alive) on the activity
  ///     axis of the segments.
  ///   - rules: the segmentation rules at the as-of date of the data (nil: the defaults of
  ///     ``SegmentationRules``).
  ///   - covariates: for a model with covariates, the model and each customer's z (in the
  ///     summaries' order): every customer is scored with θ(z) (``CovariateScoring``);
  ///     `model` then only names the model.
  ///   - spendCovariates: for a spend model with covariates, the model and each customer's w:
  ///     every customer's expected spend and CLV use γ(w); `spend` then only names the model.
  ///   - notes: called with what the churn model's attribute `fill` did.
  ///   - intervals: parameter draws for per-customer intervals (``PredictionIntervals``); nil
  ///     for none. With `covariates`, draws of the covariate model
  ///     (``PredictionIntervals/Request/covariateModels``): each customer at θ(z) of each draw.
  /// - Throws: `ModelError.nonFinite` naming the first customer with a non-finite score; the
  ///   churn model's feature errors; `DataError` for an unreadable customer list;
  ///   `ScoringError` for inconsistent dates.
  public init(
    summaries: CustomerSummaries, model: any TransactionModel, modelUnit: ModelUnit?,
    spend: (any SpendModel)? = nil, churn: ChurnScorer? = nil,
    covariates: CustomerCovariates? = nil, spendCovariates: SpendCovariates? = nil,
    options: ScoringOptions = ScoringOptions(),
    rules: ((Day) throws -> SegmentationRules)? = nil,
    intervals request: PredictionIntervals.Request? = nil,
    notes: (String) -> Void = { _ in }
  ) throws {
    var rows = summaries.summary.rows
    conversion = Self.conversion(of: summaries, to: modelUnit)
    if let modelUnit { rows = modelUnit.rows(rows, from: summaries.unit) }
    var scores: BaseScores
    if let request, (request.covariateModels != nil) != (covariates != nil) {
      throw ModelError.unusableData(
        model: type(of: model).modelName,
        reason: covariates != nil
          ? "the interval draws are not of the model with covariates"
          : "the interval draws are of a model with covariates, and no covariates are given")
    }
    if request != nil, let spendCovariates {
      throw ModelError.unusableData(
        model: type(of: spendCovariates.model).modelName,
        reason: "prediction intervals are not offered for a spend model with covariates yet")
    }
    if covariates != nil || spendCovariates != nil {
      scores = try CovariateScoring.scores(
        rows, model: model, covariates: covariates, spend: spend,
        spendCovariates: spendCovariates, horizon: options.horizon,
        discountRate: options.discountRate, margin: options.margin, modelUnit: modelUnit)
    } else {
      let scorer = Scorer(
        transactions: model, spend: spend, horizon: options.horizon,
        discountRate: options.discountRate, margin: options.margin)
      scores = try BatchScoring.scores(rows, scorer: scorer, modelUnit: modelUnit)
    }
    scores.waitingFromRegularTiming =
      ModelRegistry.descriptor(for: type(of: model).modelID)?.predictions
      .contains(.regularTiming) ?? false
    intervals = try request.map { request in
      try PredictionIntervals(
        rows: rows, request: request, covariates: covariates?.vectors, horizon: options.horizon,
        discountRate: options.discountRate, margin: options.margin)
    }
    scores.churnProbability = try churn?.probabilities(for: summaries, notes: notes)
    let models = ModelIDs(
      transaction: type(of: model).modelID, spend: spend.map { type(of: $0).modelID },
      churn: churn.map { _ in LogisticChurn.modelID })
    if let asOf = ScoreSegments.asOf(of: summaries, given: options.asOf) {
      let listed = try options.customersFile.map { try CustomerListReader.read(path: $0) }
      segments = try ScoreSegments(
        summaries: summaries, scores: scores,
        rules: try rules?(asOf) ?? SegmentationRules(asOf: asOf), models: models,
        prospects: listed ?? [])
    } else {
      segments = nil
    }
    self.rows = rows
    self.hasMonetaryValue = summaries.hasMonetaryValue
    self.scores = scores
    self.models = models
    self.unitDays = (modelUnit?.timeUnit ?? summaries.unit).days
  }

  /// The units the times of `summaries` are converted from and to for a model in `modelUnit`,
  /// or nil when they are already in it (or the model counts opportunities, or has no unit):
  /// ``ModelUnit/conversion(from:)``.
  public static func conversion(
    of summaries: CustomerSummaries, to modelUnit: ModelUnit?
  ) -> (from: TimeUnit, to: TimeUnit)? {
    modelUnit?.conversion(from: summaries.unit)
  }

  /// Writes the header, the rows of the customers with orders and the prospect rows.
  public func write(to out: AtomicOutput) throws {
    let cacHeader = acquisition == nil ? "" : "," + ScoreColumns.acquisition.joined(separator: ",")
    let intervalHeader =
      intervals == nil ? "" : "," + ScoreColumns.intervals.joined(separator: ",")
    try out.write(ScoreColumns.header + cacHeader + intervalHeader + "\n")
    try ScoreRowWriter(table: self).write(to: out)
    if let segments {
      let emptyIntervals =
        intervals == nil ? "" : String(repeating: ",", count: ScoreColumns.intervals.count)
      for index in segments.customersWithOrders..<segments.rowCount {
        var line = segments.prospectLine(row: index)
        if let acquisition {
          var bytes = ByteWriter()
          acquisition.appendFields(row: index, to: &bytes)
          line.insert(
            contentsOf: bytes.withBytes { String(decoding: $0, as: UTF8.self) },
            at: line.index(before: line.endIndex))
        }
        if !emptyIntervals.isEmpty {
          line.removeLast()
          line += emptyIntervals + "\n"
        }
        try out.write(line)
      }
    }
  }
}
