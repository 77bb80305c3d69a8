import CLVData
import Foundation
import TestSupport

/// Writes `text` to a fresh temporary file named `name` and returns its path.
func temporaryFile(_ text: String, name: String = "orders.csv") throws -> String {
  let url = try Fixtures.temporaryDirectory().appendingPathComponent(name)
  try Data(text.utf8).write(to: url)
  return url.path
}

/// Writes raw bytes to a fresh temporary file.
func temporaryFile(bytes: [UInt8], name: String = "orders.csv") throws -> String {
  let url = try Fixtures.temporaryDirectory().appendingPathComponent(name)
  try Data(bytes).write(to: url)
  return url.path
}

/// Summarizes an order log given as text.
func summarize(
  _ text: String, format: OrderLogFormat = OrderLogFormat(), period: SummaryPeriod = SummaryPeriod()
) throws -> CustomerSummaries {
  try CustomerSummaries.read(path: try temporaryFile(text), format: format, period: period)
}

/// The rows of `summaries` by customer id.
func rowsByID(_ summaries: CustomerSummaries) -> [String: RFMSummary.Row] {
  Dictionary(uniqueKeysWithValues: summaries.summary.rows.map { ($0.customerID, $0) })
}
