import ArgumentParser
import CLVData
import CLVModels

struct Simulate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate an order log from a model's generative process.",
    discussion: """
      Writes customer_id,date,amount: per customer an acquisition day (uniform over \
      --acquisition-days from --start), a gamma(r, alpha) purchase rate, purchases with \
      exponential gaps rounded up to whole days (one purchase per day, as summaries count them), \
      dropout after each repeat purchase with a beta(a, b) probability (bgnbd; mbgnbd also after \
      the first; pnbd: an exponential lifetime with a gamma(s, beta) rate), and Gamma-Gamma \
      amounts. Orders after the last observed day (--start + --days - 1) are not written. The \
      same --seed gives the same file. The true parameters are written as JSON to --truth \
      (default: OUTPUT.truth.json; none when OUTPUT is -).
      """
  )

  enum ProcessName: String, ExpressibleByArgument, CaseIterable {
    case bgnbd, mbgnbd, pnbd
  }

  @Option(help: "Number of customers (required).")
  var customers: Int

  @Option(help: "Random seed.")
  var seed: UInt64 = 1

  @Option(help: "Generative process: bgnbd, mbgnbd, pnbd.")
  var model: ProcessName = .bgnbd

  @Option(help: "Purchase-rate shape r (the default is CDNOW's).")
  var r: Double = 0.243
  @Option(help: "Purchase-rate scale alpha, in --unit (the default is CDNOW's, in weeks).")
  var alpha: Double = 4.414
  @Option(help: "Dropout beta a (bgnbd, mbgnbd).")
  var a: Double = 0.793
  @Option(help: "Dropout beta b (bgnbd, mbgnbd).")
  var b: Double = 2.426
  @Option(help: "Dropout-rate shape s (pnbd).")
  var s: Double = 0.606
  @Option(help: "Dropout-rate scale beta (pnbd), in --unit.")
  var beta: Double = 11.669
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

  func validate() throws {
    guard customers >= 1 else { throw ValidationError("--customers must be ≥ 1") }
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
    for (name, value) in [
      ("r", r), ("alpha", alpha), ("a", a), ("b", b), ("s", s), ("beta", beta), ("p", p),
      ("q", q), ("gamma", gamma),
    ] where !(value.isFinite && value > 0) {
      throw ValidationError("--\(name) must be a positive number; got \(value)")
    }
  }

  func run() throws {
    let process: Simulation.Process
    var names: [String]
    var values: [Double]
    switch model {
    case .bgnbd:
      process = .bgnbd(r: r, alpha: alpha, a: a, b: b)
      (names, values) = (["r", "alpha", "a", "b"], [r, alpha, a, b])
    case .mbgnbd:
      process = .mbgnbd(r: r, alpha: alpha, a: a, b: b)
      (names, values) = (["r", "alpha", "a", "b"], [r, alpha, a, b])
    case .pnbd:
      process = .pnbd(r: r, alpha: alpha, s: s, beta: beta)
      (names, values) = (["r", "alpha", "s", "beta"], [r, alpha, s, beta])
    }
    let settings = Simulation.Settings(
      customers: customers, seed: seed, process: process,
      spend: GammaGamma(p: p, q: q, gamma: gamma), unit: unit, start: Day(iso: start)!,
      acquisitionDays: acquisitionDays, days: days)

    let out = try AtomicOutput(path: output)
    let truthPath = truth ?? (output == "-" ? nil : output + ".truth.json")
    let truthOut = try truthPath.map { try AtomicOutput(path: $0) }
    try out.write("customer_id,date,amount\n")
    var orders = 0
    var line = ""
    try Simulation.orders(settings) { customer, day, amount in
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
      let json = JSONValue.object([
        ("model", .string(model.rawValue)),
        ("parameters", .object(zip(names, values).map { ($0, .number($1)) })),
        (
          "spend",
          .object([
            ("model", .string("gamma-gamma")), ("p", .number(p)), ("q", .number(q)),
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
      try truthOut.write(json.prettyPrinted() + "\n")
    }
    try AtomicOutput.commit([out] + (truthOut.map { [$0] } ?? []))
    var stderr = StandardError()
    print(
      "clv: simulate: \(customers) customers, \(orders) orders, \(start) to "
        + "\(settings.observationEnd)\(truthPath.map { "; true parameters in \($0)" } ?? "")",
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
