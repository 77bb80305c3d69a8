import CLVData
import Foundation
import TestSupport

/// The shared reference data sets, parsed for the model tests.
enum ReferenceData {
  /// `cdnow_customers_summary.csv` (ID,frequency,recency,T in weeks): the BG/NBD input of
  /// [FHL2005a], 2,357 customers.
  static func cdnowSummary() throws -> RFMSummary {
    let text = try String(
      contentsOf: Fixtures.sharedDataset("cdnow_customers_summary.csv"),
      encoding: .utf8)
    var rows: [RFMSummary.Row] = []
    for line in text.split(whereSeparator: \.isNewline).dropFirst() {
      let f = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      rows.append(
        RFMSummary.Row(
          customerID: f[0], frequency: Int(f[1])!, recency: Double(f[2])!,
          age: Double(f[3])!))
    }
    return RFMSummary(rows: rows, unit: .week)
  }

  /// `donations.csv` (frequency,recency,periods,weights): the BG/BB data of [FHS2010].
  static func donations() throws -> (summary: RFMSummary, weights: [Double]) {
    let text = try String(contentsOf: Fixtures.sharedDataset("donations.csv"), encoding: .utf8)
    var rows: [RFMSummary.Row] = []
    var weights: [Double] = []
    for (i, line) in text.split(whereSeparator: \.isNewline).dropFirst().enumerated() {
      let f = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      rows.append(
        RFMSummary.Row(
          customerID: "pattern\(i + 1)", frequency: Int(f[0])!,
          recency: Double(f[1])!, age: Double(f[2])!))
      weights.append(Double(f[3])!)
    }
    return (RFMSummary(rows: rows, unit: .week), weights)
  }

  /// Repeat buyers of the CDNOW sample in the 39-week calibration period (1997-01-01 ..
  /// 1997-09-30) with z̄ = mean purchase-day amount over the repeat purchase days: the
  /// Gamma-Gamma input of [FHL2005b] (946 customers), computed from `CDNOW_sample.txt`
  /// (several orders on one day are one purchase of their summed value, as lifetimes'
  /// `summary_data_from_transaction_data(..., freq='D', freq_multiplier=7)`).
  static func cdnowCalibrationWithSpend() throws -> RFMSummary {
    let text = try String(contentsOf: Fixtures.sharedDataset("CDNOW_sample.txt"), encoding: .utf8)
    var days: [String: [Int: Double]] = [:]
    let end = Day(year: 1997, month: 9, day: 30)!
    for line in text.split(whereSeparator: \.isNewline) {
      let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard f.count == 5 else { continue }
      let id = String(Int(f[1])!)
      let d = String(f[2])
      let day = Day(
        year: Int(d.prefix(4))!, month: Int(d.dropFirst(4).prefix(2))!,
        day: Int(d.suffix(2))!)!
      guard day <= end else { continue }
      days[id, default: [:]][day.daysSinceEpoch, default: 0] += Double(f[4])!
    }
    var rows: [RFMSummary.Row] = []
    for (id, amounts) in days {
      let sorted = amounts.keys.sorted()
      let first = sorted[0]
      let repeats = sorted.dropFirst()
      let x = repeats.count
      let m = x > 0 ? repeats.map { amounts[$0]! }.reduce(0, +) / Double(x) : 0
      rows.append(
        RFMSummary.Row(
          customerID: id, frequency: x,
          recency: Double((sorted.last! - first)) / 7,
          age: Double(end.daysSinceEpoch - first) / 7, monetaryValue: m))
    }
    rows.sort { Int($0.customerID)! < Int($1.customerID)! }
    return RFMSummary(rows: rows, unit: .week)
  }
}
