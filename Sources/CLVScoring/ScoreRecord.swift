import CLVData

/// One row of a scores file (as `clv score` writes it), with the fields the campaigns use.
public struct ScoreRecord: Sendable, Equatable {
  public var customerID: String
  /// The row's line in its file (the header is line 1), for error messages.
  public var line: Int
  public var frequency: Int?
  public var probabilityAlive: Double?
  public var expectedPurchases: Double?
  public var clv: Double?
  public var churnProbability: Double?
  public var segment: Segment
  /// Nil for a prospect.
  public var lifecycleStage: LifecycleStage?
  public var lastPurchase: Day?
  public var expectedNextPurchase: Day?
  /// The history the scores were computed from, in the purchase model's unit (the file's
  /// `recency`, `T` and `monetary_value`; nil for a prospect).
  public var recency: Double?
  public var age: Double?
  public var monetaryValue: Double?

  public init(
    customerID: String, line: Int = 0, frequency: Int? = nil, probabilityAlive: Double?,
    expectedPurchases: Double? = nil, clv: Double?, churnProbability: Double? = nil,
    segment: Segment, lifecycleStage: LifecycleStage?, lastPurchase: Day? = nil,
    expectedNextPurchase: Day? = nil, recency: Double? = nil, age: Double? = nil,
    monetaryValue: Double? = nil
  ) {
    self.customerID = customerID
    self.line = line
    self.frequency = frequency
    self.probabilityAlive = probabilityAlive
    self.expectedPurchases = expectedPurchases
    self.clv = clv
    self.churnProbability = churnProbability
    self.segment = segment
    self.lifecycleStage = lifecycleStage
    self.lastPurchase = lastPurchase
    self.expectedNextPurchase = expectedNextPurchase
    self.recency = recency
    self.age = age
    self.monetaryValue = monetaryValue
  }

  /// The customer's (x, tₓ, T, monetary value) as scored, in the purchase model's unit; nil
  /// when the file leaves any of x, tₓ, T empty (a prospect). An empty monetary value is 0.
  public var summaryRow: RFMSummary.Row? {
    guard let frequency, let recency, let age else { return nil }
    return RFMSummary.Row(
      customerID: customerID, frequency: frequency, recency: recency, age: age,
      monetaryValue: monetaryValue ?? 0)
  }

  /// CLV, or expected purchases when the file has no CLV (no spend model).
  public var value: Double? { clv ?? expectedPurchases }
}

/// A scores file: its rows and the as-of date they share.
public struct ScoresTable: Sendable, Equatable {
  public var file: String
  public var records: [ScoreRecord]
  /// The `as_of` of every row; nil when the file has no rows.
  public var asOf: Day?

  public init(file: String, records: [ScoreRecord], asOf: Day?) {
    self.file = file
    self.records = records
    self.asOf = asOf
  }
}
