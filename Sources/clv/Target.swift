import ArgumentParser
import CLVData
import CLVModels
import CLVScoring

/// `clv target`: a win-back or replenishment list from a scores file (see CLVScoring's
/// `WinBackCampaign` and `ReplenishmentCampaign` for the rules and their sources).
struct Target: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Build a win-back or replenishment list from a scores file.",
    discussion: """
      SCORES is a file written by 'clv score' (with the segment and lifecycle columns). \
      win-back (needs --orders, the order log the scores came from): customers not in an \
      active segment who are at-risk or departing, ranked by expected value = \
      P(reactivation within --window-days) x value if reactivated. P(reactivation) is the \
      shop's own rate: at --backtest-dates past dates a window apart, the share of customers \
      in the same state (days since the last purchase in their own purchase cycles, \
      frequency) who bought again within the window; value = their mean purchases in the \
      window x the customer's spend per purchase (shrunk toward the shop's mean; purchases \
      without amounts). At most --budget rows (default 500) with expected value at least \
      --min-expected-value; ties by customer id; offer tier by departing stage (small, \
      medium, large); a later --as-of moves customers to later departing stages by their \
      last purchase. replenishment with --orders and --model (the purchase model file the \
      scores were made with; the recommended form): the customers not lapsed whose \
      probability P of at least one purchase within --window-days (default 30) under the model \
      is at least their mean, by P descending, sent --lead-days before the due date when that is in the window, else on \
      the as-of date: the ranking clv evaluate's targeting backtest found best (BG/CNBD-k's P \
      carries the timing of regular buyers). Without --model (a note on stderr says that a \
      model ranks better): customers whose next purchase is due within --within-days of the \
      as-of date (before or after), sent --lead-days before the due date, never before the \
      as-of date; with --orders, only customers whose state (time since the last purchase in \
      their own cycles, frequency) bought within --window-days at --backtest-dates past dates \
      at least as often as the active customers on average. Every row has a reason. \
      --control P% holds out a random P% of the list, stratified by rank decile (replenishment: \
      list order), in a last 'group' column (treatment or control; the same --seed gives the \
      same groups): send to the treatment rows only and keep the file for 'clv measure'. The \
      minimum detectable lift (two-sided test at 5%, power 80%) is printed on stderr, with a \
      warning when it exceeds half the baseline purchase rate.
      """
  )

  enum Campaign: String, ExpressibleByArgument, CaseIterable {
    case winBack = "win-back"
    case replenishment
  }

  @Argument(help: "Scores CSV written by 'clv score' ('-' for standard input).")
  var scores: String

  @Option(help: "The list to build: win-back or replenishment.")
  var campaign: Campaign

  @Option(
    name: .customLong("as-of"),
    help: "The day the list is built for, yyyy-MM-dd (default: the scores file's as_of).")
  var asOf: String?

  @Option(
    help: """
      Keep only the first N customers of the list (default: 500 for win-back, all for \
      replenishment).
      """)
  var budget: Int?

  @Option(
    help: """
      The order log the scores were made from (read with the order-log options below; orders \
      after the as-of date are ignored): required by win-back; replenishment keeps only the \
      customers likely to buy.
      """)
  var orders: String?

  @Option(
    name: .customLong("window-days"),
    help: """
      The campaign window, days after the as-of date (default 90 for win-back, 30 for \
      replenishment with --orders).
      """)
  var windowDays: Int?

  @Option(
    name: .customLong("backtest-dates"),
    help: """
      Past as-of dates, a window apart, that estimate P(reactivation) (win-back) or P(purchase \
      within the window) (replenishment with --orders) (default 4).
      """)
  var backtestDates: Int?

  @Option(
    name: .customLong("min-expected-value"),
    help: "win-back: keep only customers with at least this expected value (default 0).")
  var minExpectedValue: Double?

  @OptionGroup(title: "Order log options (--orders)") var ingest: IngestOptions

  @Option(
    name: .customLong("model"),
    help: """
      replenishment with --orders (recommended): the purchase model file the scores came \
      from; the list is then the customers not lapsed whose P(at least one purchase within \
      --window-days) under it is at least the mean over them, by P descending (BG/CNBD-k's P \
      carries the timing of regular buyers); --within-days, --cycle-days and --backtest-dates \
      do not apply. The rule clv evaluate's targeting backtest ranks best \
      (guides/segments-and-targeting.md); without it the list is timed by due dates and a note \
      on stderr says so.
      """)
  var model: String?

  @Option(
    name: .customLong("within-days"),
    help: "replenishment: due at most this many days before or after the as-of date (default 14).")
  var withinDays: Int?

  @Option(
    name: .customLong("cycle-days"),
    help: """
      replenishment: due date = last purchase + this product consumption cycle, instead of the \
      scores' expected_next_purchase (default: not used).
      """)
  var cycleDays: Int?

  @Option(
    name: .customLong("lead-days"),
    help: "replenishment: send this many days before the due date (default 3).")
  var leadDays: Int?

  @Option(
    name: .customLong("departing-days"),
    help: """
      win-back: the departing thresholds the scores were made with, ascending; they name the \
      offer tiers small, medium, large (default 90,180,360).
      """)
  var departingDays: String?

  @Option(
    help: """
      Hold out this share of the list as a control group, e.g. 10% (a percentage, with or \
      without %, between 0 and 100 exclusive): a 'group' column marks each row treatment or \
      control, stratified by rank decile (default: no control group, no group column).
      """)
  var control: String?

  @Option(
    help: "--control and --intervals: the seed of the random groups and of the draws (default 1).")
  var seed: UInt64?

  @OptionGroup(title: "Intervals") var intervals: TargetIntervalOptions

  @Option(
    name: .customLong("baseline-rate"),
    help: """
      --control: the purchase rate expected without the offer, for the minimum detectable lift \
      (default: win-back, the mean p_reactivation of the list; replenishment, 0.5, the \
      largest variance).
      """)
  var baselineRate: Double?

  @Option(name: .shortAndLong, help: "Output CSV file ('-' for standard output).")
  var output: String = "-"

  @Flag(
    help: """
      Write customer ids that start with =, +, -, @, a tab or a carriage return with a ' in \
      front, so that a spreadsheet shows them as text instead of running them as formulas \
      (OWASP CSV injection). Without it such ids are written as they are, with a warning.
      """)
  var neutralizeFormulas = false

  func validate() throws {
    if let asOf, Day(iso: asOf) == nil {
      throw ValidationError("--as-of '\(asOf)' is not a date (expected yyyy-MM-dd)")
    }
    if let budget, budget < 0 { throw ValidationError("--budget must be 0 or more") }
    if let withinDays, withinDays < 0 { throw ValidationError("--within-days must be 0 or more") }
    if let leadDays, leadDays < 0 { throw ValidationError("--lead-days must be 0 or more") }
    if let cycleDays, cycleDays <= 0 { throw ValidationError("--cycle-days must be positive") }
    _ = try parsedDepartingDays()
    try intervals.check(campaign: campaign, rankingModel: model)
    if let control {
      _ = try parsedControl(control)
    } else {
      if baselineRate != nil {
        throw ValidationError("--baseline-rate applies with --control only")
      }
      if seed != nil, intervals.level == nil {
        throw ValidationError("--seed applies with --control or --intervals only")
      }
    }
    if let baselineRate, !(baselineRate >= 0 && baselineRate <= 1) {
      throw ValidationError("--baseline-rate must be between 0 and 1")
    }
    switch campaign {
    case .winBack:
      guard orders != nil else {
        throw ValidationError(
          "--campaign win-back needs --orders FILE, the order log the scores were made from "
            + "(P(reactivation) is estimated from it)")
      }
      if scores == "-", orders == "-" {
        throw ValidationError("SCORES and --orders cannot both be standard input")
      }
      if let windowDays, windowDays < 1 { throw ValidationError("--window-days must be positive") }
      if let backtestDates, backtestDates < 1 {
        throw ValidationError("--backtest-dates must be positive")
      }
      if let minExpectedValue, !minExpectedValue.isFinite {
        throw ValidationError("--min-expected-value must be a number")
      }
      for (given, name) in [
        (withinDays != nil, "--within-days"), (cycleDays != nil, "--cycle-days"),
        (leadDays != nil, "--lead-days"), (model != nil, "--model"),
      ] where given {
        throw ValidationError("\(name) applies to --campaign replenishment only")
      }
    case .replenishment:
      for (given, name) in [
        (departingDays != nil, "--departing-days"),
        (minExpectedValue != nil, "--min-expected-value"),
      ] where given {
        throw ValidationError("\(name) applies to --campaign win-back only")
      }
      for (given, name) in [
        (windowDays != nil, "--window-days"), (backtestDates != nil, "--backtest-dates"),
      ] where given && orders == nil {
        throw ValidationError("\(name) applies to --campaign replenishment with --orders only")
      }
      if scores == "-", orders == "-" {
        throw ValidationError("SCORES and --orders cannot both be standard input")
      }
      if let windowDays, windowDays < 1 { throw ValidationError("--window-days must be positive") }
      if let backtestDates, backtestDates < 1 {
        throw ValidationError("--backtest-dates must be positive")
      }
      if model != nil {
        guard orders != nil else {
          throw ValidationError(
            "--model needs --orders FILE (the histories it ranks come from the order log)")
        }
        for (given, name) in [
          (withinDays != nil, "--within-days"), (cycleDays != nil, "--cycle-days"),
          (backtestDates != nil, "--backtest-dates"),
        ] where given {
          throw ValidationError("\(name) does not apply with --model")
        }
      }
    }
  }

  /// `--departing-days` as ascending positive integers.
  func parsedDepartingDays() throws -> [Int] {
    guard let departingDays else { return SegmentationRules.defaultDepartingDays }
    return try parseDepartingDays(departingDays)
  }

  /// `--control` as a fraction: "10%" or "10" → 0.1.
  func parsedControl(_ text: String) throws -> Double {
    guard let fraction = ControlGroup.fraction(percentage: text) else {
      throw ValidationError(
        "--control '\(text)' is not a percentage between 0 and 100 (exclusive), e.g. 10%")
    }
    return fraction
  }

  /// The groups of `count` rows in list order (nil without --control), with the design on
  /// stderr.
  func controlGroups(count: Int, meanRate: Double?) throws -> [CampaignGroup]? {
    guard let control else { return nil }
    let design = try ControlGroup(fraction: parsedControl(control), seed: seed ?? 1)
    let groups = design.groups(count: count)
    let baseline = baselineRate ?? meanRate ?? 0.5
    let source =
      baselineRate != nil
      ? "--baseline-rate"
      : meanRate != nil ? "mean p_reactivation" : "unknown: 0.5, the widest; set --baseline-rate"
    let plan = ControlGroup.design(of: groups, baselineRate: baseline)
    var stderr = StandardError()
    print(
      "clv: target: \(plan.treatment) treatment, \(plan.control) control (seed \(seed ?? 1)); "
        + "baseline purchase rate \(NumberText.fixed(baseline * 100, digits: 1))% (\(source)); "
        + "minimum detectable "
        + "lift \(points(plan.minimumDetectableLift)) (two-sided α 0.05, power 0.8)",
      to: &stderr)
    if plan.isTooSmall {
      print(
        "clv: warning: the list is too small to learn much: only a lift of "
          + "\(points(plan.minimumDetectableLift)) or more (over half the baseline rate) "
          + "would be detected; use a longer list or a larger --control share",
        to: &stderr)
    }
    return groups
  }

  func run() throws {
    let table = try ScoresReader.read(path: scores)
    let formulaLike = table.records.filter { CSVFormula.isFormulaLike($0.customerID) }
    // The ids stay as they are for the rules (they must match the order log); only the
    // written list neutralizes them.
    func written(_ record: ScoreRecord) -> ScoreRecord {
      guard neutralizeFormulas else { return record }
      var record = record
      record.customerID = CSVFormula.neutralized(record.customerID)
      return record
    }
    if !neutralizeFormulas,
      let warning = CSVFormula.warning(
        file: self.output == "-" ? "<stdout>" : self.output, count: formulaLike.count,
        example: formulaLike.first?.customerID)
    {
      var stderr = StandardError()
      print("clv: warning: \(warning); --neutralize-formulas prefixes them with '", to: &stderr)
    }
    let output = try AtomicOutput(path: self.output)
    switch campaign {
    case .winBack:
      let departing = try parsedDepartingDays()
      var records = table.records
      if let day = asOf.flatMap({ Day(iso: $0) }) {
        records = try WinBackCampaign.restaged(table, asOf: day, departingDays: departing)
      }
      var entries: [WinBackEntry] = []
      var bounds: ListIntervals? = nil
      // A file without rows has no as-of date; its list is empty either way.
      if let day = asOf.flatMap({ Day(iso: $0) }) ?? table.asOf, let orders {
        let log = try PurchaseLog.read(path: orders, format: ingest.orderLogFormat, through: day)
        let rules = try SegmentationRules(asOf: day, departingDays: departing)
        let reactivation = try ReactivationTable.backtest(
          log, rules: rules, windowDays: windowDays ?? ReactivationTable.defaultWindowDays,
          dates: backtestDates ?? ReactivationTable.defaultDates)
        entries = try WinBackCampaign.list(
          records, log: log, table: reactivation, rules: rules, departingDays: departing,
          budget: budget ?? WinBackCampaign.defaultBudget,
          minimumExpectedValue: minExpectedValue ?? 0, file: table.file)
        if let level = intervals.level {
          bounds = try WinBackCampaign.intervals(
            of: entries, table: reactivation, level: level,
            draws: intervals.draws ?? IntervalOptions.defaultDraws, seed: seed ?? 1)
        }
      }
      TargetIntervalOptions.printTotal(bounds, of: "expected_value", count: entries.count)
      let mean =
        entries.isEmpty
        ? nil : entries.reduce(0) { $0 + $1.reactivationProbability } / Double(entries.count)
      let groups = try controlGroups(count: entries.count, meanRate: mean)
      // With --intervals and no as-of date (a file without rows) the columns are there anyway.
      let intervalHeader = intervals.header(WinBackCampaign.intervalColumns)
      try output.write(
        WinBackCampaign.csvHeader + intervalHeader + (groups == nil ? "" : ",group") + "\n")
      for (index, var entry) in entries.enumerated() {
        entry.record = written(entry.record)
        let fields = bounds.map { "," + $0.csvFields(row: index) } ?? ""
        let group = groups.map { "," + $0[index].rawValue } ?? ""
        try output.write(WinBackCampaign.csvLine(entry) + fields + group + "\n")
      }
    case .replenishment:
      var entries: [ReplenishmentEntry] = []
      // A file without rows has no as-of date; its list is empty either way.
      if let day = asOf.flatMap({ Day(iso: $0) }) ?? table.asOf {
        if let scoresAsOf = table.asOf, day < scoresAsOf {
          throw ScoringError.invalidRules(
            "as-of \(day) is before the as-of date of the scores, \(scoresAsOf)")
        }
        let options = try ReplenishmentCampaign.Options(
          asOf: day, withinDays: withinDays ?? ReplenishmentCampaign.Options.defaultWithinDays,
          cycleDays: cycleDays,
          leadDays: leadDays ?? ReplenishmentCampaign.Options.defaultLeadDays, budget: budget)
        entries = ReplenishmentCampaign.list(table.records, options: options)
        if let orders, let model {
          let (file, transactions) = try ModelFile.readTransactionModel(from: model)
          guard let unit = file.unit?.timeUnit else {
            throw ValidationError(
              "--model \(model): a purchase model in calendar time (day, week or month) is needed")
          }
          let log = try PurchaseLog.read(
            path: orders, format: ingest.orderLogFormat, through: day)
          let ranking = try ReplenishmentRanking(
            log: log, rules: try SegmentationRules(asOf: day), model: transactions, unit: unit,
            windowDays: windowDays ?? ReplenishmentRanking.defaultWindowDays)
          entries = ReplenishmentCampaign.list(table.records, options: options, ranking: ranking)
        } else if let orders {
          let log = try PurchaseLog.read(
            path: orders, format: ingest.orderLogFormat, through: day)
          let timing = try ReplenishmentTiming(
            log: log, rules: try SegmentationRules(asOf: day),
            windowDays: windowDays ?? ReplenishmentTiming.defaultWindowDays,
            dates: backtestDates ?? ReactivationTable.defaultDates)
          entries = ReplenishmentCampaign.list(
            table.records, options: options, log: log, timing: timing)
        }
      }
      if model == nil {
        var stderr = StandardError()
        print(Self.modelRanksBetterNote(hasOrders: orders != nil), to: &stderr)
      }
      let bounds = try intervals.replenishment(
        entries, seed: seed ?? 1, file: table.file, rankingModel: model)
      TargetIntervalOptions.printTotal(bounds, of: "clv", count: entries.count)
      let groups = try controlGroups(count: entries.count, meanRate: nil)
      let intervalHeader = intervals.header(ReplenishmentCampaign.intervalColumns)
      try output.write(
        ReplenishmentCampaign.csvHeader + intervalHeader + (groups == nil ? "" : ",group") + "\n")
      for (index, var entry) in entries.enumerated() {
        entry.record = written(entry.record)
        let fields = bounds.map { "," + $0.csvFields(row: index) } ?? ""
        let group = groups.map { "," + $0[index].rawValue } ?? ""
        try output.write(ReplenishmentCampaign.csvLine(entry) + fields + group + "\n")
      }
    }
    try output.commit()
  }
}

extension Target {
  /// The note of a replenishment list built without `--model`: the model's P ranks better
  /// (a product decision from the targeting backtest, guides/segments-and-targeting.md,
  /// "Which replenishment rule"), printed once on stderr.
  static func modelRanksBetterNote(hasOrders: Bool) -> String {
    "clv: note: target: replenishment list timed by due dates; the purchase model's "
      + "P(purchase within 30 days) ranks better in clv evaluate's targeting backtest "
      + "(guides/segments-and-targeting.md, \"Which replenishment rule\"): add "
      + (hasOrders ? "" : "--orders ORDERS ")
      + "--model MODEL, the purchase model file the scores were made with"
  }
}

/// A lift in percentage points for messages.
private func points(_ lift: Double) -> String {
  lift.isFinite
    ? NumberText.fixed(lift * 100, digits: 2) + " percentage points" : "(none: a group is empty)"
}
