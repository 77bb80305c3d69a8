import ArgumentParser
import CLVData

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
      amount column. A summary CSV given as input is read, checked and written back.
      """
  )

  @Argument(help: "Order log (CSV or delimited text), or - for standard input.")
  var input: String

  @Option(name: .shortAndLong, help: "Output CSV file, or - for standard output.")
  var output: String = "-"

  @OptionGroup var ingest: IngestOptions

  func run() throws {
    let summaries = try ingest.summaries(from: input)
    let out = try AtomicOutput(path: output)
    try SummaryCSVWriter.write(summaries, to: out)
    try out.commit()
  }
}
