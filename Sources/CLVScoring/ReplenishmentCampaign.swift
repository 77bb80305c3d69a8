import CLVData

/// One customer on a replenishment list.
public struct ReplenishmentEntry: Sendable, Equatable {
  /// Where the due date comes from.
  public enum DueSource: String, Sendable {
    /// The scores file's `expected_next_purchase`.
    case expectedNextPurchase = "expected-next-purchase"
    /// `last_purchase + --cycle-days`.
    case cycle
  }

  public var record: ScoreRecord
  public var dueDate: Day
  public var sendDate: Day
  /// dueDate − asOf (negative: overdue).
  public var daysUntilDue: Int
  public var dueSource: DueSource
  public var reason: String
}

/// The replenishment list: customers whose next purchase falls due within a window around the
/// as-of date, with the day to send the reminder.
///
///     due date   = expected_next_purchase                  (without --cycle-days)
///                = last_purchase + cycle-days               (with --cycle-days)
///     eligible   : |due − as-of| ≤ within-days  (due soon, or overdue by at most that)
///                  and, with --cycle-days, an active segment: loyal, low-aov-regular, low-frequency-regular,
///                  new-buyer
///     send date  = max(due − lead-days, as-of)              (never before as-of)
///     order      : send date, due date, value descending, customer_id (UTF-8 bytes)
///     --budget N : the first N of that order
///
/// Without `--cycle-days` only customers with an `expected_next_purchase` qualify, which
/// `clv score` leaves empty for customers who are not active (including the lapsed: silent for
/// more than `--lapse-cycles` of their own cycles and the first departing threshold); with it,
/// the same activity condition is the segment. Customers overdue by more than the window, or
/// lapsed, are win-back material, not replenishment. The reason gives the due date's cycle
/// (due − last purchase: the customer's own cycle shrunk toward the population's, see
/// ``SegmentationRules/cycleDays(of:)``) and how overdue the customer is in those cycles.
///
/// - Source: timing a reminder to the customer's own purchase cycle, some days before it ends,
///   is the replenishment practice of direct and database marketing ([BKN2008]); the window
///   shape (symmetric around as-of), the clamping of the send date, the order and the defaults
///   (14 days, 3 days of lead) are product decisions of clvkit.
public enum ReplenishmentCampaign {
  /// The options of the list (defaults of `clv target`).
  public struct Options: Sendable, Equatable {
    public var asOf: Day
    public var withinDays: Int
    public var cycleDays: Int?
    public var leadDays: Int
    public var budget: Int?

    public static let defaultWithinDays = 14
    public static let defaultLeadDays = 3

    /// - Throws: ``ScoringError/invalidRules(_:)`` for negative days or budget, or a cycle
    ///   that is not positive.
    public init(
      asOf: Day, withinDays: Int = defaultWithinDays, cycleDays: Int? = nil,
      leadDays: Int = defaultLeadDays, budget: Int? = nil
    ) throws {
      guard withinDays >= 0 else {
        throw ScoringError.invalidRules("within-days \(withinDays) is negative")
      }
      guard leadDays >= 0 else {
        throw ScoringError.invalidRules("lead-days \(leadDays) is negative")
      }
      if let cycleDays, cycleDays <= 0 {
        throw ScoringError.invalidRules("cycle-days \(cycleDays) is not positive")
      }
      if let budget, budget < 0 { throw ScoringError.invalidRules("budget \(budget) is negative") }
      self.asOf = asOf
      self.withinDays = withinDays
      self.cycleDays = cycleDays
      self.leadDays = leadDays
      self.budget = budget
    }
  }

  /// The segments that count as active for `--cycle-days`.
  public static let activeSegments: Set<Segment> = Set(Segment.allCases.filter(\.isActive))

  /// The list for `records`.
  public static func list(_ records: [ScoreRecord], options: Options) -> [ReplenishmentEntry] {
    var entries: [ReplenishmentEntry] = []
    for record in records {
      let due: Day
      let source: ReplenishmentEntry.DueSource
      if let cycle = options.cycleDays {
        guard activeSegments.contains(record.segment), let last = record.lastPurchase else {
          continue
        }
        due = last + cycle
        source = .cycle
      } else {
        guard let next = record.expectedNextPurchase else { continue }
        due = next
        source = .expectedNextPurchase
      }
      let daysUntilDue = due - options.asOf
      guard abs(daysUntilDue) <= options.withinDays else { continue }
      let send = max(due - options.leadDays, options.asOf)
      entries.append(
        ReplenishmentEntry(
          record: record, dueDate: due, sendDate: send, daysUntilDue: daysUntilDue,
          dueSource: source,
          reason: reason(
            record, due: due, source: source, daysUntilDue: daysUntilDue,
            send: send, options: options)))
    }
    entries.sort { a, b in
      if a.sendDate != b.sendDate { return a.sendDate < b.sendDate }
      if a.dueDate != b.dueDate { return a.dueDate < b.dueDate }
      let (va, vb) = (a.record.value ?? 0, b.record.value ?? 0)
      if va != vb { return va > vb }
      return a.record.customerID.utf8.lexicographicallyPrecedes(b.record.customerID.utf8)
    }
    if let budget = options.budget, entries.count > budget { entries.removeSubrange(budget...) }
    return entries
  }

  private static func reason(
    _ record: ScoreRecord, due: Day, source: ReplenishmentEntry.DueSource, daysUntilDue: Int,
    send: Day, options: Options
  ) -> String {
    let origin: String
    switch source {
    case .cycle:
      origin = "last purchase \(record.lastPurchase!) + \(options.cycleDays!)-day cycle"
    case .expectedNextPurchase:
      if let last = record.lastPurchase, due > last {
        origin = "expected next purchase = last purchase \(last) + \(due - last)-day cycle,"
      } else {
        origin = "expected next purchase"
      }
    }
    let when: String
    switch daysUntilDue {
    case 0: when = "due today"
    case 1...: when = "due in \(daysUntilDue) days"
    default:
      // Overdue in the customer's own cycles (due − last purchase).
      if let last = record.lastPurchase, due > last {
        let cycles = Double(-daysUntilDue) / Double(due - last)
        when = "overdue by \(-daysUntilDue) days (\(NumberText.fixed(cycles, digits: 2)) cycles)"
      } else {
        when = "overdue by \(-daysUntilDue) days"
      }
    }
    let sending =
      send == due - options.leadDays
      ? "send \(options.leadDays) days ahead"
      : "send on the as-of date (\(options.leadDays) days ahead would be \(due - options.leadDays))"
    return "\(origin) \(due), \(when); \(sending)"
  }
}
