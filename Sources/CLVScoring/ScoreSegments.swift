import CLVData

/// The columns appended to the score table (``ScoreColumns/appended``): the facts of every row
/// (customers with orders in summary order, then the prospects of a customer list) built from
/// their history and scores, labelled by ``SegmentationRules`` as ``ScoreAugmenter`` labels
/// them (the same population cycle, value threshold and labels).
///
/// A customer's facts (``facts(row:)``) are built when needed from the summaries and the
/// scores, not kept: a million rows of ``CustomerFacts`` would be about 120 MB. The labels are
/// kept packed, 8 bytes a row.
public struct ScoreSegments: Sendable {
  /// The rules in force: the population cycle filled in from the file when not given.
  public let rules: SegmentationRules
  public let models: ModelIDs
  /// The value threshold in force (given, or the median of the active customers' values).
  public let valueThreshold: Double
  /// The rows with orders; the rows after them are prospects.
  public let customersWithOrders: Int
  private let summaries: CustomerSummaries
  private let scores: BaseScores
  private let prospects: [CustomerFacts]
  private let packed: [PackedLabels]
  private let text: FieldText

  /// All rows: customers with orders, then prospects.
  public var rowCount: Int { customersWithOrders + prospects.count }

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
  /// - Throws: `ScoringError` for a non-finite score or inconsistent dates (the first customer
  ///   in row order).
  public init(
    summaries: CustomerSummaries, scores: BaseScores, rules: SegmentationRules,
    models: ModelIDs, prospects listed: [String] = []
  ) throws {
    let n = summaries.count
    self.summaries = summaries
    self.scores = scores
    self.models = models
    customersWithOrders = n
    prospects =
      listed.isEmpty
      ? []
      : ScoreAugmenter.prospects(
        listed: listed, customersWithOrders: Set(summaries.summary.rows.map(\.customerID)))
    var rules = rules
    let asOf = rules.asOf
    let unit = summaries.unit
    func history(_ i: Int) -> CustomerFacts.History {
      Self.history(summaries, i, asOf: asOf, unit: unit)
    }
    if rules.populationCycleDays == nil {
      rules.populationCycleDays = SegmentationRules.medianCycleDays(count: n, history: history)
    }
    func facts(_ i: Int) -> CustomerFacts {
      Self.facts(summaries, scores, i, history: history(i))
    }
    let threshold = try rules.valueThreshold ?? rules.medianValueThreshold(count: n, facts: facts)
    let rulesInForce = rules
    packed = try Self.packedLabels(count: n) { i in
      PackedLabels(
        try rulesInForce.labels(of: facts(i), valueThreshold: threshold),
        departingDays: rulesInForce.departingDays)
    }
    self.rules = rules
    valueThreshold = threshold
    text = FieldText(rules: rules, models: models)
  }

  /// The purchase history of customer `i`: from the order log's days, or placed back from
  /// the summary row and `asOf` (``CustomerFacts/History/init(summaryRow:asOf:unit:)``).
  private static func history(
    _ summaries: CustomerSummaries, _ i: Int, asOf: Day, unit: TimeUnit
  ) -> CustomerFacts.History {
    let row = summaries.summary.rows[i]
    guard let days = summaries.purchaseDays(at: i) else {
      return CustomerFacts.History(summaryRow: row, asOf: asOf, unit: unit)
    }
    return CustomerFacts.History(
      firstPurchase: days.first, lastPurchase: days.last, frequency: row.frequency,
      longestGapDays: days.longestGap)
  }

  private static func facts(
    _ summaries: CustomerSummaries, _ scores: BaseScores, _ i: Int,
    history: CustomerFacts.History
  ) -> CustomerFacts {
    var facts = CustomerFacts(
      customerID: summaries.summary.rows[i].customerID, history: history,
      probabilityAlive: scores.probabilityAlive[i],
      expectedPurchases: scores.expectedPurchases[i],
      clv: scores.clv.isEmpty ? nil : scores.clv[i],
      churnProbability: scores.churnProbability?[i],
      expectedWaitingDays: scores.expectedWaitingDays.isEmpty
        ? nil : scores.expectedWaitingDays[i])
    facts.waitingFromRegularTiming = scores.waitingFromRegularTiming
    return facts
  }

  /// The facts of row `row` (a customer with orders, or a prospect).
  public func facts(row: Int) -> CustomerFacts {
    guard row < customersWithOrders else { return prospects[row - customersWithOrders] }
    return Self.facts(
      summaries, scores, row,
      history: Self.history(summaries, row, asOf: rules.asOf, unit: summaries.unit))
  }

  /// The labels of row `row` (segment, lifecycle stage, expected next purchase).
  public func labels(row: Int) -> CustomerLabels {
    guard row < customersWithOrders else {
      return CustomerLabels(segment: .prospect, lifecycleStage: nil, expectedNextPurchase: nil)
    }
    return packed[row].labels(departingDays: rules.departingDays)
  }

  /// Appends the segment fields of row `row` (safe from several threads).
  public func appendFields(row: Int, to bytes: inout ByteWriter) {
    guard row < customersWithOrders else {
      text.appendFields(
        segment: .prospect, stage: nil, history: nil, expectedNextPurchase: nil,
        churnProbability: nil, to: &bytes)
      return
    }
    let label = packed[row].labels(departingDays: rules.departingDays)
    text.appendFields(
      segment: label.segment, stage: label.lifecycleStage,
      history: Self.history(summaries, row, asOf: rules.asOf, unit: summaries.unit),
      expectedNextPurchase: label.expectedNextPurchase,
      churnProbability: scores.churnProbability?[row], to: &bytes)
  }

  /// The appended fields of row `row` as text (for tests and small outputs).
  public func fields(row: Int) -> String {
    var bytes = ByteWriter()
    appendFields(row: row, to: &bytes)
    return bytes.withBytes { String(decoding: $0, as: UTF8.self) }
  }

  /// The whole line of a prospect row (`row ≥ customersWithOrders`): the id, empty base
  /// fields, the segment fields, and a line end.
  public func prospectLine(row: Int) -> String {
    ScoreAugmenter.quoted(prospects[row - customersWithOrders].customerID)
      + String(repeating: ",", count: ScoreColumns.base.count - 1)
      + fields(row: row) + "\n"
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
    models: [UInt8], churnProbability: Double?, to bytes: inout ByteWriter
  ) {
    for _ in 0...ScoreColumns.datedFieldCount { bytes.append(UInt8(ascii: ",")) }
    if let churnProbability { NumberText.appendCompact(churnProbability, to: &bytes) }
    bytes.append(models)
  }

  /// `label(i)` for i in 0..<count, in parallel chunks.
  /// - Throws: the error of the first failing row (in row order).
  private static func packedLabels(
    count: Int, _ label: (Int) throws -> PackedLabels
  ) throws -> [PackedLabels] {
    let chunks = Parallel.chunks(count: count)
    let errors = Parallel.ErrorSlots(count: chunks.count)
    let result = [PackedLabels](unsafeUninitializedCapacity: count) { buffer, initialized in
      let base = Parallel.SendablePointer(buffer.baseAddress)
      Parallel.forEach(chunks) { chunk, range in
        for i in range {
          do {
            (base.pointer! + i).initialize(to: try label(i))
          } catch {
            errors.record(error, chunk: chunk)
            // The array is discarded; its slots only need to be initialized.
            for j in i..<range.upperBound { (base.pointer! + j).initialize(to: PackedLabels()) }
            return
          }
        }
      }
      initialized = count
    }
    if let error = errors.first { throw error }
    return result
  }
}

/// ``CustomerLabels`` of a customer with orders in 8 bytes: the segment, the lifecycle stage
/// (0 new, 1 active, 2 returned, 3 + k departing past the k-th threshold) and the expected
/// next purchase (days since the epoch; `Int32.min` for none).
struct PackedLabels: Sendable {
  var segment: UInt8 = 0
  var stage: UInt8 = 0
  var next: Int32 = .min

  init() {}

  init(_ labels: CustomerLabels, departingDays: [Int]) {
    segment = UInt8(labels.segment.ordinal)
    switch labels.lifecycleStage {
    case .new, nil: stage = 0
    case .active: stage = 1
    case .returned: stage = 2
    case .departing(let days): stage = UInt8(3 + departingDays.firstIndex(of: days)!)
    }
    next = labels.expectedNextPurchase.map { Int32(clamping: $0.daysSinceEpoch) } ?? .min
  }

  func labels(departingDays: [Int]) -> CustomerLabels {
    let lifecycle: LifecycleStage
    switch stage {
    case 0: lifecycle = .new
    case 1: lifecycle = .active
    case 2: lifecycle = .returned
    default: lifecycle = .departing(days: departingDays[Int(stage) - 3])
    }
    return CustomerLabels(
      segment: Segment(ordinal: segment), lifecycleStage: lifecycle,
      expectedNextPurchase: next == .min ? nil : Day(daysSinceEpoch: Int(next)))
  }
}
