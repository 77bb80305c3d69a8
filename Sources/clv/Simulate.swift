import ArgumentParser
import CLVData
import CLVModels
import CLVScoring

struct Simulate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate an order log from a model's generative process.",
    discussion: """
      Writes customer_id,date,amount: per customer an acquisition day (uniform over \
      --acquisition-days from --start), a gamma(r, alpha) purchase rate, purchases with \
      exponential gaps rounded up to whole days (one purchase per day, as summaries count them), \
      dropout after each repeat purchase with a beta(a, b) probability (\(BGNBD.modelID); \
      \(MBGNBD.modelID) also after the first; \(ParetoNBD.modelID): an exponential lifetime with a gamma(s, beta) rate), and Gamma-Gamma \
      amounts. Orders after the last observed day (--start + --days - 1) are not written. The \
      same --seed gives the same file. The true parameters are written as JSON to --truth \
      (default: OUTPUT.truth.json; none when OUTPUT is -). --uplift U simulates a campaign: \
      customers acquired before --uplift-start are split at random into halves (treatment, \
      control; --control P% puts each in the control group with probability P% instead) \
      written to --groups as customer_id,group (a list for 'clv measure'); a \
      treatment customer who would not have bought from --uplift-start to --uplift-end buys \
      once on a uniform day of that window with probability U (so the purchase rate rises by \
      U x (1 - the rate without the offer)); the realised effect (converted / treatment \
      customers) is in the truth file. The orders without the campaign are the same as \
      without --uplift (the campaign draws from a generator of its own). With --treat LIST \
      the campaign goes to a list instead (clv target --control, built on this simulation's \
      orders before --uplift-start): its treatment rows are treated, its control rows not, \
      and no groups file is written (the list is one).
      """
  )

  /// A `--model` value: a registry model with a generative process.
  struct ProcessChoice: ExpressibleByArgument {
    let descriptor: ModelDescriptor

    init?(argument: String) {
      guard let descriptor = ModelRegistry.descriptor(for: argument), descriptor.simulates
      else { return nil }
      self.descriptor = descriptor
    }

    init(_ descriptor: ModelDescriptor) { self.descriptor = descriptor }

    static var allValueStrings: [String] { ModelRegistry.all.filter(\.simulates).map(\.id) }
    var defaultValueDescription: String { descriptor.id }
  }

  @Option(help: "Number of customers (required).")
  var customers: Int

  @Option(help: "Random seed.")
  var seed: UInt64 = 1

  @Option(
    help: "Generative process: \(ModelRegistry.list(ProcessChoice.allValueStrings)).")
  var model: ProcessChoice = ProcessChoice(ModelRegistry.all.first(where: \.simulates)!)

  @Option(help: "Purchase-rate shape r (the default is CDNOW's).")
  var r: Double = 0.243
  @Option(help: "Purchase-rate scale alpha, in --unit (the default is CDNOW's, in weeks).")
  var alpha: Double = 4.414
  @Option(help: "Dropout beta a (\(simulatedModels(with: "a"))).")
  var a: Double = 0.793
  @Option(help: "Dropout beta b (\(simulatedModels(with: "b"))).")
  var b: Double = 2.426
  @Option(help: "Dropout-rate shape s (\(simulatedModels(with: "s"))).")
  var s: Double = 0.606
  @Option(help: "Dropout-rate scale beta (\(simulatedModels(with: "beta"))), in --unit.")
  var beta: Double = 11.669
  @Option(
    help: """
      Regularity k, a whole number 1 … 12 (\(simulatedModels(with: "k"))): gaps between \
      purchases are Erlang-k with rate λ ~ gamma(r, alpha), mean k/λ.
      """)
  var k: Int = 2
  @Option(help: "Gamma-Gamma spend shape p.")
  var p: Double = 6.25
  @Option(help: "Gamma-Gamma shape q.")
  var q: Double = 3.74
  @Option(help: "Gamma-Gamma scale gamma, in money.")
  var gamma: Double = 15.44

  @Option(help: "Time unit of alpha and beta: day, week, month.")
  var unit: TimeUnit = .week
  @Option(help: "First acquisition day, yyyy-MM-dd.")
  var start: String = "2024-01-01"
  @Option(help: "Acquisition window in days.")
  var acquisitionDays: Int = 90
  @Option(help: "Observed days from --start.")
  var days: Int = 730

  @Option(name: .shortAndLong, help: "Output order log (CSV), or - for standard output (required).")
  var output: String

  @Option(help: "True-parameter JSON file (default: OUTPUT.truth.json; none for -o -).")
  var truth: String?

  @Option(
    help: """
      Simulate a campaign: the probability, between 0 and 1, that a treatment customer who \
      would not have bought in the window buys once because of it (0: a null campaign with \
      groups; default: no campaign).
      """)
  var uplift: Double?

  @Option(
    name: .customLong("uplift-start"),
    help:
      "--uplift: first day of the campaign window, yyyy-MM-dd (default: 90 days before the end).")
  var upliftStart: String?

  @Option(
    name: .customLong("uplift-end"),
    help: "--uplift: last day of the campaign window, yyyy-MM-dd (default: the last observed day).")
  var upliftEnd: String?

  @Option(
    help: """
      --uplift: the groups file, customer_id,group (default: OUTPUT.groups.csv; required for \
      -o -).
      """)
  var groups: String?

  @Option(
    help: """
      --uplift: send the campaign to this list's treatment rows (a CSV with customer_id and \
      group, ids c1…cN as simulated) instead of a random half.
      """)
  var treat: String?

  @Option(
    help: """
      --uplift: put each customer in the control group with this probability, e.g. 10% (a \
      percentage, with or without %; default 50%: halves). Not with --treat.
      """)
  var control: String?

  @OptionGroup(title: "Simulated attributes") var attributeOptions: SimulateCovariateOptions

  /// The simulated models with the parameter `name`, for help texts.
  static func simulatedModels(with name: String) -> String {
    ModelRegistry.list(
      ModelRegistry.all.filter { $0.simulates && $0.parameterNames.contains(name) }.map(\.id))
  }

  func validate() throws {
    guard customers >= 1 else { throw ValidationError("--customers must be ≥ 1") }
    try attributeOptions.validate(output: output)
    guard (1...12).contains(k) else { throw ValidationError("--k must be 1 … 12; got \(k)") }
    guard Day(iso: start) != nil else {
      throw ValidationError("--start must be a date yyyy-MM-dd; got '\(start)'")
    }
    guard acquisitionDays >= 1, days >= 1 else {
      throw ValidationError("--acquisition-days and --days must be ≥ 1")
    }
    guard acquisitionDays <= days else {
      throw ValidationError("--acquisition-days must not exceed --days")
    }
    // Dates are written yyyy-MM-dd: the last observed day must be in year 9999 at the latest.
    let lastDay = Day(year: 9999, month: 12, day: 31)!
    guard days <= lastDay - Day(iso: start)! + 1 else {
      throw ValidationError(
        "--start \(start) with --days \(days) ends after 9999-12-31 (dates are written yyyy-MM-dd)")
    }
    if let uplift {
      guard uplift >= 0, uplift <= 1 else {
        throw ValidationError("--uplift must be between 0 and 1; got \(uplift)")
      }
      for (name, value) in [("--uplift-start", upliftStart), ("--uplift-end", upliftEnd)] {
        if let value, Day(iso: value) == nil {
          throw ValidationError("\(name) must be a date yyyy-MM-dd; got '\(value)'")
        }
      }
      let window = treatmentWindow
      guard window.start <= window.end else {
        throw ValidationError(
          "the campaign window ends (\(window.end)) before it starts (\(window.start))")
      }
      if let control {
        guard ControlGroup.fraction(percentage: control) != nil else {
          throw ValidationError(
            "--control '\(control)' is not a percentage between 0 and 100 (exclusive), e.g. 10%")
        }
        if treat != nil {
          throw ValidationError("--control and --treat exclude each other (the list has groups)")
        }
      }
      if treat != nil, groups != nil {
        throw ValidationError("--groups and --treat exclude each other (the list is the groups)")
      }
      if output == "-", groups == nil, treat == nil {
        throw ValidationError("--uplift with -o - needs --groups FILE")
      }
    } else {
      for (given, name) in [
        (upliftStart != nil, "--uplift-start"), (upliftEnd != nil, "--uplift-end"),
        (groups != nil, "--groups"), (treat != nil, "--treat"), (control != nil, "--control"),
      ] where given {
        throw ValidationError("\(name) applies with --uplift only")
      }
    }
    for (name, value) in [
      ("r", r), ("alpha", alpha), ("a", a), ("b", b), ("s", s), ("beta", beta), ("p", p),
      ("q", q), ("gamma", gamma),
    ] where !(value.isFinite && value > 0) {
      throw ValidationError("--\(name) must be a positive number; got \(value)")
    }
  }

  /// The campaign window: the options, or the last 90 observed days.
  var treatmentWindow: (start: Day, end: Day) {
    let last = Day(iso: start)! + (days - 1)
    let first = Day(iso: start)! + max(days - 90, 0)
    return (
      upliftStart.flatMap { Day(iso: $0) } ?? first, upliftEnd.flatMap { Day(iso: $0) } ?? last
    )
  }

  /// The groups of `--treat`'s list by customer number.
  /// - Throws: `DataError` for a list that cannot be read or an id that is not c1…cN.
  func listGroups() throws -> [Int: Bool]? {
    guard let treat else { return nil }
    var groups: [Int: Bool] = [:]
    for (index, row) in try CampaignListReader.read(path: treat).enumerated() {
      guard row.customerID.hasPrefix("c"), let number = Int(row.customerID.dropFirst()),
        (1...customers).contains(number)
      else {
        throw DataError.invalidField(
          file: treat, line: index + 2, column: "customer_id", value: row.customerID,
          expected: "a simulated customer c1…c\(customers)")
      }
      groups[number] = row.group == .treatment
    }
    return groups
  }

  func run() throws {
    let given = [
      "k": Double(k), "r": r, "alpha": alpha, "a": a, "b": b, "s": s, "beta": beta,
    ]
    let names = model.descriptor.parameterNames
    let values = names.map { given[$0]! }
    let process = model.descriptor.process(parameters: values)!
    let spend = GammaGamma(p: p, q: q, gamma: gamma)
    var settings = Simulation.Settings(
      customers: customers, seed: seed, process: process,
      spend: spend, unit: unit, start: Day(iso: start)!,
      acquisitionDays: acquisitionDays, days: days,
      treatment: try uplift.map {
        Simulation.Treatment(
          uplift: $0, start: treatmentWindow.start, end: treatmentWindow.end,
          groups: try listGroups(),
          controlShare: control.flatMap { ControlGroup.fraction(percentage: $0) } ?? 0.5)
      })
    settings.covariates = try attributeOptions.covariates(
      descriptor: model.descriptor, parameters: values, customers: customers, seed: seed)
    let attributesPath = settings.covariates.map { _ in
      attributeOptions.attributesOutput ?? output + ".attributes.csv"
    }
    let attributesOut = try attributesPath.map { try AtomicOutput(path: $0) }
    if let covariates = settings.covariates { try attributesOut?.write(covariates.attributesCSV) }

    let out = try AtomicOutput(path: output)
    let truthPath = truth ?? (output == "-" ? nil : output + ".truth.json")
    let truthOut = try truthPath.map { try AtomicOutput(path: $0) }
    let groupsPath = uplift == nil || treat != nil ? nil : (groups ?? output + ".groups.csv")
    let groupsOut = try groupsPath.map { try AtomicOutput(path: $0) }
    try groupsOut?.write("customer_id,group\n")
    var (treated, controls, converted) = (0, 0, 0)
    try out.write("customer_id,date,amount\n")
    var orders = 0
    var line = ""
    try Simulation.orders(
      settings,
      assignments: { assignment in
        if assignment.treated { treated += 1 } else { controls += 1 }
        if assignment.converted { converted += 1 }
        try groupsOut?.write(
          "c\(assignment.customer),\(assignment.treated ? "treatment" : "control")\n")
      }
    ) { customer, day, amount in
      line.removeAll(keepingCapacity: true)
      line += "c\(customer),\(day),"
      guard let cents = formatCents(amount) else {
        throw ValidationError(
          "a simulated amount is \(amount), beyond ±1e13, the largest amount written "
            + "to the cent: choose Gamma-Gamma parameters with smaller spends (--p, --q, --gamma; "
            + "the mean spend is p·gamma/(q − 1), unbounded for q ≤ 1)")
      }
      line += cents
      line += "\n"
      try out.write(line)
      orders += 1
    }
    if let truthOut {
      var json = JSONValue.object([
        ("model", .string(model.descriptor.id)),
        ("parameters", .object(zip(names, values).map { ($0, .number($1)) })),
        (
          "spend",
          .object([
            ("model", .string(GammaGamma.modelID)), ("p", .number(p)), ("q", .number(q)),
            ("gamma", .number(gamma)),
          ])
        ),
        ("unit", .string(unit.rawValue)),
        ("customers", .number(Double(customers))),
        ("orders", .number(Double(orders))),
        ("seed", .number(Double(seed))),
        ("start", .string(start)),
        ("acquisitionDays", .number(Double(acquisitionDays))),
        ("days", .number(Double(days))),
        ("observationEnd", .string(settings.observationEnd.description)),
        ("tool", .object([("name", .string("clv")), ("version", .string(clvVersion))])),
      ])
      if let t = settings.treatment, case .object(var pairs) = json {
        // After observationEnd, before tool; only with --uplift (other truth files unchanged).
        pairs.insert(
          (
            "treatment",
            .object([
              ("uplift", .number(t.uplift)), ("start", .string(t.start.description)),
              ("end", .string(t.end.description)), ("treated", .number(Double(treated))),
              ("control", .number(Double(controls))), ("converted", .number(Double(converted))),
              ("effect", .number(treated > 0 ? Double(converted) / Double(treated) : 0)),
            ])
          ), at: pairs.count - 1)
        json = .object(pairs)
      }
      if let covariates = settings.covariates, case .object(var pairs) = json {
        pairs.insert(
          (
            "covariates",
            SimulateCovariateOptions.truth(covariates, share: attributeOptions.attributeShare)
          ), at: pairs.count - 1)
        json = .object(pairs)
      }
      try truthOut.write(json.prettyPrinted() + "\n")
    }
    try AtomicOutput.commit(
      [out] + (truthOut.map { [$0] } ?? []) + (groupsOut.map { [$0] } ?? [])
        + (attributesOut.map { [$0] } ?? []))
    var stderr = StandardError()
    print(
      "clv: simulate: \(customers) customers, \(orders) orders, \(start) to "
        + "\(settings.observationEnd)\(truthPath.map { "; true parameters in \($0)" } ?? "")"
        + (uplift == nil
          ? ""
          : "; campaign \(treatmentWindow.start) to \(treatmentWindow.end): \(treated) treatment, "
            + "\(controls) control, \(converted) converted; groups in \(groupsPath ?? treat ?? "")"),
      to: &stderr)
  }
}

/// The largest amount written to the cent: 10¹³, so that amount · 100 is an integer below
/// 2⁵³ (exact in a Double).
let maximumCentsAmount = 1e13

/// An amount with exactly two decimals (amounts are rounded to cents); nil when it is not
/// finite or its magnitude exceeds ``maximumCentsAmount``.
func formatCents(_ amount: Double) -> String? {
  guard amount.isFinite, abs(amount) <= maximumCentsAmount else { return nil }
  let cents = Int((amount * 100).rounded())
  let sign = cents < 0 ? "-" : ""
  let magnitude = abs(cents)
  let fraction = magnitude % 100
  return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}
