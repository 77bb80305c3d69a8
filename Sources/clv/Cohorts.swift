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
      --observation-end D ignores later orders and ends the last period at D. With --cac FILE \
      (KEY,cac as for clv score --cac: by cohort month, customer_id or an attribute of \
      --attributes such as channel) the columns margin, cac (the mean CAC of the cohort's \
      customers; empty when one has none), cumulative_margin_to_cac (--margin times the \
      cumulative revenue per customer, over cac) and payback_period (the first period where \
      it reaches 1; empty if none yet) follow. With --scores FILE (a score table written by \
      clv score --cac … --spend-model …) each cohort's predicted unit economics follow, over \
      its customers with a CAC in FILE: scored_customers, mean_cac, mean_first_order_profit, \
      mean_margin_to_date, mean_clv (the predicted CLV), clv_to_cac ((sum of margin to date \
      + sum of CLV) / sum of CAC), median_payback_days (customers not paid back within the \
      scoring horizon count as never; empty when half or more are) and paid_back_share. \
      --json FILE writes the table as JSON, with these predictions pooled per segment.
      """
  )

  enum By: String, ExpressibleByArgument, CaseIterable {
    case month, quarter
  }

  @Argument(help: "Order log CSV ('-' for standard input).")
  var orders: String

  @Option(help: "Cohort and column period: month or quarter (default month).")
  var by: By = .month

  @Option(
    help:
      "Customer attributes CSV with a customer_id column (for --segment-by, and for --cac by an attribute)."
  )
  var attributes: String?

  @Option(
    name: .customLong("segment-by"),
    help: "Split each cohort by this column of --attributes (e.g. channel).")
  var segmentBy: String?

  @Option(
    name: .customLong("cac"),
    help: ArgumentHelp(
      "Acquisition costs CSV KEY,cac (KEY: cohort, customer_id or a column of --attributes): "
        + "adds margin, cac, cumulative_margin_to_cac and payback_period (default: none).",
      valueName: "costs.csv"))
  var cac: String?

  @Option(help: "Share of revenue that is profit, for the --cac columns (default 1).")
  var margin: Double = 1

  @Option(
    help: ArgumentHelp(
      "Score table written by clv score --cac FILE --spend-model FILE: adds each cohort's "
        + "predicted CLV:CAC, payback and first-order profit vs CLV (default: none).",
      valueName: "scores.csv"))
  var scores: String?

  @Option(help: "Also write the table as JSON to this file ('-' for standard output).")
  var json: String?

  @OptionGroup(title: "Order log options") var ingest: IngestOptions

  @Option(name: .shortAndLong, help: "Output CSV file ('-' for standard output).")
  var output: String = "-"

  func validate() throws {
    if segmentBy != nil, attributes == nil {
      throw ValidationError("--segment-by needs --attributes")
    }
    if attributes != nil, segmentBy == nil, cac == nil {
      throw ValidationError("--attributes needs --segment-by or --cac")
    }
    if [orders, attributes, cac, scores].filter({ $0 == "-" }).count > 1 {
      throw ValidationError("standard input ('-') can be read only once")
    }
    if output == "-", json == "-" {
      throw ValidationError("-o and --json cannot both be standard output")
    }
    guard margin.isFinite else { throw ValidationError("--margin must be a number; got \(margin)") }
  }

  func run() throws {
    var segments: [String: String]? = nil
    let table = try attributes.map { try CustomerAttributes(path: $0) }
    let costs = try cac.map { try AcquisitionCosts.read(path: $0) }
    let scored = try scores.map { try AcquisitionEconomics.readScored(path: $0) }
    if let table, let segmentBy {
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
    let cohorts = CohortTable(
      log, by: by == .month ? .month : .quarter, segments: segments, lastDay: end, costs: costs,
      costAttributes: try costs?.keyValues(in: table), margin: margin, scores: scored)
    let out = try AtomicOutput(path: output)
    try out.write(cohorts.csvLines.joined(separator: "\n") + "\n")
    try out.commit()
    if let json {
      let jsonOut = try AtomicOutput(path: json)
      try jsonOut.write(cohorts.json.prettyPrinted() + "\n")
      try jsonOut.commit()
    }
  }
}
