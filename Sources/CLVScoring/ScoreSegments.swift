import CLVData

/// The columns appended to the score table (``ScoreColumns/appended``): the facts of every row
/// (customers with orders in summary order, then the prospects of a customer list) built from
/// their history and scores, labelled by ``SegmentationRules`` through a ``ScoreAugmenter``.
public struct ScoreSegments: Sendable {
  public let augmenter: ScoreAugmenter
  /// The rows with orders; the rows after them are prospects.
  public let customersWithOrders: Int

  /// All rows: customers with orders, then prospects.
  public var rowCount: Int { augmenter.customers.count }

  /// The day the segments are computed at, or nil when the input has no dates to segment by:
  /// a summary CSV without `asOf`, or the donations layout (opportunities, not days).
  ///
  /// - Parameter asOf: the date given for a summary CSV (an order log's as-of date is its
  ///   observation end, else its last date).
  public static func asOf(of summaries: CustomerSummaries, given asOf: Day?) -> Day? {
    guard summaries.layout != .donations else { return nil }
    return summaries.observationEnd ?? asOf ?? summaries.report.lastDate
  }

  /// Labels every customer of `summaries` (scores in row order) and the `prospects` (ids
  /// without orders are appended; listed customers with orders are not repeated).
  ///
  /// - Throws: `ScoringError` for a non-finite score or inconsistent dates.
  public init(
    summaries: CustomerSummaries, scores: BaseScores, rules: SegmentationRules,
    models: ModelIDs, prospects listed: [String] = []
  ) throws {
    let asOf = rules.asOf
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
      var fact = CustomerFacts(
        customerID: row.customerID, history: history,
        probabilityAlive: scores.probabilityAlive[i],
        expectedPurchases: scores.expectedPurchases[i],
        clv: scores.clv.isEmpty ? nil : scores.clv[i],
        churnProbability: scores.churnProbability?[i],
        expectedWaitingDays: scores.expectedWaitingDays.isEmpty
          ? nil : scores.expectedWaitingDays[i])
      fact.waitingFromRegularTiming = scores.waitingFromRegularTiming
      facts.append(fact)
    }
    if !listed.isEmpty {
      let known = Set(summaries.summary.rows.map(\.customerID))
      facts += ScoreAugmenter.prospects(listed: listed, customersWithOrders: known)
    }
    augmenter = try ScoreAugmenter(customers: facts, rules: rules, models: models)
    customersWithOrders = n
  }

  /// The labels of row `row` (segment, lifecycle stage, expected next purchase).
  public func labels(row: Int) -> CustomerLabels { augmenter.labels[row] }

  /// Appends the segment fields of row `row` (safe from several threads).
  public func appendFields(row: Int, to bytes: inout [UInt8]) {
    augmenter.appendFields(row: row, to: &bytes)
  }

  /// The whole line of a prospect row (`row ≥ customersWithOrders`): the id, empty base
  /// fields, the segment fields, and a line end.
  public func prospectLine(row: Int) -> String {
    ScoreAugmenter.quoted(augmenter.customers[row].customerID)
      + String(repeating: ",", count: ScoreColumns.base.count - 1)
      + augmenter.fields(row: row) + "\n"
  }

  /// `,model,spend_model,churn_model`: the last of the appended fields, for rows without
  /// dates.
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
    for _ in 0...ScoreColumns.datedFieldCount { bytes.append(UInt8(ascii: ",")) }
    if let churnProbability { NumberText.appendCompact(churnProbability, to: &bytes) }
    bytes.append(contentsOf: models)
  }
}
