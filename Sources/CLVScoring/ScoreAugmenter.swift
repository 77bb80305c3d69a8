import CLVData

/// The ids of the models behind a scores file (`bgnbd`, `gamma-gamma`, `churn-logit`, …).
public struct ModelIDs: Sendable, Equatable {
  public var transaction: String?
  public var spend: String?
  public var churn: String?

  public init(transaction: String?, spend: String? = nil, churn: String? = nil) {
    self.transaction = transaction
    self.spend = spend
    self.churn = churn
  }
}

/// The columns `clv score` appends to its base columns: segment, lifecycle stage, dates,
/// churn probability and model ids, computed for the whole file.
///
/// How `clv score` uses it (the hook):
///
///     let rules = try SegmentationRules(asOf: asOf, aliveThreshold: …, valueThreshold: …,
///                                       newWindowDays: …, departingDays: …)
///     let facts: [CustomerFacts] = …  // one per output row, in output order (prospects last)
///     let augmenter = try ScoreAugmenter(customers: facts, rules: rules,
///                                        models: ModelIDs(transaction: "bgnbd", spend: …))
///     header += "," + ScoreAugmenter.columns.joined(separator: ",")
///     // per row i, after the base fields (may run in parallel chunks):
///     augmenter.appendFields(row: i, to: &bytes)      // appends ",segment,…,churn_model"
///
/// The first pass (the median value threshold and the labels) happens in `init`, in parallel
/// chunks; `appendFields` is pure and safe to call from several threads.
public struct ScoreAugmenter: Sendable {
  /// The appended columns, in order (``ScoreColumns/appended``).
  public static var columns: [String] { ScoreColumns.appended }

  public let rules: SegmentationRules
  public let models: ModelIDs
  /// The value threshold in force (given, or the median of the active customers' values).
  public let valueThreshold: Double
  public let customers: [CustomerFacts]
  public let labels: [CustomerLabels]
  private let text: FieldText

  /// Computes the population cycle (when `rules` has none: the median of `customers`' own mean
  /// gaps, ``SegmentationRules/medianCycleDays(of:)``), the value threshold and every
  /// customer's labels.
  /// - Throws: ``ScoringError`` for a non-finite input or inconsistent dates.
  public init(customers: [CustomerFacts], rules: SegmentationRules, models: ModelIDs) throws {
    var rules = rules
    if rules.populationCycleDays == nil {
      rules.populationCycleDays = SegmentationRules.medianCycleDays(of: customers)
    }
    self.rules = rules
    self.models = models
    self.customers = customers
    valueThreshold = try rules.resolvedValueThreshold(for: customers)
    labels = try rules.labels(of: customers, valueThreshold: valueThreshold)
    text = FieldText(rules: rules, models: models)
  }

  /// Appends `,segment,lifecycle_stage,as_of,first_purchase,last_purchase,`
  /// `expected_next_purchase,churn_probability,model,spend_model,churn_model` of row `row`
  /// (empty fields where there is no value: a prospect's stage and dates, no churn model).
  public func appendFields(row: Int, to bytes: inout ByteWriter) {
    let label = labels[row]
    text.appendFields(
      segment: label.segment, stage: label.lifecycleStage, history: customers[row].history,
      expectedNextPurchase: label.expectedNextPurchase,
      churnProbability: customers[row].churnProbability, to: &bytes)
  }

  /// `text` as one CSV field: quoted (quotes doubled) when it holds a comma, quote or line end.
  public static func quoted(_ text: String) -> String { CSVField.quoted(text) }

  /// The appended fields of row `row` as text (for tests and small outputs).
  public func fields(row: Int) -> String {
    var bytes = ByteWriter()
    appendFields(row: row, to: &bytes)
    return bytes.withBytes { String(decoding: $0, as: UTF8.self) }
  }
}

/// Pre-rendered bytes of the appended fields: writing a million rows must not build Strings.
/// The one writer of the appended fields (``ScoreAugmenter`` and ``ScoreSegments``).
struct FieldText: Sendable {
  let segments: [[UInt8]]
  let stages: [[UInt8]]  // new, active, returned, then one per departing threshold
  let departingDays: [Int]
  let asOf: [UInt8]
  let models: [UInt8]
  /// `yyyy-MM-dd` of the days `firstDay ..< firstDay + count`, 10 bytes each (±100 years
  /// around as-of); other days are formatted on the fly.
  let dates: [UInt8]
  let firstDay: Int
  let dayCount: Int

  init(rules: SegmentationRules, models ids: ModelIDs) {
    segments = Segment.allCases.map { Array($0.rawValue.utf8) }
    departingDays = rules.departingDays
    stages =
      ([LifecycleStage.new, .active, .returned]
      + rules.departingDays.map {
        LifecycleStage.departing(days: $0)
      }).map { Array($0.description.utf8) }
    var asOfBytes: [UInt8] = []
    CSVField.appendISO(rules.asOf, to: &asOfBytes)
    asOf = asOfBytes
    var modelBytes: [UInt8] = []
    for id in [ids.transaction, ids.spend, ids.churn] {
      modelBytes.append(UInt8(ascii: ","))
      if let id { CSVField.appendQuoted(id, to: &modelBytes) }
    }
    models = modelBytes
    dayCount = 2 * 36_525 + 1
    firstDay = rules.asOf.daysSinceEpoch - 36_525
    var table: [UInt8] = []
    table.reserveCapacity(dayCount * 10)
    for offset in 0..<dayCount {
      CSVField.appendISO(Day(daysSinceEpoch: firstDay + offset), to: &table)
    }
    dates = table
  }

  func append(_ field: [UInt8], to bytes: inout ByteWriter) {
    bytes.append(field)
  }

  func appendDay(_ day: Day, to bytes: inout ByteWriter) {
    let offset = day.daysSinceEpoch - firstDay
    guard offset >= 0, offset < dayCount else {
      var text: [UInt8] = []
      CSVField.appendISO(day, to: &text)
      bytes.append(text)
      return
    }
    dates.withUnsafeBytes {
      bytes.append(UnsafeRawBufferPointer(rebasing: $0[(offset * 10)..<(offset * 10 + 10)]))
    }
  }

  func appendStage(_ stage: LifecycleStage, to bytes: inout ByteWriter) {
    switch stage {
    case .new: append(stages[0], to: &bytes)
    case .active: append(stages[1], to: &bytes)
    case .returned: append(stages[2], to: &bytes)
    case .departing(let days):
      if let index = departingDays.firstIndex(of: days) {
        append(stages[3 + index], to: &bytes)
      } else {
        bytes.append(utf8: stage.description)
      }
    }
  }

  /// Appends `,segment,lifecycle_stage,as_of,first_purchase,last_purchase,`
  /// `expected_next_purchase,churn_probability,model,spend_model,churn_model` (`stage` and
  /// `history` nil for a prospect).
  @inline(__always)
  func appendFields(
    segment: Segment, stage: LifecycleStage?, history: CustomerFacts.History?,
    expectedNextPurchase: Day?, churnProbability: Double?, to bytes: inout ByteWriter
  ) {
    let comma = UInt8(ascii: ",")
    bytes.append(comma)
    append(segments[segment.ordinal], to: &bytes)
    bytes.append(comma)
    if let stage { appendStage(stage, to: &bytes) }
    bytes.append(comma)
    append(asOf, to: &bytes)
    bytes.append(comma)
    if let history { appendDay(history.firstPurchase, to: &bytes) }
    bytes.append(comma)
    if let history { appendDay(history.lastPurchase, to: &bytes) }
    bytes.append(comma)
    if let next = expectedNextPurchase { appendDay(next, to: &bytes) }
    bytes.append(comma)
    if let churnProbability { NumberText.appendCompact(churnProbability, to: &bytes) }
    append(models, to: &bytes)
  }
}

extension Segment {
  /// The position in `allCases`.
  var ordinal: Int {
    switch self {
    case .prospect: return 0
    case .newBuyer: return 1
    case .loyal: return 2
    case .lowAOVRegular: return 3
    case .atRisk: return 4
    case .nonTarget: return 5
    case .lowFrequencyRegular: return 6
    }
  }

  /// The segment at ``ordinal`` `ordinal` (0…6).
  init(ordinal: UInt8) {
    switch ordinal {
    case 0: self = .prospect
    case 1: self = .newBuyer
    case 2: self = .loyal
    case 3: self = .lowAOVRegular
    case 4: self = .atRisk
    case 5: self = .nonTarget
    default: self = .lowFrequencyRegular
    }
  }
}
