import ArgumentParser
import CLVData
import CLVScoring

/// The segment and lifecycle options of `clv score` (rules in CLVScoring's `SegmentationRules`).
struct SegmentOptions: ParsableArguments {
  @Option(
    name: .customLong("alive-threshold"),
    help: """
      Active when P(alive) (or 1 - churn probability) is at least this and the customer is \
      not lapsed (see --lapse-cycles).
      """)
  var aliveThreshold: Double = SegmentationRules.defaultAliveThreshold

  @Option(
    name: .customLong("value-threshold"),
    help: """
      High value when CLV (expected purchases without a spend model) is above this \
      (default: the median of the active customers).
      """)
  var valueThreshold: Double?

  @Option(
    name: .customLong("new-window-days"),
    help:
      "A one-time buyer whose first purchase is at most this many days old is a new-buyer."
  )
  var newWindowDays: Int = SegmentationRules.defaultNewWindowDays

  @Option(
    name: .customLong("departing-days"),
    help:
      "Days since the last purchase that start departing-N stages, ascending.")
  var departingDays: String = "90,180,360"

  @Option(
    name: .customLong("lapse-cycles"),
    help: """
      A repeat buyer silent for more than this many of their own purchase cycles (and more \
      than the first departing days) is lapsed, never in an active segment; a one-time buyer \
      is lapsed past the first departing days.
      """)
  var lapseCycles: Double = SegmentationRules.defaultLapseCycles

  @Option(
    name: .customLong("customers"),
    help: """
      CSV with a customer_id column: listed customers without orders get a prospect row \
      ('-' for standard input; default: none).
      """)
  var customers: String?

  @Option(
    name: .customLong("churn-model"),
    help: """
      churn-logit model file from 'clv train': adds churn_probability, which replaces P(alive) \
      on the activity axis (default: none).
      """)
  var churnModel: String?

  @Option(
    help: "Customer attributes CSV, for a churn model with attribute features (default: none).")
  var attributes: String?

  func validate() throws {
    if attributes != nil, churnModel == nil {
      throw ValidationError("--attributes needs --churn-model")
    }
    guard aliveThreshold >= 0, aliveThreshold <= 1 else {
      throw ValidationError("--alive-threshold must be in [0, 1]; got \(aliveThreshold)")
    }
    if let valueThreshold, !valueThreshold.isFinite {
      throw ValidationError("--value-threshold must be a number; got \(valueThreshold)")
    }
    guard lapseCycles > 0, lapseCycles.isFinite else {
      throw ValidationError("--lapse-cycles must be a positive number; got \(lapseCycles)")
    }
    guard newWindowDays >= 0 else {
      throw ValidationError("--new-window-days must be 0 or more; got \(newWindowDays)")
    }
    _ = try parsedDepartingDays()
  }

  /// `--departing-days` as ascending positive integers.
  func parsedDepartingDays() throws -> [Int] {
    let days = departingDays.split(separator: ",", omittingEmptySubsequences: false).map {
      Int($0.trimmingPrefix(" "))
    }
    guard !days.isEmpty, days.allSatisfy({ ($0 ?? 0) > 0 }) else {
      throw ValidationError(
        "--departing-days '\(departingDays)': expected positive integers, e.g. 90,180,360")
    }
    let values = days.map { $0! }
    guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else {
      throw ValidationError("--departing-days '\(departingDays)' must be strictly ascending")
    }
    return values
  }

  func rules(asOf: Day) throws -> SegmentationRules {
    try SegmentationRules(
      asOf: asOf, aliveThreshold: aliveThreshold, valueThreshold: valueThreshold,
      newWindowDays: newWindowDays, departingDays: try parsedDepartingDays(),
      lapseCycles: lapseCycles)
  }
}

/// The per-customer model outputs `clv score` has computed for its base columns, in the order
/// of `summaries.summary.rows`.
struct BaseScores {
  var probabilityAlive: [Double] = []
  var expectedPurchases: [Double] = []
  /// nil entries (or an empty array) without a spend model.
  var clv: [Double?] = []
  /// The model's expected time to the next purchase, in days (nil: the model has none).
  var expectedWaitingDays: [Double?] = []
  /// From `--churn-model`; nil without one.
  var churnProbability: [Double]?
}

/// The columns `clv score` appends: builds the facts of every row (customers with orders in
/// summary order, then the prospects of `--customers`) and the `ScoreAugmenter` over them.
///
/// The hook in `Score.run()`, after the base scores of every row are known (first pass) and
/// before the rows are written (second pass):
///
///     let segments = try ScoreSegments.make(
///       summaries: summaries, scores: base, options: segmentOptions,
///       models: ModelIDs(transaction: modelFile.model, spend: …, churn: …),
///       asOf: asOf.flatMap { Day(iso: $0) })
///     header += ScoreSegments.header                  // ",segment,…,churn_model"
///     row i < summaries.count:  base fields, then segments.appendFields(row: i, to: &bytes)
///                               (ScoreSegments.appendUndatedFields(…) when segments is nil)
///     rows summaries.count…:    segments.prospectLine(row: i)   (empty base fields)
struct ScoreSegments {
  let augmenter: ScoreAugmenter
  let customersWithOrders: Int

  /// `,segment,lifecycle_stage,…,churn_model`.
  static let header = "," + ScoreAugmenter.columns.joined(separator: ",")
  /// `,model,spend_model,churn_model`: the last of the appended fields, for rows without dates.
  static func undatedModelFields(models: ModelIDs) -> [UInt8] {
    Array(
      [models.transaction, models.spend, models.churn]
        .map { "," + ($0.map(ScoreAugmenter.quoted) ?? "") }.joined().utf8)
  }
  /// Appends the fields when there are no dates to segment by: empty but for the churn
  /// probability and the model ids (`models`: from ``undatedModelFields(models:)``).
  static func appendUndatedFields(
    models: [UInt8], churnProbability: Double?, to bytes: inout [UInt8]
  ) {
    for _ in 0..<7 { bytes.append(44) }
    if let churnProbability { NumberText.appendCompact(churnProbability, to: &bytes) }
    bytes.append(contentsOf: models)
  }
  /// All rows: customers with orders, then prospects.
  var rowCount: Int { augmenter.customers.count }

  /// The segment columns, or nil when the input has no dates to segment by: a summary CSV
  /// without an as-of date (`--as-of`), or the donations layout (opportunities, not days).
  /// Then `clv score` writes the columns empty.
  ///
  /// - Throws: `DataError` for an unreadable or malformed `--customers` file; `ScoringError`
  ///   for a non-finite score or inconsistent dates.
  ///
  /// - Parameter asOf: `clv score --as-of`, which dates a summary CSV (an order log's as-of
  ///   date is its observation end).
  static func make(
    summaries: CustomerSummaries, scores: BaseScores, options: SegmentOptions, models: ModelIDs,
    asOf: Day? = nil
  ) throws -> ScoreSegments? {
    guard summaries.layout != .donations,
      let asOf = summaries.observationEnd ?? asOf ?? summaries.report.lastDate
    else { return nil }
    return try ScoreSegments(
      summaries: summaries, scores: scores, options: options, models: models, asOf: asOf)
  }

  private init(
    summaries: CustomerSummaries, scores: BaseScores, options: SegmentOptions, models: ModelIDs,
    asOf: Day
  ) throws {
    let rules = try options.rules(asOf: asOf)
    let n = summaries.count
    var facts: [CustomerFacts] = []
    facts.reserveCapacity(n)
    for i in 0..<n {
      let row = summaries.summary.rows[i]
      let history =
        summaries.record(at: i).map {
          CustomerFacts.History(
            firstPurchase: $0.firstPurchase, lastPurchase: $0.lastPurchase,
            frequency: $0.calibration.frequency, longestGapDays: $0.longestGap)
        } ?? CustomerFacts.History(summaryRow: row, asOf: asOf, unit: summaries.unit)
      facts.append(
        CustomerFacts(
          customerID: row.customerID, history: history,
          probabilityAlive: scores.probabilityAlive[i],
          expectedPurchases: scores.expectedPurchases[i],
          clv: scores.clv.isEmpty ? nil : scores.clv[i],
          churnProbability: scores.churnProbability?[i],
          expectedWaitingDays: scores.expectedWaitingDays.isEmpty
            ? nil : scores.expectedWaitingDays[i]))
    }
    if let path = options.customers {
      let listed = try CustomerListReader.read(path: path)
      let known = Set(summaries.summary.rows.map(\.customerID))
      facts += ScoreAugmenter.prospects(listed: listed, customersWithOrders: known)
    }
    augmenter = try ScoreAugmenter(customers: facts, rules: rules, models: models)
    customersWithOrders = n
  }

  /// Appends the segment fields of row `row` (safe from several threads).
  func appendFields(row: Int, to bytes: inout [UInt8]) {
    augmenter.appendFields(row: row, to: &bytes)
  }

  /// The whole line of a prospect row (`row ≥ customersWithOrders`): the id, nine empty base
  /// fields, the segment fields, and a line end.
  func prospectLine(row: Int) -> String {
    ScoreAugmenter.quoted(augmenter.customers[row].customerID) + ",,,,,,,,,"
      + augmenter.fields(row: row) + "\n"
  }
}
