import CLVData
import CLVModels
import Foundation
import TestSupport

/// Data for the Pareto/NBD tests.
enum ParetoNBDFixtures {
  /// `../shared/datasets/cdnow_customers_summary.csv` (`ID,frequency,recency,T`, weeks), read with
  /// a minimal local parser so that these tests do not depend on the ingest code.
  static func cdnowSummary() throws -> RFMSummary {
    let url = try Fixtures.sharedDataset("cdnow_customers_summary.csv")
    let text = try String(contentsOf: url, encoding: .utf8)
    var rows: [RFMSummary.Row] = []
    for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() where index > 0 {
      let fields = line.split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard fields.count == 4, let x = Int(fields[1]), let tx = Double(fields[2]),
        let T = Double(fields[3])
      else { throw FixtureError.missing("\(url.path):\(index + 1): unreadable row '\(line)'") }
      rows.append(.init(customerID: fields[0], frequency: x, recency: tx, age: T))
    }
    return RFMSummary(rows: rows, unit: .week)
  }

  /// The Pareto/NBD fit on the CDNOW summary, computed once and shared by the tests (a fit takes
  /// seconds in a debug build).
  static let cdnowFit: Result<ParetoNBD, any Error> = Result {
    try ParetoNBD.fit(try cdnowSummary())
  }

  /// Published Pareto/NBD estimates on CDNOW (weeks): Fader, Hardie & Lee 2005a/b.
  static let published = (r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669)

  static func row(_ x: Int, _ tx: Double, _ T: Double) -> RFMSummary.Row {
    RFMSummary.Row(customerID: "x\(x)-tx\(tx)-T\(T)", frequency: x, recency: tx, age: T)
  }
}
