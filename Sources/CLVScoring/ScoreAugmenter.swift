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
  /// The appended columns, in order.
  public static let columns = [
    "segment", "lifecycle_stage", "as_of", "first_purchase", "last_purchase",
    "expected_next_purchase", "churn_probability", "model", "spend_model", "churn_model",
  ]

  public let rules: SegmentationRules
  public let models: ModelIDs
  /// The value threshold in force (given, or the median of the active customers' values).
  public let valueThreshold: Double
  public let customers: [CustomerFacts]
  public let labels: [CustomerLabels]
  private let modelFields: [UInt8]
  private let asOfField: [UInt8]

  /// Computes the value threshold and every customer's labels.
  /// - Throws: ``ScoringError`` for a non-finite input or inconsistent dates.
  public init(customers: [CustomerFacts], rules: SegmentationRules, models: ModelIDs) throws {
    self.rules = rules
    self.models = models
    self.customers = customers
    valueThreshold = try rules.resolvedValueThreshold(for: customers)
    labels = try rules.labels(of: customers, valueThreshold: valueThreshold)
    var fields: [UInt8] = []
    for id in [models.transaction, models.spend, models.churn] {
      fields.append(UInt8(ascii: ","))
      if let id { CSVField.appendQuoted(id, to: &fields) }
    }
    modelFields = fields
    var asOf: [UInt8] = []
    CSVField.appendISO(rules.asOf, to: &asOf)
    asOfField = asOf
  }

  /// Appends `,segment,lifecycle_stage,as_of,first_purchase,last_purchase,`
  /// `expected_next_purchase,churn_probability,model,spend_model,churn_model` of row `row`
  /// (empty fields where there is no value: a prospect's stage and dates, no churn model).
  public func appendFields(row: Int, to bytes: inout [UInt8]) {
    let customer = customers[row]
    let label = labels[row]
    bytes.append(UInt8(ascii: ","))
    bytes.append(contentsOf: label.segment.rawValue.utf8)
    bytes.append(UInt8(ascii: ","))
    if let stage = label.lifecycleStage { bytes.append(contentsOf: stage.description.utf8) }
    bytes.append(UInt8(ascii: ","))
    bytes.append(contentsOf: asOfField)
    bytes.append(UInt8(ascii: ","))
    if let history = customer.history { CSVField.appendISO(history.firstPurchase, to: &bytes) }
    bytes.append(UInt8(ascii: ","))
    if let history = customer.history { CSVField.appendISO(history.lastPurchase, to: &bytes) }
    bytes.append(UInt8(ascii: ","))
    if let next = label.expectedNextPurchase { CSVField.appendISO(next, to: &bytes) }
    bytes.append(UInt8(ascii: ","))
    if let churn = customer.churnProbability { bytes.append(contentsOf: "\(churn)".utf8) }
    bytes.append(contentsOf: modelFields)
  }

  /// The appended fields of row `row` as text (for tests and small outputs).
  public func fields(row: Int) -> String {
    var bytes: [UInt8] = []
    appendFields(row: row, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }
}
