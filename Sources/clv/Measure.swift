import ArgumentParser
import CLVData
import CLVEvaluation

/// `clv measure`: the readout of a campaign list with a control group (see CLVEvaluation's
/// `CampaignReadout` for the measures, intervals and their sources).
struct Measure: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure a campaign: treatment against control over a window after the send.",
    discussion: """
      LIST is a campaign list with customer_id and group columns (clv target --control, or the \
      groups file of clv simulate --uplift); ORDERS is the order log (read with the order-log \
      options below). Only orders from --start to --end (inclusive) of customers on the list \
      count; customers on the list without orders count as zero. Per group: customers, \
      purchasers, purchase rate with its Wilson 95% interval, orders and revenue per customer. \
      Lifts (treatment minus control): the purchase rate with Newcombe's hybrid score 95% \
      interval (Newcombe 1998, method 10), the two-proportion z-test and the relative lift \
      (log risk-ratio interval); orders and revenue per customer with Welch's t interval and \
      test and the relative lift (delta method), or with --interval bootstrap-t the \
      studentized bootstrap over customers (each group resampled on its own, \
      --bootstrap-resamples resamples drawn from --seed) for the lifts, their tests and the \
      relative lifts. Incremental revenue = treatment customers x revenue per customer lift; \
      incremental profit = --margin x incremental revenue - --offer-cost x treatment \
      customers. The summary goes to stdout; -o writes the CSV \
      (one row per measure), --json the JSON.
      """
  )

  @Argument(help: "Campaign list CSV with customer_id and group columns ('-' for standard input).")
  var list: String

  @Argument(help: "Order log CSV ('-' for standard input).")
  var orders: String

  @Option(help: "First day of the measurement window, yyyy-MM-dd (the send day, usually).")
  var start: String

  @Option(help: "Last day of the measurement window, yyyy-MM-dd (inclusive).")
  var end: String

  @Option(
    name: .customLong("offer-cost"),
    help: "Cost of the offer per treatment customer, in the amounts' money (default 0).")
  var offerCost: Double = 0

  @Option(help: "Profit per unit of revenue, between 0 and 1 (default 1: revenue is profit).")
  var margin: Double = 1

  @Option(
    help: ArgumentHelp(
      """
      The intervals and tests of the orders and revenue per customer lifts: welch (Welch's t; \
      the delta method for the relative lift) or bootstrap-t (the studentized bootstrap over \
      customers, which follows the skewness of revenue; seeded, so the same input and seed give \
      the same readout).
      """, valueName: "welch|bootstrap-t"))
  var interval: CampaignReadout.IntervalMethod = CampaignReadout.MeanIntervals.standard.method

  @Option(
    name: .customLong("bootstrap-resamples"),
    help: """
      --interval bootstrap-t: the number of resamples, \(Self.resampleRange.lowerBound) to \
      \(Self.resampleRange.upperBound) (default \(CampaignReadout.MeanIntervals.defaultResamples)).
      """)
  var resamples: Int?

  @Option(help: "--interval bootstrap-t: the seed of the resampling (default 1).")
  var seed: UInt64?

  @OptionGroup(title: "Order log options") var ingest: IngestOptions

  @Option(name: .shortAndLong, help: "Write the readout as CSV to this file ('-': stdout).")
  var output: String?

  @Option(help: "Write the readout as JSON to this file ('-': stdout).")
  var json: String?

  func validate() throws {
    for (name, value) in [("--start", start), ("--end", end)] where Day(iso: value) == nil {
      throw ValidationError("\(name) '\(value)' is not a date (expected yyyy-MM-dd)")
    }
    if let s = Day(iso: start), let e = Day(iso: end), e < s {
      throw ValidationError("--end \(end) is before --start \(start)")
    }
    guard offerCost.isFinite, offerCost >= 0 else {
      throw ValidationError("--offer-cost must be a number of 0 or more")
    }
    guard margin.isFinite, margin >= 0, margin <= 1 else {
      throw ValidationError("--margin must be between 0 and 1")
    }
    if list == "-", orders == "-" {
      throw ValidationError("LIST and ORDERS cannot both be standard input")
    }
    if interval == .welch {
      for (given, name) in [(resamples != nil, "--bootstrap-resamples"), (seed != nil, "--seed")]
      where given {
        throw ValidationError("\(name) applies with --interval bootstrap-t only")
      }
    }
    if let resamples, !Self.resampleRange.contains(resamples) {
      throw ValidationError(
        "--bootstrap-resamples must be between \(Self.resampleRange.lowerBound) and "
          + "\(Self.resampleRange.upperBound); got \(resamples)")
    }
    if output == "-", json == "-" {
      throw ValidationError("-o and --json cannot both be standard output")
    }
  }

  /// The accepted resamples: 99 leaves about 2 resamples beyond each limit of a 95% interval
  /// (fewer cannot place them); 100,000 bounds the time (about 1 s per 10,000 customers).
  static let resampleRange = 99...100_000

  func run() throws {
    let intervals: CampaignReadout.MeanIntervals =
      interval == .welch
      ? .welch
      : .bootstrapT(
        resamples: resamples ?? CampaignReadout.MeanIntervals.defaultResamples, seed: seed ?? 1)
    let readout = try CampaignReadout.measure(
      list: list, orders: orders, format: ingest.orderLogFormat,
      settings: CampaignReadout.Settings(
        start: Day(iso: start)!, end: Day(iso: end)!, offerCost: offerCost, margin: margin,
        intervals: intervals))
    var outputs: [AtomicOutput] = []
    if let output {
      let out = try AtomicOutput(path: output)
      try out.write(readout.csvLines.joined(separator: "\n") + "\n")
      outputs.append(out)
    }
    if let json {
      let out = try AtomicOutput(path: json)
      try out.write(readout.json.prettyPrinted() + "\n")
      outputs.append(out)
    }
    try AtomicOutput.commit(outputs)
    if output != "-", json != "-" { print(readout.summary) }
  }
}

extension CampaignReadout.IntervalMethod: ExpressibleByArgument {}
