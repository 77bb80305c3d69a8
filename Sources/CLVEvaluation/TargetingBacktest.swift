import CLVData
import CLVScoring

/// The campaign lists built at a past date D from the orders up to D, judged on what the
/// customers did in (D, D + window]: does the win-back list find the lapsed customers who come
/// back, and does the replenishment list find those about to buy?
///
///     lapsed at D      = ``SegmentationRules/isLapsed(_:)`` on the history at D
///     win-back list    = ``WinBackCampaign/list(_:log:table:rules:departingDays:budget:minimumExpectedValue:file:)``
///                        over the lapsed customers, rates from ``ReactivationTable`` at dates
///                        before D (every backtest window ends by D: no look-ahead)
///     compared with    the other lapsed customers, and a random list of the same size (its
///                        expected rate: the rate of all lapsed customers)
///     replenishment    = ``ReplenishmentTiming``: customers not lapsed at D whose due date
///                        last + round(cycle) is within `withinDays` of D (cycle:
///                        ``SegmentationRules/cycleDays(of:)``) and whose state's purchase rate
///                        in the window, replayed at dates before D, is at least the active
///                        customers' mean
///     compared with    the due date alone (`timingOnly`, the rule before the rate was added);
///                        at equal size (``EqualSize``) the rate alone and a purchase model's
///                        P(purchase in the window), due or not;
///                        the naive rule: due = last + round(own mean gap), repeat buyers only,
///                        the same window; and a random list (the rate of all customers not
///                        lapsed)
///     segments         when the caller labels the customers at D (``segmentOutcomes(_:asOf:end:segments:)``):
///                        each segment's share of customers who bought in (D, E] and their mean
///                        spend there
///     judged           a purchase day in (D, D + window] (win-back) or (D, D + replenishment
///                        window] (replenishment)
///
/// Purchases come from the order log only, so the backtest judges the rules (lapse, cycle,
/// reactivation rates), not a model's segments.
///
/// - Source: a holdout test of a targeting rule, list built before and response measured after
///   the split date, against a random selection of the same size, the standard evaluation of
///   targeting in database marketing ([BKN2008], the validation of selection models by lift
///   over random); the mean-gap rule is the classic replenishment heuristic it improves on.
///   Windows and defaults are product decisions.
public struct TargetingBacktest: Codable, Sendable, Equatable {
  /// A group of customers and how many of them bought in the judged window.
  public struct Group: Codable, Sendable, Equatable {
    public var customers: Int
    public var purchasers: Int
    /// purchasers / customers; nil for an empty group.
    public var rate: Double?

    public init(customers: Int, purchasers: Int) {
      self.customers = customers
      self.purchasers = purchasers
      rate = customers > 0 ? Double(purchasers) / Double(customers) : nil
    }
  }

  public struct WinBack: Codable, Sendable, Equatable {
    public var windowDays: Int
    public var budget: Int
    public var list: Group
    /// The lapsed customers not on the list.
    public var otherLapsed: Group
    /// All lapsed customers: the expected rate of a random list of the list's size.
    public var allLapsed: Group
  }

  public struct Replenishment: Codable, Sendable, Equatable {
    public var windowDays: Int
    public var withinDays: Int
    /// The list: due by the shrunk cycle and likely to buy (``ReplenishmentTiming``).
    public var list: Group
    /// The due date alone (the shrunk-cycle rule without the purchase-rate threshold); nil in
    /// run files written before it was recorded.
    public var timingOnly: Group?
    /// The purchase-rate threshold of the list (``ReplenishmentTiming/threshold``).
    public var threshold: Double?
    /// The repeat buyers of `list` (the customers the naive rule can date at all).
    public var listRepeatBuyers: Group
    /// The naive own-mean-gap rule.
    public var naive: Group
    /// All customers not lapsed: the expected rate of a random list.
    public var allActive: Group
    /// The list, the naive rule and the rate alone cut to one size (``EqualSize``); nil in run
    /// files written before it was recorded.
    public var equalSize: EqualSize?
  }

  /// One segment's customers at D and what they did in (D, E].
  public struct SegmentOutcome: Codable, Sendable, Equatable {
    /// The segment's name (``Segment``'s raw value).
    public var segment: String
    public var customers: Int
    /// Customers with a purchase day in (D, E].
    public var purchasers: Int
    /// purchasers / customers; nil for an empty segment.
    public var rate: Double?
    /// Purchase days in (D, E] per customer of the segment.
    public var purchaseDays: Double?
    /// Spend in (D, E] per customer of the segment; nil without amounts.
    public var spend: Double?
  }

  /// D, yyyy-MM-dd.
  public var asOf: String
  public var winBack: WinBack
  public var replenishment: Replenishment
  /// Holdout purchases per segment of the customers labelled at D; nil when not computed.
  public var segments: [SegmentOutcome]?
  /// What labelled the segments (e.g. "pnbd + gamma-gamma, fitted on the calibration period").
  public var segmentModel: String?

  public static let defaultReplenishmentWindowDays = 30

  /// Builds the lists at `asOf` from `log` (orders after `asOf` are only used to judge) and
  /// judges them.
  ///
  /// - Parameters:
  ///   - windowDays: the win-back window (default 90, at most the days after `asOf` in the log
  ///     when `end` is given).
  ///   - end: the last day of the judged period; windows are cut to it.
  ///   - model: a purchase model's id and each customer's P(at least one purchase in the
  ///     replenishment window | history at `asOf`) under it (``purchaseProbabilities(rows:unit:model:windowDays:)``),
  ///     ranked in ``EqualSize/modelProbability``; nil leaves that ranking out.
  /// - Throws: ``ScoringError`` for invalid windows or budget.
  public static func run(
    _ log: PurchaseLog, asOf: Day, end: Day? = nil,
    windowDays: Int = ReactivationTable.defaultWindowDays,
    budget: Int = WinBackCampaign.defaultBudget,
    withinDays: Int = ReplenishmentCampaign.Options.defaultWithinDays,
    replenishmentWindowDays: Int = defaultReplenishmentWindowDays,
    model: (id: String, probabilities: [String: Double])? = nil
  ) throws -> TargetingBacktest {
    let last = end ?? asOf + windowDays
    let window = min(windowDays, last - asOf)
    let replenishmentWindow = min(replenishmentWindowDays, last - asOf)
    guard window >= 1, replenishmentWindow >= 1 else {
      throw ScoringError.invalidRules("the judged period after \(asOf) is empty")
    }
    var rules = try SegmentationRules(asOf: asOf)
    var histories: [(String, CustomerFacts.History, PurchaseLog.Purchases)] = []
    for (id, purchases) in log.customers {
      if let history = purchases.history(asOf: asOf) { histories.append((id, history, purchases)) }
    }
    histories.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
    rules.populationCycleDays = SegmentationRules.medianCycleDays(
      of: histories.map { CustomerFacts(customerID: $0.0, history: $0.1) })
    func bought(_ purchases: PurchaseLog.Purchases, within days: Int) -> Bool {
      purchases.count(through: asOf + days) > purchases.count(through: asOf)
    }

    // Win-back: the lapsed customers as score rows (not active, departing by recency).
    var records: [ScoreRecord] = []
    var lapsedOutcome: [String: Bool] = [:]
    for (id, history, purchases) in histories where rules.isLapsed(history) {
      let stage = try rules.lifecycleStage(
        of: CustomerFacts(customerID: id, history: history, probabilityAlive: 0))
      records.append(
        ScoreRecord(
          customerID: id, frequency: history.frequency, probabilityAlive: nil, clv: nil,
          segment: .nonTarget, lifecycleStage: stage, lastPurchase: history.lastPurchase))
      lapsedOutcome[id] = bought(purchases, within: window)
    }
    let table = try ReactivationTable.backtest(log, rules: rules, windowDays: window)
    let list = try WinBackCampaign.list(
      records, log: log, table: table, rules: rules, budget: budget)
    let onList = Set(list.map(\.record.customerID))
    let listBought = list.filter { lapsedOutcome[$0.record.customerID] == true }.count
    let allBought = lapsedOutcome.values.filter { $0 }.count
    let winBack = WinBack(
      windowDays: window, budget: budget,
      list: Group(customers: onList.count, purchasers: listBought),
      otherLapsed: Group(
        customers: lapsedOutcome.count - onList.count, purchasers: allBought - listBought),
      allLapsed: Group(customers: lapsedOutcome.count, purchasers: allBought))

    // Replenishment: the listed rule, the due date alone and the naive mean gap.
    let timing = try ReplenishmentTiming(
      log: log, rules: rules, windowDays: replenishmentWindow)
    var listed = (customers: 0, purchasers: 0)
    var shrunk = (customers: 0, purchasers: 0)
    var shrunkRepeat = (customers: 0, purchasers: 0)
    var naive = (customers: 0, purchasers: 0)
    var active = (customers: 0, purchasers: 0)
    var candidates: [Candidate] = []
    for (id, history, purchases) in histories where !rules.isLapsed(history) {
      let outcome = bought(purchases, within: replenishmentWindow) ? 1 : 0
      var candidate = Candidate(
        bought: outcome == 1, rate: timing.probability(of: history),
        modelProbability: model?.probabilities[id])
      active.customers += 1
      active.purchasers += outcome
      if timing.isDue(history, withinDays: withinDays) {
        shrunk.customers += 1
        shrunk.purchasers += outcome
      }
      if timing.isListed(history, withinDays: withinDays), let due = timing.dueDate(of: history) {
        candidate.listedDistance = abs(due - asOf)
        listed.customers += 1
        listed.purchasers += outcome
        if history.frequency > 0 {
          shrunkRepeat.customers += 1
          shrunkRepeat.purchasers += outcome
        }
      }
      if let mean = history.meanInterPurchaseDays {
        let distance = abs(
          history.lastPurchase + Int(mean.rounded(.toNearestOrAwayFromZero)) - asOf)
        if distance <= withinDays {
          candidate.naiveDistance = distance
          naive.customers += 1
          naive.purchasers += outcome
        }
      }
      candidates.append(candidate)
    }
    let allActive = Group(customers: active.customers, purchasers: active.purchasers)
    let replenishment = Replenishment(
      windowDays: replenishmentWindow, withinDays: withinDays,
      list: Group(customers: listed.customers, purchasers: listed.purchasers),
      timingOnly: Group(customers: shrunk.customers, purchasers: shrunk.purchasers),
      threshold: timing.threshold,
      listRepeatBuyers: Group(
        customers: shrunkRepeat.customers, purchasers: shrunkRepeat.purchasers),
      naive: Group(customers: naive.customers, purchasers: naive.purchasers),
      allActive: allActive,
      equalSize: equalSize(candidates, allActive: allActive, model: model?.id))
    return TargetingBacktest(
      asOf: asOf.description, winBack: winBack, replenishment: replenishment)
  }

  /// Each segment's customers at `asOf` and their purchases in (`asOf`, `end`], in
  /// ``Segment`` order (segments without customers left out); customers of `segments` without
  /// orders by `asOf` in `log` are left out.
  ///
  /// Do the segments sort customers by what they do next? `loyal` (high value, active) should
  /// buy more than `at-risk` (high value, not active), and the active segments more than the
  /// inactive ones.
  public static func segmentOutcomes(
    _ log: PurchaseLog, asOf: Day, end: Day, segments: [String: Segment]
  ) -> [SegmentOutcome] {
    var customers: [Segment: Int] = [:]
    var purchasers: [Segment: Int] = [:]
    var days: [Segment: Int] = [:]
    var spend: [Segment: Double] = [:]
    // In customer-id order: the spend sums (floating point) must not depend on hashing.
    for id in segments.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      guard let segment = segments[id], let purchases = log.customers[id] else { continue }
      let before = purchases.count(through: asOf)
      guard before > 0 else { continue }
      let after = purchases.count(through: end)
      customers[segment, default: 0] += 1
      if after > before { purchasers[segment, default: 0] += 1 }
      days[segment, default: 0] += after - before
      spend[segment, default: 0] += purchases.amounts[before..<after].reduce(0, +)
    }
    return Segment.allCases.compactMap { segment in
      guard let n = customers[segment], n > 0 else { return nil }
      let bought = purchasers[segment] ?? 0
      return SegmentOutcome(
        segment: segment.rawValue, customers: n, purchasers: bought,
        rate: Double(bought) / Double(n), purchaseDays: Double(days[segment] ?? 0) / Double(n),
        spend: log.hasAmounts ? (spend[segment] ?? 0) / Double(n) : nil)
    }
  }
}

extension TargetingBacktest {
  /// One line for the terminal: the rates of the lists and of what they are compared with.
  public static func summary(_ result: TargetingBacktest) -> String {
    func rate(_ group: Group) -> String {
      guard let rate = group.rate else { return "- of 0" }
      let percent = (rate * 1000).rounded(.toNearestOrAwayFromZero) / 10
      return "\(percent)% of \(group.customers)"
    }
    let w = result.winBack
    let r = result.replenishment
    return "targeting at \(result.asOf): win-back list bought again within \(w.windowDays) days "
      + "\(rate(w.list)), other lapsed \(rate(w.otherLapsed)), all lapsed (random list) "
      + "\(rate(w.allLapsed)); replenishment list bought within \(r.windowDays) days "
      + "\(rate(r.list)) (its repeat buyers \(rate(r.listRepeatBuyers))), due date alone "
      + "\(r.timingOnly.map(rate) ?? "-"), naive mean-gap rule \(rate(r.naive)), all active "
      + "(random list) \(rate(r.allActive))"
      + (r.equalSize.map { equalSizeSummary($0, random: r.allActive) } ?? "")
  }

  /// The comparison at equal size, for ``summary(_:)``: "; at equal size 445: list 42.2%, …".
  static func equalSizeSummary(_ e: EqualSize, random: Group) -> String {
    func percent(_ group: Group) -> String {
      group.rate.map { "\(($0 * 1000).rounded(.toNearestOrAwayFromZero) / 10)%" } ?? "-"
    }
    let margin = e.randomMargin.map {
      " ± \(($0 * 1000).rounded(.toNearestOrAwayFromZero) / 10)"
    }
    return "; at equal size \(e.customers): list \(percent(e.list)), naive rule's top "
      + "\(percent(e.naive)), rate alone \(percent(e.rateAlone))"
      + (e.modelProbability.map { ", \(e.model ?? "model")'s P(purchase) \(percent($0))" } ?? "")
      + ", random list \(percent(random))\(margin ?? "")"
  }
}
