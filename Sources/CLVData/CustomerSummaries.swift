/// Holdout-period statistics of one customer: purchase days in (calibration end, observation end].
///
/// - `frequency`: purchase days in the holdout period (every purchase day counts: the first
///   purchase lies in the calibration period).
/// - `monetaryValue`: mean purchase-day amount over those days; 0 when there are none.
/// - `duration`: length of the holdout period in the time unit (the same for every customer).
public struct HoldoutStatistics: Hashable, Sendable, Codable {
  public var frequency: Int
  public var monetaryValue: Double
  public var duration: Double

  public init(frequency: Int, monetaryValue: Double, duration: Double) {
    self.frequency = frequency
    self.monetaryValue = monetaryValue
    self.duration = duration
  }
}

/// Everything later stages need about one customer, from an order log.
public struct CustomerRecord: Hashable, Sendable {
  public var customerID: String
  /// The first purchase day.
  public var firstPurchase: Day
  /// The last purchase day in the summarized period: up to the calibration end when there is
  /// one, else up to the observation end.
  public var lastPurchase: Day
  /// The longest gap, in days, between consecutive purchase days in the summarized period;
  /// 0 for one purchase day.
  public var longestGap: Int
  /// frequency, recency, T (age) and monetary value over the summarized period.
  public var calibration: RFMSummary.Row
  /// Holdout statistics; nil without a calibration end.
  public var holdout: HoldoutStatistics?
  /// The acquisition cohort: the month of the first purchase, `yyyy-MM`.
  public var cohort: String

  public init(
    customerID: String, firstPurchase: Day, lastPurchase: Day, longestGap: Int,
    calibration: RFMSummary.Row, holdout: HoldoutStatistics?, cohort: String
  ) {
    self.customerID = customerID
    self.firstPurchase = firstPurchase
    self.lastPurchase = lastPurchase
    self.longestGap = longestGap
    self.calibration = calibration
    self.holdout = holdout
    self.cohort = cohort
  }
}

/// The period and time unit of a summary.
public struct SummaryPeriod: Sendable, Equatable {
  public var unit: TimeUnit
  /// Orders after this day are ignored (counted). nil: the last date in the file.
  public var observationEnd: Day?
  /// When set, the summary covers orders up to and including this day, customers first seen
  /// later are left out (counted), and holdout statistics cover (calibrationEnd, observationEnd].
  public var calibrationEnd: Day?
  /// Also compute each customer's litt (``RFMSummary/logInterPurchaseTimes``) and the
  /// Wheat–Morrison regularity (``CustomerSummaries/regularity``); off by default (a log per
  /// repeat purchase day).
  public var interPurchaseTimes: Bool

  public init(
    unit: TimeUnit = .week, observationEnd: Day? = nil, calibrationEnd: Day? = nil,
    interPurchaseTimes: Bool = false
  ) {
    self.unit = unit
    self.observationEnd = observationEnd
    self.calibrationEnd = calibrationEnd
    self.interPurchaseTimes = interPurchaseTimes
  }
}

/// Where the summaries came from.
public enum SummaryLayout: String, Sendable {
  /// Built from an order log.
  case orders
  /// A summary CSV `customer_id,frequency,recency,T[,monetary_value]`.
  case summary
  /// A summary CSV `customer_id,frequency_cal,recency_cal,T_cal,…,duration_holdout[,cohort]`.
  case calibrationHoldout
  /// The lifetimes layout: an id column (e.g. `ID`) plus `frequency,recency,T[,monetary_value]`.
  case lifetimes
  /// Aggregated discrete-time data `frequency,recency,periods,weights` (BG/BB): `age` holds the
  /// number of opportunities n, `recency` the index of the last one with a transaction, and
  /// ``CustomerSummaries/weights`` the number of customers per row.
  case donations
}

/// What reading the input did, for the report on standard error.
public struct IngestReport: Sendable {
  public var file: String
  public var bytes = 0
  /// Data rows (order log) or summary rows read.
  public var rows = 0
  /// Rows skipped per reason with the first line, with `skipBadRows`.
  public var badRows: [BadRowReason: (count: Int, firstLine: Int)] = [:]
  public var returnsIgnored = 0
  public var returnsNetted = 0
  /// Returns (under `net`) dated before the customer's first purchase: dropped.
  public var returnsBeforeFirstPurchase = 0
  /// Orders dated after the observation end: ignored.
  public var ordersAfterObservationEnd = 0
  /// Customers whose first purchase is after the calibration end: left out.
  public var customersAfterCalibrationEnd = 0
  /// Customers with returns but no purchase: left out.
  public var customersWithoutPurchase = 0
  /// Customers whose orders were not in date order in the file (recomputed in a second pass).
  public var customersOutOfOrder = 0
  public var dateFormat: DateFormat?
  public var dateDetection: DateFormat.Detection?
  /// How the decimal mark of amounts was detected (nil when given or without amounts).
  public var decimalMarkDetection: DecimalMark.Detection?
  /// Exact duplicate lines of an order dropped (``OrderLines/orderColumn``).
  public var duplicateLinesDropped = 0
  /// Lines of cancelled orders, handled as returns (``OrderLines/cancelPrefix``).
  public var cancellationLines = 0
  /// The amount column used, or nil (no spend).
  public var amountColumn: String?
  public var firstDate: Day?
  public var lastDate: Day?

  public init(file: String) { self.file = file }
}

/// Per-customer summaries in one time unit, with optional holdout statistics, in a stable
/// order: customers appear in the order of their first row in the input.
public struct CustomerSummaries: Sendable {
  /// frequency, recency, T and monetary value per customer (over the calibration period when
  /// there is a calibration end).
  public var summary: RFMSummary
  /// Holdout statistics, same order as `summary.rows`; nil without a calibration end.
  public var holdout: [HoldoutStatistics]?
  /// Acquisition cohorts (`yyyy-MM`), same order; nil when unknown (summary CSV without them).
  public var cohorts: [String]?
  /// Customers per row (donations layout, or a summary CSV's weight column); nil means 1 each.
  public var weights: [Double]?
  /// Whether a summary CSV has a column named `weights` that was not read as the weights (no
  /// weight column was asked for): a count column left unused, worth a warning.
  public var unusedWeightColumn = false
  /// Whether monetary values were read (an amount column, or a monetary column in a summary CSV).
  public var hasMonetaryValue: Bool
  public var layout: SummaryLayout
  public var observationEnd: Day?
  public var calibrationEnd: Day?
  public var report: IngestReport
  /// The Wheat–Morrison regularity of the summarized period's purchases; nil unless asked for
  /// (``SummaryPeriod/interPurchaseTimes``, order logs only).
  public var regularity: PurchaseRegularity?
  /// Per-customer first day, last day and longest gap (order logs only).
  var days: [CustomerDays]?

  struct CustomerDays: Sendable {
    var first: Int32
    var last: Int32
    var longestGap: Int32
  }

  public var unit: TimeUnit { summary.unit }
  public var count: Int { summary.rows.count }

  public init(
    summary: RFMSummary, holdout: [HoldoutStatistics]? = nil, cohorts: [String]? = nil,
    weights: [Double]? = nil, hasMonetaryValue: Bool, layout: SummaryLayout,
    observationEnd: Day? = nil, calibrationEnd: Day? = nil, report: IngestReport
  ) {
    self.summary = summary
    self.holdout = holdout
    self.cohorts = cohorts
    self.weights = weights
    self.hasMonetaryValue = hasMonetaryValue
    self.layout = layout
    self.observationEnd = observationEnd
    self.calibrationEnd = calibrationEnd
    self.report = report
  }

  /// The full per-customer records (dates, longest gap, cohort); nil when the input was a
  /// summary CSV (it has no dates).
  public var records: [CustomerRecord]? {
    guard days != nil else { return nil }
    return (0..<count).map { record(at: $0)! }
  }

  /// The record of the customer at `index`; nil for summary-CSV input.
  public func record(at index: Int) -> CustomerRecord? {
    guard let days else { return nil }
    let d = days[index]
    let first = Day(daysSinceEpoch: Int(d.first))
    return CustomerRecord(
      customerID: summary.rows[index].customerID, firstPurchase: first,
      lastPurchase: Day(daysSinceEpoch: Int(d.last)), longestGap: Int(d.longestGap),
      calibration: summary.rows[index], holdout: holdout?[index],
      cohort: cohorts?[index] ?? first.monthString)
  }

  /// The first and last purchase days and the longest gap in days of the customer at `index`
  /// (as in ``record(at:)``, without building the record); nil for summary-CSV input.
  public func purchaseDays(at index: Int) -> (first: Day, last: Day, longestGap: Int)? {
    guard let days else { return nil }
    let d = days[index]
    return (
      Day(daysSinceEpoch: Int(d.first)), Day(daysSinceEpoch: Int(d.last)), Int(d.longestGap)
    )
  }

  /// The acquisition cohort (`yyyy-MM`) of the customer at `index`, when known.
  public func cohort(at index: Int) -> String? {
    if let cohorts { return cohorts[index] }
    return days.map { Day(daysSinceEpoch: Int($0[index].first)).monthString }
  }

  /// The calibration/holdout view (`split.calibration`, `split.holdout`); nil without holdout
  /// statistics.
  public var split: CalibrationHoldoutSplit? {
    guard let holdout else { return nil }
    return CalibrationHoldoutSplit(
      calibration: summary, holdout: holdout, calibrationEnd: calibrationEnd,
      observationEnd: observationEnd)
  }
}
