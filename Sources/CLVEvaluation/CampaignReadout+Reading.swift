import CLVData
import CLVScoring

extension CampaignReadout {
  /// The measurement window and the money settings of a readout.
  public struct Settings: Sendable, Equatable {
    /// The first and last day of the window (inclusive): orders outside are ignored.
    public var start: Day
    public var end: Day
    public var offerCost: Double
    public var margin: Double
    /// The method of the orders and revenue per customer intervals.
    public var intervals: MeanIntervals
    public init(
      start: Day, end: Day, offerCost: Double = 0, margin: Double = 1,
      intervals: MeanIntervals = .standard
    ) {
      self.start = start
      self.end = end
      self.offerCost = offerCost
      self.margin = margin
      self.intervals = intervals
    }
  }

  /// Each list customer's outcome in the window from an order log: orders of customers not on
  /// the list are ignored, list customers without orders are zero outcomes. One order is one
  /// order of the log (one row, or one order id with `--order-column`); revenue is the sum of
  /// the amounts (after the returns policy; 0 without an amount column).
  public static func outcomes(
    of list: [CampaignListReader.Row], orders reader: OrdersCSVReader, start: Day, end: Day
  ) throws -> [(group: CampaignGroup, outcome: CampaignOutcome)] {
    var index: [String: Int] = [:]
    index.reserveCapacity(list.count)
    for (i, row) in list.enumerated() { index[row.customerID] = i }
    var outcomes = list.map { (group: $0.group, outcome: CampaignOutcome()) }
    try reader.forEachOrder { id, day, amount, _ in
      guard day >= start, day <= end,
        let i = index[String(decoding: id, as: UTF8.self)]
      else { return }
      outcomes[i].outcome.orders += 1
      outcomes[i].outcome.revenue += amount
    }
    return outcomes
  }

  /// Reads the list at `listPath` and the order log at `ordersPath` and measures.
  /// - Throws: ``DataError`` for unreadable or malformed files;
  ///   ``EvaluationError/unusableSample(what:reason:)`` for a window that ends before it starts
  ///   or groups that are too small (see ``init(outcomes:offerCost:margin:intervals:)``).
  public static func measure(
    list listPath: String, orders ordersPath: String, format: OrderLogFormat, settings: Settings
  ) throws -> CampaignReadout {
    guard settings.start <= settings.end else {
      throw EvaluationError.unusableSample(
        what: "campaign readout",
        reason: "the window ends (\(settings.end)) before it starts (\(settings.start))")
    }
    let list = try CampaignListReader.read(path: listPath)
    let reader = try OrdersCSVReader.open(path: ordersPath, format: format)
    return try CampaignReadout(
      outcomes: outcomes(of: list, orders: reader, start: settings.start, end: settings.end),
      offerCost: settings.offerCost, margin: settings.margin, intervals: settings.intervals)
  }
}
