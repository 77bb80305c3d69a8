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
      relative lifts, or with --interval permutation randomization inference: Fisher's \
      randomization test of a constant additive effect over --permutations relabellings of \
      the whole list (group sizes kept; drawn from --seed), inverted into the interval of the \
      lift (Imbens & Rubin 2015, ch. 5), its p-value the test's at no effect, and the same for \
      a constant multiplicative effect for the relative lift. Incremental revenue = treatment customers x revenue per customer lift; \
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
      the delta method for the relative lift), bootstrap-t (the studentized bootstrap over \
      customers, which follows the skewness of revenue) or permutation (the randomization \
      test of a constant effect, inverted; exact under no effect whatever the skewness); the \
      last two are seeded, so the same input and seed give the same readout.
      """, valueName: "welch|bootstrap-t|permutation"))
  var interval: CampaignReadout.IntervalMethod = CampaignReadout.MeanIntervals.standard.method

  @Option(
    name: .customLong("bootstrap-resamples"),
    help: """
      --interval bootstrap-t: the number of resamples, \(Self.resampleRange.lowerBound) to \
      \(Self.resampleRange.upperBound) (default \(CampaignReadout.MeanIntervals.defaultResamples)).
      """)
  var resamples: Int?

  @Option(
    help: """
      --interval permutation: the number of relabellings of the list, \
      \(Self.resampleRange.lowerBound) to \(Self.resampleRange.upperBound) (default \
      \(CampaignReadout.MeanIntervals.defaultPermutations)).
      """)
  var permutations: Int?

  @Option(
    help: """
      --interval bootstrap-t or permutation: the seed of the resampling or relabelling \
      (default 1).
      """)
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
    if interval == .welch, seed != nil {
      throw ValidationError("--seed applies with --interval bootstrap-t or permutation only")
    }
    if interval != .bootstrapT, resamples != nil {
      throw ValidationError("--bootstrap-resamples applies with --interval bootstrap-t only")
    }
    if interval != .permutation, permutations != nil {
      throw ValidationError("--permutations applies with --interval permutation only")
    }
    for (count, name) in [(resamples, "--bootstrap-resamples"), (permutations, "--permutations")] {
      if let count, !Self.resampleRange.contains(count) {
        throw ValidationError(
          "\(name) must be between \(Self.resampleRange.lowerBound) and "
            + "\(Self.resampleRange.upperBound); got \(count)")
      }
    }
    if output == "-", json == "-" {
      throw ValidationError("-o and --json cannot both be standard output")
    }
  }

  /// The accepted resamples and relabellings: 99 leaves about 2 resamples beyond each limit of
  /// a 95% interval (fewer cannot place them); 100,000 bounds the time (about 1 s per 10,000
  /// customers).
  static let resampleRange = 99...100_000

  func run() throws {
    let intervals: CampaignReadout.MeanIntervals =
      switch interval {
      case .welch: .welch
      case .bootstrapT:
        .bootstrapT(
          resamples: resamples ?? CampaignReadout.MeanIntervals.defaultResamples, seed: seed ?? 1)
      case .permutation:
        .permutation(
          permutations: permutations ?? CampaignReadout.MeanIntervals.defaultPermutations,
          seed: seed ?? 1)
      }
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
