import ArgumentParser
import CLVData
import CLVModels

struct Summarize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Per-customer frequency, recency, T and monetary value from an order log.",
    discussion: """
      Reads an order log (one row per order or order line; several rows of one customer on one \
      day are one purchase, amounts summed) and writes one CSV line per customer, in the order \
      of each customer's first row: customer_id,frequency,recency,T,monetary_value, or with \
      --calibration-end customer_id,frequency_cal,recency_cal,T_cal,monetary_value_cal,\
      frequency_holdout,monetary_value_holdout,duration_holdout,cohort. frequency counts \
      purchase days after the first; recency and T are measured from the first purchase day in \
      --unit (continuous days/7 for weeks, as the BTYD literature and lifetimes' freq='D', \
      freq_multiplier=7); the unit is stated on stderr. Monetary columns appear when there is an \
      amount column. A summary CSV given as input is read, checked and written back. With \
      --distinct the customers are collapsed to their distinct rows \
      frequency,recency,T[,monetary_value],weights (weights: the number of customers with that \
      row; with --calibration-end the calibration period's values, without holdout columns or \
      cohort), in order of first appearance: all a fit needs, read by \
      'clv train --weight-column weights'.
      """
  )

  @Argument(help: "Order log (CSV or delimited text), or - for standard input.")
  var input: String

  @Option(name: .shortAndLong, help: "Output CSV file, or - for standard output.")
  var output: String = "-"

  @Flag(
    help: """
      Write the distinct (frequency, recency, T, monetary_value) rows with a weights column \
      (the number of customers with that row) instead of one row per customer (default: off).
      """)
  var distinct = false

  @Flag(
    help: """
      Add the column litt (litt_cal with --calibration-end): the sum of the logs of each \
      customer's inter-purchase times in --unit, which \
      \(ModelRegistry.list(ModelRegistry.all.filter { $0.needs.contains(.interPurchaseTimes) }.map(\.id))) \
      need to choose k when fitted on a summary file, and print the Wheat–Morrison regularity \
      k̂ of the purchase timing on standard error (≈ 1: memoryless, ≥ 2: regular) (default: off).
      """)
  var litt = false

  @OptionGroup var ingest: IngestOptions

  func validate() throws {
    if litt, distinct {
      throw ValidationError(
        "--litt does not apply to --distinct (customers with one (frequency, recency, T) row "
          + "have different inter-purchase times)")
    }
  }

  func run() throws {
    let summaries = try ingest.summaries(from: input, interPurchaseTimes: litt)
    if litt, let regularity = summaries.regularity {
      var stderr = StandardError()
      print("clv: summarize: \(regularity.summaryLine)", to: &stderr)
    }
    if distinct, summaries.layout == .donations {
      throw ValidationError(
        "--distinct: \(input) is in the donations layout, already one row per distinct history "
          + "with weights")
    }
    let out = try AtomicOutput(path: output)
    if distinct {
      let rows = DistinctSummaryRows(summaries)
      try SummaryCSVWriter.write(rows, to: out)
      var stderr = StandardError()
      print(
        "clv: summarize: \(summaries.count) customers in \(rows.count) distinct rows",
        to: &stderr)
    } else {
      try SummaryCSVWriter.write(summaries, to: out)
    }
    try out.commit()
  }
}
