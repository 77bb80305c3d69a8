import CLVData
import Foundation
import TestSupport

@testable import CLVModels

/// CDNOW with attributes built from CDNOW_sample.txt, as `scripts/reference/covariates_cdnow.py`
/// builds them (independently): `first_cds`, the CDs bought on the first purchase day, and
/// `cohort`, that day's month (jan, feb, mar).
enum CovariateFixtures {
  /// The attributes table (customer_id = the summary's ID).
  static func cdnowAttributes() throws -> CustomerAttributes {
    let text = try String(
      contentsOf: Fixtures.sharedDataset("CDNOW_sample.txt"), encoding: .utf8)
    var days: [Int: [String: Int]] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\r" })
      guard fields.count == 5, let id = Int(fields[1]), let cds = Int(fields[3]) else { continue }
      days[id, default: [:]][String(fields[2]), default: 0] += cds
    }
    let months = ["01": "jan", "02": "feb", "03": "mar"]
    var csv = "customer_id,first_cds,cohort\n"
    for id in days.keys.sorted() {
      let first = days[id]!.keys.min()!
      let month = String(first.dropFirst(4).prefix(2))
      csv += "\(id),\(days[id]![first]!),\(months[month]!)\n"
    }
    return try CustomerAttributes(csv: csv, file: "cdnow-attributes.csv")
  }

  /// Purchase: first_cds and cohort (z = first_cds, cohort=jan, cohort=mar); dropout: first_cds.
  static func cdnowDesign(_ attributes: CustomerAttributes) throws -> CovariateDesign {
    try CovariateDesign.learn(
      from: attributes, purchase: ["first_cds", "cohort"], dropout: ["first_cds"], fill: false,
      model: BGNBD.modelName)
  }

  /// The fixed parameters of the script's section 1.
  static let fixedBase = BGNBD(r: 0.25, alpha: 4.0, a: 0.8, b: 2.5)
  static let fixedCoefficients: [[Double]] = [[0.05, -0.1, 0.2], [0.1], [-0.05]]
}

extension CovariateFixtures {
  /// Gamma-Gamma: spend covariates first_cds and cohort (w = first_cds, cohort=jan, cohort=mar).
  static func cdnowSpendDesign(_ attributes: CustomerAttributes) throws -> CovariateDesign {
    try CovariateDesign.learn(
      from: attributes, purchase: nil, dropout: nil, spend: ["first_cds", "cohort"], fill: false,
      processes: [.spend], model: GammaGamma.modelName)
  }
}
