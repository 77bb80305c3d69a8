import ArgumentParser
import CLVData
import CLVModels
import CLVScoring

/// `clv cohorts`: the acquisition-cohort table of an order log (see CLVScoring's `CohortTable`).
struct Cohorts: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Acquisition cohorts: retention triangle and revenue per customer by period.",
    discussion: """
      Groups customers by the month (or quarter) of their first purchase and writes, per \
      cohort and period since acquisition (0 = the acquisition period), the customers with a \
      repeat purchase in the period and their share of the cohort (the retention triangle), \
      revenue per acquired customer in the period and cumulated, and per cohort the \
      second-purchase rate, the one-time-buyer share and the median days from the first to \
      the second purchase. Only periods that end by the log's last day are written. Orders of \
      one day are one purchase. With --attributes FILE --segment-by COLUMN each cohort is \
      split by the customers' value of COLUMN ((missing) for customers not in FILE). \
      --observation-end D ignores later orders and ends the last period at D.
      """
  )

  enum By: String, ExpressibleByArgument, CaseIterable {
    case month, quarter
  }

  @Argument(help: "Order log CSV ('-' for standard input).")
  var orders: String

  @Option(help: "Cohort and column period: month or quarter (default month).")
  var by: By = .month

  @Option(help: "Customer attributes CSV with a customer_id column (for --segment-by).")
  var attributes: String?

  @Option(
    name: .customLong("segment-by"),
    help: "Split each cohort by this column of --attributes (e.g. channel).")
  var segmentBy: String?

  @OptionGroup(title: "Order log options") var ingest: IngestOptions

  @Option(name: .shortAndLong, help: "Output CSV file ('-' for standard output).")
  var output: String = "-"

  func validate() throws {
    if (attributes == nil) != (segmentBy == nil) {
      throw ValidationError("--attributes and --segment-by go together")
    }
    if orders == "-", attributes == "-" {
      throw ValidationError("ORDERS and --attributes cannot both be standard input")
    }
  }

  func run() throws {
    var segments: [String: String]? = nil
    if let attributes, let segmentBy {
      let table = try CustomerAttributes(path: attributes)
      guard let column = table.columns.firstIndex(of: segmentBy) else {
        throw DataError.invalidRow(
          file: table.file, line: 1,
          reason: "no '\(segmentBy)' column in the header (columns: "
            + table.columns.joined(separator: ", ") + ")")
      }
      segments = [:]
      for record in table.records { segments?[record.customerID] = record.values[column] }
    }
    let format = ingest.orderLogFormat
    let end = ingest.observationEnd.flatMap { Day(iso: $0) }
    let log = try PurchaseLog.read(path: orders, format: format, through: end)
    let table = CohortTable(
      log, by: by == .month ? .month : .quarter, segments: segments, lastDay: end)
    let out = try AtomicOutput(path: output)
    try out.write(table.csvLines.joined(separator: "\n") + "\n")
    try out.commit()
  }
}
