import CLVData

/// What the scoring rules know about one customer: the purchase history and the model outputs.
///
/// Built by `clv score` from the ingest record (first and last purchase day, longest gap) and
/// the fitted models (P(alive), expected purchases, CLV, churn probability, expected waiting
/// time); built by hand in tests. A customer listed in `--customers` without orders is a
/// *prospect*: ``history`` is nil and so are the model outputs.
public struct CustomerFacts: Sendable, Equatable {
  /// Purchase-day facts of a customer with at least one order.
  public struct History: Sendable, Equatable {
    /// The first purchase day.
    public var firstPurchase: Day
    /// The last purchase day on or before the as-of date.
    public var lastPurchase: Day
    /// Repeat purchase days (x): purchase days after the first; 0 for a one-time buyer.
    public var frequency: Int
    /// The longest gap in days between consecutive purchase days; 0 when `frequency` is 0.
    public var longestGapDays: Int

    public init(firstPurchase: Day, lastPurchase: Day, frequency: Int, longestGapDays: Int) {
      self.firstPurchase = firstPurchase
      self.lastPurchase = lastPurchase
      self.frequency = frequency
      self.longestGapDays = longestGapDays
    }

    /// The customer's own mean inter-purchase time in days, over the `frequency` gaps between
    /// the first and the last purchase day; nil for a one-time buyer.
    ///
    ///     mean IPT = (last − first) / x
    ///
    /// - Source: the sample mean of the gaps, which telescopes to the span over their count.
    public var meanInterPurchaseDays: Double? {
      frequency > 0 ? Double(lastPurchase - firstPurchase) / Double(frequency) : nil
    }
  }

  public var customerID: String
  /// Nil for a prospect (listed, but no orders).
  public var history: History?
  /// P(alive) at the as-of date from the transaction model; nil for a prospect.
  public var probabilityAlive: Double?
  /// Conditional expected purchases over the scoring horizon; the value measure when there is
  /// no CLV (no spend model).
  public var expectedPurchases: Double?
  /// CLV over the scoring horizon (nil without a spend model, and for a prospect).
  public var clv: Double?
  /// Churn probability from a churn classifier (`--churn-model`), when given.
  public var churnProbability: Double?
  /// The model's expected waiting time in days from the as-of date to the next purchase, when
  /// the model provides it (may be infinite: no finite expectation, e.g. BG/NBD with r + x ≤ 1).
  public var expectedWaitingDays: Double?
  /// Whether `expectedWaitingDays` comes from a model whose timing is regular (Erlang-k gaps,
  /// ``ModelPredictions/regularTiming``): it then accounts for the time since the last purchase
  /// and dates the next purchase ahead of the cycle heuristic (see
  /// ``SegmentationRules/expectedNextPurchase(of:)``).
  public var waitingFromRegularTiming = false

  public init(
    customerID: String, history: History?, probabilityAlive: Double? = nil,
    expectedPurchases: Double? = nil, clv: Double? = nil, churnProbability: Double? = nil,
    expectedWaitingDays: Double? = nil
  ) {
    self.customerID = customerID
    self.history = history
    self.probabilityAlive = probabilityAlive
    self.expectedPurchases = expectedPurchases
    self.clv = clv
    self.churnProbability = churnProbability
    self.expectedWaitingDays = expectedWaitingDays
  }

  /// A prospect: listed in the customer file, no orders.
  public static func prospect(_ customerID: String) -> CustomerFacts {
    CustomerFacts(customerID: customerID, history: nil)
  }

  /// The value axis: CLV, or the expected purchases when there is no CLV; nil for a prospect.
  public var value: Double? { clv ?? expectedPurchases }

  /// The activity axis: 1 − churn probability when a churn model is given, else P(alive).
  public var activity: Double? {
    if let churnProbability { return 1 - churnProbability }
    return probabilityAlive
  }
}

extension CustomerFacts {
  /// The facts of a customer with orders, from the ingest record and the model outputs.
  ///
  /// - Parameters:
  ///   - expectedWaitingDays: the transaction model's expected time to the next purchase
  ///     (`expectedTimeToNextPurchase(for:)`, in model units) times the unit's days; the
  ///     waiting time of a Poisson purchaser is memoryless, so it counts from the as-of date.
  public init(
    record: CustomerRecord, probabilityAlive: Double, expectedPurchases: Double?, clv: Double?,
    churnProbability: Double? = nil, expectedWaitingDays: Double? = nil
  ) {
    self.init(
      customerID: record.customerID,
      history: History(
        firstPurchase: record.firstPurchase, lastPurchase: record.lastPurchase,
        frequency: record.calibration.frequency, longestGapDays: record.longestGap),
      probabilityAlive: probabilityAlive, expectedPurchases: expectedPurchases, clv: clv,
      churnProbability: churnProbability, expectedWaitingDays: expectedWaitingDays)
  }
}

extension CustomerFacts.History {
  /// The history of a customer read from a summary CSV (no dates): the days are placed back
  /// from `asOf` with the summary's age and recency,
  ///
  ///     firstPurchase = asOf − round(T · days per unit)
  ///     lastPurchase  = firstPurchase + round(tₓ · days per unit)
  ///
  /// and the longest gap is unknown, taken as 0 (so such a customer is never `returned`).
  /// Summaries rounded to 2 decimals of a week (CDNOW) place the days within a day.
  public init(summaryRow row: RFMSummary.Row, asOf: Day, unit: TimeUnit) {
    let first = asOf - Int((row.age * unit.days).rounded(.toNearestOrAwayFromZero))
    let last = first + Int((row.recency * unit.days).rounded(.toNearestOrAwayFromZero))
    self.init(
      firstPurchase: first, lastPurchase: min(last, asOf), frequency: row.frequency,
      longestGapDays: 0)
  }
}
