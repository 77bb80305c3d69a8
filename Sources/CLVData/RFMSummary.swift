/// Per-customer statistics in the BTYD literature's conventions, in one time unit.
///
/// - `frequency` (x): repeat purchase days (purchase days after the first).
/// - `recency` (tₓ): time from the first to the last purchase day; 0 when x = 0.
/// - `age` (T): time from the first purchase day to the end of observation.
/// - `monetaryValue`: mean purchase-day amount over the repeat purchase days; 0 when x = 0.
///
/// - Source: Fader, Hardie & Lee (2005a), section 2; lifetimes `summary_data_from_transaction_data`.
public struct RFMSummary: Sendable {
  public struct Row: Hashable, Sendable {
    public var customerID: String
    public var frequency: Int
    public var recency: Double
    public var age: Double
    public var monetaryValue: Double

    public init(
      customerID: String, frequency: Int, recency: Double, age: Double, monetaryValue: Double = 0
    ) {
      self.customerID = customerID
      self.frequency = frequency
      self.recency = recency
      self.age = age
      self.monetaryValue = monetaryValue
    }
  }

  public var rows: [Row]
  public var unit: TimeUnit
  /// litt per row, same order as `rows`: Σ log of the customer's x inter-purchase times (the
  /// gaps between consecutive purchase days) in `unit`, 0 when x = 0; nil unless asked for
  /// (``SummaryPeriod/interPurchaseTimes``, or a summary CSV's `litt` column). The
  /// (M)BG/CNBD-k models need it to choose k by likelihood.
  ///
  /// - Source: BTYDplus `elog2cbs` (column `litt`); [PR2016] section 3.
  public var logInterPurchaseTimes: [Double]?

  public init(rows: [Row], unit: TimeUnit, logInterPurchaseTimes: [Double]? = nil) {
    precondition(
      logInterPurchaseTimes.map { $0.count == rows.count } ?? true, "one litt per row")
    self.rows = rows
    self.unit = unit
    self.logInterPurchaseTimes = logInterPurchaseTimes
  }
}
